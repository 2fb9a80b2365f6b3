// The registry build's two output folders on disk: the marketplace root (registry.json,
// .claude-plugin/marketplace.json) and the site folder (the Agent Skills index and artifacts).
// - Reads give the last build's files back to the build; a path that exists but is not a regular
//   file (a symlink put in place of registry.json) is an error, never followed and never mistaken
//   for "no previous build".
// - Writes are atomic, skipped when the bytes are already there, and never go through a symlink.
// - Stale files are deleted only under the site folders the build owns (layout.ts), so a landing
//   page or anything else kept in the site folder survives.
import { createHash } from 'node:crypto'
import {
  closeSync,
  constants,
  copyFileSync,
  ftruncateSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { lstat, readFile, readdir, rmdir, unlink } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BuildResult, OutputFile, OutputReader } from '../core/registry/build/build.js'
import { ConfigError } from '../core/errors.js'
import { isManagedSitePath, type Area } from '../core/registry/build/site-layout.js'
import { forEachConcurrently } from '../core/concurrently.js'
import { writeFileAtomic } from './write-atomic.js'
import { PIECE, partsSize } from '../core/registry/build/spliced.js'
import type { FileStamp, SpliceOptions, SplicePart } from '../core/registry/build/types.js'
import { BUILD_STATE_FILE, serializeBuildState, type BuildStateDraft } from '../core/registry/build/state.js'
import { BUILD_LEDGER_FILE } from '../core/registry/build/ledger.js'
import { CATALOG_DIR } from '../core/registry/build/catalog/layout.js'
import { CLAUDE_PLUGIN_DIR, PUBLISHERS_DIR, WELL_KNOWN_DIR } from '../core/marketplace/paths.js'
import { PUBLISHED_INDEX_DIR } from '../core/registry/published-index.js'
import { BASE, FolderStates, isFolder, type FolderState } from './folder-states.js'
import { WriteThread } from './write-thread.js'

export interface RegistryOutputsOptions {
  /**
   * 2: new files in folders this build makes are written on a second thread (write-thread.ts); 1:
   * every write on the calling thread. Default: 2 where there are two cores or more.
   */
  threads?: number
  /** Files written on the calling thread before the second thread starts (default THREAD_AFTER): a small build never starts it. */
  threadAfter?: number
}

/**
 * Below this many new files a build writes them itself: a thread costs its start (some 30 ms of the
 * other core) and a copy of each file. At 500, a first build's first 500 files (a folder or two
 * and an open, write and close each) cost the main thread 0.2-0.4 s of its critical path; 100 keep a
 * build of a few packages on one thread (docs/benchmarks.md, full-build throughput, ninth round).
 */
export const THREAD_AFTER = 100

export interface AppliedOutputs {
  /** Files written, as `registry.json`, `.claude-plugin/marketplace.json` or `<site>/<path>` relative to the root when possible. */
  written: string[]
  deleted: string[]
}

export class RegistryOutputs implements OutputReader {
  readonly root: string
  readonly site: string
  /** What each folder looked at is (dirState), by area; a folder this build made ('made') holds only files it wrote. */
  private readonly folders: Record<Area, FolderStates> = { root: new FolderStates(), site: new FolderStates() }
  /**
   * Files written by this build so far, by area: the paths the build handed over (shown as apply()
   * reports them only at the end: at 100,000 packages a shown copy of each of 330,000 paths was
   * tens of MB held through the whole build).
   */
  private readonly written: Record<Area, string[]> = { root: [], site: [] }

  /** The second thread's state: not yet started (the files before it), started, or never (threads: 1). */
  private thread: WriteThread | undefined
  private threadAfter: number

  constructor(root: string, site: string, options: RegistryOutputsOptions = {}) {
    const threads = options.threads ?? (availableParallelism() > 1 ? 2 : 1)
    this.threadAfter = threads > 1 ? (options.threadAfter ?? THREAD_AFTER) : Infinity
    this.root = path.resolve(root)
    this.site = path.resolve(site)
    const rel = path.relative(this.root, this.site)
    const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
    if (rel === '' || this.root.startsWith(`${this.site}${path.sep}`)) {
      throw new ConfigError(
        `the site folder ${this.site} must not be the marketplace root or contain it; use a folder of its own, such as ${path.join(this.root, 'site')}`
      )
    }
    const top = rel.split(path.sep)[0]
    if (inside && (top === PUBLISHERS_DIR || top === '.git' || top === CLAUDE_PLUGIN_DIR || top === PUBLISHED_INDEX_DIR)) {
      throw new ConfigError(`the site folder ${this.site} must not be inside ${top}/ of the marketplace`)
    }
  }

