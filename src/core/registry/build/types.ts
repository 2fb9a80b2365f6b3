// The registry build's contract with its adapters (the action, the command line, the file
// writer): what it is asked to build, what it reads back from the last build, and what it returns.
// The stages exchange their own types; these are the ones that cross the core's boundary.
import type { Finding } from '../../findings/findings.js'
import type { Registry } from './registry-json.js'
import type { Area } from './site-layout.js'
import type { BuildStateDraft } from './state.js'
import type { ArchiveGzip } from './archive-gzip.js'

/** What the last build wrote, as the build reads it back (the adapter reads the file system). */
export interface OutputReader {
  /** A file's bytes, or undefined when there is no regular file at the path. */
  read(area: Area, path: string): Promise<Uint8Array | undefined>
  /**
   * What the file is on disk without reading it, or undefined when there is no regular file (the
   * build record, state.ts). Optional: a reader without it has every recorded file read and hashed
   * instead.
   */
  stamp?(area: Area, path: string): Promise<FileStamp | undefined>
  /**
   * Writes a finished file now (emit.ts), when the adapter can: the build then returns it without
   * bytes, as a file already in place, and holds no output until the end. The adapter may finish
   * the write later (on another thread) as long as its own reads see it and applying the result
   * waits for it; a write that fails rejects this call or a later one.
   */
  write?(file: OutputFile & { bytes: Uint8Array }): Promise<void>
  /**
   * Hands over an aggregate in pieces (emit.ts, `settle`), taking each piece as it comes (an
   * aggregate's pieces are made as they are taken, aggregate.ts: the writer must not hold them):
   * a site file is written now; a root file is put aside and put in place by the writer after the
   * site, as every root file is (a build that dies half-way leaves the last registry.json). Either
   * is compared with the file in place while it is written, and left alone when the bytes are the
   * same. The build then returns it with its digest (`recorded`) and holds none of its bytes.
   * `blob`: also returns the git blob id of the bytes in that object format (the published-versions
   * head names registry.json by it). Optional, with `write`.
   */
  put?(area: Area, path: string, pieces: Iterable<Uint8Array>, blob?: 'sha1' | 'sha256'): Promise<string | undefined>
  /** Removes what `put` set aside, when the build fails before its files are put in place. */
  discard?(): Promise<void>
  /**
   * Bytes [start, end) of a file (into `into` when given, which must be large enough), or undefined
   * when there is no regular file at the path or it ends before `end`. Optional: without it the
   * build reads the whole file and cuts the range (spliced.ts).
   */
  readRange?(area: Area, path: string, start: number, end: number, into?: Uint8Array): Promise<Uint8Array | undefined>
  /**
   * A file's size and SHA-256, read in small pieces: registry.json is about 93 MB at 100,000
   * packages, and on a machine where fresh memory costs more than hashing, holding it whole to hash
   * it was most of a one-package rebuild. Optional: without it the file is read whole and hashed.
   */
  digest?(area: Area, path: string): Promise<{ size: number; sha256: string } | undefined>
  /**
   * Sets a spliced file aside (its new parts and ranges of the file in place at the same path),
   * reading, hashing and writing it in one pass; the writer puts it in place with the other files
   * set aside. Returns its size and SHA-256 (and, with `blob`, its git blob id), or undefined when
   * the file in place ends before a range. Required: a one-package rebuild splices its aggregates
   * (delta.ts), and the one pass that hashes a spliced file is the one that writes it.
   */
  putSpliced(
    area: Area,
    path: string,
    parts: readonly SplicePart[],
    options?: SpliceOptions
  ): Promise<{ size: number; sha256: string; blobId?: string } | undefined>
}

export interface SpliceOptions {
  /** Also give the file's git blob id (registry.json's, which the published-versions head names). */
  blob?: 'sha1' | 'sha256'
  /**
   * The caller stands aside no more once this file is written (the splice's last file), so the
   * writer may patch a site file where it lies instead of setting a copy aside: only the new bytes
   * are written when the ranges stay where they are, and the file is still read and hashed whole.
   * The record is gone before the first write, so a build that dies half-way leaves none and the
   * next build, a full one, never reads the patched file. A root file is always set aside (a full
   * build reads the last registry.json for its history).
   */
  patch?: boolean
}

