// A package's content, fetched and verified in memory. Nothing is written before this returns.
//   - a skill listed in the skills index: its artifact (SKILL.md or .tar.gz), whose SHA-256 must
//     equal the index's digest, then unpacked with artifact.ts's refusals;
//   - an MCP server, or any package at a version other than the current one, from a site: the
//     version's release record (src/core/registry/build/releases.ts), whose file list must hash to
//     the registry's digest for that version; then the skill's artifact (each unpacked file checked
//     against the list) or the MCP server's entrypoint (its SHA-256 checked against the list);
//   - a local marketplace's package: its files, read from the folder, whose content digest
//     (src/core/marketplace/digest.ts's formula) must equal the registry's;
//   - a site built before release records existed: manifest.yaml and the entrypoint, which must
//     hash to the digest on their own; a package with more files is refused, never installed
//     unverified.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ArtifactError, SKILL_FILE, contentHash, packagePathProblem, sha256, unpackArchive, type ExtractedFile } from './artifact.js'
import { createHash } from 'node:crypto'
import { MANIFEST_FILE, REVIEW_RECORD_FILE, SERVER_FILE } from '../marketplace/paths.js'
import { RELEASE_FILE, ROOT_INDEX, releaseDir } from '../registry/build/site-layout.js'
import type { CatalogEntry } from './catalog.js'
import { listLocalFiles, type Limits } from './marketplaces.js'
import { NetworkError, fetchBytes, type FetchLike } from './net.js'
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
  if (entry.olderVersion) {
    if (record.type === 'local')
      throw new VerificationError(
        `${entry.id}@${entry.version ?? '?'} is not the current version, and a local folder holds only the current files; add the marketplace's site (or owner/repo) to install an older version`
      )
    return fetchRelease(ctx, record, entry, false)
  }
  if (entry.type === 'skill' && entry.artifact && record.type !== 'local') return fetchArtifact(ctx, record, entry)
  if (record.type !== 'local') {
    const viaRecord = await fetchRelease(ctx, record, entry, true)
    if (viaRecord) return viaRecord
  }
  return fetchFiles(ctx, record, entry)
}

/** Where a marketplace's site (the build's site folder) is served: the root index's folder, two levels up. */
export function siteRoot(record: MarketplaceRecord): string | undefined {
  if (!record.index_url) return undefined
  const url = new URL(record.index_url)
  const at = url.pathname.lastIndexOf(`/${ROOT_INDEX}`)
  if (at < 0 || at + ROOT_INDEX.length + 1 !== url.pathname.length) return undefined
  // A publisher's own index (publishers/<login>/.well-known/…) sits two folders below the root.
  url.pathname = url.pathname.slice(0, at + 1).replace(/publishers\/[^/]+\/$/, '')
  url.search = ''
  return url.href
}

const RELEASE_RECORD_BYTES = 4 * 1024 * 1024
const HEX64 = /^[a-f0-9]{64}$/

/**
 * A version through its release record. `optional`: a site built before records existed answers
 * 404, and the caller falls back to fetching the files by name (undefined is returned).
 */
async function fetchRelease(
  ctx: FetchContext,
  record: MarketplaceRecord,
  entry: CatalogEntry,
  optional: true
): Promise<FetchedPackage | undefined>
async function fetchRelease(ctx: FetchContext, record: MarketplaceRecord, entry: CatalogEntry, optional: false): Promise<FetchedPackage>
async function fetchRelease(
  ctx: FetchContext,
  record: MarketplaceRecord,
  entry: CatalogEntry,
  optional: boolean
): Promise<FetchedPackage | undefined> {
  const what = `${entry.id}@${entry.version ?? '?'}`
  const root = siteRoot(record)
  if (!root || !entry.publisher || !entry.version || !entry.packageDigest) {
    if (optional) return undefined
    throw new VerificationError(
      `${what} cannot be fetched: ${record.name} has no site serving release records (or no digest for that version), so only its current version can be installed`
    )
  }
  const recordUrl = new URL(`${releaseDir(entry.publisher, entry.name, entry.version)}/${RELEASE_FILE}`, root).href
  ctx.requests.count++
  let got
  try {
    got = await fetchBytes(ctx.fetch, recordUrl, { maxBytes: RELEASE_RECORD_BYTES, allowedOrigins: record.allowed_origins })
  } catch (e) {
    if (optional && e instanceof NetworkError && e.status === 404) return undefined
    if (e instanceof NetworkError && e.status === 404)
      throw new VerificationError(
        `${what} is listed in the registry but its site serves no release record for it (${recordUrl}); it cannot be installed from there`
      )
    throw e
  }
  if (got.status !== 'ok') throw new VerificationError(`${recordUrl} answered 304 to an unconditional request`)
  const files = releaseListing(got.bytes, recordUrl, entry.packageDigest, ctx.limits.files)
  const doc = JSON.parse(Buffer.from(got.bytes).toString('utf8')) as {
    artifact?: { type?: unknown; url?: unknown; digest?: unknown }
    entrypoint?: { path?: unknown; url?: unknown }
  }
  if (entry.type === 'skill') return fetchReleaseArtifact(ctx, record, recordUrl, doc.artifact, files, what)
  const wanted = entry.entrypoint ?? SERVER_FILE
  const listed = files.find((f) => f.path === wanted)
  if (!listed) throw new VerificationError(`${what}'s release record does not list its entrypoint ${wanted}; nothing was installed`)
  if (doc.entrypoint?.path !== wanted || doc.entrypoint.url !== `files/${wanted}`)
    throw new VerificationError(`${recordUrl} does not point at a copy of ${wanted}; nothing was installed`)
  const url = new URL(doc.entrypoint.url, recordUrl).href
  ctx.requests.count++
  const body = await fetchBytes(ctx.fetch, url, {
    maxBytes: Math.min(listed.size, ctx.limits.artifactBytes),
    allowedOrigins: record.allowed_origins
  })
  if (body.status !== 'ok') throw new VerificationError(`${url} answered 304 to an unconditional request`)
  const actual = sha256(body.bytes)
  if (actual !== `sha256:${listed.sha256}`)
    throw new VerificationError(
      `${url} does not match the release record (expected sha256:${listed.sha256}, got ${actual}); nothing was installed`
    )
  // The record's list hashed to the registry's digest and the one file used matches it: the
  // installed content is the published one (the other files are not installed for an MCP server).
  return {
    files: [{ path: wanted, mode: listed.mode === '100755' ? 0o755 : 0o644, bytes: body.bytes }],
    digest: entry.packageDigest,
    artifactUrl: url,
    artifactType: 'files',
    contentHash: entry.packageDigest
  }
}

