// A commit as a snapshot, read from git objects only: nothing is checked out, so nothing a
// publisher wrote is ever a path on disk, and a symlink stays a tree entry with mode 120000.
// Each call asks git about one directory or path, so cost follows what is looked at; a folder
// listed once (by walk, or by prefetch for many folders in one git command) answers every later
// walk, list and stat inside it from memory, so checks that read the same package share one listing.
import { CatFile } from './cat-file.js'
import { isObjectId, resolveCommit, runGit } from './git.js'
import { MANIFEST_FILE, packageRefOf } from '../marketplace/paths.js'
import { comparePaths, FileTooLargeError, normalizePath, type EntryKind, type Snapshot, type TreeEntry } from '../snapshot/types.js'

const KINDS: Record<string, EntryKind> = {
  '100644': 'file',
  '100755': 'file',
  '100664': 'file', // written by very old git, still valid in history
  '120000': 'symlink',
  '160000': 'submodule',
  '040000': 'directory'
}

/** Keeps each ls-tree command line far below the system's argument limit. */
const PATHSPECS_PER_CALL = 500
/** Read ahead: files up to this size, this much per folder, this much held at once. */
const AHEAD_FILE_BYTES = 256 * 1024
const AHEAD_FOLDER_BYTES = 2 * 1024 * 1024
const AHEAD_HELD_BYTES = 32 * 1024 * 1024
/** Read ahead across the listed packages: at most this much per request. */
const AHEAD_ROUND_BYTES = 4 * 1024 * 1024

export class GitSnapshot implements Snapshot {
  readonly kind = 'git'
  readonly description: string
  private readonly blobs: CatFile
  /** Folder -> every entry at and below it (folders included), sorted by path; see prefetch. */
  private readonly listed = new Map<string, TreeEntry[]>()
  /** The folders on the way to a listed folder (`-t` prints them): publishers/<login> of a listed package. */
  private readonly onTheWay = new Map<string, TreeEntry>()
  /** Folders whose listing has been asked of git and not answered yet. */
  private readonly listing = new Map<string, Promise<void>>()
  /** Folders whose files were asked for together, and those files' contents by object id. */
  private readonly aheadFolders = new Set<string>()
  private readonly ahead = new Map<string, { size: number; bytes: Promise<Buffer> }>()
  private aheadBytes = 0

  /**
   * `readOnce`: a file read ahead is let go when it is asked for (the registry build reads each
   * package's files once; the review's checks read a file more than once, so they keep it).
   */
  constructor(
    readonly repoDir: string,
    readonly commit: string,
    private readonly options: { readOnce?: boolean } = {}
  ) {
    if (!isObjectId(commit))
      throw new Error(`${JSON.stringify(commit)} is not a full commit id; resolve refs with resolveCommit() or GitSnapshot.open()`)
    this.description = `commit ${commit.slice(0, 12)}`
    this.blobs = new CatFile(repoDir)
  }

  static async open(repoDir: string, ref: string): Promise<GitSnapshot> {
    return new GitSnapshot(repoDir, await resolveCommit(repoDir, ref))
  }

  /**
   * Lists each folder recursively, all in as few git commands as the command-line limit allows,
   * and keeps the listings: walk, list and stat at or below these folders then ask git nothing.
   */
  async prefetch(dirs: readonly string[]): Promise<void> {
    const wanted = [...new Set(dirs.map(normalizePath))].filter((d) => d !== '' && this.coverOf(d) === undefined)
    // Checks run side by side and may ask for the same folder at once: one listing answers all.
    const waits = new Set<Promise<void>>()
    const fresh: string[] = []
    for (const dir of wanted) {
      const pending = this.pendingCoverOf(dir)
      if (pending) waits.add(pending)
      else fresh.push(dir)
    }
    if (fresh.length) {
      const listing = this.listRecursively(fresh).finally(() => {
        for (const dir of fresh) if (this.listing.get(dir) === listing) this.listing.delete(dir)
      })
      for (const dir of fresh) this.listing.set(dir, listing)
      waits.add(listing)
    }
    await Promise.all(waits)
  }

