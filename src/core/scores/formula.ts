// The quality formula (`quality/1`): four signals, each normalised to 0..1, combined as a weighted
// mean over the signals a package has (OpenSSF Scorecard style), so a new package is not punished
// for stats it cannot have yet. Pure and deterministic: the same signals give the same score, and
// "now" is a parameter (the stats' generated_at), never the wall clock. docs/scoring.md explains
// every constant; any change to one must bump FORMULA_ID's version.
import type { RecordedVerdict } from '../git/review-history.js'
import { dayText, type DailySeries } from './stats-summary.js'

/** `<id>/<version>` written to scores.json; bump the version with any change below. */
export const FORMULA_ID = 'quality/1'

/**
 * Weights before renormalisation. Review and ratings say most about quality (a failed review is a
 * fact, ratings are the users' judgement); downloads are popularity, partly a rich-get-richer
 * signal, so they weigh a little less; recency only says the package is maintained.
 */
export const WEIGHTS = { review: 0.3, downloads: 0.25, ratings: 0.3, recency: 0.15 } as const

export type ComponentName = keyof typeof WEIGHTS
export const COMPONENT_NAMES: readonly ComponentName[] = ['review', 'downloads', 'ratings', 'recency']

/**
 * z of the Wilson lower bound on the review pass rate. 1.0 (about 84% one-sided) rather than 1.96:
 * a marketplace package has few reviews (one per version), and 1.96 would hold one clean review
 * at 0.21, below a package with a failed one among many. With z = 1, 1 pass gives 0.5, 4 give 0.8.
 */
export const REVIEW_Z = 1
/** Days after which a review counts half: the current review should outweigh last year's. */
export const REVIEW_HALF_LIFE_DAYS = 180
/** The most a package whose latest review failed can score, whatever its other signals. */
export const FAILED_REVIEW_CAP = 0.2

/** Only installs in the last 90 days count: popularity now, not at launch. */
export const DOWNLOAD_WINDOW_DAYS = 90
/**
 * Midnight UTC, in ms, of the first day of the download window that ends on `generatedAt`'s day
 * (the stats service lays its days out from it, the scores run checks them against it); NaN when
 * `generatedAt` does not start with a date.
 */
export function windowStartMs(generatedAt: string): number {
  return Date.parse(`${generatedAt.slice(0, 10)}T00:00:00Z`) - DOWNLOAD_WINDOW_DAYS * 86_400_000
}
/** Inside the window, an install counts half after 30 days, so a trend shows within a month. */
export const DOWNLOAD_HALF_LIFE_DAYS = 30

/**
 * Ratings are pulled towards the marketplace mean as if every package had this many extra ratings
 * at the mean: one 5 does not beat thirty 4.8s, and the pull fades once real ratings outnumber it.
 */
export const RATING_PRIOR_COUNT = 5
/** The prior mean when no package has any rating yet: the middle of 1..5. */
export const DEFAULT_RATING_MEAN = 3

/** Recency halves every 180 days: a skill untouched for half a year is not broken, just older. */
export const RECENCY_HALF_LIFE_DAYS = 180

/** Scores and components are rounded to this many decimals so the JSON is byte-stable. */
export const DECIMALS = 4

const DAY_MS = 86_400_000

/** One recorded review verdict and when it was made (git/review-history.ts reads them). */
export type ReviewObservation = RecordedVerdict

/** What one package brings to the formula; any signal may be missing. */
export interface PackageSignals {
  id: string
  /** Reviews in any order; the newest (a failure on a tie) is "the latest review". */
  reviews: ReviewObservation[]
  /** Installs per UTC day (YYYY-MM-DD), when the stats give days. */
  daily?: { date: string; count: number }[]
  /** The same as columns (the stats as a scores run reads them), in place of `daily`. */
  series?: DailySeries
  /** Installs since first published, when the stats give only a total. */
  total?: number
  /** Rating counts by value 1..5. */
  ratings?: Partial<Record<'1' | '2' | '3' | '4' | '5', number>>
  /** When the current version was merged. */
  updatedAt?: string
}

/** Marketplace-wide values the normalisations are relative to. */
export interface MarketContext {
  now: string
  /** The mean of every rating in the marketplace (the Bayesian prior). */
  ratingMean: number
  /** The largest windowed download count of any package (log normalisation's denominator). */
  maxDownloads: number
}

export interface Component {
  raw: number
  normalised: number
  weight: number
  samples?: number
}

export interface PackageScore {
  id: string
  score: number
  components: Partial<Record<ComponentName, Component>>
  /** Set when the latest review failed and the cap lowered the score. */
  cap?: number
  latestReview?: 'pass' | 'fail'
}

