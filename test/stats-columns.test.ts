// The stats document's columns form: the service's statsColumns and the scores run's
// readStatsColumns. Both forms of the same aggregates must give the scores run the same summary
// (then the same scores, byte for byte: test/scores-http.test.ts runs them end to end), and a
// columns answer that lies in any way a schema cannot see is refused with a located error.
import { describe, it, expect } from '@jest/globals'
import type { StatsColumns } from '../src/generated/schema-types.js'
import { VALIDATORS } from '../src/generated/validators.js'
import { statsDocument, type Aggregates, type DailyRow, type RatingRow, type TotalRow } from '../src/core/stats/document.js'
import { statsColumns } from '../src/core/stats/columns.js'
import { addDays } from '../src/core/stats/day.js'
import { scanStats, type StatsSummary } from '../src/core/scores/stats-summary.js'
import { isColumnsForm, readStatsColumns } from '../src/core/scores/stats-columns.js'
import { scanStatsColumns } from '../src/core/scores/stats-columns-scan.js'
import { byteMutations, rng } from './helpers/random.js'

const validColumns = VALIDATORS['stats-columns'] as (doc: unknown) => boolean
const TODAY = '2026-03-01'
const GENERATED_AT = '2026-03-01T05:12:44Z'

/**
 * What the service's database may hold: rows up to 120 days back (the window cuts them), packages
 * only rated, only installed before the window, counted under ids the registry lacks, rating rows
 * with a zero count.
 */
function aggregates(seed: number, packages: number, generatedAt = GENERATED_AT): Aggregates {
  const r = rng(seed)
  const daily: DailyRow[] = []
  const totals: TotalRow[] = []
  const ratings: RatingRow[] = []
  for (let p = 0; p < packages; p++) {
    const id = `publisher-${p % 7}/package-${p}`
    const kind = r()
    let total = kind < 0.1 ? 0 : Math.floor(r() * 50)
    if (kind >= 0.1 && kind < 0.9)
      for (let d = 0; d < 120; d++)
        if (r() < 0.6) {
          const count = 1 + Math.floor(r() * 30)
          daily.push({ package: id, day: addDays(generatedAt.slice(0, 10), -d), count })
          total += count
        }
    if (total > 0) totals.push({ package: id, total })
    for (let v = 1; v <= 5; v++) if (r() < 0.4) ratings.push({ package: id, rating: v, count: Math.floor(r() * 9) })
  }
  return { totals, daily, ratings, generatedAt }
}

/** Summaries compared as plain values (typed arrays as arrays). */
function plain(s: StatsSummary): unknown {
  return {
    generatedAt: s.generatedAt,
    packages: [...s.packages].map(([id, c]) => ({
      id,
      total: c.total,
      ratings: c.ratings && Object.entries(c.ratings),
      series: c.series && {
        days: Array.from(c.series.days.subarray(c.series.start, c.series.end)),
        counts: Array.from(c.series.counts.subarray(c.series.start, c.series.end))
      }
    }))
  }
}

const documentSummary = (a: Aggregates): StatsSummary => scanStats(Buffer.from(JSON.stringify(statsDocument(a)))) as StatsSummary
const columnsOf = (a: Aggregates): StatsColumns => JSON.parse(JSON.stringify(statsColumns(a))) as StatsColumns

function read(doc: unknown): StatsSummary {
  const r = readStatsColumns(doc)
  if (!r.ok) throw new Error(r.error)
  return r.stats
}