  /** The listing under way of the folder or of a folder above it. */
  private pendingCoverOf(path: string): Promise<void> | undefined {
    for (let p = path; p !== ''; p = parentOf(p)) {
      const pending = this.listing.get(p)
      if (pending) return pending
    }
    return undefined
  }

  /** Lists the folders recursively, at most PATHSPECS_PER_CALL per git command, one command after another. */
  private async listRecursively(wanted: readonly string[]): Promise<void> {
    for (let i = 0; i < wanted.length; i += PATHSPECS_PER_CALL) {
      const batch = wanted.slice(i, i + PATHSPECS_PER_CALL)
      // No trailing slash: a blob at the path is listed too, so stat of the folder itself is exact.
      // `-t` lists the folders on the way, the requested folders included.
      const entries = (await this.lsTree(['-r', '-t'], batch)).sort(byPath)
      for (const dir of batch) this.listed.set(dir, below(entries, dir, true))
      const ancestors = new Set(batch.flatMap(ancestorsOf))
      for (const e of entries) if (e.kind === 'directory' && ancestors.has(e.path)) this.onTheWay.set(e.path, e)
    }
  }

  /** Every folder at any depth below `dir` (one git command). */
  async directories(dir: string): Promise<TreeEntry[]> {
    const path = normalizePath(dir)
    const entries = await this.lsTree(['-r', '-d'], path === '' ? [] : [`${path}/`])
    return entries.filter((e) => e.kind === 'directory' && e.path.startsWith(`${path}/`)).sort(byPath)
  }

  async list(dir: string): Promise<TreeEntry[]> {
    const path = normalizePath(dir)
    const cached = this.cached(path)
    if (cached) return cached.filter((e) => e.path !== path && parentOf(e.path) === path)
    // `dir/` lists the tree's children; through a blob, symlink or gitlink it lists nothing.
    const entries = await this.lsTree([], path === '' ? [] : [`${path}/`])
    return entries.filter((e) => parentOf(e.path) === path).sort(byPath)
  }

  async walk(dir: string): Promise<TreeEntry[]> {
    const path = normalizePath(dir)
    if (path !== '') {
      // Checks walk the same package one after the other: the first walk lists it for all of them.
      await this.prefetch([path])
      return (this.cached(path) ?? []).filter((e) => e.path !== path && e.kind !== 'directory')
    }
    const entries = await this.lsTree(['-r'], path === '' ? [] : [`${path}/`])
    return entries.sort(byPath)
  }

  /**
   * What walk gives, from one git command, without keeping the listing for later calls: for a
   * caller that keeps what it needs of it itself (the registry build's listing of every package,
   * let go package by package as each is published; kept here, all of it would live to the end).
   */
  async walkOnce(dir: string): Promise<TreeEntry[]> {
    const path = normalizePath(dir)
    const cached = path === '' ? undefined : this.cached(path)
    if (cached) return cached.filter((e) => e.path !== path && e.kind !== 'directory')
    return (await this.lsTree(['-r'], path === '' ? [] : [`${path}/`])).sort(byPath)
  }

  async stat(path: string): Promise<TreeEntry | undefined> {
    const normalized = normalizePath(path)
    if (normalized === '') {
      const tree = await runGit(this.repoDir, ['rev-parse', '--verify', '--end-of-options', `${this.commit}^{tree}`])
      return { path: '', kind: 'directory', mode: '040000', size: 0, oid: tree.toString('utf8').trim() }
    }
    const cached = this.cached(normalized)
    if (cached) return cached.find((e) => e.path === normalized)
    const passed = this.onTheWay.get(normalized)
    if (passed) return passed
    // git never descends into a blob or gitlink, so a path through a symlink or file matches nothing.
    const entries = await this.lsTree([], [normalized])
    return entries.find((e) => e.path === normalized)
  }