  private base(area: Area): string {
    return area === 'root' ? this.root : this.site
  }

  async read(area: Area, rel: string): Promise<Uint8Array | undefined> {
    await this.settled()
    const file = path.join(this.base(area), rel)
    if (this.dirState(area, path.dirname(rel)) !== 'dir') return undefined
    const stats = await lstat(file).catch(absent)
    if (!stats) return undefined
    if (!stats.isFile()) throw notRegular(file, stats.isSymbolicLink())
    return readFile(file)
  }

  async readRange(area: Area, rel: string, start: number, end: number, into?: Uint8Array): Promise<Uint8Array | undefined> {
    await this.settled()
    const fd = this.openRegular(area, rel)
    if (fd === undefined) return undefined
    try {
      const out = into && into.byteLength >= end - start ? into.subarray(0, end - start) : Buffer.allocUnsafe(end - start)
      return readFully(fd, out, start) ? out : undefined
    } finally {
      closeSync(fd)
    }
  }

  /** Size and SHA-256 through one small buffer: a 93 MB registry.json is never held whole. */
  async digest(area: Area, rel: string): Promise<{ size: number; sha256: string } | undefined> {
    await this.settled()
    const fd = this.openRegular(area, rel)
    if (fd === undefined) return undefined
    try {
      const hash = createHash('sha256')
      const buffer = Buffer.allocUnsafe(PIECE)
      let size = 0
      for (let n: number; (n = readSync(fd, buffer, 0, buffer.length, size)) > 0; size += n) hash.update(buffer.subarray(0, n))
      return { size, sha256: hash.digest('hex') }
    } finally {
      closeSync(fd)
    }
  }

  /** A regular file opened for reading without following a link, or undefined when there is none. */
  private openRegular(area: Area, rel: string): number | undefined {
    if (this.dirState(area, path.dirname(rel)) !== 'dir') return undefined
    return openRegularFile(path.join(this.base(area), rel))
  }

  /**
   * A spliced file (delta.ts) set aside beside its place in one pass: each range of the file in
   * place read through one small buffer, hashed and written, the new parts between them; put in
   * place by apply() with the other files set aside. Its hashes come from the same pass: before,
   * the build hashed the parts in one pass and the writer made the file in two more (a kernel copy
   * of the whole file, then every range that moved read and written again), three passes over
   * registry.json's 100 MB at 100,000 packages where one does.
   */
  async putSpliced(
    area: Area,
    rel: string,
    parts: readonly SplicePart[],
    options: SpliceOptions = {}
  ): Promise<{ size: number; sha256: string; blobId?: string } | undefined> {
    await this.beforeFirstWrite()
    await this.settled()
    const blob = options.blob
    if (options.patch && area === 'site' && !blob) {
      const patched = this.patchSpliced(rel, parts)
      if (patched !== 'set aside') return patched
    }
    const source = this.openRegular(area, rel)
    if (source === undefined) return undefined
    const key = `${area}:${rel}`
    const tmp = tmpPathOf(path.join(this.base(area), rel))
    const size = partsSize(parts)
    const sha256 = createHash('sha256')
    const git = blob ? createHash(blob).update(`blob ${size}\0`) : undefined
    let out: number | undefined
    let whole = false
    try {
      // Known before the first byte is written: discard() removes it if the build goes no further.
      this.staged.set(key, tmp)
      out = openSync(tmp, 'wx')
      const buffer = Buffer.allocUnsafe(Math.min(PIECE, Math.max(1, size)))
      let at = 0
      const take = (bytes: Uint8Array): void => {
        sha256.update(bytes)
        git?.update(bytes)
        writeFully(out as number, bytes, at)
        at += bytes.byteLength
      }
      for (const part of parts) {
        if (part instanceof Uint8Array) {
          take(part)
          continue
        }
        for (let from = part.start; from < part.end; from += buffer.length) {
          const piece = buffer.subarray(0, Math.min(buffer.length, part.end - from))
          if (!readFully(source, piece, from)) return undefined
          take(piece)
        }
      }
      whole = true
    } finally {
      if (out !== undefined) closeSync(out)
      closeSync(source)
      if (!whole) {
        rmSync(tmp, { force: true })
        this.staged.delete(key)
      }
    }
    return { size, sha256: sha256.digest('hex'), ...(git ? { blobId: git.digest('hex') } : {}) }
  }

