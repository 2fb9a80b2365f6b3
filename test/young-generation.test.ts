// io/young-generation.ts: a fresh node process that calls it keeps its young generation at V8's
// starting size while it allocates objects that survive; one that does not lets it grow.
import { describe, it, expect } from '@jest/globals'
import { runAfterModule } from './helpers/run-node.js'

/** The young generation's size (bytes) after keeping 300,000 small objects, in a process of its own. */
function youngGenerationAfterSurvivors(keepSmall: boolean): number {
  const program = `${keepSmall ? 'keepYoungGenerationSmall()' : ''}
const kept = []
for (let i = 0; i < 300000; i++) kept.push({ n: i, s: 'x' + i, a: [i] })
const { getHeapSpaceStatistics } = await import('node:v8')
console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size, kept.length)`
  const out = runAfterModule('io/young-generation.ts', program)
  return Number(out.split(' ')[0])
}

describe('keepYoungGenerationSmall', () => {
  it('keeps the young generation at its starting size while survivors pile up', () => {
    const grown = youngGenerationAfterSurvivors(false)
    const kept = youngGenerationAfterSurvivors(true)
    // V8 starts with two semi-spaces of 1 MB; left alone they grow to 16 MB each (32 MB on Node 24).
    expect(kept).toBeLessThanOrEqual(2 * 1024 * 1024)
    expect(grown).toBeGreaterThanOrEqual(4 * kept)
  })
})
