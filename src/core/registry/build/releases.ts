// Every published version a client can install and verify over plain HTTP, not only the current
// one. Per package version the site gets a release record, `<name>/<version>/files.json` beside
// the skill artifact (site-layout.ts):
//
//   {"package": "<publisher>/<name>", "version", "digest",
//    "files": [{"path", "mode": "100644"|"100755", "size", "sha256": "<hex>"}],   every digested file
//    "artifact": {"type", "url", "digest"}       a skill: its artifact (relative URL, SHA-256)
//    "entrypoint": {"path", "url"}}              an MCP server: a copy of its entrypoint (server.json)
//
// The file list is the digest's own listing (src/core/marketplace/digest.ts), so a client checks
// it against the registry's digest for that version (registry.json `versions[]`) and then each
// file it fetches against the list: nothing is taken on the site's word. A folder cannot be listed
// over HTTP; this list is what lets an MCP server with more files than manifest.yaml and
// server.json be verified, and an older version be installed after a newer one is published.
//
// Previous versions stay in the site: a record (and its artifact or entrypoint) the last build
// wrote is kept once it checks out against the version's digest; otherwise it is rebuilt from the
// files at the commit that published that version. A version whose commit is no longer in the
// clone is simply not served (the client says so).
import type { BuildContext, PackageReads } from './context.js'
import type { OutputFile } from './types.js'
import { SERVER_FILE, packageRef } from '../../marketplace/paths.js'
import { digestOfLines, fileSha256 } from '../../marketplace/digest.js'
import { comparePaths } from '../../snapshot/types.js'
import { canonicalBytes, parseJsonBytes } from '../json.js'
import { forEachConcurrently } from '../../concurrently.js'
import { idOf, type RegistryPackage } from './registry-json.js'
import { artifactSitePath, releaseDir, RELEASE_FILE } from './site-layout.js'
import { buildSkillArtifact, sha256Digest, type PackageFile, type SkillArtifact } from './skills-index.js'
import type { Emitter } from './emit.js'
import { PackedFileLists, type PackedList } from './packed-files.js'

export interface ReleaseFile {
  path: string
  mode: string
  size: number
  sha256: string
}

export interface ReleaseRecord {
  package: string
  version: string
  digest: string
  files: ReleaseFile[]
  artifact?: { type: SkillArtifact['type']; url: string; digest: string }
  entrypoint?: { path: string; url: string }
}

/** What the publish stage keeps of a package it read: the listing and the MCP entrypoint's bytes. */
export interface ReleaseContent {
  files: ReleaseFile[]
  entrypoint?: { path: string; bytes: Uint8Array }
}

/**
 * The release contents of the packages read, from the publish stage to the site stage, their file
 * lists packed (packed-files.ts): 100,000 lists as objects were ~57 MB of heap when the publish
 * stage ends, where V8 sets how far the heap may grow before its next full collection.
 */
export class KeptReleases {
  private readonly lists = new PackedFileLists()
  private readonly kept = new Map<string, { list: PackedList; entrypoint?: ReleaseContent['entrypoint'] }>()

  set(id: string, content: ReleaseContent): void {
    this.kept.set(id, { list: this.lists.put(content.files), ...(content.entrypoint ? { entrypoint: content.entrypoint } : {}) })
  }

  /** The content as releaseContent() made it (a new list of new objects on each call). */
  get(id: string): ReleaseContent | undefined {
    const kept = this.kept.get(id)
    if (!kept) return undefined
    return { files: this.lists.get(kept.list), ...(kept.entrypoint ? { entrypoint: kept.entrypoint } : {}) }
  }

  clear(): void {
    this.kept.clear()
    this.lists.clear()
  }
}

const REUSE_CONCURRENCY = 64

export function releaseContent(
  type: RegistryPackage['type'],
  entrypoint: string | undefined,
  files: readonly PackageFile[]
): ReleaseContent {
  const listed = files
    // Keys in canonical order: the record's canonicalJson then copies nothing.
    .map((f) => ({
      mode: f.mode === '100755' ? '100755' : '100644',
      path: f.path,
      sha256: f.sha256 ?? fileSha256(f.bytes),
      size: f.bytes.length
    }))
    .sort((a, b) => comparePaths(a.path, b.path))
  const out: ReleaseContent = { files: listed }
  if (type === 'mcp-server') {
    const wanted = entrypoint ?? SERVER_FILE
    const file = files.find((f) => f.path === wanted)
    if (file) out.entrypoint = { path: wanted, bytes: file.bytes }
  }
  return out
}

export interface ReleaseInput {
  packages: readonly RegistryPackage[]
  /** Content of the packages read in this build, by id (their current version). */
  contents: Pick<KeptReleases, 'get'>
  /** The current version's skill artifact, by id, as the site stage placed it. */
  artifacts: ReadonlyMap<string, SkillArtifact>
  /** Writes the records (and rebuilt artifacts, entrypoints) as they are made (emit.ts). */
  emitter?: Emitter
}

interface Version {
  p: RegistryPackage
  version: string
  digest: string
  commit?: string
  current: boolean
}

