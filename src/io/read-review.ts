// Reading a review file written by another step or job: it may come from an untrusted stage (a
// fork's pull_request workflow) or a downloaded artifact, so it is size-capped and schema-checked
// before anything is rendered from it.
import { lstat, readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from '../core/errors.js'
import type { Review } from '../core/review/review.js'

/** A review of even a large PR is far below this; anything bigger is not one of ours. */
export const MAX_REVIEW_BYTES = 5 * 1024 * 1024

/** A shard of a whole-marketplace re-audit lists thousands of packages: a larger cap. */
export const MAX_SHARD_REPORT_BYTES = 512 * 1024 * 1024

export async function readReview(file: string, maxBytes = MAX_REVIEW_BYTES): Promise<Review> {
  const stats = await stat(file).catch(() => undefined)
  if (stats === undefined) throw new ConfigError(`review file ${file} does not exist; run the review step first`)
  if (!stats.isFile()) throw new ConfigError(`review file ${file} is not a regular file; refusing it`)
  if (stats.size > maxBytes) throw new ConfigError(`review file ${file} is ${stats.size} bytes, more than a review can be; refusing it`)
  let value: unknown
  try {
    value = JSON.parse(await readFile(file, 'utf8'))
  } catch {
    throw new ConfigError(`review file ${file} is not JSON (corrupted or forged); refusing it`)
  }
  const { default: validate } = await import('../generated/validators/review.js')
  if (!validate(value)) {
    const first = validate.errors?.[0]
    throw new ConfigError(
      `review file ${file} does not match the review schema (${first?.instancePath || '/'} ${first?.message ?? ''}); refusing it`
    )
  }
  return value as Review
}

/**
 * The report files named: each a file, or a folder whose `*.json` files (at any depth, links not
 * followed) are taken, as actions/download-artifact lays out one folder per artifact. Sorted, so
 * error messages are stable.
 */
export async function reportFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    const stats = await lstat(p).catch(() => undefined)
    if (stats === undefined) throw new ConfigError(`${p} does not exist: give shard report files or the folder they were downloaded to`)
    if (stats.isDirectory()) {
      const found = (await readdir(p, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && e.name.endsWith('.json'))
        .map((e) => path.join(e.parentPath, e.name))
      if (!found.length) throw new ConfigError(`${p} holds no .json report files`)
      out.push(...found.sort())
    } else out.push(p)
  }
  return out
}
