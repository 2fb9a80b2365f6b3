// Many small independent reads (verifying thousands of existing artifacts) cost their latency, not
// their work: a few in flight at once hide it without opening thousands of files at the same time.

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

/**
 * Packages read in order, a few ahead of the one being handled: git answers a queue of requests
 * without waiting for each round trip, while only READ_AHEAD packages' files are in memory.
 */
export function readAhead<T, R>(items: readonly T[], read: (item: T) => Promise<R>): { next(): Promise<R> } {
  // A taken read is let go of (undefined), so its files can be collected once handled.
  const started: (Promise<R> | undefined)[] = []
  let taken = 0
  const fill = () => {
    while (started.length < items.length && started.length < taken + READ_AHEAD) {
      const p = read(items[started.length] as T)
      p.catch(() => undefined) // rejected reads are seen when they are taken, in order
      started.push(p)
    }
  }
  return {
    next() {
      fill()
      const p = started[taken]
      started[taken] = undefined
      taken++
      fill()
      return p ?? Promise.reject(new Error('readAhead: more reads taken than items'))
    }
  }
}

/** Enough requests queued to keep git busy; few enough packages' files in memory at once. */
const READ_AHEAD = 32
