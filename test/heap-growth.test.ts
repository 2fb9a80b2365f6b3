// io/heap-growth.ts: a fresh node process that calls it keeps its heap within half again of what
// is live while objects that outlive the young generation keep dying, and collects it whole when
// the limit is reached (no incremental marking, during which the heap grows past the limit); one
// that does not lets the heap grow further between full collections.
import { beforeAll, describe, it, expect } from '@jest/globals'
import { runAfterModule } from './helpers/run-node.js'

interface Run {
  /** The largest heap (bytes). */
  peak: number
  /** Full collections, and incremental markings, reported by the gc performance entries. */
  major: number
  incremental: number
}

/** 300,000 objects stay live while batches of 10,000 are promoted and then dropped. */
function run(bounded: boolean): Run {
  const program = `${bounded ? 'boundHeapGrowth()' : ''}
const { getHeapStatistics } = await import('node:v8')
const { PerformanceObserver, constants } = await import('node:perf_hooks')
const kinds = new Map()
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) kinds.set(e.detail.kind, (kinds.get(e.detail.kind) ?? 0) + 1)
})
observer.observe({ entryTypes: ['gc'] })
const live = []
for (let i = 0; i < 300000; i++) live.push({ n: i, s: 'x' + i })
const recent = []
let peak = 0
for (let round = 0; round < 300; round++) {
  const batch = []
  for (let i = 0; i < 10000; i++) batch.push({ n: i, s: 'y' + i })
  recent.push(batch)
  if (recent.length > 20) recent.shift()
  peak = Math.max(peak, getHeapStatistics().total_heap_size)
}
// The entries are delivered on a later turn.
await new Promise((resolve) => setTimeout(resolve, 50))
const count = (kind) => kinds.get(kind) ?? 0
console.log(peak, count(constants.NODE_PERFORMANCE_GC_MAJOR), count(constants.NODE_PERFORMANCE_GC_INCREMENTAL), live.length)`
  const [peak = 0, major = 0, incremental = 0] = runAfterModule('io/heap-growth.ts', program).split(' ').map(Number)
  return { peak, major, incremental }
}

describe('boundHeapGrowth', () => {
  let free: Run
  let bounded: Run
  beforeAll(() => {
    free = run(false)
    bounded = run(true)
  }, 120_000)

  it('keeps the heap smaller than V8 lets it grow by itself', () => {
    // Measured here: about 125-205 MB left alone, 75-112 MB bounded.
    expect(bounded.peak).toBeLessThan(0.75 * free.peak)
  })

  it('collects the heap whole at the limit, never marking it while it grows', () => {
    // Left alone, V8 marks incrementally here (3 markings measured) and the heap outgrows the limit meanwhile.
    expect(free.incremental).toBeGreaterThan(0)
    expect(bounded.incremental).toBe(0)
    expect(bounded.major).toBeGreaterThan(0)
  })
})
