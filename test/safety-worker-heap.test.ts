// The scanning worker's young generation is capped (src/core/checks/safety/threads.ts,
// SCAN_WORKER_LIMITS): a worker started with those limits keeps its new space within two of its
// semi-spaces under an allocation pattern that makes an uncapped worker grow its own past that,
// so a Node whose V8 read the limit differently (or ignored it) fails here, not silently in the
// page faults of a run.
import { describe, it, expect } from '@jest/globals'
import { Worker, type ResourceLimits } from 'node:worker_threads'
import { SCAN_WORKER_LIMITS } from '../src/core/checks/safety/threads.js'

// Objects that live through a few collections and then die: what makes V8 grow a young generation.
const CHURN = `
const { parentPort } = require('node:worker_threads')
const v8 = require('node:v8')
const ring = new Array(200000)
for (let i = 0; i < 3000000; i++) ring[i % ring.length] = { i, s: 'x' + i }
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
parentPort.postMessage(space ? space.space_size : -1)
`

function newSpaceAfterChurn(resourceLimits?: ResourceLimits): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CHURN, { eval: true, ...(resourceLimits ? { resourceLimits } : {}) })
    worker.once('message', (size: number) => {
      resolve(size)
      void worker.terminate()
    })
    worker.once('error', reject)
  })
}

describe('the scanning worker’s young generation', () => {
  it('stays within the cap where an uncapped worker grows past it', async () => {
    // V8 makes a young generation of three semi-spaces; the new space is two of them.
    const cap = ((2 * SCAN_WORKER_LIMITS.maxYoungGenerationSizeMb) / 3) * 1024 * 1024
    const capped = await newSpaceAfterChurn(SCAN_WORKER_LIMITS)
    const uncapped = await newSpaceAfterChurn()
    expect(capped).toBeGreaterThan(0)
    expect(capped).toBeLessThanOrEqual(cap)
    expect(uncapped).toBeGreaterThan(cap)
  })
})
