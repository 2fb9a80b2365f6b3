// A package's content, fetched and verified in memory. Nothing is written before this returns.
//   - a skill listed in the skills index: its artifact (SKILL.md or .tar.gz), whose SHA-256 must
//     equal the index's digest, then unpacked with artifact.ts's refusals;
//   - anything else (an MCP server, a skill of a local marketplace): the package's files, whose
//     content digest (src/core/digest.ts's formula) must equal the registry's. Over HTTP the
//     client cannot list a folder, so it asks for manifest.yaml and the entrypoint; a package with
//     more files than those cannot be verified that way and is refused, never installed unverified.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ArtifactError, SKILL_FILE, contentHash, packagePathProblem, sha256, unpackArchive, type ExtractedFile } from './artifact.js'
import { MANIFEST_FILE, REVIEW_RECORD_FILE, SERVER_FILE } from '../marketplace/paths.js'
import type { CatalogEntry } from './catalog.js'
import { listLocalFiles, type Limits } from './marketplaces.js'
import { fetchBytes, type FetchLike } from './net.js'
import type { MarketplaceRecord } from './source.js'

export interface FetchedPackage {
  /** The files to install (without the marketplace's manifest.yaml and review.json). */
  files: ExtractedFile[]
  /** The digest that was advertised and verified; undefined when the marketplace advertised none. */
  digest?: string
  artifactUrl: string
  artifactType: 'skill-md' | 'archive' | 'files'
  contentHash: string
}

export class VerificationError extends Error {}

export interface FetchContext {
  fetch: FetchLike
  limits: Limits
  requests: { count: number }
}

export async function fetchPackage(ctx: FetchContext, record: MarketplaceRecord, entry: CatalogEntry): Promise<FetchedPackage> {
  if (entry.type === 'skill' && entry.artifact && record.type !== 'local') return fetchArtifact(ctx, record, entry)
  return fetchFiles(ctx, record, entry)
}

async function fetchArtifact(ctx: FetchContext, record: MarketplaceRecord, entry: CatalogEntry): Promise<FetchedPackage> {
  const artifact = entry.artifact as NonNullable<CatalogEntry['artifact']>
  ctx.requests.count++
  const got = await fetchBytes(ctx.fetch, artifact.url, { maxBytes: ctx.limits.artifactBytes, allowedOrigins: record.allowed_origins })
  if (got.status !== 'ok') throw new VerificationError(`${artifact.url} answered 304 to an unconditional request`)
  const actual = sha256(got.bytes)
  if (artifact.digest && actual !== artifact.digest) {
    throw new VerificationError(
      `${artifact.url} does not match its advertised digest (index says ${artifact.digest}, the download is ${actual}); nothing was installed`
    )
  }
  let files: ExtractedFile[]
  try {
    files =
      artifact.type === 'skill-md'
        ? [{ path: SKILL_FILE, mode: 0o644, bytes: got.bytes }]
        : await unpackArchive(got.bytes, { maxFiles: ctx.limits.files, maxBytes: ctx.limits.artifactBytes * 8 })
  } catch (e) {
    if (e instanceof ArtifactError) throw new VerificationError(`${artifact.url}: ${e.message}; nothing was installed`)
    throw e
  }
  const out: FetchedPackage = { files, artifactUrl: artifact.url, artifactType: artifact.type, contentHash: contentHash(files) }
  if (artifact.digest) out.digest = artifact.digest
  return out
}

async function fetchFiles(ctx: FetchContext, record: MarketplaceRecord, entry: CatalogEntry): Promise<FetchedPackage> {
  if (!entry.path || !entry.packageDigest) {
    throw new VerificationError(
      `${entry.id} has no package path and digest in ${record.name}'s registry.json, so its files cannot be fetched and verified`
    )
  }
  let all: ExtractedFile[]
  let artifactUrl: string
  if (record.type === 'local') {
    const folder = record.folder as string
    const listed = listLocalFiles(folder, entry.path, ctx.limits.files)
    all = []
    let total = 0
    for (const f of listed) {
      const bytes = await readFile(f.abs)
      total += bytes.length
      if (total > ctx.limits.artifactBytes) throw new VerificationError(`${entry.path} is larger than ${ctx.limits.artifactBytes} bytes`)
      all.push({ path: f.path, mode: f.mode, bytes })
    }
    all = all.filter((f) => f.path !== REVIEW_RECORD_FILE)
    artifactUrl = path.join(folder, entry.path)
  } else {
    if (!record.files_base) throw new VerificationError(`${record.name} serves no package files (it is a skills index only)`)
    const base = new URL(record.files_base.replace('{commit}', entry.commit ?? 'HEAD'))
    const names = [...new Set([MANIFEST_FILE, entry.entrypoint ?? (entry.type === 'skill' ? SKILL_FILE : SERVER_FILE)])]
    for (const n of names) {
      const problem = packagePathProblem(n)
      if (problem) throw new VerificationError(`${entry.id}'s entrypoint ${JSON.stringify(n)} is refused: ${problem}`)
    }
    all = []
    let total = 0
    for (const n of names) {
      const url = new URL(`${entry.path}/${n}`, base).href
      ctx.requests.count++
      const got = await fetchBytes(ctx.fetch, url, { maxBytes: ctx.limits.artifactBytes - total, allowedOrigins: record.allowed_origins })
      if (got.status !== 'ok') throw new VerificationError(`${url} answered 304 to an unconditional request`)
      total += got.bytes.length
      all.push({ path: n, mode: 0o644, bytes: got.bytes })
    }
    artifactUrl = new URL(`${entry.path}/${entry.entrypoint ?? ''}`, base).href
  }
  const hash = contentHash(all)
  if (hash !== entry.packageDigest) {
    const hint =
      record.type === 'local'
        ? 'the folder does not hold the published files (update the checkout, or commit and rebuild)'
        : `the package may hold more files than ${MANIFEST_FILE} and its entrypoint, which cannot be listed over HTTP; install it from a local clone`
    throw new VerificationError(
      `${entry.id}@${entry.version ?? '?'}: the fetched files do not match the registry's digest (${entry.packageDigest}, got ${hash}); ${hint}. Nothing was installed`
    )
  }
  const files = all.filter((f) => f.path !== MANIFEST_FILE)
  return { files, digest: entry.packageDigest, artifactUrl, artifactType: 'files', contentHash: hash }
}
