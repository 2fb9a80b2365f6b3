// A directory on disk as a snapshot, for publishers checking their work before they push. Only
// lstat and readdir look at it: a symlink is reported, never followed, wherever it appears in a
// path, and a file is opened with O_NOFOLLOW and checked again through the open descriptor.
//
// The calls are synchronous behind the async interface: the files are small and local (the page
// cache answers in microseconds), and each fs/promises call costs a thread-pool round trip, a
// promise and a FileHandle (10,000 packages spent 53 % of a run idle between those round trips and
// more CPU on them than on the checks). A run reads one file at a time either way.
//
// System calls are most of what is left, so each one must earn its place (validate of 10,000
// packages made 16 per package): a read is open, one bounded read and close, with fstat only when
// that read does not settle it (empty, full, or failed). `walk` and `list` lstat each listed file
// for its mode, size and links (the scan reads them); `walkKinds` answers from the listing's types
// alone (d_type: a folder, a link and a file told apart without a call), for a caller that needs
// no more than the kind of what it does not read (validate: 13.3 calls per package down to 11).
// The synchronous `readNow`/`statNow`/`walkKinds` let a caller that reads a work tree skip a
// promise per call; the async methods are the same calls.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Dirent, type Stats } from 'node:fs'
import { resolve } from 'node:path'
import { comparePaths, FileTooLargeError, normalizePath, type ListedEntry, type Snapshot, type TreeEntry } from './types.js'

const S_IFMT = 0o170000

export class DirectorySnapshot implements Snapshot {
  readonly kind = 'directory'
  readonly description: string
  readonly root: string
  /**
   * Folders already found to be real directories (not links) in this run. Every list, stat and
   * read checks each folder above its path; without this, validating 10,000 packages took 150,000
   * lstat calls, most of them asking again about publishers/ and publishers/<login>/. A folder
   * swapped for a link after it was checked is the same gap as one swapped between the check and
   * the open (see read): acceptable for one's own directory.
   */
  private readonly realDirs = new Set<string>()

