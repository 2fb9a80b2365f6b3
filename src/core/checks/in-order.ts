// Checks read many small packages, each a few awaits (list, read, read): handled one after
// another, a git snapshot waits a round trip to `git cat-file` per package while both processes
// idle. A bounded number in flight hides that latency without holding every package's files at
// once, and results are kept by position, so what a run reports does not depend on which read
// finished first.

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
