// The Agent Skills discovery index (v0.2.0) and its artifacts. A skill whose only file besides
// the marketplace's own (manifest.yaml, review.json) is SKILL.md is served as that SKILL.md
// (`skill-md`); any other skill as a reproducible .tar.gz with SKILL.md at its root (`archive`).
// Each index entry's digest is the SHA-256 of the artifact's exact bytes, which clients verify.
//
// A root skill file spelled differently (`skill.md`, which the review only warns about) is
// stored as SKILL.md in the artifact: the discovery format requires that name, and the content is
// unchanged. A skill without one, without `name` and `description` frontmatter (clients drop
// such a skill silently), or with a path no portable archive can hold, is not indexed.
import { createHash } from 'node:crypto'
import { parseYaml } from '../../parse/located.js'
import { decodeText } from '../../parse/text.js'
import { comparePaths } from '../../snapshot/types.js'
import { archivePathProblem, buildArchive, buildArchiveWith, type ArchiveFile } from './archive.js'
import type { ArchiveGzip } from './archive-gzip.js'
import { DISCOVERY_SCHEMA, artifactRelativeUrl, artifactSitePath, type ArtifactType } from './site-layout.js'
import { parseJsonBytes } from '../json.js'
import { MANIFEST_FILE, REVIEW_RECORD_FILE, SKILL_FILE } from '../../marketplace/paths.js'

/** A package file, its path relative to the package folder. */
export interface PackageFile {
  path: string
  mode: string
  bytes: Uint8Array
  /** The content's SHA-256 (hex), when the reader has it already (model.ts): not hashed again. */
  sha256?: string
}

export interface SkillArtifact {
  type: ArtifactType
  /** Path in the site folder. */
  sitePath: string
  /** `sha256:<hex>` of the bytes. */
  digest: string
  /** The bytes when built in this run; absent when an existing, verified file is kept. */
  bytes?: Uint8Array
}

export interface IndexEntry {
  name: string
  type: ArtifactType
  description: string
  url: string
  digest: string
}

export interface SkillIdentity {
  publisher: string
  name: string
  version: string
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** The files an artifact holds: the package's, without the marketplace's own files. */
export function artifactFiles(files: readonly PackageFile[]): PackageFile[] {
  return files.filter((f) => f.path !== MANIFEST_FILE && f.path !== REVIEW_RECORD_FILE)
}

/** `gzip`: where an archive is gzipped (another thread); here when absent. */
export async function buildSkillArtifact(
  skill: SkillIdentity,
  packageFiles: readonly PackageFile[],
  gzip?: ArchiveGzip
): Promise<SkillArtifact | { problem: string }> {
  const files = artifactFiles(packageFiles).sort((a, b) => comparePaths(a.path, b.path))
  const skillFile = files.find((f) => f.path === SKILL_FILE) ?? files.find((f) => f.path.toLowerCase() === 'skill.md')
  if (!skillFile) return { problem: 'it has no SKILL.md at its root' }
  const front = frontmatterProblem(skillFile.bytes)
  if (front) return { problem: front }
  if (files.length === 1) {
    const type = 'skill-md'
    return {
      type,
      sitePath: artifactSitePath(skill.publisher, skill.name, skill.version, type),
      digest: sha256Digest(skillFile.bytes),
      bytes: skillFile.bytes
    }
  }
  const members: ArchiveFile[] = files.map((f) => ({ path: f === skillFile ? SKILL_FILE : f.path, mode: f.mode, bytes: f.bytes }))
  for (const m of members) {
    const problem = archivePathProblem(m.path)
    if (problem) return { problem: `${m.path} cannot be stored in a portable archive: ${problem}` }
  }
  const type = 'archive'
  const sitePath = artifactSitePath(skill.publisher, skill.name, skill.version, type)
  if (!gzip) {
    const bytes = await buildArchive(members)
    return { type, sitePath, digest: sha256Digest(bytes), bytes }
  }
  try {
    const made = await buildArchiveWith(gzip, members)
    return { type, sitePath, digest: `sha256:${made.sha256}`, bytes: made.bytes }
  } catch (error) {
    // A thread's failure names no package: say which archive it was making.
    throw new Error(`cannot make ${sitePath}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/**
 * What `npx skills` and other clients need from the frontmatter: a `---` block first, with
 * `name` and `description` strings. The full Agent Skills rules are the review's business.
 */
function frontmatterProblem(bytes: Uint8Array): string | undefined {
  const decoded = decodeText(bytes)
  if (!decoded.ok) return `its SKILL.md cannot be read as text (${decoded.reason})`
  const lines = decoded.text.split('\n')
  const fence = /^---[ \t]*\r?$/
  const close = fence.test(lines[0] ?? '') ? lines.findIndex((l, i) => i > 0 && fence.test(l)) : -1
  if (close < 0) return 'its SKILL.md has no frontmatter block between `---` lines'
  const parsed = parseYaml(lines.slice(1, close).join('\n'), { maxAliases: 0 })
  const value = parsed.doc?.value as { name?: unknown; description?: unknown } | null | undefined
  if (typeof value?.name !== 'string' || typeof value.description !== 'string' || value.description.trim() === '') {
    return 'its SKILL.md frontmatter lacks a `name` or `description` string'
  }
  return undefined
}

/** An index entry for an artifact, with its URL relative to the index that lists it. */
export function indexEntry(name: string, description: string, artifact: Pick<SkillArtifact, 'type' | 'digest'>, url: string): IndexEntry {
  // Keys in canonical order: the index's canonicalJson then copies no entry.
  return { description, digest: artifact.digest, name, type: artifact.type, url }
}

export function publisherIndexUrl(skill: SkillIdentity, type: ArtifactType): string {
  return artifactRelativeUrl(skill.name, skill.version, type)
}

export function indexDocument(entries: readonly IndexEntry[]): { $schema: string; skills: IndexEntry[] } {
  return { $schema: DISCOVERY_SCHEMA, skills: [...entries].sort((a, b) => comparePaths(a.name, b.name)) }
}

/** The entries of an index this build wrote before, by name; undefined when it is not one. */
export function readIndex(bytes: Uint8Array | undefined): Map<string, IndexEntry> | undefined {
  const doc = parseJsonBytes(bytes)
  const d = doc as { $schema?: unknown; skills?: unknown }
  if (d?.$schema !== DISCOVERY_SCHEMA || !Array.isArray(d.skills)) return undefined
  const out = new Map<string, IndexEntry>()
  for (const e of d.skills as Partial<IndexEntry>[]) {
    if (typeof e?.name !== 'string' || typeof e.url !== 'string' || typeof e.digest !== 'string' || typeof e.description !== 'string')
      continue
    if (e.type !== 'skill-md' && e.type !== 'archive') continue
    out.set(e.name, { name: e.name, type: e.type, description: e.description, url: e.url, digest: e.digest })
  }
  return out
}
