// io/young-generation.ts: a fresh node process that calls it keeps its young generation at V8's
// starting size while it allocates objects that survive; one that does not lets it grow.
import { describe, it, expect } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { transformSync } from 'esbuild'
import { REPO_ROOT, cleanEnv } from './helpers/run-node.js'

const MODULE = transformSync(readFileSync(path.join(REPO_ROOT, 'src', 'io', 'young-generation.ts'), 'utf8'), {
  loader: 'ts',
  format: 'esm'
}).code

/** The young generation's size (bytes) after keeping 300,000 small objects, in a process of its own. */
function youngGenerationAfterSurvivors(keepSmall: boolean): number {
  const program = `${MODULE}
${keepSmall ? 'keepYoungGenerationSmall()' : ''}
const kept = []
for (let i = 0; i < 300000; i++) kept.push({ n: i, s: 'x' + i, a: [i] })
const { getHeapSpaceStatistics } = await import('node:v8')
console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size, kept.length)`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', program], { env: cleanEnv(), encoding: 'utf8' })
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