  async read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    if (entry.kind !== 'file') throw new Error(`${entry.path} is a ${entry.kind}, not a regular file, and is never read`)
    if (entry.oid === undefined) throw new Error(`${entry.path} has no object id; read entries listed by this snapshot`)
    if (entry.size > maxBytes) throw new FileTooLargeError(entry.path, entry.size, maxBytes)
    const request = { oid: entry.oid, path: entry.path, size: entry.size }
    this.readAhead(entry.path)
    const early = this.ahead.get(entry.oid)
    // Anything odd about a file read ahead (a missing object) is reported by reading it as asked.
    if (early && early.size === entry.size) {
      if (this.options.readOnce) {
        this.ahead.delete(entry.oid)
        this.aheadBytes -= early.size
      }
      return early.bytes.catch(() => this.blobs.read(request, maxBytes))
    }
    return this.blobs.read(request, maxBytes)
  }

  /**
   * Asks git for the small files beside `path` all at once, in one round trip: checks read a
   * package's files one after another, and each read waiting for git before the next is asked
   * leaves both processes idle. Only folders already listed, and only inside a package: the
   * published-versions index (.registry/) is one folder of 256 shards of which a review reads one
   * or two, and reading its neighbours ahead cost a 10,000-package review 2 MB of reads and most of
   * its garbage collection. A bounded amount is held, oldest dropped first (a dropped file is
   * simply read again).
   */
  private readAhead(path: string): void {
    if (packageRefOf(path) === undefined) return
    const folder = parentOf(path)
    if (this.aheadFolders.has(folder)) return
    const cached = this.cached(folder === '' ? path : folder)
    if (!cached) return
    let round = AHEAD_ROUND_BYTES - this.aheadOf(folder, cached)
    // The other listed packages' files in the same request: the checks go through every changed
    // package, and one request for all of them wakes git once instead of once per package (a
    // pull request adding 300 packages spent a second of its profile in these writes).
    for (const [dir, entries] of this.listed) {
      if (round <= 0) break
      if (this.aheadFolders.has(dir) || packageRefOf(`${dir}/${MANIFEST_FILE}`)?.dir !== dir) continue
      round -= this.aheadOf(dir, entries)
    }
    for (const [oid, held] of this.ahead) {
      if (this.aheadBytes <= AHEAD_HELD_BYTES) break
      this.ahead.delete(oid)
      this.aheadBytes -= held.size
    }
  }

  /** Asks for the small files directly in `folder` (from its listing); returns the bytes asked for. */
  private aheadOf(folder: string, listing: readonly TreeEntry[]): number {
    this.aheadFolders.add(folder)
    let budget = AHEAD_FOLDER_BYTES
    for (const e of listing) {
      if (e.kind !== 'file' || parentOf(e.path) !== folder || e.oid === undefined || this.ahead.has(e.oid)) continue
      if (e.size > AHEAD_FILE_BYTES || e.size > budget) continue
      budget -= e.size
      const bytes = this.blobs.read({ oid: e.oid, path: e.path, size: e.size }, e.size)
      bytes.catch(() => {}) // read again, as asked, if ever needed
      this.ahead.set(e.oid, { size: e.size, bytes })
      this.aheadBytes += e.size
    }
    return AHEAD_FOLDER_BYTES - budget
  }

  /**
   * Whether `path` is a folder at `commit` (this one or any other of the clone), asked of the
   * process that reads this snapshot's files (CatFile.isTree; it refuses a path it cannot ask).
   */
  isTreeAt(commit: string, path: string): Promise<boolean> {
    return this.blobs.isTree(commit, path)
  }

  /** This commit's object (headers, a blank line, the message), read by the process that reads its files. */
  readCommit(): Promise<Buffer> {
    return this.blobs.readCommit(this.commit)
  }

  close(): Promise<void> {
    return this.blobs.close()
  }

  /** The folder's cover: the nearest listed folder at or above the path. */
  private coverOf(path: string): string | undefined {
    for (let p = path; p !== ''; p = parentOf(p)) if (this.listed.has(p)) return p
    return undefined
  }

  /** The path and everything below it, when a listing covers it. */
  private cached(path: string): TreeEntry[] | undefined {
    if (path === '') return undefined
    const cover = this.coverOf(path)
    if (cover === undefined) return undefined
    const entries = this.listed.get(cover) ?? []
    return cover === path ? entries : below(entries, path, true)
  }

  private async lsTree(options: string[], paths: string[]): Promise<TreeEntry[]> {
    // Literal pathspecs: a name like `:(glob)*` is a file name, not pathspec magic. No
    // --end-of-options: ls-tree would then take `--` as a path; the commit is a checked object id.
    const args = ['--literal-pathspecs', 'ls-tree', '-z', '-l', '--full-tree', ...options, this.commit, '--', ...paths]
    return parseLsTree(await runGit(this.repoDir, args))
  }
}

