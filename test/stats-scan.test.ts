// The one-pass read of the stats document (src/core/scores/stats-summary.ts): it gives exactly what
// JSON.parse and the schema give for the documents the stats service writes, and it never accepts
// a document the schema rejects: on anything unusual it gives up and the full path decides. The
// cases come from a seeded generator (the service's own statsDocument) and seeded byte mutations.
import { describe, it, expect } from '@jest/globals'
import type { Stats } from '../src/generated/schema-types.js'
import { VALIDATORS } from '../src/generated/validators.js'
import { dayKey, dayText, scanStats, summariseStats, type StatsSummary } from '../src/core/scores/stats-summary.js'
import { statsDocument, type DailyRow, type RatingRow, type TotalRow } from '../src/core/stats/document.js'
import { addDays } from '../src/core/stats/day.js'
import { downloadDayWeight, windowedDownloads } from '../src/core/scores/formula.js'
import { aggregate, renderOutputs } from '../src/core/scores/aggregate.js'
import { canonicalJson } from '../src/core/registry/json.js'
import type { Registry, RegistryPackage } from '../src/generated/schema-types.js'
import { byteMutations, rng } from './helpers/random.js'

const validate = VALIDATORS['stats'] as (doc: unknown) => boolean

const TODAY = '2026-03-01'
const GENERATED_AT = '2026-03-01T05:12:44Z'

/** A stats document as the service writes it: `packages` packages, up to 120 days of rows. */
function serviceDocument(seed: number, packages: number): Stats {
  const r = rng(seed)
  const daily: DailyRow[] = []
  const totals: TotalRow[] = []
  const ratings: RatingRow[] = []
  for (let p = 0; p < packages; p++) {
    const id = `publisher-${p % 7}/package-${p}`
    let total = Math.floor(r() * 50)
    for (let d = 0; d < 120; d++)
      if (r() < 0.6) {
        const count = 1 + Math.floor(r() * 30)
        daily.push({ package: id, day: addDays(TODAY, -d), count })
        total += count
      }
    if (total > 0) totals.push({ package: id, total })
    for (let v = 1; v <= 5; v++) if (r() < 0.5) ratings.push({ package: id, rating: v, count: Math.floor(r() * 9) })
  }
  return statsDocument({ totals, daily, ratings, generatedAt: GENERATED_AT })
}

/** Summaries compared as plain values (typed arrays as arrays). */
function plain(s: StatsSummary): unknown {
  return {
    generatedAt: s.generatedAt,
    packages: [...s.packages].map(([id, c]) => ({
      id,
      total: c.total,
      ratings: c.ratings,
      series: c.series && {
        days: Array.from(c.series.days.subarray(c.series.start, c.series.end)),
        counts: Array.from(c.series.counts.subarray(c.series.start, c.series.end))
      }
    }))
  }
}

/** What the full path makes of the bytes: undefined when JSON.parse or the schema rejects them. */
function fullPath(bytes: Buffer): StatsSummary | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
  } catch {
    return undefined
  }
  return validate(doc) ? summariseStats(doc as Stats) : undefined
}