  /**
   * `directories`: folders (relative paths) the caller has already found to be real directories in
   * this run, such as the packages a worker thread is given by the thread that listed them; with
   * every folder above them, they are not asked about again.
   */
  constructor(root: string, directories: readonly string[] = []) {
    this.root = resolve(root)
    this.description = `directory ${this.root}`
    for (const dir of directories) {
      const path = normalizePath(dir)
      // A name that is not UTF-8 is left to be asked by its decoded path, as listNow leaves it.
      if (path === '' || isGitDir(path) || path.includes('\uFFFD')) continue
      for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) this.realDirs.add(path.slice(0, i))
      this.realDirs.add(path)
    }
  }

  async list(dir: string): Promise<TreeEntry[]> {
    return this.listNow(normalizePath(dir), true) as TreeEntry[] // with stats: every entry is whole
  }

  async walk(dir: string): Promise<TreeEntry[]> {
    return this.walkNow(dir, true)
  }

  /**
   * `walk` without a call per file: every entry below `dir` but folders, with its path and kind from
   * the listing's types (a symlink is a symlink: never followed, never stat'ed), sorted by path.
   * Only `read` and `readNow` look further, through the descriptor they open.
   */
  walkKinds(dir: string): ListedEntry[] {
    return this.walkNow(dir, false)
  }

  private walkNow(dir: string, stats: true): TreeEntry[]
  private walkNow(dir: string, stats: false): ListedEntry[]
  private walkNow(dir: string, stats: boolean): ListedEntry[] | TreeEntry[] {
    const found: ListedEntry[] = []
    const pending = [normalizePath(dir)]
    let listings = 0
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      listings++
      for (const entry of this.listNow(next, stats)) {
        if (entry.kind === 'directory') pending.push(entry.path)
        else found.push(entry)
      }
    }
    // One listing is sorted already (most package folders have no subfolder).
    return listings === 1 ? found : sortByPath(found)
  }

  private listNow(path: string, stats: boolean): ListedEntry[] {
    if (!this.isDirectory(path)) return []
    const absolute = this.absolute(path)
    // Names as strings first; a folder with a name that is not UTF-8 is listed again by raw bytes,
    // so that name is still examined rather than lost.
    const named = absentAs([] as Dirent[], () => readdirSync(absolute, { withFileTypes: true }))
    const dirents = named.some((d) => d.name.includes('\uFFFD'))
      ? absentAs([] as Dirent<Buffer>[], () => readdirSync(absolute, { encoding: 'buffer', withFileTypes: true }))
      : named
    const entries: ListedEntry[] = []
    for (const dirent of dirents) {
      const raw = dirent.name
      const name = typeof raw === 'string' ? raw : raw.toString('utf8')
      if (path === '' && name === '.git') continue
      const child = path === '' ? name : `${path}/${name}`
      // A folder needs nothing lstat would add, and the directory entry's type says it is one (not
      // a link to one). Anything else, or a file system that does not give the type, is lstat'ed:
      // by the raw name, so a name that is not UTF-8 is still examined rather than lost.
      if (dirent.isDirectory()) {
        // Walking into it need not ask again (a name that is not UTF-8 is left to be asked by its
        // decoded path, which finds nothing, as before).
        if (!child.includes('\uFFFD')) this.realDirs.add(child)
        entries.push(directoryEntry(child))
      } else if (!stats) {
        // Node lstats an entry whose type the file system did not give, so the type is always known.
        entries.push(kindEntry(child, dirent))
      } else {
        const stats = lstatAt(typeof raw === 'string' ? `${absolute}/${raw}` : Buffer.concat([Buffer.from(`${absolute}/`), raw]))
        if (stats) entries.push(toEntry(child, stats))
      }
    }
    return sortByPath(entries)
  }

  async stat(path: string): Promise<TreeEntry | undefined> {
    return this.statNow(path)
  }

  statNow(path: string): TreeEntry | undefined {
    const normalized = normalizePath(path)
    if (normalized === '') return { path: '', kind: 'directory', mode: '040000', size: 0 }
    if (isGitDir(normalized) || !this.isDirectory(parentOf(normalized))) return undefined
    const stats = lstatAt(this.absolute(normalized))
    return stats && toEntry(normalized, stats)
  }

  async read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    return this.readNow(entry, maxBytes, false)
  }

  /**
   * `read`, synchronously. With `borrow`, a file that fits in one read comes back as a view of the
   * snapshot's scratch buffer, valid only until its next read: for a caller that decodes it at once.
   */
  readNow(entry: ListedEntry, maxBytes: number, borrow: boolean): Uint8Array {
    if (entry.kind !== 'file') throw new Error(`${entry.path} is a ${entry.kind}, not a regular file, and is never read`)
    const path = normalizePath(entry.path)
    // O_NOFOLLOW guards the last component only; the parents are checked here. Node has no openat,
    // so a parent swapped for a link in between is not caught: acceptable for one's own directory.
    if (path === '' || isGitDir(path) || !this.isDirectory(parentOf(path)))
      throw new Error(`${path} is not a regular file in ${this.description}`)
    // O_NONBLOCK: a FIFO put where a file was must fail, not wait for a writer.
    let fd: number
    try {
      fd = openSync(this.absolute(path), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    } catch (e) {
      throw new Error(`${path} cannot be opened as a regular file: ${(e as Error).message}`, { cause: e })
    }
    try {
      // One read into a buffer one byte longer than the limit allows settles most files: a short,
      // non-empty read from a regular file is the whole file. Only a read that comes back empty
      // (an empty file, or a FIFO or device swapped in), fills the buffer (too large, or large) or
      // fails asks fstat what the descriptor is.
      const scratch = this.scratchFor(maxBytes)
      let first: number
      try {
        first = readSync(fd, scratch, 0, scratch.length, 0)
      } catch (e) {
        regularFile(path, fd, maxBytes)
        throw e
      }
      if (first > 0 && first < scratch.length) return borrow ? scratch.subarray(0, first) : Buffer.from(scratch.subarray(0, first))
      const size = regularFile(path, fd, maxBytes)
      const bytes = Buffer.allocUnsafe(Math.max(size, first))
      scratch.copy(bytes, 0, 0, first)
      let filled = first
      while (filled < bytes.length) {
        const bytesRead = readSync(fd, bytes, filled, bytes.length - filled, filled)
        if (bytesRead === 0) break // shrank while being read
        filled += bytesRead
      }
      return bytes.subarray(0, filled)
    } finally {
      closeSync(fd)
    }
  }

  /** One buffer for every read (reads are synchronous): the limit plus one byte, at most 64 KiB. */
  private scratch = Buffer.allocUnsafe(0)
  private scratchFor(maxBytes: number): Buffer {
    const length = Math.min(maxBytes + 1, SCRATCH_BYTES)
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(SCRATCH_BYTES)
    return this.scratch.subarray(0, length)
  }

  async close(): Promise<void> {}

  private absolute(path: string): string {
    return path === '' ? this.root : `${this.root}/${path}`
  }

  /** True when every component of `path` is a real directory, not a link to one. */
  private isDirectory(path: string): boolean {
    if (isGitDir(path)) return false
    // A folder is only ever recorded after every folder above it was.
    if (path === '' || this.realDirs.has(path)) return true
    let prefix = ''
    for (const part of path === '' ? [] : path.split('/')) {
      prefix = prefix === '' ? part : `${prefix}/${part}`
      if (this.realDirs.has(prefix)) continue
      const stats = lstatAt(this.absolute(prefix))
      if (!stats?.isDirectory()) return false
      this.realDirs.add(prefix)
    }
    return true
  }
}