export function round(x: number): number {
  const f = 10 ** DECIMALS
  const r = Math.round(x * f) / f
  return Object.is(r, -0) ? 0 : r
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x)

/** `now` as parsed last: a run asks the age of some 50,000 times against the same `now`. */
let lastNow = ''
let lastNowMs = NaN

function ageDays(now: string, at: string): number {
  return ageOfTime(now, Date.parse(at))
}

/** ageDays of a time already parsed (`Date.parse(at)`). */
function ageOfTime(now: string, at: number): number {
  if (now !== lastNow) {
    lastNowMs = Date.parse(now)
    lastNow = now
  }
  const ms = lastNowMs - at
  // A timestamp after `now` (clock skew between the endpoint and git) counts as brand new.
  return Number.isFinite(ms) && ms > 0 ? ms / DAY_MS : 0
}

/** Wilson score interval's lower bound for `passes` out of `n` (n may be fractional: decayed). */
export function wilsonLowerBound(passes: number, n: number, z: number = REVIEW_Z): number {
  if (n <= 0) return 0
  const p = passes / n
  const z2 = z * z
  const centre = p + z2 / (2 * n)
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return clamp01((centre - spread) / (1 + z2 / n))
}

/** Decay weight of something `age` days old with the given half-life. */
export function decay(age: number, halfLife: number): number {
  return 2 ** (-age / halfLife)
}

/**
 * The reviews oldest first, so the floating-point sums do not depend on the order they were
 * listed in: git lists a history newest first (review-history.ts reverses it), and a run that
 * reads only the commits since its cache (history-cache.ts) joins two lists. For a history whose
 * commit times increase, this is the order git gives, and scoreWith sorts nothing. Two reviews at the
 * same instant have the same weight, so their order cannot change a sum; an unreadable time
 * (never in git's or the registry's dates) goes first.
 */
function sortedByTime(reviews: ReviewObservation[]): ReviewObservation[] {
  const time = (r: ReviewObservation): number => {
    const t = Date.parse(r.at)
    return Number.isNaN(t) ? -Infinity : t
  }
  // Array.prototype.sort is stable: equal times keep their order.
  return [...reviews].sort((a, b) => time(a) - time(b) || 0)
}

export interface RatingSummary {
  count: number
  sum: number
}

/** The rating keys by value (index 1..5), so a package's counts are read without a string made per value. */
const RATING_KEYS = ['', '1', '2', '3', '4', '5'] as const

export function ratingSummary(ratings: PackageSignals['ratings']): RatingSummary {
  let count = 0
  let sum = 0
  for (let v = 1; v <= 5; v++) {
    const c = ratings?.[RATING_KEYS[v] as '1'] ?? 0
    count += c
    sum += c * v
  }
  return { count, sum }
}

/**
 * The decay weight of an install day (`YYYY-MM-DD`), or undefined outside the download window;
 * `ofKey` gives the same for the day as a YYYYMMDD number (stats-summary.ts).
 */
export type DayWeight = ((date: string) => number | undefined) & { ofKey?: (key: number) => number | undefined }

/**
 * Day weights as of `now`. Every package's stats repeat the same ninety-odd days, so each distinct
 * day is parsed once per run rather than once per row (a 10,000-package document has more than
 * half a million rows); the weight is the number the formula always computed from the day.
 */
export function downloadDayWeight(now: string): DayWeight {
  const weights = new Map<string, number | undefined>()
  const weightOf: DayWeight = (date) => {
    let w = weights.get(date)
    if (w === undefined && !weights.has(date)) {
      // A day that does not parse (the stats schema rejects one) counts as today, like any time after `now`.
      const age = ageDays(now, `${date}T00:00:00Z`)
      w = age <= DOWNLOAD_WINDOW_DAYS ? decay(age, DOWNLOAD_HALF_LIFE_DAYS) : undefined
      weights.set(date, w)
    }
    return w
  }
  const byKey = new Map<number, number | undefined>()
  weightOf.ofKey = (key) => {
    let w = byKey.get(key)
    if (w === undefined && !byKey.has(key)) byKey.set(key, (w = weightOf(dayText(key))))
    return w
  }
  return weightOf
}

const byDate = (a: { date: string }, b: { date: string }): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)

function sortedByDate(days: readonly { date: string }[]): boolean {
  for (let i = 1; i < days.length; i++) if ((days[i - 1] as { date: string }).date > (days[i] as { date: string }).date) return false
  return true
}