describe('scanStats', () => {
  it('reads what the stats service writes exactly as JSON.parse and the schema do', () => {
    for (const seed of [1, 2, 3]) {
      const bytes = Buffer.from(`${JSON.stringify(serviceDocument(seed, 40))}\n`)
      const scanned = scanStats(bytes)
      expect(scanned).toBeDefined()
      expect(plain(scanned as StatsSummary)).toEqual(plain(fullPath(bytes) as StatsSummary))
    }
  })

  it('reads other spellings of a valid document the same, or leaves them to the full path', () => {
    const doc = serviceDocument(4, 12)
    const spellings = [
      JSON.stringify(doc, null, 2),
      `\uFEFF${JSON.stringify(doc)}`,
      // keys in another order at every level
      JSON.stringify(
        JSON.parse(JSON.stringify(doc), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v
        )
      ),
      // an escaped id, and numbers written as 3.0 and 3e0: valid, equal, but not the plain case
      JSON.stringify(doc).replace('"publisher-1/', '"publisher\\u002d1/'),
      JSON.stringify(doc).replace(/"count":(\d+)/, '"count":$1.0'),
      JSON.stringify(doc).replace(/"total":(\d+)/, '"total":$1e0')
    ]
    for (const text of spellings) {
      const bytes = Buffer.from(text)
      const full = fullPath(bytes)
      expect(full).toBeDefined()
      const scanned = scanStats(bytes)
      if (scanned) expect(plain(scanned)).toEqual(plain(full as StatsSummary))
    }
    // The ones the scan takes on itself.
    expect(scanStats(Buffer.from(spellings[0] as string))).toBeDefined()
    expect(scanStats(Buffer.from(spellings[1] as string))).toBeDefined()
    expect(scanStats(Buffer.from(spellings[2] as string))).toBeDefined()
  })

  it('never accepts what the schema rejects: invalid days, ids, numbers, keys, duplicates and syntax', () => {
    const base = JSON.stringify(serviceDocument(5, 6))
    const firstDate = /"date":"(\d{4}-\d{2}-\d{2})"/.exec(base)?.[1] as string
    const invalid = [
      base.replace(`"date":"${firstDate}"`, '"date":"2026-02-30"'),
      base.replace(`"date":"${firstDate}"`, '"date":"2025-13-01"'),
      base.replace(`"date":"${firstDate}"`, '"date":"2026-3-01"'),
      base.replace('"publisher-1/', '"-publisher-1/'),
      base.replace('"publisher-1/', `"${'p'.repeat(40)}/`),
      base.replace('"publisher-1/package-1"', '"publisher-1/Package-1"'),
      base.replace(/"count":\d+/, '"count":-1'),
      base.replace(/"count":\d+/, '"count":1.5'),
      base.replace(/"total":\d+/, '"total":"3"'),
      base.replace('"ratings":{', '"ratings":{"6":1,'),
      base.replace('"downloads":{', '"downloads":{"weekly":[],'),
      base.replace('"version":1', '"version":2'),
      base.replace('"generated_at":"2026-03-01T05:12:44Z"', '"generated_at":"2026-03-01"'),
      base.replace(/\{"date":"[^"]+","count":\d+\}/, '{"date":"2026-02-01"}'),
      base.replace(/,"packages":\{.*$/, '}'),
      base.slice(0, -1),
      `${base}x`
    ]
    for (const text of invalid) {
      expect(text).not.toBe(base)
      expect(fullPath(Buffer.from(text))).toBeUndefined()
      expect(scanStats(Buffer.from(text))).toBeUndefined()
    }
    // A duplicate key: JSON.parse keeps the last; the scan leaves that to it.
    const duplicate = base.replace('"version":1', '"version":1,"version":1')
    expect(fullPath(Buffer.from(duplicate))).toBeDefined()
    expect(scanStats(Buffer.from(duplicate))).toBeUndefined()
  })

  it('agrees with the full path on 2,500 seeded byte mutations', () => {
    const base = Buffer.from(JSON.stringify(serviceDocument(6, 5)))
    let accepted = 0
    for (const bytes of byteMutations(base, '{}[]:,"-.0123456789eE \n\\a/dateTcount15', 7, 2500)) {
      const scanned = scanStats(bytes)
      const full = fullPath(bytes)
      if (scanned) {
        accepted++
        expect(full).toBeDefined()
        expect(plain(scanned)).toEqual(plain(full as StatsSummary))
      }
    }
    // Some mutations keep the document valid (a digit for a digit): the scan must take those too.
    expect(accepted).toBeGreaterThan(50)
  })

  it('day keys keep the order and the text of the days', () => {
    for (const d of ['0001-01-01', '2026-02-28', '2026-12-31', '9999-12-31']) expect(dayText(dayKey(d))).toBe(d)
    expect(dayKey('2026-02-28') < dayKey('2026-03-01')).toBe(true)
  })
})

describe('scores from the summary', () => {
  it('windowed downloads of columns equal those of day objects, in or out of order', () => {
    const r = rng(8)
    const now = '2026-06-01T00:00:00Z'
    for (let i = 0; i < 200; i++) {
      const daily = Array.from({ length: Math.floor(r() * 40) }, () => ({
        date: addDays('2026-06-01', -Math.floor(r() * 120)),
        count: Math.floor(r() * 1000)
      }))
      // Amid other packages' rows, as the scan shares its columns.
      const series = {
        days: Int32Array.from([20260101, ...daily.map((d) => dayKey(d.date)), 20250101]),
        counts: Float64Array.from([7, ...daily.map((d) => d.count), 9]),
        start: 1,
        end: daily.length + 1
      }
      expect(windowedDownloads({ series }, now)).toBe(windowedDownloads({ daily }, now))
      expect(windowedDownloads({ series }, now, downloadDayWeight(now))).toBe(windowedDownloads({ daily }, now))
    }
  })

  it('aggregate writes the same bytes from the document and from its scan; records are built in key order', () => {
    const doc = serviceDocument(9, 30)
    const packages: RegistryPackage[] = [...Object.keys(doc.packages), 'publisher-9/never-installed'].sort().map((id) => {
      const [publisher = '', name = ''] = id.split('/')
      return {
        name,
        publisher,
        type: 'skill',
        version: '1.0.0',
        description: 'A package.',
        tags: [],
        downloads: 0,
        score: null,
        entrypoint: 'SKILL.md',
        path: `publishers/${id}`,
        updated_at: '2026-01-10T12:00:00Z',
        review: { verdict: 'pass', commit: 'a'.repeat(40), errors: 0, warnings: 0 }
      }
    })
    const registry: Registry = {
      version: 2,
      updated_at: '2026-02-01T00:00:00Z',
      generator: { name: 'marketplace-actions', version: '0.1.0' },
      packages
    }
    const fromDoc = renderOutputs(aggregate({ registry, stats: doc }))
    const scanned = scanStats(Buffer.from(JSON.stringify(doc))) as StatsSummary
    const result = aggregate({ registry, stats: scanned })
    expect(renderOutputs(result)).toEqual(fromDoc)
    // The objects are already in canonical key order, and each feature line is its sorted-key JSON.
    expect(canonicalJson(result.scores)).toBe(`${JSON.stringify(result.scores, null, 2)}\n`)
    expect(fromDoc.features).toBe(result.features.map((f) => `${JSON.stringify(f, Object.keys(f).sort())}\n`).join(''))
  })
})
