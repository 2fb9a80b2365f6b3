// A package's listing and file bytes read on one thread and scanned on another (threads.ts): the
// thread that reads never loads the detectors, and the thread that scans never waits for the file
// system. On two cores this beats both threads reading and scanning: the detectors are loaded,
// interpreted and compiled by TurboFan in one isolate instead of two, and the system calls (a
// third of the work) run on a core whose caches the detectors do not need.
//
// Light on purpose: the reading thread imports this module, never package-scan.ts.
import type { Limits } from '../../config/config.js'
import type { PackageRef } from '../../marketplace/paths.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'

/** How much of an oversized package is read, as a multiple of limits.package_bytes. */
export const READ_BUDGET_FACTOR = 4

/**
 * Where the scan of these entries (a package's, already cut to files_per_package) stops reading:
 * the index of the first file under the file limit that would take the bytes read past the read
 * budget (entries.length when none does), and the bytes read before it. Files at or over the file
 * limit are never read, so they do not count. The scan and the reading thread both stop here.
 */
export function readBudgetEnd(entries: readonly TreeEntry[], limits: Limits): { end: number; read: number } {
  const budget = limits.package_bytes * READ_BUDGET_FACTOR
  let read = 0
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as TreeEntry
    if (entry.kind !== 'file' || entry.size >= limits.file_bytes) continue
    if (read + entry.size > budget) return { end: i, read }
    read += entry.size
  }
  return { end: entries.length, read }
}

/** One package as read: its listing and the bytes of the files the scan will read, at `at` in the batch's buffer. */
export interface PrefetchedPackage {
  pkg: PackageRef
  /** Undefined when the listing failed: the scanning thread lists it again and meets the same error. */
  entries: TreeEntry[] | undefined
  /** The files read, by path, in the order read. */
  paths: string[]
  /** Offset and length in the batch's bytes of each file of `paths`. */
  spans: number[]
}

/** Several packages as read, their files' bytes in one buffer (transferred to the scanning thread, not copied). */
export interface PrefetchedBatch {
  packages: PrefetchedPackage[]
  bytes: Uint8Array<ArrayBuffer>
}

/**
 * Lists and reads packages as scanPackageSecrets would: the files it reads, in its order, under
 * its limits (files_per_package, file_bytes, the read budget). A file this misses (it failed to
 * read, or grew) is read again by the scanning thread's own snapshot: prefetching can only save
 * reads, never change what the scan sees. One batch at a time: the bytes are gathered in one
 * staging buffer kept from batch to batch, so a batch costs one allocation, not one per file
 * (small ArrayBuffers live outside the heap until a collection frees them: ≈ 25 MB more resident
 * memory when each file had its own).
 */
export class BatchReader {
  private staging = new Uint8Array(1 << 20)

  constructor(
    private readonly snapshot: DirectorySnapshot,
    private readonly limits: Limits
  ) {}

  async read(packages: readonly PackageRef[]): Promise<PrefetchedBatch> {
    const { snapshot, limits } = this
    const out: PrefetchedPackage[] = []
    let total = 0
    for (const pkg of packages) {
      let entries: TreeEntry[]
      try {
        entries = await snapshot.walk(pkg.dir)
      } catch {
        out.push({ pkg, entries: undefined, paths: [], spans: [] })
        continue
      }
      const paths: string[] = []
      const spans: number[] = []
      const scanned = entries.slice(0, limits.files_per_package)
      const { end } = readBudgetEnd(scanned, limits)
      for (const entry of scanned.slice(0, end)) {
        if (entry.kind !== 'file' || entry.size >= limits.file_bytes) continue
        let bytes: Uint8Array
        try {
          // Borrowed (the snapshot's scratch buffer): copied at once into the staging buffer.
          bytes = snapshot.readNow(entry, limits.file_bytes - 1, true)
        } catch {
          continue // the scanning thread reads it again and meets the same error
        }
        this.reserve(total + bytes.length)
        this.staging.set(bytes, total)
        paths.push(entry.path)
        spans.push(total, bytes.length)
        total += bytes.length
      }
      out.push({ pkg, entries, paths, spans })
    }
    return { packages: out, bytes: this.staging.slice(0, total) }
  }

  private reserve(length: number): void {
    if (length <= this.staging.length) return
    const grown = new Uint8Array(Math.max(length, this.staging.length * 2))
    grown.set(this.staging)
    this.staging = grown
  }
}

/**
 * A snapshot that answers one prefetched package's listing and reads from memory and everything
 * else from `fallback` (the scanning thread's own DirectorySnapshot of the same root). `use` points
 * it at the next package; the scan of one package must end before the next `use`.
 */
export class PrefetchedSnapshot implements Snapshot {
  readonly kind = 'directory'
  readonly description: string
  private current: PrefetchedPackage | undefined
  private readonly files = new Map<string, Uint8Array>()

  constructor(private readonly fallback: DirectorySnapshot) {
    this.description = fallback.description
  }

  use(prefetched: PrefetchedPackage, bytes: Uint8Array): void {
    this.current = prefetched
    this.files.clear()
    const { paths, spans } = prefetched
    for (let i = 0; i < paths.length; i++) {
      const at = spans[2 * i] as number
      this.files.set(paths[i] as string, bytes.subarray(at, at + (spans[2 * i + 1] as number)))
    }
  }

  list(dir: string): Promise<TreeEntry[]> {
    return this.fallback.list(dir)
  }

  walk(dir: string): Promise<TreeEntry[]> {
    const entries = this.current?.pkg.dir === dir ? this.current.entries : undefined
    return entries ? Promise.resolve(entries) : this.fallback.walk(dir)
  }

  stat(path: string): Promise<TreeEntry | undefined> {
    return this.fallback.stat(path)
  }

  read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    return Promise.resolve(this.readNow(entry, maxBytes))
  }

  /** `read`, synchronously: the prefetched bytes, else the fallback's read. */
  readNow(entry: TreeEntry, maxBytes: number): Uint8Array {
    const bytes = this.files.get(entry.path)
    return bytes !== undefined && bytes.length <= maxBytes ? bytes : this.fallback.readNow(entry, maxBytes, false)
  }

  close(): Promise<void> {
    return this.fallback.close()
  }
}
