// Many small independent reads (packages from \`git cat-file\`, thousands of existing artifacts to
// verify) cost their latency, not their work: a few in flight at once hide it without holding
// every package's files or opening thousands of files at the same time. The checks, the safety
// scan and the registry build all read this way.

/** Runs `work` on every item with at most `limit` running at once; rejects on the first failure. */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** Packages in flight at once: enough to keep git's queue full, few enough to keep memory flat. */
export const IN_FLIGHT = 32

/**
 * `work` applied to every item, at most `limit` running at once, the results in the items' order.
 * Rejects with the first failure and starts no further work after it.
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++
      try {
        results[index] = await work(items[index] as T, index)
      } catch (e) {
        failed = true
        throw e
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

/** How far `readAhead` may run ahead of the item being handled. */
export interface ReadAheadBounds<T> {
  /** Reads started and not yet taken, at most. */
  count: number
  /** What those reads will hold (`weigh`, in bytes), added up, at most; one read is always started. */
  bytes: number
  weigh: (item: T) => number
}

/**
 * Packages read in order, a few ahead of the one being handled: git answers a queue of requests
 * without waiting for each round trip, while only a bounded number of packages' files (by default
 * READ_AHEAD packages) are in memory.
 */
export function readAhead<T, R>(
  items: readonly T[],
  read: (item: T) => Promise<R>,
  bounds: ReadAheadBounds<T> = { count: READ_AHEAD, bytes: Infinity, weigh: () => 0 }
): { next(): Promise<R> } {
  // A taken read is let go of (undefined), so its files can be collected once handled.
  const started: (Promise<R> | undefined)[] = []
  const weights: number[] = []
  let taken = 0
  let aheadBytes = 0
  const fill = () => {
    while (started.length < items.length && started.length < taken + bounds.count) {
      const item = items[started.length] as T
      const weight = bounds.weigh(item)
      if (started.length > taken && aheadBytes + weight > bounds.bytes) break
      aheadBytes += weight
      weights.push(weight)
      const p = read(item)
      p.catch(() => undefined) // rejected reads are seen when they are taken, in order
      started.push(p)
    }
  }
  return {
    next() {
      fill()
      const p = started[taken]
      started[taken] = undefined
      aheadBytes -= weights[taken] ?? 0
      taken++
      fill()
      return p ?? Promise.reject(new Error('readAhead: more reads taken than items'))
    }
  }
}

/** Enough requests queued to keep git busy; few enough packages' files in memory at once. */
const READ_AHEAD = 32
