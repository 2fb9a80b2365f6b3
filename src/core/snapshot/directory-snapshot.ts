// A directory on disk as a snapshot, for publishers checking their work before they push. Only
// lstat and readdir look at it: a symlink is reported, never followed, wherever it appears in a
// path, and a file is opened with O_NOFOLLOW and checked again through the open descriptor.
//
// The calls are synchronous behind the async interface: the files are small and local (the page
// cache answers in microseconds), and each fs/promises call costs a thread-pool round trip, a
// promise and a FileHandle (10,000 packages spent 53 % of a run idle between those round trips and
// more CPU on them than on the checks). A run reads one file at a time either way.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Dirent, type Stats } from 'node:fs'
import { resolve } from 'node:path'
import { comparePaths, FileTooLargeError, normalizePath, type Snapshot, type TreeEntry } from './types.js'

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

  constructor(root: string) {
    this.root = resolve(root)
    this.description = `directory ${this.root}`
  }

  async list(dir: string): Promise<TreeEntry[]> {
    return this.listNow(normalizePath(dir))
  }

  async walk(dir: string): Promise<TreeEntry[]> {
    const found: TreeEntry[] = []
    const pending = [normalizePath(dir)]
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const entry of this.listNow(next)) {
        if (entry.kind === 'directory') pending.push(entry.path)
        else found.push(entry)
      }
    }
    return found.sort(byPath)
  }

  private listNow(path: string): TreeEntry[] {
    if (!this.isDirectory(path)) return []
    const dirents = absentAs([] as Dirent<Buffer>[], () => readdirSync(this.absolute(path), { encoding: 'buffer', withFileTypes: true }))
    const prefix = Buffer.from(`${this.absolute(path)}/`)
    const entries: TreeEntry[] = []
    for (const dirent of dirents) {
      const name = dirent.name
      if (path === '' && name.equals(GIT_DIR)) continue
      const child = path === '' ? name.toString('utf8') : `${path}/${name.toString('utf8')}`
      // A folder needs nothing lstat would add, and the directory entry's type says it is one (not
      // a link to one). Anything else, or a file system that does not give the type, is lstat'ed:
      // by the raw name, so a name that is not UTF-8 is still examined rather than lost.
      if (dirent.isDirectory()) {
        // Walking into it need not ask again (a name that is not UTF-8 is left to be asked by its
        // decoded path, which finds nothing, as before).
        if (!child.includes('\uFFFD')) this.realDirs.add(child)
        entries.push(directoryEntry(child))
        continue
      }
      const stats = lstatAt(Buffer.concat([prefix, name]))
      if (stats) entries.push(toEntry(child, stats))
    }
    return entries.sort(byPath)
  }

  async stat(path: string): Promise<TreeEntry | undefined> {
    const normalized = normalizePath(path)
    if (normalized === '') return { path: '', kind: 'directory', mode: '040000', size: 0 }
    if (isGitDir(normalized) || !this.isDirectory(parentOf(normalized))) return undefined
    const stats = lstatAt(this.absolute(normalized))
    return stats && toEntry(normalized, stats)
  }

  async read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    if (entry.kind !== 'file') throw new Error(`${entry.path} is a ${entry.kind}, not a regular file, and is never read`)
    const path = normalizePath(entry.path)
    if (entry.size > maxBytes) throw new FileTooLargeError(path, entry.size, maxBytes)
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
      const stats = fstatSync(fd)
      if (!stats.isFile()) throw new Error(`${path} is not a regular file`)
      if (stats.size > maxBytes) throw new FileTooLargeError(path, stats.size, maxBytes)
      const bytes = Buffer.allocUnsafe(stats.size)
      let filled = 0
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

  async close(): Promise<void> {}

  private absolute(path: string): string {
    return path === '' ? this.root : `${this.root}/${path}`
  }

  /** True when every component of `path` is a real directory, not a link to one. */
  private isDirectory(path: string): boolean {
    if (isGitDir(path)) return false
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

const GIT_DIR = Buffer.from('.git')

function isGitDir(path: string): boolean {
  return path === '.git' || path.startsWith('.git/')
}

function toEntry(path: string, stats: Stats): TreeEntry {
  if (stats.isFile()) return { path, kind: 'file', mode: stats.mode & 0o111 ? '100755' : '100644', size: stats.size, links: stats.nlink }
  if (stats.isSymbolicLink()) return { path, kind: 'symlink', mode: '120000', size: stats.size }
  if (stats.isDirectory()) return directoryEntry(path)
  return { path, kind: 'other', mode: (stats.mode & S_IFMT).toString(8).padStart(6, '0'), size: 0 }
}

/** What `read` returns, or `value` when the path is absent. */
function directoryEntry(path: string): TreeEntry {
  return { path, kind: 'directory', mode: '040000', size: 0 }
}

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

function byPath(a: TreeEntry, b: TreeEntry): number {
  return comparePaths(a.path, b.path)
}