/** Installs counted by the formula: decayed days inside the window, else the plain total. */
export function windowedDownloads(
  signals: Pick<PackageSignals, 'daily' | 'series' | 'total'>,
  now: string,
  weightOf: DayWeight = downloadDayWeight(now)
): number | undefined {
  if (signals.series) return seriesDownloads(signals.series, weightOf)
  if (signals.daily) {
    // In date order, so the floating-point sum does not depend on the order the endpoint listed
    // days in (the service lists them oldest first: then no sorted copy is made).
    const days = sortedByDate(signals.daily) ? signals.daily : [...signals.daily].sort(byDate)
    let sum = 0
    for (const d of days) {
      const w = weightOf(d.date)
      if (w !== undefined) sum += d.count * w
    }
    return sum
  }
  return signals.total
}

/** windowedDownloads of the columns: the same days in the same (date) order, so the same sum to the bit. */
function seriesDownloads({ days, counts, start, end }: DailySeries, weightOf: DayWeight): number {
  const ofKey = weightOf.ofKey ?? ((key: number) => weightOf(dayText(key)))
  let order: number[] | undefined
  for (let i = start + 1; i < end; i++)
    if ((days[i - 1] as number) > (days[i] as number)) {
      // A stable sort, as the objects' path sorts: equal days keep the document's order.
      order = Array.from({ length: end - start }, (_, k) => start + k).sort((a, b) => (days[a] as number) - (days[b] as number))
      break
    }
  let sum = 0
  for (let k = start; k < end; k++) {
    const i = order ? (order[k - start] as number) : k
    const w = ofKey(days[i] as number)
    if (w !== undefined) sum += (counts[i] as number) * w
  }
  return sum
}

/** The marketplace context for a set of packages; independent of their order. */
export function marketContext(all: PackageSignals[], now: string): MarketContext {
  const weightOf = downloadDayWeight(now)
  return contextOf(
    all.length,
    (i) => all[i] as PackageSignals,
    now,
    (s) => windowedDownloads(s, now, weightOf)
  )
}

function contextOf(
  count: number,
  signalsAt: (i: number) => PackageSignals,
  now: string,
  downloadsOf: (s: PackageSignals, i: number) => number | undefined
): MarketContext {
  let ratings = 0
  let sum = 0
  let maxDownloads = 0
  for (let i = 0; i < count; i++) {
    const s = signalsAt(i)
    // Rating counts are integers, so these sums are exact in any order.
    const r = ratingSummary(s.ratings)
    ratings += r.count
    sum += r.sum
    const d = downloadsOf(s, i)
    if (d !== undefined && d > maxDownloads) maxDownloads = d
  }
  return { now, ratingMean: ratings > 0 ? sum / ratings : DEFAULT_RATING_MEAN, maxDownloads }
}

/** Scores one package. Only the components with data take part; their weights sum to 1. */
export function scorePackage(signals: PackageSignals, ctx: MarketContext): PackageScore {
  return scoreWith(signals, ctx, windowedDownloads(signals, ctx.now))
}