  /**
   * A spliced site file patched where it lies (SpliceOptions.patch): the new parts written at their
   * places and the ranges that stay where they are only read and hashed, so a ledger whose header,
   * lengths and a few lines changed costs its reads and a few KB of writes, not 23 MB of fresh
   * pages and the old file's release. 'set aside' (nothing written) when patching would not do:
   * another name links to the file (a `cp -al` copy shares its inode and must keep the old bytes),
   * or ranges that move hold more than a piece (they are read before anything is written, as
   * bytes written before them may cover where they lie).
   */
  private patchSpliced(rel: string, parts: readonly SplicePart[]): { size: number; sha256: string } | undefined | 'set aside' {
    const file = path.join(this.site, rel)
    if (this.dirState('site', path.dirname(rel)) !== 'dir') return undefined
    let fd: number
    try {
      fd = openSync(file, constants.O_RDWR | NOFOLLOW)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
      return 'set aside' // a link or another kind of file: the usual route says which
    }
    try {
      const stats = fstatSync(fd)
      if (!stats.isFile() || stats.nlink !== 1) return 'set aside'
      const taken: (Uint8Array | { start: number; end: number })[] = []
      let at = 0
      let moved = 0
      for (const part of parts) {
        if (part instanceof Uint8Array) taken.push(part)
        else if (part.end > stats.size) return undefined
        else if (part.start === at) taken.push(part)
        else if ((moved += part.end - part.start) > PIECE) return 'set aside'
        else {
          const bytes = Buffer.allocUnsafe(part.end - part.start)
          if (!readFully(fd, bytes, part.start)) return undefined
          taken.push(bytes)
        }
        at += part instanceof Uint8Array ? part.byteLength : part.end - part.start
      }
      const size = at
      const sha256 = createHash('sha256')
      const buffer = Buffer.allocUnsafe(Math.min(PIECE, Math.max(1, size)))
      at = 0
      for (const part of taken) {
        if (part instanceof Uint8Array) {
          sha256.update(part)
          writeFully(fd, part, at)
          at += part.byteLength
          continue
        }
        for (; at < part.end; at += buffer.length) {
          const piece = buffer.subarray(0, Math.min(buffer.length, part.end - at))
          if (!readFully(fd, piece, at)) throw new Error(`internal error: ${file} shrank while it was patched`)
          sha256.update(piece)
        }
        at = part.end
      }
      if (stats.size !== size) ftruncateSync(fd, size)
      this.written.site.push(rel)
      return { size, sha256: sha256.digest('hex') }
    } finally {
      closeSync(fd)
    }
  }

  /** Size, inode and times of a regular file (FileStamp). */
  async stamp(area: Area, rel: string): Promise<FileStamp | undefined> {
    await this.settled()
    if (this.dirState(area, path.dirname(rel)) !== 'dir') return undefined
    const stats = await lstat(path.join(this.base(area), rel), { bigint: true }).catch(absent)
    if (!stats?.isFile()) return undefined
    return {
      whole: `${stats.size}:${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`,
      kept: `${stats.size}:${stats.mtimeNs}`,
      mtimeNs: stats.mtimeNs
    }
  }

  /**
   * Writes one file now, when its bytes are not already there (the build hands finished files over
   * as it makes them, emit.ts); apply() writes the rest and reports all of them. A new file may be
   * handed to the second thread (handOver) and land a little later: this class's own reads and
   * apply() wait for it, and its error comes back from a later call.
   */
  async write(f: OutputFile & { bytes: Uint8Array }): Promise<void> {
    await this.beforeFirstWrite()
    const handed = this.handOver(f.area, f.path, f.bytes)
    if (handed === false) this.writeNow(f.area, f.path, f.bytes)
    else await handed
  }

  /**
   * A new file in a folder this build made (or makes now) handed to the second thread, once this
   * build has written THREAD_AFTER such files itself; false when it is written here: a file in a
   * folder that was there before is compared with the one in place and replaced (never by the
   * thread), and a link on the way is the error writeNow() throws. The folders are recorded as
   * made now, and made by the thread before the file; until it has, every call here that reads or
   * writes on this thread waits for it (settled()).
   */
  private handOver(area: Area, rel: string, bytes: Uint8Array): Promise<void> | undefined | false {
    if (area !== 'site') return false
    if (this.threadAfter > 0) {
      this.threadAfter--
      return false
    }
    const dir = path.dirname(rel)
    const dirs: string[] = []
    if (!this.made(area, dir)) {
      if (this.dirState(area, dir) !== 'absent') return false
      this.makeDir(area, dir, dirs)
    }
    this.thread ??= new WriteThread()
    const waited = this.thread.add(dirs, path.join(this.site, rel), bytes)
    this.written[area].push(rel)
    return waited
  }

