// Properties of the quality formula (src/core/scores/formula.ts): bounded, monotone in ratings and
// in the review pass rate, free of input order, equal for equal signals, robust to few data
// points, and capped when the latest review failed. Inputs come from a seeded generator, so every
// run checks the same cases.
import { describe, it, expect } from '@jest/globals'
import {
  FAILED_REVIEW_CAP,
  RATING_PRIOR_COUNT,
  downloadDayWeight,
  marketContext,
  scoreAll,
  scoreEach,
  scorePackage,
  scorer,
  wilsonLowerBound,
  windowedDownloads,
  type MarketContext,
  type PackageSignals
} from '../src/core/scores/formula.js'
import { rng } from './helpers/random.js'

const NOW = '2026-06-01T00:00:00Z'

const int = (r: () => number, max: number) => Math.floor(r() * (max + 1))
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString()

function randomSignals(r: () => number, id: string): PackageSignals {
  const s: PackageSignals = { id, reviews: [] }
  for (let i = int(r, 5); i > 0; i--) s.reviews.push({ pass: r() < 0.8, at: daysAgo(int(r, 400)) })
  if (r() < 0.8) s.updatedAt = daysAgo(int(r, 700))
  if (r() < 0.5) s.daily = Array.from({ length: int(r, 20) }, (_, i) => ({ date: daysAgo(i * 5).slice(0, 10), count: int(r, 300) }))
  else if (r() < 0.6) s.total = int(r, 100000)
  if (r() < 0.7) s.ratings = { '1': int(r, 5), '2': int(r, 5), '3': int(r, 10), '4': int(r, 20), '5': int(r, 30) }
  return s
}

function randomMarket(seed: number, size = 12): PackageSignals[] {
  const r = rng(seed)
  return Array.from({ length: size }, (_, i) => randomSignals(r, `pub${i}/pkg-${i}`))
}

const CTX: MarketContext = { now: NOW, ratingMean: 3.8, maxDownloads: 5000 }
const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1)

describe('bounded', () => {
  it.each(SEEDS)('every score and component lies in 0..1 and the weights sum to 1 (seed %i)', (seed) => {
    for (const p of scoreAll(randomMarket(seed), NOW)) {
      expect(p.score).toBeGreaterThanOrEqual(0)
      expect(p.score).toBeLessThanOrEqual(1)
      const parts = Object.values(p.components)
      for (const c of parts) {
        expect(c.normalised).toBeGreaterThanOrEqual(0)
        expect(c.normalised).toBeLessThanOrEqual(1)
      }
      if (parts.length) expect(parts.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 3)
    }
  })
})

describe('one package at a time', () => {
  it.each(SEEDS.slice(0, 10))('scorer gives each package the score scoreEach gives it, to the bit (seed %i)', (seed) => {
    // Signals made anew on each ask, as aggregate.ts makes them: equal values, never the same objects.
    const market = randomMarket(seed, 30)
    const asked: number[] = []
    const scoreAt = scorer(
      market.length,
      (i) => {
        asked.push(i)
        return structuredClone(market[i] as PackageSignals)
      },
      NOW
    )
    // Asked once each for the context, in order, before any score.
    expect(asked).toEqual(market.map((_, i) => i))
    const expected = scoreEach(market, NOW)
    for (const i of [...market.keys()].reverse()) {
      const got = scoreAt(i)
      expect(got).toEqual(expected[i])
      expect(Object.is(got.score, expected[i]?.score)).toBe(true)
    }
  })
})

describe('order-free and deterministic', () => {
  it.each(SEEDS.slice(0, 10))('the same scores whatever the order of packages, days and rating keys (seed %i)', (seed) => {
    const market = randomMarket(seed)
    const expected = scoreAll(market, NOW)
    const r = rng(seed * 7)
    const shuffled = [...market]
      .map((s) => ({ s, k: r() }))
      .sort((a, b) => a.k - b.k)
      .map(({ s }) => {
        const copy: PackageSignals = { ...s, reviews: [...s.reviews].reverse() }
        if (s.daily) copy.daily = [...s.daily].reverse()
        if (s.ratings) copy.ratings = Object.fromEntries(Object.entries(s.ratings).reverse())
        return copy
      })
    expect(scoreAll(shuffled, NOW)).toEqual(expected)
    expect(scoreAll(market, NOW)).toEqual(expected)
  })

  it('packages with identical signals get identical scores', () => {
    const base = randomMarket(3, 1)[0] as PackageSignals
    const [a, b] = scoreAll([{ ...base, id: 'a/x' }, { ...base, id: 'b/x' }, ...randomMarket(4)], NOW).filter(
      (p) => p.id === 'a/x' || p.id === 'b/x'
    )
    expect(a?.score).toBe(b?.score)
    expect(a?.components).toEqual(b?.components)
  })
})

