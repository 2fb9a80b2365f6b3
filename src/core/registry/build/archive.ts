// Byte-reproducible skill archives: the same files give the same .tar.gz on any machine, day,
// time zone or umask, so a client's digest check sees an update only when the content changed.
//
// tar (ustar, the bytes tar-stream's pack() writes): entries sorted by path, files only (no directory entries), mtime
// 0, uid/gid 0, empty user and group names, mode 0644 or 0755 from the git mode. Every path must
// fit a plain ustar header (name <= 100 bytes, or a prefix <= 155 bytes split at a slash, ASCII):
// clients such as `npx skills` read only those fields, and tar-stream would otherwise fall back to
// a PAX header they skip, installing the file under a wrong name.
// gzip: archive-gzip.ts (fflate level 9), here or on the adapter's second thread.
import { comparePaths } from '../../snapshot/types.js'
import { gzipArchive, type ArchiveGzip, type GzippedArchive } from './archive-gzip.js'

export interface ArchiveFile {
  /** Path inside the archive, `/`-separated; SKILL.md at the root. */
  path: string
  /** git mode: 100755 is executable, anything else 100644. */
  mode: string
  bytes: Uint8Array
}

/**
 * Why a path cannot go into a portable archive, or undefined when it can. Checked before any
 * archive is built so that a bad path is reported, never silently renamed.
 */
export function archivePathProblem(path: string): string | undefined {
  // Printable ASCII only: a PAX header would be needed for anything else.
  if (!/^[\x20-\x7e]+$/.test(path)) return 'it is not printable ASCII'
  if (path.includes('\\')) return 'it contains a backslash'
  const parts = path.split('/')
  if (path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) return 'it is not a plain relative path'
  if (!fitsUstar(path)) return 'it is longer than a tar header holds (100 bytes, or 255 split at a slash)'
  return undefined
}

/** tar-stream's own ustar rule: move leading folders into the prefix while the name is too long. */
function fitsUstar(path: string): boolean {
  let name = path
  let prefix = ''
  while (name.length > 100) {
    const i = name.indexOf('/')
    if (i === -1) return false
    prefix += prefix ? `/${name.slice(0, i)}` : name.slice(0, i)
    name = name.slice(i + 1)
  }
  return prefix.length <= 155
}

/** The .tar.gz bytes of the files; throws on a path archivePathProblem rejects. */
export async function buildArchive(files: readonly ArchiveFile[]): Promise<Uint8Array> {
  return gzipArchive(tarBytes(checked(files)))
}

/**
 * The same bytes as buildArchive, and their SHA-256, gzipped by `gzip` (on another thread): the tar
 * is written into a buffer of its own, handed over whole, so the caller can go on meanwhile.
 */
export async function buildArchiveWith(gzip: ArchiveGzip, files: readonly ArchiveFile[]): Promise<GzippedArchive> {
  return gzip.gzip(tarBytes(checked(files), true))
}

/** The files in archive order; throws on a path archivePathProblem rejects or a path given twice. */
function checked(files: readonly ArchiveFile[]): ArchiveFile[] {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path))
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i] as ArchiveFile
    const problem = archivePathProblem(f.path)
    if (problem) throw new Error(`cannot archive ${JSON.stringify(f.path)}: ${problem}`)
    if (i > 0 && sorted[i - 1]?.path === f.path) throw new Error(`cannot archive ${f.path} twice`)
  }
  return sorted
}

/**
 * The tar bytes, written straight into one buffer: the same bytes tar-stream's pack() gives for
 * these entries (ustar headers as its headers.encode writes them, data padded to 512 bytes, 1,024
 * zero bytes at the end; test/archive.test.ts compares the two), without a stream, a chunk per
 * entry and a concatenation per archive. A small archive is written into a buffer kept between
 * archives (gzip has read it before the next one starts), so thousands of archives touch the same
 * memory rather than fresh pages; `own`: a buffer of its own (Buffer.alloc never takes a shared
 * pool's), as one handed to another thread must be.
 */
function tarBytes(files: readonly ArchiveFile[], own = false): Uint8Array {
  let total = END_BLOCKS
  for (const f of files) total += BLOCK + padded(f.bytes.length)
  const out = total <= SCRATCH_MAX && !own ? scratchOf(total) : Buffer.alloc(total)
  let at = 0
  for (const f of files) {
    writeHeader(out, at, f)
    at += BLOCK
    out.set(f.bytes, at)
    at += padded(f.bytes.length)
  }
  return out
}

const BLOCK = 512
const END_BLOCKS = 2 * BLOCK
/** Archives up to this size reuse one buffer; a larger one gets its own (and is let go). */
const SCRATCH_MAX = 1 << 20
let scratch: Buffer | undefined

/** `size` zeroed bytes of the reused buffer. */
function scratchOf(size: number): Buffer {
  if (!scratch || scratch.length < size) scratch = Buffer.alloc(Math.max(size, 64 * 1024))
  else scratch.fill(0, 0, size)
  return scratch.subarray(0, size)
}

const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK

/** tar-stream's encodeOct: `n` octal digits, zero-padded, then a space. */
function octal(value: number, n: number): string {
  const digits = value.toString(8)
  return digits.length > n ? `${'7'.repeat(n)} ` : `${'0'.repeat(n - digits.length)}${digits} `
}

/** A ustar header for a regular file at `at` (the block is zero), as tar-stream's headers.encode writes it. */
function writeHeader(out: Buffer, at: number, f: ArchiveFile): void {
  // archivePathProblem has checked the path fits: printable ASCII, split at a slash when longer than 100.
  let name = f.path
  let prefix = ''
  while (name.length > 100) {
    const i = name.indexOf('/')
    prefix += prefix ? `/${name.slice(0, i)}` : name.slice(0, i)
    name = name.slice(i + 1)
  }
  out.write(name, at, 'latin1')
  out.write(octal(f.mode === '100755' ? 0o755 : 0o644, 6), at + 100, 'latin1')
  out.write(octal(0, 6), at + 108, 'latin1') // uid
  out.write(octal(0, 6), at + 116, 'latin1') // gid
  out.write(octal(f.bytes.length, 11), at + 124, 'latin1')
  out.write(octal(0, 11), at + 136, 'latin1') // mtime: the epoch
  out[at + 156] = 0x30 // '0': a regular file
  out.write('ustar\u000000', at + 257, 'latin1') // magic and version; uname and gname stay empty
  out.write(octal(0, 6), at + 329, 'latin1') // devmajor
  out.write(octal(0, 6), at + 337, 'latin1') // devminor
  if (prefix) out.write(prefix, at + 345, 'latin1')
  // The checksum counts its own field as eight spaces.
  let sum = 8 * 32
  for (let i = at; i < at + 148; i++) sum += out[i] as number
  for (let i = at + 156; i < at + BLOCK; i++) sum += out[i] as number
  out.write(octal(sum, 6), at + 148, 'latin1')
}