  /** Every file handed to the second thread written (its first error thrown): before this thread reads or writes itself. */
  private async settled(): Promise<void> {
    if (this.thread?.busy) await this.thread.drain()
  }

  /**
   * An aggregate handed over in pieces (emit.ts, settle), each taken as it comes and never held:
   * a site file is written now; a root file is written beside its place under a temporary name and
   * renamed into it by apply(), after the site, as every root file is (a build that dies half-way
   * leaves the old registry.json). Either is compared with the file in place while it is written,
   * and left alone when the bytes are already there. `blob`: the git blob id of the bytes, read
   * back from the file (it starts with the size, known only at the end).
   */
  async put(area: Area, rel: string, pieces: Iterable<Uint8Array>, blob?: 'sha1' | 'sha256'): Promise<string | undefined> {
    await this.beforeFirstWrite()
    // A site file made whole (a publisher's index, the ledger) may go to the thread; one made as it is
    // taken (an aggregate's pieces), or whose blob id is read back, is written here.
    if (!blob && Array.isArray(pieces)) {
      const handed = this.handOver(area, rel, pieces.length === 1 ? (pieces[0] as Uint8Array) : Buffer.concat(pieces))
      if (handed !== false) return void (await handed)
    }
    await this.settled()
    const file = area === 'site' ? this.writeNow(area, rel, pieces) : this.stage(area, rel, pieces)
    return blob ? blobIdOfFile(file, blob) : undefined
  }

  /** Root files set aside by put(), by area and path: the temporary file, or null when the bytes were already in place. */
  private readonly staged = new Map<string, string | null>()

  /** The root file set aside, or the file in place when it has the bytes already. */
  private stage(area: Area, rel: string, pieces: Iterable<Uint8Array>): string {
    const file = path.join(this.base(area), rel)
    const dir = path.dirname(rel)
    const state = this.made(area, dir) ? 'dir' : this.dirState(area, dir)
    if (state === 'link') throw new ConfigError(`a folder on the way to ${file} is a symlink; the build does not write through links`)
    if (state === 'absent') this.makeDir(area, dir)
    const key = `${area}:${rel}`
    // Known before the first piece is written: a failed put leaves nothing behind discard() misses.
    const tmp = tmpPathOf(file)
    this.staged.set(key, tmp)
    const written = writeUnlessSame(file, tmp, pieces, state === 'dir')
    this.staged.set(key, written ? tmp : null)
    return written ? tmp : file
  }

  async discard(): Promise<void> {
    await this.stopThread()
    for (const tmp of this.staged.values()) if (tmp) rmSync(tmp, { force: true })
    this.staged.clear()
  }

  /**
   * The write itself, with synchronous calls: a build writes tens of thousands of small files, and
   * a promise per open, write, close, lstat and mkdir cost the main thread more than the calls
   * (each one a round trip through libuv's pool, and an exception for every ENOENT).
   */
  private writeNow(area: Area, rel: string, bytes: Uint8Array | Iterable<Uint8Array>): string {
    const dir = path.dirname(rel)
    const file = path.join(this.base(area), rel)
    if (!this.made(area, dir)) {
      const state = this.dirState(area, dir)
      if (state === 'link') throw new ConfigError(`a folder on the way to ${file} is a symlink; the build does not write through links`)
      if (state === 'dir') {
        if (!this.replace(file, bytes)) return file
        this.written[area].push(rel)
        return file
      }
      this.makeDir(area, dir)
    }
    // A folder this build created has no file it did not write, and nothing reads it yet: the file
    // is created in place (O_EXCL: never through a link), without a temporary copy and a rename.
    // A build that dies half-way leaves the old registry.json and no build record, so the next one
    // checks every file it keeps (artifacts and records by digest, pages by their seal).
    try {
      writePieces(file, bytes)
    } catch (e) {
      // The same path handed over twice (nothing was taken from the pieces: the open failed).
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      this.replace(file, bytes)
    }
    this.written[area].push(rel)
    return file
  }

  /** Replaces `file` through a temporary copy beside it, unless it holds these bytes already; false then. */
  private replace(file: string, bytes: Uint8Array | Iterable<Uint8Array>): boolean {
    const tmp = tmpPathOf(file)
    if (!writeUnlessSame(file, tmp, bytes instanceof Uint8Array ? [bytes] : bytes, true)) return false
    renameSync(tmp, file)
    return true
  }