export async function releaseFiles(ctx: BuildContext, reads: PackageReads, input: ReleaseInput): Promise<OutputFile[]> {
  const versions: Version[] = []
  for (const p of input.packages) {
    if (!p.digest) continue
    versions.push({ p, version: p.version, digest: p.digest, ...(p.commit ? { commit: p.commit } : {}), current: true })
    for (const v of p.versions ?? [])
      if (v.version !== p.version) versions.push({ p, version: v.version, digest: v.digest, commit: v.commit, current: false })
  }
  const out: OutputFile[][] = new Array(versions.length)
  await forEachConcurrently(
    versions.map((v, i) => ({ v, i })),
    REUSE_CONCURRENCY,
    async ({ v, i }) => {
      const files = await releaseOf(ctx, reads, input, v)
      const emitter = input.emitter
      out[i] = emitter ? await Promise.all(files.map((f) => emitter.emit(f))) : files
    }
  )
  return out.flat()
}

async function releaseOf(ctx: BuildContext, reads: PackageReads, input: ReleaseInput, v: Version): Promise<OutputFile[]> {
  const id = idOf(v.p)
  const dir = releaseDir(v.p.publisher, v.p.name, v.version)
  const currentArtifact = v.current ? input.artifacts.get(id) : undefined
  if (v.current && v.p.type === 'skill' && !currentArtifact) return [] // not indexed: nothing to install from the site
  const fresh = v.current ? input.contents.get(id) : undefined
  if (!fresh) {
    const kept = await reuse(ctx, v, dir, currentArtifact)
    if (kept) return kept
  }
  const content: (ReleaseContent & { rebuilt?: PackageFile[] }) | undefined = fresh ?? (await readAt(ctx, reads, v))
  if (!content) return []
  const files: OutputFile[] = []
  let artifactField: ReleaseRecord['artifact']
  let entrypointField: ReleaseRecord['entrypoint']
  if (v.p.type === 'skill') {
    let artifact: SkillArtifact | undefined = currentArtifact
    if (!artifact) {
      const built = content.rebuilt ? await buildSkillArtifact({ ...v.p, version: v.version }, content.rebuilt) : undefined
      if (!built || 'problem' in built) return []
      artifact = built
      files.push({ area: 'site', path: built.sitePath, ...(built.bytes ? { bytes: built.bytes } : {}) })
    }
    artifactField = { digest: artifact.digest, type: artifact.type, url: artifact.sitePath.slice(dir.length + 1) }
  } else if (content.entrypoint) {
    const url = `files/${content.entrypoint.path}`
    entrypointField = { path: content.entrypoint.path, url }
    files.push({ area: 'site', path: `${dir}/${url}`, bytes: content.entrypoint.bytes })
  }
  // Keys in canonical order, as canonicalJson writes them without a sorted copy.
  const record: ReleaseRecord = {
    ...(artifactField ? { artifact: artifactField } : {}),
    digest: v.digest,
    ...(entrypointField ? { entrypoint: entrypointField } : {}),
    files: content.files,
    package: id,
    version: v.version
  }
  files.push({ area: 'site', path: `${dir}/${RELEASE_FILE}`, bytes: canonicalBytes(record) })
  return files
}

/** The last build's record for this version, kept when it and its artifact or entrypoint check out. */
async function reuse(
  ctx: BuildContext,
  v: Version,
  dir: string,
  currentArtifact: SkillArtifact | undefined
): Promise<OutputFile[] | undefined> {
  const path = `${dir}/${RELEASE_FILE}`
  const record = parseJsonBytes(await ctx.outputs.read('site', path)) as ReleaseRecord | undefined
  if (!record || record.digest !== v.digest || record.version !== v.version || !Array.isArray(record.files)) return undefined
  if (digestOfLines(record.files) !== v.digest) return undefined
  const files: OutputFile[] = [{ area: 'site', path }]
  if (v.p.type === 'skill') {
    if (!record.artifact) return undefined
    if (currentArtifact) {
      // The site stage placed the current artifact; the record must name the same one.
      if (record.artifact.digest !== currentArtifact.digest || `${dir}/${record.artifact.url}` !== currentArtifact.sitePath)
        return undefined
      return files
    }
    const artifactPath = artifactSitePath(v.p.publisher, v.p.name, v.version, record.artifact.type)
    if (`${dir}/${record.artifact.url}` !== artifactPath) return undefined
    const bytes = await ctx.outputs.read('site', artifactPath)
    if (!bytes || sha256Digest(bytes) !== record.artifact.digest) return undefined
    files.push({ area: 'site', path: artifactPath })
  } else if (record.entrypoint) {
    const listed = record.files.find((f) => f.path === record.entrypoint?.path)
    const entryPath = `${dir}/${record.entrypoint.url}`
    if (!listed || record.entrypoint.url !== `files/${record.entrypoint.path}`) return undefined
    const bytes = await ctx.outputs.read('site', entryPath)
    if (!bytes || fileSha256(bytes) !== listed.sha256) return undefined
    files.push({ area: 'site', path: entryPath })
  }
  return files
}

/** A version's files read from the commit that published it, when they still have its digest. */
async function readAt(
  ctx: BuildContext,
  reads: PackageReads,
  v: Version
): Promise<(ReleaseContent & { rebuilt?: PackageFile[] }) | undefined> {
  const ref = packageRef(v.p.publisher, v.p.name)
  const snapshot = v.commit ? await ctx.pool.existing(v.commit) : undefined
  const read = snapshot && (await reads.read(snapshot, ref))
  if (!read?.ok || read.pkg.digest !== v.digest) return undefined
  return { ...releaseContent(v.p.type, v.p.entrypoint, read.pkg.files), rebuilt: read.pkg.files }
}
