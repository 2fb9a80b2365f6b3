// The content digest of a package: what makes a published version immutable and pinnable. The
// registry records it per version; the version-bump check compares against it; clients can
// recompute it from the files.
//
// Definition (stable; changing it changes every recorded digest):
//   for every regular file of the package except a root-level review.json (written by the
//   marketplace after merge, not by the publisher), sorted by path (UTF-16 code units):
//     "<mode> <sha256 of the content, hex> <path relative to the package directory>\n"
//   digest = "sha256:" + hex(sha256(all those lines, UTF-8))
// Mode is git's (100644 or 100755) so an executable bit is part of the content. Symlinks and
// submodules are never part of a publishable package (the safety scan rejects them) and are
// left out here.
import { createHash } from 'node:crypto'
import type { Snapshot, TreeEntry } from '../snapshot/types.js'
import { comparePaths } from '../snapshot/types.js'
import { REVIEW_RECORD_FILE, type PackageRef } from './paths.js'

/** Written beside a package by the marketplace after merge; not part of what the publisher released. */

export function digestedFiles(ref: PackageRef, files: readonly TreeEntry[]): TreeEntry[] {
  const record = `${ref.dir}/${REVIEW_RECORD_FILE}`
  return files
    .filter((f) => f.kind === 'file' && f.path.startsWith(`${ref.dir}/`) && f.path !== record)
    .sort((a, b) => comparePaths(a.path, b.path))
}

/** Computes the digest; `maxBytes` caps each file read (a package over the limits fails review anyway). */
export async function packageDigest(snapshot: Snapshot, ref: PackageRef, files: readonly TreeEntry[], maxBytes: number): Promise<string> {
  const listed: DigestLine[] = []
  for (const f of digestedFiles(ref, files)) {
    listed.push({ mode: f.mode, sha256: fileSha256(await snapshot.read(f, maxBytes)), path: f.path.slice(ref.dir.length + 1) })
  }
  return digestOfLines(listed)
}

/** One file of the digest: its mode, the SHA-256 of its content (hex), its path relative to the package. */
export interface DigestLine {
  mode: string
  sha256: string
  path: string
}

/**
 * The digest of files already hashed, in digestedFiles' order: the registry build keeps each file's
 * SHA-256 for its release record, so a file is hashed once, not once here and again there.
 */
export function digestOfLines(lines: Iterable<DigestLine>): string {
  const listing = createHash('sha256')
  for (const f of lines) listing.update(`${f.mode} ${f.sha256} ${f.path}\n`, 'utf8')
  return `sha256:${listing.digest('hex')}`
}

/** A file's content SHA-256, hex, as the digest's lines name it. */
export function fileSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