  /**
   * Writes what changed and deletes what the build no longer stands behind. The build record
   * (state.ts) goes before the first write, which may come during the build (write()), and comes
   * back last: a run that dies half-way leaves none, and the next build verifies everything again.
   */
  async apply(result: BuildResult): Promise<AppliedOutputs> {
    if (result.refused) throw new Error('a refused build must not be written')
    if (result.mode === 'unchanged') return { written: [], deleted: [] }
    if (!result.state) throw new Error('a build to write has a build record')
    await this.beforeFirstWrite()
    const writeIfChanged = async (f: OutputFile): Promise<void> => {
      if (f.bytes) await this.write({ ...f, bytes: f.bytes })
      else if (f.recorded) this.putInPlace(f.area, f.path)
      // f.inPlace: an aggregate the change did not touch, left as it is
    }
    try {
      return await this.applyWith(result, result.state, writeIfChanged)
    } finally {
      await this.discard()
    }
  }

  /** The second thread stopped once what it was handed is written (its error left to settled()). */
  private async stopThread(): Promise<void> {
    const thread = this.thread
    if (!thread) return
    await thread.drain().catch(() => undefined)
    this.thread = undefined
    this.threadAfter = Infinity
    await thread.close()
  }

  /** A root file put aside by put(), or a file by putSpliced(), renamed into its place (unless its bytes were there already). */
  private putInPlace(area: Area, rel: string): void {
    const key = `${area}:${rel}`
    const tmp = this.staged.get(key)
    if (tmp === undefined) {
      if (area === 'root') throw new Error(`internal error: ${rel} was never handed to the writer`)
      return // a site file, written when it was handed over
    }
    this.staged.delete(key)
    if (tmp === null) return
    renameSync(tmp, path.join(this.base(area), rel))
    this.written[area].push(rel)
  }

  private async applyWith(
    result: BuildResult,
    state: BuildStateDraft,
    writeIfChanged: (f: OutputFile) => Promise<void>
  ): Promise<AppliedOutputs> {
    // The site first and the root files last: a build that dies half-way leaves the old
    // registry.json, so the next run starts again from the same commit.
    const site = result.files.filter((f) => f.area === 'site')
    await forEachConcurrently(site, CONCURRENCY, writeIfChanged)
    // Every site file on disk before the first root file goes in place, the walk and the record.
    await this.settled()
    const root = result.files.filter((f) => f.area === 'root')
    for (const f of root) await writeIfChanged(f)
    // The ledger, like the record, is bookkeeping (ledger.ts), not an output: not listed as written.
    const written = [
      ...this.written.root.map((rel) => this.show('root', rel)),
      ...this.written.site.filter((rel) => rel !== BUILD_LEDGER_FILE).map((rel) => this.show('site', rel))
    ].sort()
    const deleted: string[] = []
    if (result.removedFiles) {
      // A one-package rebuild (delta.ts) lists only what it made, and what it removed: no walk.
      for (const f of result.removedFiles) {
        const gone = await this.read(f.area, f.path)
        if (!gone) continue
        await unlink(path.join(this.base(f.area), f.path))
        deleted.push(this.show(f.area, f.path))
      }
      await this.removeEmptyDirs(deleted)
      await this.writeState(state)
      return { written, deleted }
    }
    const keep = new Set(site.map((f) => f.path))
    // The published-versions index is the build's alone: a shard it no longer lists goes.
    const rootKeep = new Set(root.map((f) => f.path))
    if (this.dirState('root', PUBLISHED_INDEX_DIR) === 'dir') {
      const indexFiles: string[] = []
      await walk(this.root, PUBLISHED_INDEX_DIR, indexFiles, () => false)
      for (const rel of indexFiles.sort()) {
        if (rootKeep.has(rel)) continue
        await unlink(path.join(this.root, rel))
        deleted.push(rel)
      }
    }
    for (const rel of await this.managedSiteFiles()) {
      if (keep.has(rel)) continue
      await unlink(path.join(this.site, rel))
      deleted.push(this.show('site', rel))
    }
    await this.removeEmptyDirs(deleted)
    await this.writeState(state)
    return { written, deleted }
  }

  private stateRemoved: Promise<void> | undefined

  private beforeFirstWrite(): Promise<void> {
    return (this.stateRemoved ??= this.removeState())
  }

  private async removeState(): Promise<void> {
    if (this.dirState('site', '.') !== 'dir') return
    await unlink(path.join(this.site, BUILD_STATE_FILE)).catch(absent)
  }