describe('statsColumns (the service)', () => {
  it('matches its schema, lays out the 91-day window ending on generated_at, and is deterministic', () => {
    const a = aggregates(7, 30)
    const c = statsColumns(a)
    expect(validColumns(c)).toBe(true)
    expect(c).toMatchObject({ version: 1, form: 'columns', generated_at: GENERATED_AT, first_day: '2025-12-01', days: 91 })
    expect(c.packages).toEqual([...c.packages].sort())
    for (const column of [c.totals, c.ratings, c.daily]) expect(column).toHaveLength(c.packages.length)
    for (const d of c.daily) expect(d).toHaveLength(91)
    // The same aggregates in another row order: the same bytes.
    const shuffled = { ...a, daily: [...a.daily].reverse(), totals: [...a.totals].reverse(), ratings: [...a.ratings].reverse() }
    expect(JSON.stringify(statsColumns(shuffled))).toBe(JSON.stringify(c))
    expect(isColumnsForm(c)).toBe(true)
    expect(isColumnsForm(statsDocument(a))).toBe(false)
  })

  it('has an empty database as an empty window', () => {
    const c = statsColumns({ totals: [], daily: [], ratings: [], generatedAt: '2026-03-01T00:00:00Z' })
    expect(c).toEqual({
      version: 1,
      form: 'columns',
      generated_at: '2026-03-01T00:00:00Z',
      first_day: '2025-12-01',
      days: 91,
      packages: [],
      totals: [],
      ratings: [],
      daily: []
    })
    expect(read(c)).toEqual({ generatedAt: '2026-03-01T00:00:00Z', packages: new Map() })
  })

  it('stretches the axis to a counted day after generated_at rather than drop it', () => {
    const a: Aggregates = {
      generatedAt: GENERATED_AT,
      totals: [{ package: 'a/b', total: 9 }],
      daily: [
        { package: 'a/b', day: '2026-03-03', count: 4 },
        { package: 'a/b', day: TODAY, count: 5 }
      ],
      ratings: []
    }
    const c = statsColumns(a)
    expect(c.days).toBe(93)
    expect(c.daily[0]?.slice(-3)).toEqual([5, 0, 4])
    expect(plain(read(columnsOf(a)))).toEqual(plain(documentSummary(a)))
  })
})

describe('readStatsColumns (the scores run)', () => {
  it('gives the summary the stats document of the same aggregates gives', () => {
    for (const [seed, generatedAt] of [
      [1, GENERATED_AT],
      [2, '2024-02-29T23:59:59Z'],
      [3, '2026-12-31T00:00:00Z']
    ] as const) {
      const a = aggregates(seed, 60, generatedAt)
      expect(plain(read(columnsOf(a)))).toEqual(plain(documentSummary(a)))
    }
  })

  const base = (): StatsColumns => columnsOf(aggregates(5, 6))
  const refused = (doc: unknown): string => {
    const r = readStatsColumns(doc)
    if (r.ok) throw new Error('accepted')
    return r.error
  }

  it.each([
    ['a column one item short', (c: StatsColumns) => c.totals.pop(), /\/totals has 5 item\(s\) for the 6 package\(s\) of \/packages/],
    ['a ratings column one item long', (c: StatsColumns) => c.ratings.push(null), /\/ratings has 7 item\(s\) for the 6 package\(s\)/],
    [
      'a package with a day too few',
      (c: StatsColumns) => c.daily[2]?.pop(),
      /\/daily\/2 \(publisher-2\/package-2\) has 90 count\(s\) for the 91 days of the axis/
    ],
    [
      'an id listed twice',
      (c: StatsColumns) => (c.packages[3] = c.packages[2] as string),
      /\/packages\/3 \(publisher-2\/package-2\) is listed twice/
    ],
    [
      'ids out of order',
      (c: StatsColumns) => ([c.packages[1], c.packages[2]] = [c.packages[2] as string, c.packages[1] as string]),
      /\/packages\/2 \(publisher-1\/package-1\) comes after publisher-2\/package-2: the ids must be in ascending order/
    ],
    [
      'an axis that starts a day late',
      (c: StatsColumns) => (c.first_day = '2025-12-02'),
      /\/first_day is 2025-12-02, not 2025-12-01, the first day of the 90-day window/
    ],
    ['an axis that starts a year early', (c: StatsColumns) => (c.first_day = '2024-11-30'), /\/first_day is 2024-11-30, not 2025-12-01/],
    [
      'a total below the sum of its days',
      (c: StatsColumns) => {
        const i = c.daily.findIndex((d) => d.some((n) => n > 0))
        c.totals[i] = 0
      },
      /\/totals\/\d+ \(publisher-\d\/package-\d\) is 0, less than the \d+ installs of its days in \/daily\/\d+/
    ]
  ])('%s: refused, located', (_, lie, message) => {
    const c = base()
    lie(c)
    expect(refused(c)).toMatch(message)
  })

  it.each([
    [
      'a negative count',
      (c: StatsColumns) => ((c.daily[4] as number[])[10] = -3),
      /\/daily\/4\/10 \(publisher-4\/package-4\) must be >= 0/
    ],
    ['a fractional total', (c: StatsColumns) => (c.totals[1] = 2.5), /\/totals\/1 \(publisher-1\/package-1\) must be integer/],
    [
      'four rating counts',
      (c: StatsColumns) => (c.ratings[0] = [1, 2, 3, 4]),
      /\/ratings\/0 \(publisher-0\/package-0\) must NOT have fewer than 5 items/
    ],
    ['an axis shorter than the window', (c: StatsColumns) => (c.days = 90), /\/days must be >= 91/],
    ['a bad id', (c: StatsColumns) => (c.packages[0] = '../etc'), /\/packages\/0 must match pattern/],
    ['another key', (c: StatsColumns) => Object.assign(c, { users: ['a@b.c'] }), /must NOT have additional properties/],
    ['another form', (c: StatsColumns) => Object.assign(c, { form: 'rows' }), /\/form must be equal to constant/]
  ])('%s: refused by the schema, located', (_, lie, message) => {
    const c = base()
    lie(c)
    expect(refused(c)).toMatch(/does not match the stats columns schema/)
    expect(refused(c)).toMatch(message)
  })
})

