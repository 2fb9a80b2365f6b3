// The one job-summary module: the same findings table in every action's summary, and one size
// guard that drops whole tables (never cuts inside the HTML) so the summary stays under GitHub's
// 1 MiB limit.
import { describe, it, expect } from '@jest/globals'
import { MAX_ROWS, MAX_SUMMARY_BYTES, renderBuildSummary, renderReviewSummary, renderScoresSummary } from '../src/report/job-summary.js'
import { buildReview, type Review } from '../src/core/review/review.js'
import { finding, type Finding } from '../src/core/findings/findings.js'
import type { BuildResult } from '../src/core/registry/build/build.js'

const bytes = (s: string): number => Buffer.byteLength(s)
/** Every tag opened is closed: the guard never leaves half a table. */
const balanced = (md: string): boolean =>
  ['table', 'tr', 'td', 'th'].every(
    (t) => (md.match(new RegExp(`<${t}>`, 'g')) ?? []).length === (md.match(new RegExp(`</${t}>`, 'g')) ?? []).length
  )

function findings(n: number, message = 'the field `version` is missing'): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding(
      'manifest/schema',
      { package: 'alice/pkg', file: 'publishers/alice/pkg/manifest.yaml', line: i + 1, column: 3 },
      message,
      'Add it.'
    )
  )
}

function review(n: number, options: { message?: string; packages?: number; id?: (i: number) => string } = {}): Review {
  const ids = Array.from({ length: options.packages ?? 1 }, (_, i) => options.id?.(i) ?? (i === 0 ? 'alice/pkg' : `alice/pkg-${i}`))
  return buildReview({
    toolVersion: 'test',
    checks: ['validate'],
    packages: ids.map((id) => ({
      id,
      publisher: 'alice',
      name: id.split('/')[1] ?? '',
      status: 'modified',
      verdict: 'pass',
      version: '1.0.0'
    })),
    findings: findings(n, options.message)
  })
}

function build(f: Finding[]): BuildResult {
  return {
    head: 'c'.repeat(40),
    mode: 'full',
    reason: 'no previous registry.json',
    registry: { version: 1, updated_at: '2026-01-01T00:00:00Z', packages: [] } as unknown as BuildResult['registry'],
    packageCount: 0,
    added: [{ id: 'alice/pkg', version: '1.0.0' }],
    updated: [],
    removed: [],
    withheld: [],
    findings: f,
    files: [],
    packagesRead: 1
  }
}

describe('the findings table', () => {
  it('is the same in a review summary and a build summary', () => {
    const f = findings(2)
    const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('<tr><td>error</td>'))
    const fromReview = rows(renderReviewSummary('Manifest validation', review(2)))
    expect(fromReview).toHaveLength(2)
    expect(fromReview[0]).toBe(
      '<tr><td>error</td><td><code>manifest/schema</code></td><td><code>publishers/alice/pkg/manifest.yaml:1:3</code></td><td>the field &#96;version&#96; is missing</td><td>Add it.</td></tr>'
    )
    expect(rows(renderBuildSummary(build(f), undefined))).toEqual(fromReview)
  })

  it(`shows at most ${MAX_ROWS} rows and says where the rest are`, () => {
    const md = renderReviewSummary('Manifest validation', review(MAX_ROWS + 5))
    expect(md.split('\n').filter((l) => l.startsWith('<tr><td>error</td>'))).toHaveLength(MAX_ROWS)
    expect(md).toContain('…and 5 more findings; see the JSON report.')
    expect(balanced(md)).toBe(true)
  })

  it('says when a finding is allowed by the config, in the build summary too', () => {
    const f = findings(1)
    f[0] = { ...(f[0] as Finding), allowed: 'vendored file' }
    expect(renderBuildSummary(build(f), undefined)).toContain('<td>error (allowed: vendored file)</td>')
  })
})

describe('the size guard', () => {
  const huge = 'x'.repeat(4000)

  it('drops the findings table as a whole when it is too large, keeping the packages', () => {
    const md = renderReviewSummary('Safety scan', review(MAX_ROWS, { message: huge }))
    expect(bytes(md)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(md).toMatch(/^## Safety scan: ❌ fail\n/)
    expect(md).toContain('<tr><td><code>alice/pkg</code></td><td>1.0.0</td><td>modified</td><td>❌</td></tr>')
    expect(md).toContain('_The findings table is too large for a job summary; see the JSON report._')
    expect(md).not.toContain('<th>Severity</th>')
    expect(balanced(md)).toBe(true)
  })

  it('drops the packages table too when even it is too large', () => {
    const md = renderReviewSummary(
      'Manifest validation',
      review(MAX_ROWS, { message: huge, packages: MAX_ROWS, id: (i) => `alice/${'p'.repeat(3500)}${i}` })
    )
    expect(bytes(md)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(md).toContain('_The table is too large for a job summary; see the JSON report._')
    expect(md).toContain('_The findings table is too large for a job summary; see the JSON report._')
    expect(md).not.toContain('<table>')
  })

  it('guards the build summary the same way', () => {
    const md = renderBuildSummary(build(findings(MAX_ROWS, huge)), undefined)
    expect(bytes(md)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(md).toMatch(/^## Registry build: ⚠️ published with errors\n/)
    expect(md).toContain('<tr><td><code>alice/pkg</code></td><td>added</td><td>1.0.0</td></tr>')
    expect(md).toContain('_The findings table is too large for a job summary; run `marketplace-actions build --json` for the details._')
  })

  it('guards the scores summary', () => {
    const text = Array.from({ length: 20000 }, (_, i) => `  alice/package-${i}`.padEnd(60) + ' 0.5000').join('\n')
    const md = renderScoresSummary(`${text}\n`)
    expect(bytes(md)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(md).toBe('## Package scores\n\n_The scores are too many for a job summary; see scores.json._\n')
  })
})

describe('the scores summary', () => {
  it('fences the text report', () => {
    expect(renderScoresSummary('Scored 1 package(s).\n  alice/pkg 0.5000\n')).toBe(
      '## Package scores\n\n```\nScored 1 package(s).\n  alice/pkg 0.5000\n```\n'
    )
  })

  it('uses a fence longer than any run of backticks in the text, so the text cannot end it', () => {
    const md = renderScoresSummary('warning: ``` # heading\n')
    expect(md).toBe('## Package scores\n\n````\nwarning: ``` # heading\n````\n')
  })
})