  /**
   * The record, with each named file's stamp as the writes left it. Not listed as written: it is
   * bookkeeping. A stamp vouches for a file only when the file is older than the record's clock
   * tick (state.ts, "racily clean"), so the record is written again, a tick later, while it is not
   * younger than every file it names: at most a tick or two (4 ms here) on this path, and never
   * more than RECORD_TICK_WAIT_MS (a file system with whole-second times, a file dated in the
   * future); a file the wait did not clear is read and hashed by the next build, which is correct.
   */
  private async writeState(draft: BuildStateDraft): Promise<void> {
    const stamps = await Promise.all(draft.files.map((f) => this.stamp(f.area, f.path)))
    const newest = stamps.reduce((max, s) => (s !== undefined && s.mtimeNs > max ? s.mtimeNs : max), -1n)
    const bytes = serializeBuildState(draft, stamps)
    const file = path.join(this.site, BUILD_STATE_FILE)
    this.makeDir('site', '.')
    const until = performance.now() + RECORD_TICK_WAIT_MS
    for (;;) {
      await writeFileAtomic(file, bytes, { dirExists: true })
      const own = await this.stamp('site', BUILD_STATE_FILE)
      if (own === undefined || own.mtimeNs > newest || performance.now() >= until) return
      await sleep(1)
    }
  }

  /** How a written file is shown: relative to the root when it is below it, else absolute, with `/`. */
  private show(area: Area, rel: string): string {
    // A plain relative path (what the build hands over) needs no path arithmetic: the area's
    // prefix is worked out once (this ran for every one of tens of thousands of files).
    if (PLAIN_RELATIVE.test(rel)) return `${(this.shownPrefix[area] ??= this.shownPrefixOf(area))}${rel}`
    const abs = path.join(this.base(area), rel)
    const fromRoot = path.relative(this.root, abs)
    return (fromRoot.startsWith('..') || path.isAbsolute(fromRoot) ? abs : fromRoot).split(path.sep).join('/')
  }

  private readonly shownPrefix: Partial<Record<Area, string>> = {}

  private shownPrefixOf(area: Area): string {
    const base = this.base(area)
    const fromRoot = path.relative(this.root, base)
    const shown = fromRoot.startsWith('..') || path.isAbsolute(fromRoot) ? base : fromRoot
    return shown === '' ? '' : `${shown.split(path.sep).join('/')}/`
  }

  /** Every file (or link) under the managed site folders, relative to the site folder. */
  private async managedSiteFiles(): Promise<string[]> {
    const roots = [WELL_KNOWN_DIR, CATALOG_DIR]
    for (const login of await names(path.join(this.site, PUBLISHERS_DIR))) roots.push(`${PUBLISHERS_DIR}/${login}/${WELL_KNOWN_DIR}`)
    const out: string[] = []
    // A folder this run created holds only what it wrote: nothing there can be stale.
    const fresh = (rel: string) => this.made('site', rel)
    await forEachConcurrently(roots, CONCURRENCY, async (dir) => {
      if (this.dirState('site', dir) === 'dir' && !fresh(dir)) await walk(this.site, dir, out, fresh)
    })
    return out.filter(isManagedSitePath).sort()
  }