const SCRATCH_BYTES = 64 * 1024

/** The size of the open file, after checking it is a regular file within the limit. */
function regularFile(path: string, fd: number, maxBytes: number): number {
  const stats = fstatSync(fd)
  if (!stats.isFile()) throw new Error(`${path} is not a regular file`)
  if (stats.size > maxBytes) throw new FileTooLargeError(path, stats.size, maxBytes)
  return stats.size
}

function isGitDir(path: string): boolean {
  return path === '.git' || path.startsWith('.git/')
}

function toEntry(path: string, stats: Stats): TreeEntry {
  if (stats.isFile()) return { path, kind: 'file', mode: stats.mode & 0o111 ? '100755' : '100644', size: stats.size, links: stats.nlink }
  if (stats.isSymbolicLink()) return { path, kind: 'symlink', mode: '120000', size: stats.size }
  if (stats.isDirectory()) return directoryEntry(path)
  return { path, kind: 'other', mode: (stats.mode & S_IFMT).toString(8).padStart(6, '0'), size: 0 }
}

/** An entry from its directory entry's type alone (see walkKinds). */
function kindEntry(path: string, dirent: Dirent | Dirent<Buffer>): ListedEntry {
  return { path, kind: dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'symlink' : 'other' }
}

function directoryEntry(path: string): TreeEntry {
  return { path, kind: 'directory', mode: '040000', size: 0 }
}

/** What `read` returns, or `value` when the path is absent. */
function absentAs<T>(value: T, read: () => T): T {
  try {
    return read()
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    // Gone, or a path component is not a directory: absent, like a path git has no entry for.
    if (code === 'ENOENT' || code === 'ENOTDIR') return value
    throw e
  }
}

function lstatAt(path: string | Buffer): Stats | undefined {
  return absentAs(undefined, () => lstatSync(path, { throwIfNoEntry: false }))
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

function byPath(a: ListedEntry, b: ListedEntry): number {
  return comparePaths(a.path, b.path)
}

/**
 * Sorted by path, in place. A folder of a few entries is sorted by insertion: Array.prototype.sort
 * allocates a work array per call, 15 MB over a validate of 10,000 package folders.
 */
function sortByPath<T extends ListedEntry>(entries: T[]): T[] {
  if (entries.length > 16) return entries.sort(byPath)
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i] as T
    let j = i - 1
    for (; j >= 0 && comparePaths((entries[j] as T).path, entry.path) > 0; j--) entries[j + 1] = entries[j] as T
    entries[j + 1] = entry
  }
  return entries
}