describe('monotone', () => {
  it.each(SEEDS)('moving one rating to a higher value never lowers the score (seed %i)', (seed) => {
    const r = rng(seed)
    const s = randomSignals(r, 'a/x')
    s.ratings = { '1': int(r, 5) + 1, '2': int(r, 5) + 1, '3': int(r, 5) + 1, '4': int(r, 5) + 1, '5': int(r, 5) }
    const from = String(1 + int(r, 3)) as '1'
    const to = String(Number(from) + 1 + int(r, 4 - Number(from))) as '2'
    const better: PackageSignals = { ...s, ratings: { ...s.ratings, [from]: (s.ratings[from] ?? 0) - 1, [to]: (s.ratings[to] ?? 0) + 1 } }
    expect(scorePackage(better, CTX).components.ratings?.normalised).toBeGreaterThan(
      scorePackage(s, CTX).components.ratings?.normalised as number
    )
    expect(scorePackage(better, CTX).score).toBeGreaterThanOrEqual(scorePackage(s, CTX).score)
  })

  it.each(SEEDS)('turning a failed review into a pass never lowers the score (seed %i)', (seed) => {
    const r = rng(seed)
    const s = randomSignals(r, 'a/x')
    s.reviews = Array.from({ length: 1 + int(r, 6) }, () => ({ pass: r() < 0.5, at: daysAgo(int(r, 300)) }))
    const failed = s.reviews.findIndex((x) => !x.pass)
    if (failed < 0) s.reviews[0] = { ...(s.reviews[0] as { at: string }), pass: false }
    const i = failed < 0 ? 0 : failed
    const fixed: PackageSignals = { ...s, reviews: s.reviews.map((x, j) => (j === i ? { ...x, pass: true } : x)) }
    expect(scorePackage(fixed, CTX).components.review?.normalised).toBeGreaterThan(
      scorePackage(s, CTX).components.review?.normalised as number
    )
    expect(scorePackage(fixed, CTX).score).toBeGreaterThanOrEqual(scorePackage(s, CTX).score)
  })

  it('more recent installs and a newer update score higher', () => {
    const base: PackageSignals = { id: 'a/x', reviews: [], total: 10, updatedAt: daysAgo(100) }
    expect(scorePackage({ ...base, total: 100 }, CTX).score).toBeGreaterThan(scorePackage(base, CTX).score)
    expect(scorePackage({ ...base, updatedAt: daysAgo(10) }, CTX).score).toBeGreaterThan(scorePackage(base, CTX).score)
  })
})

describe('few data points', () => {
  it('one 5-star rating is pulled towards the marketplace mean; many are not', () => {
    const one = scorePackage({ id: 'a/x', reviews: [], ratings: { '5': 1 } }, CTX).components.ratings
    const many = scorePackage({ id: 'a/x', reviews: [], ratings: { '5': 200 } }, CTX).components.ratings
    // (5·1 + 3.8·m) / (1 + m), mapped to 0..1.
    expect(one?.normalised).toBeCloseTo(((5 + 3.8 * RATING_PRIOR_COUNT) / (1 + RATING_PRIOR_COUNT) - 1) / 4, 3)
    expect(one?.normalised).toBeLessThan(many?.normalised as number)
    expect(many?.normalised).toBeGreaterThan(0.97)
    expect(one?.raw).toBe(5)
    expect(one?.samples).toBe(1)
  })

  it('a single clean review counts less than a long clean history', () => {
    const one = scorePackage({ id: 'a/x', reviews: [{ pass: true, at: NOW }] }, CTX).components.review
    const four = scorePackage({ id: 'a/x', reviews: Array.from({ length: 4 }, () => ({ pass: true, at: NOW })) }, CTX).components.review
    expect(one?.normalised).toBe(0.5)
    expect(four?.normalised).toBe(0.8)
  })

  it('old reviews weigh less: an old failure hurts less than a recent one', () => {
    const oldFail = [
      { pass: false, at: daysAgo(720) },
      { pass: true, at: daysAgo(1) },
      { pass: true, at: daysAgo(2) }
    ]
    const newFail = [
      { pass: false, at: daysAgo(3) },
      { pass: true, at: daysAgo(1) },
      { pass: true, at: daysAgo(2) }
    ]
    expect(scorePackage({ id: 'a/x', reviews: oldFail }, CTX).components.review?.normalised).toBeGreaterThan(
      scorePackage({ id: 'a/x', reviews: newFail }, CTX).components.review?.normalised as number
    )
  })

  it('the marketplace mean is the prior, 3 when nobody has rated yet', () => {
    expect(marketContext([{ id: 'a/x', reviews: [] }], NOW).ratingMean).toBe(3)
    expect(
      marketContext(
        [
          { id: 'a/x', reviews: [], ratings: { '4': 1, '5': 1 } },
          { id: 'b/x', reviews: [], ratings: { '3': 2 } }
        ],
        NOW
      ).ratingMean
    ).toBe(3.75)
  })

  it('only the signals present take part, their weights renormalised', () => {
    const p = scorePackage({ id: 'a/x', reviews: [], updatedAt: NOW }, CTX)
    expect(p.components).toEqual({ recency: { raw: 0, normalised: 1, weight: 1 } })
    expect(p.score).toBe(1)
  })

  it('Wilson lower bound matches the reference formula', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0)
    const z = 1.96
    const n = 10
    const p = 0.9
    const ref = (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n)
    expect(wilsonLowerBound(9, 10, 1.96)).toBeCloseTo(ref, 12)
  })
})