  private async removeEmptyDirs(deleted: string[]): Promise<void> {
    const dirs = new Set<string>()
    for (const shown of deleted) {
      const abs = path.isAbsolute(shown) ? shown : path.join(this.root, shown)
      for (let d = path.dirname(abs); d.startsWith(`${this.site}${path.sep}`); d = path.dirname(d)) dirs.add(d)
    }
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) await rmdir(d).catch(() => undefined)
  }

  /**
   * What is at `relDir` below the area's base: a real folder all the way down, nothing (some
   * folder on the way is absent), or a symlink or non-folder on the way. Each folder is looked at
   * once per build: a build reads and writes thousands of files in the same few folders, and a
   * file below an absent folder needs no look at all. Below a folder this build created there is
   * nothing it did not make, so nothing there is looked at.
   */
  private dirState(area: Area, relDir: string): DirState {
    const folders = this.folders[area]
    const parts = partsOf(relDir)
    let parent = BASE
    let fresh = false
    for (let i = -1; i < parts.length; i++) {
      const name = i < 0 ? '' : (parts[i] as string)
      let known = folders.get(parent, name)
      if (known === undefined) {
        if (fresh) return 'absent'
        // The base is the folder the user named: a link to it is theirs to make. Below it, none is followed.
        const current = path.join(this.base(area), ...parts.slice(0, i + 1))
        const stats = (i < 0 ? statSync : lstatSync)(current, { throwIfNoEntry: false })
        const state = !stats ? 'absent' : stats.isDirectory() ? 'dir' : 'link'
        known = { id: folders.set(parent, name, state), state }
      }
      if (known.state === 'absent' || known.state === 'link') return known.state
      fresh = known.state === 'made'
      parent = known.id
    }
    return 'dir'
  }

  /**
   * The last folder made() answered for, per area, and the folder records' count of changes then:
   * writes come in runs to one folder (a publisher's catalog pages, a record beside its artifact),
   * and the answer holds until a folder is recorded again.
   */
  private readonly lastMade: Partial<Record<Area, { relDir: string; changes: number; made: boolean }>> = {}

  /** Was the folder at `relDir` made by this build (so nothing in it was there before)? */
  private made(area: Area, relDir: string): boolean {
    const folders = this.folders[area]
    const last = this.lastMade[area]
    if (last && last.relDir === relDir && last.changes === folders.changes) return last.made
    let known = folders.get(BASE, '')
    for (const name of partsOf(relDir)) {
      if (!known || !isFolder(known.state)) {
        known = undefined
        break
      }
      known = folders.get(known.id, name)
    }
    const made = known?.state === 'made'
    this.lastMade[area] = { relDir, changes: folders.changes, made }
    return made
  }

  /**
   * Creates the folders on the way to `relDir` that are absent (dirState has checked there are no
   * links); with `later`, those below the base are listed there for the thread to make, parents first.
   */
  private makeDir(area: Area, relDir: string, later?: string[]): void {
    const folders = this.folders[area]
    let current = this.base(area)
    let known = folders.get(BASE, '')
    let parent: number
    if (known && isFolder(known.state)) parent = known.id
    else {
      const made = mkdirSync(current, { recursive: true })
      // It, or a folder above it, was absent.
      parent = folders.set(BASE, '', made !== undefined ? 'made' : 'dir')
    }
    for (const name of partsOf(relDir)) {
      current = path.join(current, name)
      known = folders.get(parent, name)
      if (known && isFolder(known.state)) parent = known.id
      else if (later) {
        later.push(current)
        parent = folders.set(parent, name, 'made')
      } else parent = folders.set(parent, name, this.makeOne(current))
    }
  }

  /** One folder whose parent exists: made (this build's), or found to be a real folder. */
  private makeOne(dir: string): FolderState {
    try {
      mkdirSync(dir)
      return 'made'
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      if (!lstatSync(dir).isDirectory()) throw new ConfigError(`${dir} is not a folder; the build does not write through links`)
      return 'dir'
    }
  }
}

/** The folder names of a relative folder path (`.` and empty parts left out). */
function partsOf(relDir: string): string[] {
  return relDir.split(/[\\/]/).filter((p) => p !== '' && p !== '.')
}

type DirState = 'dir' | 'absent' | 'link'

/** `a/b/c`: no empty, `.` or `..` part, no backslash, not absolute. */
const PLAIN_RELATIVE = /^(?!\.{1,2}(?:\/|$))[^/\\]+(?:\/(?!\.{1,2}(?:\/|$))[^/\\]+)*$/

async function walk(base: string, rel: string, out: string[], skip: (rel: string) => boolean): Promise<void> {
  const entries = await readdir(path.join(base, rel), { withFileTypes: true }).catch(() => [])
  const dirs: string[] = []
  for (const e of entries) {
    const child = `${rel}/${e.name}`
    // Dirent types come from lstat: a symlink is listed as itself (and deleted if stale), never followed.
    if (e.isDirectory()) {
      if (!skip(child)) dirs.push(child)
    } else out.push(child)
  }
  await Promise.all(dirs.map((d) => walk(base, d, out, skip)))
}

/** Files read, written or listed at once: enough to hide latency, far below file-descriptor limits. */
const CONCURRENCY = 32
/** How long writeState waits for the file system's clock to tick past the files the record names. */
const RECORD_TICK_WAIT_MS = 50

async function names(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isDirectory()).map((e) => e.name)
}

/**
 * Writes the pieces to `tmp` (created, O_EXCL) unless `file` is a regular file holding exactly
 * them; false then, and nothing is written. Compared while they are taken, each piece against the
 * same range of the file in place through one buffer of at most PIECE bytes: the pieces are never
 * held, and an aggregate in place is never read whole. At the first difference the bytes that
 * matched are copied into `tmp` by the kernel (copy_file_range) and the rest is written after
 * them. A link in place of `file` is an error (as in read()). `tmp` is removed when this fails.
 */
