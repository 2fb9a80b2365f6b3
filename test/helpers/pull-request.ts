/**
 * Pull-request branches in a real test repository, one commit per edit, each by a given author,
 * and the registry.json the marketplace would have written for published packages.
 *
 *   const head = pullRequest(repo, base, 'pr-hijack', 'mallory', write({ 'publishers/alice/x/SKILL.md': '…' }))
 *   const review = await reviewChange(repo, base, head, 'mallory', [namespaceCheck])
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestRepo } from './git-repo.js'
import type { Check } from '../../src/core/checks/check.js'
import type { Review } from '../../src/core/review/review.js'
import type { PublishedVersion, Registry } from '../../src/generated/schema-types.js'
import { runOnSource } from '../../src/core/review/source.js'
import { GitSnapshot } from '../../src/core/git/git-snapshot.js'
import { packageDigest } from '../../src/core/marketplace/digest.js'
import { VALIDATORS } from '../../src/generated/validators.js'
import { packageRef } from '../../src/core/marketplace/paths.js'

export type Edit = (repo: TestRepo) => void

/** The git author line of a GitHub login. */
export const gitAuthor = (login: string): string => `${login} <${login.toLowerCase()}@users.noreply.github.com>`

export const write =
  (files: Record<string, string>): Edit =>
  (repo) => {
    for (const [path, content] of Object.entries(files)) repo.write(path, content)
  }

export const remove =
  (...paths: string[]): Edit =>
  (repo) => {
    for (const path of paths) repo.remove(path)
  }

/** `git mv from to` (a rename git detects as one). */
export const move =
  (from: string, to: string): Edit =>
  (repo) => {
    repo.git(['mv', from, to])
  }

/** Rewrites a file with the same content and another mode (e.g. 0o755: executable). */
export const chmod =
  (path: string, mode: number): Edit =>
  (repo) => {
    repo.write(path, readFileSync(join(repo.dir, path)), mode)
  }

/**
 * A branch from `from` with one commit per edit, authored by `login`; returns the head commit and
 * leaves `main` checked out, so the work tree never holds the branch's files.
 */
export function pullRequest(repo: TestRepo, from: string, name: string, login: string, ...edits: Edit[]): string {
  repo.git(['checkout', '-q', '-b', name, from])
  let head = from
  for (const [i, edit] of edits.entries()) {
    edit(repo)
    head = repo.commit(`${name} (${i + 1})`, { author: gitAuthor(login) })
  }
  repo.git(['checkout', '-q', 'main'])
  return head
}

/** Runs checks over base..head as a pull request by `author` (without a base: every package at head). */
export function reviewChange(
  repo: TestRepo,
  base: string | undefined,
  head: string,
  author: string | undefined,
  checks: readonly Check[]
): Promise<Review> {
  return runOnSource(
    { kind: 'git', repo: repo.dir, head, ...(base === undefined ? {} : { base }), ...(author === undefined ? {} : { author }) },
    checks,
    {
      toolVersion: 'test'
    }
  )
}

/** The content digest of a package at a commit, as the registry records it. */
export async function digestAt(repo: TestRepo, commit: string, publisher: string, name: string): Promise<string> {
  const snapshot = new GitSnapshot(repo.dir, commit)
  try {
    const ref = packageRef(publisher, name)
    return await packageDigest(snapshot, ref, await snapshot.walk(ref.dir), 1024 * 1024)
  } finally {
    await snapshot.close()
  }
}

export interface RegistryEntry {
  publisher: string
  name: string
  type?: 'skill' | 'mcp-server'
  /** Newest first; the first is the current version. */
  versions: PublishedVersion[]
}

/** registry.json as build-registry writes it, checked against schemas/registry.schema.json. */
export function registryJson(entries: RegistryEntry[]): string {
  const registry: Registry = {
    version: 2,
    updated_at: '2026-03-24T00:00:00Z',
    packages: entries.map((e) => {
      const current = e.versions[0]
      if (!current) throw new Error(`${e.publisher}/${e.name}: no versions`)
      return {
        name: e.name,
        publisher: e.publisher,
        type: e.type ?? 'skill',
        version: current.version,
        tags: [],
        downloads: 0,
        score: null,
        path: `publishers/${e.publisher}/${e.name}`,
        digest: current.digest,
        commit: current.commit,
        versions: e.versions
      }
    })
  }
  const validate = VALIDATORS['registry']
  if (!validate(registry)) throw new Error(`test registry.json is invalid: ${JSON.stringify(validate.errors)}`)
  return `${JSON.stringify(registry, null, 2)}\n`
}
