import { describe, it, expect } from '@jest/globals'
import { reviewRecords } from '../src/core/review/record.js'
import { buildReview } from '../src/core/review/review.js'
import { finding } from '../src/core/findings/findings.js'
import { VALIDATORS } from '../src/generated/validators.js'

describe('reviewRecords', () => {
  const review = buildReview({
    toolVersion: '1.0.0',
    checks: ['validate', 'version-bump'],
    source: { kind: 'git', base: 'a'.repeat(40), head: 'b'.repeat(40) },
    packages: [
      {
        id: 'alice/ok',
        publisher: 'alice',
        name: 'ok',
        path: 'publishers/alice/ok',
        status: 'modified',
        verdict: 'pass',
        version: '1.1.0'
      },
      { id: 'bob/bad', publisher: 'bob', name: 'bad', path: 'publishers/bob/bad', status: 'added', verdict: 'pass', version: '0.1.0' },
      { id: 'bob/gone', publisher: 'bob', name: 'gone', path: 'publishers/bob/gone', status: 'deleted', verdict: 'pass' }
    ],
    findings: [
      finding('manifest/schema', { package: 'bob/bad', file: 'publishers/bob/bad/manifest.yaml', line: 1 }, 'bad'),
      finding('layout/stray-file', { file: 'publishers/bob/notes.txt' }, 'stray')
    ]
  })

  it('writes one schema-valid record per surviving package, beside it, with only its findings', () => {
    const records = reviewRecords(review)
    expect(records.map((r) => r.path)).toEqual(['publishers/alice/ok/review.json', 'publishers/bob/bad/review.json'])
    for (const r of records) expect(VALIDATORS['review'](r.review)).toBe(true)
    const [ok, bad] = records
    expect(ok?.review.verdict).toBe('pass')
    expect(ok?.review.findings).toEqual([])
    expect(bad?.review.verdict).toBe('fail')
    expect(bad?.review.counts.error).toBe(1)
    expect(bad?.review.source?.head).toBe('b'.repeat(40))
  })

  it('is deterministic', () => {
    expect(JSON.stringify(reviewRecords(review))).toBe(JSON.stringify(reviewRecords(review)))
  })
})
