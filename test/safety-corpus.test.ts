// The safety regression corpus (test/fixtures/safety-corpus, README there): every honest
// real-world shape passes the review without an error, and every hostile case fails with the rule
// its expect.json names. A case marked `"pending"` is a known gap: the test asserts it still
// fails, so fixing it forces the marker out. `npm run corpus:safety` prints the same results with
// precision and recall.
import { describe, it, expect } from '@jest/globals'
import { listCases, runCase, summarise, type CaseResult } from './helpers/safety-corpus.js'

const honest = listCases('honest')
const hostile = listCases('hostile')
const results: CaseResult[] = []

describe('safety corpus: honest shapes pass without an error', () => {
  it.each(honest)('%s', async (name) => {
    const r = await runCase('honest', name)
    results.push(r)
    expect({ name, errors: r.errors }).toEqual({ name, errors: [] })
  })
})

describe('safety corpus: each attack class fails with its rule', () => {
  it.each(hostile)('%s', async (name) => {
    const r = await runCase('hostile', name)
    results.push(r)
    const pending = (r.expect as { pending?: string }).pending
    const got = [...new Set(r.findings.map((f) => `${f.rule}:${f.severity}`))].sort()
    if (pending) expect({ name, caught: r.ok, pending }).toEqual({ name, caught: false, pending })
    else expect({ name, caught: r.ok, got }).toEqual({ name, caught: true, got })
    // Every hostile finding is located and explained.
    for (const f of r.findings.filter((x) => x.rule === r.expect.rule)) {
      expect(f.message.length).toBeGreaterThan(20)
      expect(f.hint?.length ?? 0).toBeGreaterThan(10)
    }
  })
})

describe('safety corpus: release cases say what happened', () => {
  it("'namespace/duplicate-content' names the original package", async () => {
    const r = await runCase('hostile', 'copied-package')
    const f = r.findings.find((x) => x.rule === 'namespace/duplicate-content')
    expect(f?.severity).toBe('notice')
    expect(f?.message).toContain('original-author/copied-package')
  })
  it("'version/republished' names the commit that published the version before the removal", async () => {
    const r = await runCase('hostile', 'readded-old-version')
    expect(r.findings.find((x) => x.rule === 'version/republished')?.message).toMatch(
      /already published with other files \(commit [0-9a-f]{12} of the base branch/
    )
  })
})

describe('safety corpus: the summary', () => {
  it('has the size the docs quote, and no honest package blocked', () => {
    expect(honest.length).toBeGreaterThanOrEqual(30)
    expect(hostile.length).toBeGreaterThanOrEqual(60)
    if (results.length === honest.length + hostile.length) {
      const s = summarise(results)
      expect(s.honestBlocked).toBe(0)
      expect(s.precision).toBe(1)
    }
  })
})