describe('failed latest review', () => {
  it('caps the score whatever the other signals', () => {
    const star: PackageSignals = {
      id: 'a/x',
      reviews: [
        { pass: true, at: daysAgo(30) },
        { pass: false, at: daysAgo(1) }
      ],
      total: 5000,
      ratings: { '5': 500 },
      updatedAt: NOW
    }
    const p = scorePackage(star, CTX)
    expect(p.score).toBe(FAILED_REVIEW_CAP)
    expect(p.cap).toBe(FAILED_REVIEW_CAP)
    expect(p.latestReview).toBe('fail')
    // The same package with the latest review passing ranks far higher.
    const passed = scorePackage(
      {
        ...star,
        reviews: [
          { pass: false, at: daysAgo(30) },
          { pass: true, at: daysAgo(1) }
        ]
      },
      CTX
    )
    expect(passed.score).toBeGreaterThan(0.6)
    expect(passed.cap).toBeUndefined()
  })
})

describe('download window (one weight per distinct day)', () => {
  // The formula as it was before days were parsed once per run: the reference the cache must equal bit for bit.
  const reference = (daily: { date: string; count: number }[], now: string): number => {
    let sum = 0
    for (const d of [...daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
      const ms = Date.parse(now) - Date.parse(`${d.date}T00:00:00Z`)
      const age = Number.isFinite(ms) && ms > 0 ? ms / 86_400_000 : 0
      if (age <= 90) sum += d.count * 2 ** (-age / 30)
    }
    return sum
  }

  it('counts a day exactly 90 days before a midnight `now`, and not the day before it', () => {
    expect(windowedDownloads({ daily: [{ date: '2026-03-03', count: 8 }] }, NOW)).toBe(1)
    expect(windowedDownloads({ daily: [{ date: '2026-03-02', count: 8 }] }, NOW)).toBe(0)
    // One second later the 90-day-old day is out.
    expect(windowedDownloads({ daily: [{ date: '2026-03-03', count: 8 }] }, '2026-06-01T00:00:01Z')).toBe(0)
  })

  it('counts a day that does not parse as today, as it always did (the stats schema rejects one before it gets here)', () => {
    for (const date of ['2026-13-01', 'not a day', ''])
      expect(windowedDownloads({ daily: [{ date, count: 5 }] }, NOW)).toBe(reference([{ date, count: 5 }], NOW))
    expect(windowedDownloads({ daily: [{ date: '2026-13-01', count: 5 }] }, NOW)).toBe(5)
  })

  it.each(SEEDS)('gives the same number as parsing every row, in any order and with repeated days (seed %i)', (seed) => {
    const r = rng(seed)
    const daily = Array.from({ length: int(r, 120) }, () => ({ date: daysAgo(int(r, 100)).slice(0, 10), count: int(r, 500) }))
    const now = r() < 0.5 ? NOW : '2026-06-01T13:47:05Z'
    expect(windowedDownloads({ daily }, now)).toBe(reference(daily, now))
    const sorted = [...daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    expect(windowedDownloads({ daily: sorted }, now)).toBe(reference(daily, now))
    // One weight function shared by many packages (as scoreAll does) changes nothing.
    const weightOf = downloadDayWeight(now)
    expect(windowedDownloads({ daily }, now, weightOf)).toBe(reference(daily, now))
    expect(windowedDownloads({ daily: sorted.slice(1) }, now, weightOf)).toBe(reference(sorted.slice(1), now))
  })

  it.each(SEEDS)('scoreAll equals scoring each package against marketContext (seed %i)', (seed) => {
    const market = randomMarket(seed, 30)
    const ctx = marketContext(market, NOW)
    const byId = new Map(market.map((s) => [s.id, scorePackage(s, ctx)]))
    for (const p of scoreAll(market, NOW)) expect(p).toEqual(byId.get(p.id))
  })
})
