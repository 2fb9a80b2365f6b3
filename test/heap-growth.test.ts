// io/heap-growth.ts: a fresh node process that calls it keeps its heap within half again of what
// is live while objects that outlive the young generation keep dying; one that does not lets the
// heap grow further between full collections.
import { describe, it, expect } from '@jest/globals'
import { runAfterModule } from './helpers/run-node.js'

/** The largest heap (bytes) while 300,000 objects stay live and batches of 10,000 are promoted and then dropped. */
function peakHeap(bounded: boolean): number {
  const program = `${bounded ? 'boundHeapGrowth()' : ''}
const { getHeapStatistics } = await import('node:v8')
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
console.log(peak, live.length)`
  const out = runAfterModule('io/heap-growth.ts', program)
  return Number(out.split(' ')[0])
}

describe('boundHeapGrowth', () => {
  it('keeps the heap smaller than V8 lets it grow by itself', () => {
    const free = peakHeap(false)
    const bounded = peakHeap(true)
    // Measured here: about 180-205 MB left alone, 110-112 MB bounded.
    expect(bounded).toBeLessThan(0.75 * free)
  }, 60_000)
})