function writeUnlessSame(file: string, tmp: string, pieces: Iterable<Uint8Array>, inPlace: boolean): boolean {
  const current = inPlace ? openRegularFile(file) : undefined
  let out: number | undefined
  let at = 0
  const buffer = current === undefined ? undefined : Buffer.allocUnsafe(PIECE)
  const diverge = (): number => {
    if (current !== undefined && at > 0) {
      copyFileSync(file, tmp, constants.COPYFILE_EXCL)
      return openSync(tmp, 'r+')
    }
    return openSync(tmp, 'wx')
  }
  try {
    for (const p of pieces) {
      if (out === undefined && current !== undefined && buffer && sameRange(current, p, at, buffer)) {
        at += p.byteLength
        continue
      }
      out ??= diverge()
      writeFully(out, p, at)
      at += p.byteLength
    }
    if (out === undefined) {
      if (current !== undefined && fstatSync(current).size === at) return false
      out = diverge() // the file in place is longer, or there is none
    }
    ftruncateSync(out, at)
    return true
  } catch (e) {
    if (out !== undefined) rmSync(tmp, { force: true })
    throw e
  } finally {
    if (out !== undefined) closeSync(out)
    if (current !== undefined) closeSync(current)
  }
}

/** Does the open file hold `piece` at `at`? Read through `buffer`, a piece of it at a time. */
function sameRange(fd: number, piece: Uint8Array, at: number, buffer: Buffer): boolean {
  const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
  for (let from = 0; from < bytes.length; from += buffer.length) {
    const n = Math.min(buffer.length, bytes.length - from)
    const read = buffer.subarray(0, n)
    if (!readFully(fd, read, at + from) || !read.equals(bytes.subarray(from, from + n))) return false
  }
  return true
}

/** The git blob id of a file this build wrote (or found in place), read through one small buffer. */
function blobIdOfFile(file: string, format: 'sha1' | 'sha256'): string {
  const fd = openRegularFile(file)
  if (fd === undefined) throw new Error(`internal error: ${file} is gone before its blob id was taken`)
  try {
    const size = fstatSync(fd).size
    const hash = createHash(format).update(`blob ${size}\0`)
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(size, 1), PIECE))
    let at = 0
    for (let n: number; at < size && (n = readSync(fd, buffer, 0, Math.min(buffer.length, size - at), at)) > 0; at += n)
      hash.update(buffer.subarray(0, n))
    if (at !== size) throw new Error(`internal error: ${file} changed while its blob id was taken`)
    return hash.digest('hex')
  } finally {
    closeSync(fd)
  }
}

/** Creates `file` (O_EXCL: never through a link) holding the pieces in order. */
function writePieces(file: string, bytes: Uint8Array | Iterable<Uint8Array>): void {
  if (bytes instanceof Uint8Array) return writeFileSync(file, bytes, { flag: 'wx' })
  if (Array.isArray(bytes) && bytes.length === 1) return writeFileSync(file, bytes[0] as Uint8Array, { flag: 'wx' })
  const fd = openSync(file, 'wx')
  try {
    let at = 0
    for (const p of bytes) {
      writeFully(fd, p, at)
      at += p.byteLength
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * A regular file opened for reading without following a link, or undefined when there is none;
 * a link or another kind of file is a located error.
 */
function openRegularFile(file: string): number | undefined {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    if (code === 'ELOOP') throw notRegular(file, true)
    throw e
  }
  // A link where O_NOFOLLOW does not exist (Windows): lstat tells.
  if (!fstatSync(fd).isFile() || (NOFOLLOW === 0 && !lstatSync(file).isFile())) {
    closeSync(fd)
    throw notRegular(file, NOFOLLOW === 0)
  }
  return fd
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0

/** Fills `into` from `fd` at `position`; false when the file ends first. */
function readFully(fd: number, into: Uint8Array, position: number): boolean {
  let at = 0
  while (at < into.byteLength) {
    const n = readSync(fd, into, at, into.byteLength - at, position + at)
    if (n === 0) return false
    at += n
  }
  return true
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let at = 0; at < bytes.byteLength;) at += writeSync(fd, bytes, at, bytes.byteLength - at, position + at)
}

function notRegular(file: string, link: boolean): ConfigError {
  return new ConfigError(
    `${file} is not a regular file (${link ? 'a symlink' : 'another kind'}); the build neither reads through it nor replaces it. Remove it and rebuild.`
  )
}

let tmpCounter = 0

/** A temporary file beside `file`, named for it and this process. */
function tmpPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`)
}

function absent(e: unknown): undefined {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
  throw e
}