function scoreWith(signals: PackageSignals, ctx: MarketContext, downloads: number | undefined): PackageScore {
  // Each component in locals, not a record of parts: ten thousand packages, a few objects fewer each.
  const reviews = signals.reviews
  const hasReview = reviews.length > 0
  let reviewRaw = 0
  let reviewNormalised = 0
  let last: ReviewObservation | undefined
  if (hasReview) {
    // One pass: each date parsed once for the time order, the decayed sums and the latest review.
    let n = 0
    let passes = 0
    let plainPasses = 0
    let previous = -Infinity
    let ordered = true
    let lastTime = NaN
    for (const r of reviews) {
      const t = Date.parse(r.at)
      if (!(t >= previous)) ordered = false
      previous = t
      if (ordered) {
        const w = decay(ageOfTime(ctx.now, t), REVIEW_HALF_LIFE_DAYS)
        n += w
        if (r.pass) passes += w
      }
      if (r.pass) plainPasses++
      if (last === undefined || t > lastTime || (t === lastTime && !r.pass)) {
        last = r
        lastTime = t
      }
    }
    if (!ordered) {
      // The sums again, oldest first (the order the list had no say in).
      n = 0
      passes = 0
      for (const r of sortedByTime(reviews)) {
        const w = decay(ageDays(ctx.now, r.at), REVIEW_HALF_LIFE_DAYS)
        n += w
        if (r.pass) passes += w
      }
    }
    reviewRaw = plainPasses / reviews.length
    reviewNormalised = wilsonLowerBound(passes, n)
  }

  const hasDownloads = downloads !== undefined
  const downloadsNormalised = hasDownloads ? clamp01(ctx.maxDownloads > 0 ? Math.log1p(downloads) / Math.log1p(ctx.maxDownloads) : 0) : 0

  const { count: ratingCount, sum: ratingSum } = ratingSummary(signals.ratings)
  const hasRatings = ratingCount > 0
  const ratingsNormalised = hasRatings
    ? clamp01(((ratingSum + ctx.ratingMean * RATING_PRIOR_COUNT) / (ratingCount + RATING_PRIOR_COUNT) - 1) / 4)
    : 0

  const hasRecency = signals.updatedAt !== undefined
  const age = hasRecency ? ageDays(ctx.now, signals.updatedAt as string) : 0
  const recencyNormalised = hasRecency ? decay(age, RECENCY_HALF_LIFE_DAYS) : 0

  // The weights and the weighted sum in COMPONENT_NAMES order (review, downloads, ratings, recency).
  let total = 0
  if (hasReview) total += WEIGHTS.review
  if (hasDownloads) total += WEIGHTS.downloads
  if (hasRatings) total += WEIGHTS.ratings
  if (hasRecency) total += WEIGHTS.recency
  let score = 0
  if (hasReview) score += reviewNormalised * (WEIGHTS.review / total)
  if (hasDownloads) score += downloadsNormalised * (WEIGHTS.downloads / total)
  if (hasRatings) score += ratingsNormalised * (WEIGHTS.ratings / total)
  if (hasRecency) score += recencyNormalised * (WEIGHTS.recency / total)

  // Built with keys in sorted order, as scores.json lists them (canonicalJson then copies nothing).
  const components: PackageScore['components'] = {}
  if (hasDownloads)
    components.downloads = { normalised: round(downloadsNormalised), raw: round(downloads), weight: round(WEIGHTS.downloads / total) }
  if (hasRatings)
    components.ratings = {
      normalised: round(ratingsNormalised),
      raw: round(ratingSum / ratingCount),
      samples: ratingCount,
      weight: round(WEIGHTS.ratings / total)
    }
  if (hasRecency) components.recency = { normalised: round(recencyNormalised), raw: round(age), weight: round(WEIGHTS.recency / total) }
  if (hasReview)
    components.review = {
      normalised: round(reviewNormalised),
      raw: round(reviewRaw),
      samples: reviews.length,
      weight: round(WEIGHTS.review / total)
    }
  const out: PackageScore = { id: signals.id, score: round(clamp01(score)), components }
  if (last) out.latestReview = last.pass ? 'pass' : 'fail'
  // A package whose current files failed review must not rank high on popularity alone.
  if (last && !last.pass && out.score > FAILED_REVIEW_CAP) {
    out.score = FAILED_REVIEW_CAP
    out.cap = FAILED_REVIEW_CAP
  }
  return out
}

/** Scores every package against the same context; the result is sorted by id. */
export function scoreAll(all: PackageSignals[], now: string): PackageScore[] {
  // Array.prototype.sort is stable: packages with the same id keep their order, as they did when sorted first.
  return scoreEach(all, now).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** scoreAll's scores in the order of `all` (each score depends on the context, not on the order). */
export function scoreEach(all: PackageSignals[], now: string): PackageScore[] {
  const scoreAt = scorer(all.length, (i) => all[i] as PackageSignals, now)
  return all.map((_, i) => scoreAt(i))
}

/**
 * scoreEach one package at a time: the score of package `i` of `count`, whose signals
 * `signalsAt(i)` gives (asked twice: for the context of them all, then when it is scored). A
 * caller that makes each package's signals when asked, and keeps only what it needs of each
 * score, holds no list of ten thousand signals and scores: what lives long is copied by each
 * garbage collection (Scores in docs/benchmarks.md, eleventh pass). The same numbers as
 * scoreEach, in the same operations.
 */
export function scorer(count: number, signalsAt: (i: number) => PackageSignals, now: string): (i: number) => PackageScore {
  // Each package's windowed downloads once: the context needs all of them before any score.
  const weightOf = downloadDayWeight(now)
  const downloads = new Float64Array(count)
  const hasDownloads = new Uint8Array(count)
  const ctx = contextOf(count, signalsAt, now, (s, i) => {
    const d = windowedDownloads(s, now, weightOf)
    if (d !== undefined) {
      downloads[i] = d
      hasDownloads[i] = 1
    }
    return d
  })
  return (i) => scoreWith(signalsAt(i), ctx, hasDownloads[i] === 1 ? downloads[i] : undefined)
}
