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
