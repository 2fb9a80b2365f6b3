// formatText groups only the findings by package and sorts the packages only when the review's list
// is not sorted already. It must print what the version that grouped every package and sorted every
// key printed (test/helpers/text-reference.ts), on reviews built as the pipeline builds them and on
// generated ones it never builds: unsorted and repeated ids, an empty id, findings of packages the
// review does not list or of none, versions and statuses of every kind, hostile names, colour.
import { describe, expect, it } from '@jest/globals'
import type { Review } from '../src/core/review/review.js'
import { buildReview } from '../src/core/review/review.js'
import type { Finding } from '../src/core/findings/findings.js'
import { formatText } from '../src/report/text.js'
import { referenceFormatText } from './helpers/text-reference.js'
import { rng } from './helpers/random.js'

type ReviewedPackage = Review['packages'][number]

const IDS = ['a/b', 'a/c', 'a/b-2', 'b/a', 'A/z', 'a/b/c', '', 'x/\u001b[31m', 'p/::set-output', 'z/é', 'a/a', 'm/n']
const STATUSES: ReviewedPackage['status'][] = ['checked', 'added', 'modified', 'deleted', 'renamed']
const VERSIONS = [undefined, '', '1.0.0', '2.0.0-beta.1', 'v\n::x']

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T
}

function generated(seed: number): Review {
  const r = rng(seed)
  const packages: ReviewedPackage[] = []
  for (let i = 0, n = Math.floor(r() * 8); i < n; i++) {
    const id = pick(r, IDS)
    const version = pick(r, VERSIONS)
    packages.push({
      id,
      publisher: id.split('/')[0] ?? '',
      name: id.split('/')[1] ?? '',
      status: pick(r, STATUSES),
      verdict: r() < 0.3 ? 'fail' : 'pass',
      ...(version === undefined ? {} : { version })
    })
  }
  // Sorted as buildReview sorts them, half the time; repeated ids and the empty id stay possible.
  if (r() < 0.5) packages.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const findings: Finding[] = []
  for (let i = 0, n = Math.floor(r() * 6); i < n; i++) {
    const pkg = r() < 0.2 ? undefined : pick(r, IDS)
    findings.push({
      rule: 'safety/injection',
      severity: pick(r, ['error', 'warning', 'notice'] as const),
      message: r() < 0.5 ? 'a message' : 'two\nlines',
      ...(pkg === undefined ? {} : { package: pkg }),
      ...(r() < 0.7 ? { file: `${pkg ?? 'x'}/SKILL.md`, line: 1 + Math.floor(r() * 9), column: 2 } : {}),
      ...(r() < 0.5 ? { hint: 'fix it' } : {}),
      ...(r() < 0.1 ? { allowed: 'a reason' } : {})
    })
  }
  const error = findings.filter((f) => f.severity === 'error').length
  const warning = findings.filter((f) => f.severity === 'warning').length
  return {
    version: 1,
    tool: { name: 'marketplace-actions', version: '0.0.0' },
    verdict: error ? 'fail' : 'pass',
    checks: [],
    packages,
    findings,
    counts: { error, warning, notice: findings.length - error - warning }
  } as unknown as Review
}

describe('formatText', () => {
  it('prints what the reference prints on 3,000 generated reviews, with and without colour', () => {
    let unsorted = 0
    for (let seed = 1; seed <= 3000; seed++) {
      const review = generated(seed)
      const ids = review.packages.map((p) => p.id)
      if (ids.some((id, i) => i > 0 && (ids[i - 1] as string) >= id)) unsorted++
      for (const color of [false, true])
        expect([seed, color, formatText(review, { color })]).toEqual([seed, color, referenceFormatText(review, { color })])
    }
    // Both paths taken: sorted lists and lists the reference had to sort (or with repeats).
    expect(unsorted).toBeGreaterThan(500)
    expect(unsorted).toBeLessThan(2500)
  })

  it('prints what the reference prints for a review of 2,000 packages built by buildReview', () => {
    const r = rng(7)
    const packages = Array.from({ length: 2000 }, (_, i) => {
      const id = `publisher-${Math.floor(r() * 200)}/pkg-${i}`
      return {
        id,
        publisher: id.split('/')[0] as string,
        name: `pkg-${i}`,
        status: 'checked' as const,
        verdict: 'pass' as const,
        ...(i % 3 ? {} : { version: `1.${i}.0` })
      }
    })
    const findings: Finding[] = packages
      .filter((_, i) => i % 97 === 0)
      .map((p): Finding => ({
        rule: 'safety/injection',
        severity: 'error',
        package: p.id,
        file: `${p.id}/SKILL.md`,
        line: 3,
        column: 1,
        message: 'm'
      }))
    findings.push({ rule: 'safety/injection', severity: 'warning', message: 'the marketplace itself' })
    const review = buildReview({ toolVersion: '0.0.0', checks: [], packages: packages, findings })
    const text = formatText(review, { color: false })
    expect(text).toBe(referenceFormatText(review, { color: false }))
    expect(text.split('\n')[0]).toBe('marketplace')
    expect(text.split('\n').filter((l) => / fail(?: \(1\.\d+\.0\))?$/.test(l))).toHaveLength(21)
  })
})