/** The modes git writes, each as one shared string rather than one per entry listed. */
const MODES = new Map(Object.keys(KINDS).map((m) => [m, m]))

/**
 * Parses `ls-tree -z [-l]`: `<mode> SP <type> SP <oid> [SP+ <size or ->] TAB <path> NUL`. Each
 * field is decoded from the bytes on its own: slices of one decoded text would keep the whole
 * listing's text alive as long as any entry lives (a full build keeps every package's entries,
 * 37 MB of text at 100,000 packages, to its end).
 */
export function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  for (let start = 0; start < out.length;) {
    let end = out.indexOf(0, start)
    if (end < 0) end = out.length
    if (end > start) entries.push(lsTreeRecord(out, start, end))
    start = end + 1
  }
  return entries
}

function lsTreeRecord(out: Buffer, start: number, end: number): TreeEntry {
  let tab = out.indexOf(9, start)
  if (tab < 0 || tab > end) tab = end
  const fields: string[] = []
  for (let at = start; at < tab;) {
    let space = out.indexOf(32, at)
    if (space < 0 || space > tab) space = tab
    if (space > at) fields.push(out.toString('latin1', at, space))
    at = space + 1
  }
  const [read = '', , oid = '', size = '-'] = fields
  const mode = MODES.get(read) ?? read
  const kind = KINDS[mode] ?? 'other'
  return {
    path: out.toString('utf8', tab + 1, end),
    kind,
    mode,
    size: size === '-' || kind === 'submodule' || kind === 'directory' ? 0 : Number(size),
    oid
  }
}

/**
 * The entries at `dir` (when `self`) and below it, from entries sorted by path: paths that
 * start with `dir/` sort next to each other, so a binary search finds them.
 */
function below(sorted: readonly TreeEntry[], dir: string, self: boolean): TreeEntry[] {
  const prefix = `${dir}/`
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (comparePaths((sorted[mid] as TreeEntry).path, dir) < 0) lo = mid + 1
    else hi = mid
  }
  const out: TreeEntry[] = []
  for (let i = lo; i < sorted.length; i++) {
    const e = sorted[i] as TreeEntry
    if (e.path === dir) {
      if (self) out.push(e)
      continue
    }
    if (e.path.startsWith(prefix)) out.push(e)
    else if (comparePaths(e.path, prefix) > 0) break
  }
  return out
}

/** `a/b/c` -> `a`, `a/b`. */
function ancestorsOf(path: string): string[] {
  const out: string[] = []
  for (let p = parentOf(path); p !== ''; p = parentOf(p)) out.push(p)
  return out
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

function byPath(a: TreeEntry, b: TreeEntry): number {
  return comparePaths(a.path, b.path)
}