/** A file as the file system describes it, for the build record (state.ts). */
export interface FileStamp {
  /** Size, inode, modification and change times: moves whenever the file is written or replaced. */
  whole: string
  /**
   * Size and modification time: what a copy that keeps times keeps (tar as actions/cache restores
   * a site folder, `cp -p`, `rsync -t`), where the inode and the change time are new.
   */
  kept: string
  /** The modification time in nanoseconds: a file no older than the record may have been edited in its clock tick. */
  mtimeNs: bigint
}

/** A piece of a spliced file: new bytes, or the range [start, end) of the file it replaces. */
export type SplicePart = Uint8Array | { start: number; end: number }

export interface BuildOptions {
  /** The marketplace repository (a git clone with the history since the last build). */
  repo: string
  /** The commit to build (default HEAD). */
  head?: string
  /** Config file relative to the root; given explicitly, it must exist. */
  configFile?: string
  /** Read every package, whatever the last build recorded. */
  full?: boolean
  /** Publish even when more packages would be removed than the config allows. */
  force?: boolean
  toolVersion: string
  outputs: OutputReader
  /** false: leave the catalog out (benchmarks measure what it adds); the site's catalog/ is then deleted. */
  catalog?: boolean
  /**
   * Where the new skill archives are gzipped: the adapter's second thread (io/gzip-thread.ts), so
   * the build goes on with other packages meanwhile. The same bytes either way; on the calling
   * thread when absent.
   */
  gzip?: ArchiveGzip
}

export interface OutputFile {
  area: Area
  path: string
  /** The bytes to write; absent when the existing file was verified and stays as it is. */
  bytes?: Uint8Array
  /**
   * Instead of bytes: the file in place stays as it is (an aggregate a one-package rebuild did not
   * change, delta.ts), with the size and SHA-256 the ledger vouches for. Nothing is written.
   */
  inPlace?: { size: number; sha256: string }
  /**
   * Instead of bytes: the file was handed to the writer whole (OutputReader.put) or spliced
   * (OutputReader.putSpliced), and these are the size and SHA-256 of what it was given (the build
   * record and the ledger name them).
   */
  recorded?: { size: number; sha256: string }
}

export interface ChangeLine {
  id: string
  version?: string
  previousVersion?: string
}

/** unchanged: the build record shows the last build's output is this commit's (nothing read or written). */
export type BuildMode = 'full' | 'incremental' | 'unchanged'

export interface BuildResult {
  head: string
  mode: BuildMode
  /** Why the build was full (empty for an incremental build). */
  reason: string
  /** The document written; absent when the build was unchanged (registry.json was not even read). */
  registry?: Registry
  /** Packages in the registry. */
  packageCount: number
  added: ChangeLine[]
  updated: ChangeLine[]
  removed: ChangeLine[]
  /**
   * Packages read in this build whose files on the built commit are not published: their last good
   * version stays. (An incremental build reads only what changed, so an older withheld package is
   * reported by the build that first saw it, and by every full build.)
   */
  withheld: string[]
  findings: Finding[]
  /** Every file the build stands behind; anything else under the managed site folders is stale. */
  files: OutputFile[]
  /**
   * Set by a one-package rebuild (delta.ts): `files` then lists only the files it made, every other
   * file in place stays as it is (no stale-file walk), and these are the ones to delete.
   */
  removedFiles?: OutputFile[]
  /** Set when the removal guard stopped the build: nothing may be written. */
  refused?: { removed: number; previous: number; share: number }
  /** Packages read from git (all of them in a full build; the changed ones otherwise). */
  packagesRead: number
  /** The build record to write after the files (state.ts); absent when nothing may be or needs to be written. */
  state?: BuildStateDraft
}