interface Listed {
  path: string
  mode: string
  size: number
  sha256: string
}

/** A release record's file list, checked in shape and against the digest the registry gives for that version. */
function releaseListing(bytes: Uint8Array, where: string, digest: string, maxFiles: number): Listed[] {
  let doc: { digest?: unknown; files?: unknown }
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof doc
  } catch (e) {
    throw new VerificationError(`${where} is not valid JSON (${(e as Error).message}); nothing was installed`)
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.files))
    throw new VerificationError(`${where} has no \`files\` list; nothing was installed`)
  if (doc.files.length > maxFiles) throw new VerificationError(`${where} lists more than ${maxFiles} files; nothing was installed`)
  const files: Listed[] = []
  const listing = createHash('sha256')
  for (const raw of doc.files as Partial<Listed>[]) {
    const ok =
      raw &&
      typeof raw.path === 'string' &&
      packagePathProblem(raw.path) === undefined &&
      (raw.mode === '100644' || raw.mode === '100755') &&
      Number.isSafeInteger(raw.size) &&
      (raw.size as number) >= 0 &&
      typeof raw.sha256 === 'string' &&
      HEX64.test(raw.sha256)
    if (!ok)
      throw new VerificationError(`${where} has a malformed file entry (${JSON.stringify(raw).slice(0, 200)}); nothing was installed`)
    const f = raw as Listed
    listing.update(`${f.mode} ${f.sha256} ${f.path}\n`, 'utf8')
    files.push(f)
  }
  const actual = `sha256:${listing.digest('hex')}`
  if (actual !== digest || doc.digest !== digest)
    throw new VerificationError(
      `${where} does not match the registry's digest for that version (registry ${digest}, the record's files give ${actual}); nothing was installed`
    )
  return files
}

/** An older skill version: its artifact, each unpacked file checked against the verified list. */
async function fetchReleaseArtifact(
  ctx: FetchContext,
  record: MarketplaceRecord,
  recordUrl: string,
  artifact: { type?: unknown; url?: unknown; digest?: unknown } | undefined,
  listed: Listed[],
  what: string
): Promise<FetchedPackage> {
  if (
    !artifact ||
    (artifact.type !== 'skill-md' && artifact.type !== 'archive') ||
    typeof artifact.url !== 'string' ||
    artifact.url.includes('/') ||
    typeof artifact.digest !== 'string'
  )
    throw new VerificationError(`${recordUrl} names no skill artifact; nothing was installed`)
  const url = new URL(artifact.url, recordUrl).href
  const fetched = await fetchArtifact(ctx, record, {
    id: what,
    artifact: { url, type: artifact.type, digest: artifact.digest }
  } as CatalogEntry)
  // The artifact holds the package's files but the marketplace's manifest.yaml, with a root
  // `skill.md` stored as SKILL.md (skills-index.ts); everything else must be exactly as listed.
  const expected = listed.filter((f) => f.path !== MANIFEST_FILE)
  const hasUpper = expected.some((f) => f.path === SKILL_FILE)
  const byPath = new Map(expected.map((f) => [!hasUpper && f.path.toLowerCase() === 'skill.md' ? SKILL_FILE : f.path, f]))
  const problem =
    fetched.files.length !== byPath.size
      ? `it holds ${fetched.files.length} files, the record lists ${byPath.size}`
      : fetched.files
          .map((f) => {
            const l = byPath.get(f.path)
            if (!l) return `${f.path} is not in the record`
            if (sha256(f.bytes) !== `sha256:${l.sha256}`) return `${f.path} differs from the record`
            if (Boolean(f.mode & 0o111) !== (l.mode === '100755')) return `${f.path} has another executable bit`
            return undefined
          })
          .find((p) => p !== undefined)
  if (problem) throw new VerificationError(`${url} is not the published ${what}: ${problem}; nothing was installed`)
  return fetched
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