/** What the full path makes of the bytes: undefined when JSON.parse, the schema or the checks reject them. */
function fullPath(bytes: Buffer): StatsSummary | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }
  const r = readStatsColumns(doc)
  return r.ok ? r.stats : undefined
}

describe('scanStatsColumns (the scores run, one pass of the bytes)', () => {
  it('reads what the service writes exactly as the full path does', () => {
    for (const seed of [1, 2, 3, 4]) {
      const a = aggregates(seed, 40)
      const bytes = Buffer.from(JSON.stringify(statsColumns(a)))
      const scanned = scanStatsColumns(bytes)
      expect(scanned).toBeDefined()
      expect(plain(scanned as StatsSummary)).toEqual(plain(fullPath(bytes) as StatsSummary))
      expect(plain(scanned as StatsSummary)).toEqual(plain(documentSummary(a)))
    }
    const empty = Buffer.from(JSON.stringify(statsColumns({ totals: [], daily: [], ratings: [], generatedAt: GENERATED_AT })))
    expect(scanStatsColumns(empty)).toEqual({ generatedAt: GENERATED_AT, packages: new Map() })
  })

  it('leaves every lie and every other layout to the full path', () => {
    const c = () => statsColumns(aggregates(9, 6)) as unknown as Record<string, unknown>
    const lies: Record<string, unknown>[] = []
    const push = (change: (d: Record<string, unknown>) => void) => {
      const d = c()
      change(d)
      lies.push(d)
    }
    push((d) => (d.daily as number[][])[1]?.pop())
    push((d) => (d.daily as number[][])[1]?.push(0))
    push((d) => (d.totals as number[]).pop())
    push((d) => (d.ratings as unknown[]).push(null))
    push((d) => ((d.packages as string[])[2] = (d.packages as string[])[1] as string))
    push((d) => (d.packages as string[]).reverse())
    push((d) => (d.first_day = '2025-12-02'))
    push((d) => (d.totals as number[]).fill(0))
    push((d) => (d.days = 4000))
    push((d) => (d.generated_at = '2026-02-30T00:00:00Z'))
    push((d) => ((d.packages as string[])[0] = 'Bad/Id'))
    for (const lie of lies) {
      const bytes = Buffer.from(JSON.stringify(lie))
      expect(scanStatsColumns(bytes)).toBeUndefined()
      expect(fullPath(bytes)).toBeUndefined()
    }
    // Valid, in a layout the service does not write: the full path takes it.
    for (const other of [JSON.stringify(c(), null, 2), JSON.stringify({ form: 'columns', ...c() }), `\uFEFF${JSON.stringify(c())}`]) {
      expect(scanStatsColumns(Buffer.from(other))).toBeUndefined()
    }
    expect(fullPath(Buffer.from(JSON.stringify(c(), null, 2)))).toBeDefined()
  })

  it('agrees with the full path on 2,500 seeded byte mutations', () => {
    const base = Buffer.from(JSON.stringify(statsColumns(aggregates(6, 5))))
    let accepted = 0
    for (const bytes of byteMutations(base, '{}[]:,"-.0123456789eE \n\\a/nul', 11, 2500)) {
      const scanned = scanStatsColumns(bytes)
      const full = fullPath(bytes)
      if (scanned) {
        accepted++
        expect(full).toBeDefined()
        expect(plain(scanned)).toEqual(plain(full as StatsSummary))
      }
    }
    // Some mutations keep the answer valid (a digit for a digit): the scan must take those too.
    expect(accepted).toBeGreaterThan(50)
  })
})
