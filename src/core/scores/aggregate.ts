// One scores run over a registry and a (valid) stats document: the updated registry (only each
// package's `downloads` and `score` change), scores.json explaining every score, and the feature
// records for the predictor. Pure: the caller fetches, validates and writes.
//
// Packages the stats leave out:
// - a package the stats listed before (its previous score had downloads or ratings) keeps its
//   downloads, score and scores.json entry: an omission is more likely an endpoint fault than a
//   real drop to zero, and losing a score is worse than keeping yesterday's;
// - a package the stats never listed (a new one, or one nobody has installed: a stats service
//   lists only packages it has counted) is scored from what does not come from the stats: its
//   review and its recency. Warning about it on every run would be a false alarm.
// Ids in the stats that the registry does not list are reported and ignored, never added.
import type { Registry, RegistryPackage, ScoredPackage, Scores, Stats } from '../../generated/schema-types.js'
import { canonicalJson } from '../registry/json.js'
import { FORMULA_ID, scorer, type PackageScore, type ReviewObservation } from './formula.js'
import { downloadTotal, packageId, signalsOf, type ScoringEntry, type ScoringRegistry } from './signals.js'
import { previousScoresOf, type PreviousScores } from './previous-scores.js'
import { summariseStats, type PackageCounts, type StatsSummary } from './stats-summary.js'
import { sortedKeys } from './encode-into.js'

/**
 * One line of the feature export: a package's raw and normalised signals, null where absent. The
 * keys are listed (and records built) in sorted order: each line is written as it is built.
 */
export interface FeatureRecord {
  age_days: number | null
  capped: boolean
  downloads_normalised: number | null
  downloads_recent: number | null
  downloads_total: number
  formula: string
  id: string
  ratings_count: number | null
  ratings_mean: number | null
  ratings_normalised: number | null
  recency_normalised: number | null
  review_latest: 'pass' | 'fail' | null
  review_normalised: number | null
  review_pass_rate: number | null
  review_samples: number | null
  score: number | null
  /** True when the stats left the package out and these values are from an earlier run. */
  stale: boolean
  stats_generated_at: string
  type: RegistryPackage['type']
  version: string
}

/** `R`: the registry, or what a scores run scanned of it (ScoringRegistry); the result has the same shape. */
export interface AggregateInput<R extends ScoringRegistry = Registry> {
  registry: R
  /** The stats document, or its summary (as fetch-stats.ts reads it). */
  stats: Stats | StatsSummary
  /** The scores.json of the previous run, when there is a valid one (or its entries by id: previous-scores.ts). */
  previous?: Scores | PreviousScores
  /** Earlier review verdicts by package id (e.g. from the git history of review.json). */
  reviewHistory?: ReadonlyMap<string, ReviewObservation[]>
}

export interface AggregateResult<R extends ScoringRegistry = Registry> {
  registry: R
  scores: Scores
  /** The feature records, sorted by id: made when first read (a run writes featureLines, without a record each). */
  readonly features: FeatureRecord[]
  /** Each package's line of features.jsonl (renderFeatures' bytes), in the records' order. */
  featureLines(): Iterable<string>
  /** Ids in the stats that are not in the registry (ignored). */
  unknown: string[]
  /** Previously scored packages the stats left out (kept as they were). */
  missing: string[]
  /** Packages without any signal (no score yet). */
  unscored: string[]
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Whether an earlier run had stats for the package: a downloads or ratings component, or downloads. */
function listedBefore(previous: ScoredPackage | undefined, entry: ScoringEntry): boolean {
  if (previous === undefined) return false
  return previous.components.downloads !== undefined || previous.components.ratings !== undefined || entry.downloads > 0
}

export function aggregate<R extends ScoringRegistry = Registry>(input: AggregateInput<R>): AggregateResult<R> {
  const { registry } = input
  const stats = 'generatedAt' in input.stats ? input.stats : summariseStats(input.stats)
  const now = stats.generatedAt
  const statsOf: ReadonlyMap<string, PackageCounts> = stats.packages
  // Asked only for the packages the stats leave out.
  const previous = input.previous === undefined ? undefined : 'entry' in input.previous ? input.previous : previousScoresOf(input.previous)
  const previousEntry = { get: (id: string) => previous?.entry(id) }
  // Each id made once, and each package's score kept by its index: fewer strings and objects per package.
  const ids = registry.packages.map(packageId)
  const registryIds = new Set(ids)
  const unknown = [...statsOf.keys()].filter((id) => !registryIds.has(id)).sort()

  const missing: string[] = []
  const fresh: number[] = []
  for (let i = 0; i < ids.length; i++) {
    const entry = registry.packages[i] as ScoringEntry
    const id = ids[i] as string
    if (!statsOf.has(id) && entry.score !== null && listedBefore(previousEntry.get(id), entry)) missing.push(id)
    else fresh.push(i)
  }
  // Each package's signals made when asked and each score when its entry is built below: no list
  // of ten thousand signals or scores lives through the run (formula.ts scorer).
  const scoreFresh = scorer(
    fresh.length,
    (k) => {
      const i = fresh[k] as number
      const id = ids[i] as string
      return signalsOf(registry.packages[i] as ScoringEntry, statsOf.get(id), input.reviewHistory?.get(id), id)
    },
    now
  )
  const freshAt = new Int32Array(ids.length).fill(-1)
  for (let k = 0; k < fresh.length; k++) freshAt[fresh[k] as number] = k
  let scoreAt = (i: number): PackageScore | undefined => {
    const k = freshAt[i] as number
    return k < 0 ? undefined : scoreFresh(k)
  }
  // Two entries with one id (no build writes that): each gets the last one's score, as a map by id gave it.
  if (registryIds.size !== ids.length) {
    const byIdScore = new Map(fresh.map((i, k) => [ids[i] as string, scoreFresh(k)]))
    scoreAt = (i) => byIdScore.get(ids[i] as string)
  }

  const unscored: string[] = []
  const scored: ScoredPackage[] = []
  // What each package's feature record is made of, by index: no record of twenty fields each.
  const scoredOf: (ScoredPackage | undefined)[] = new Array<ScoredPackage | undefined>(ids.length)
  const stale = new Uint8Array(ids.length)
  const packages = registry.packages.map((entry: ScoringEntry, i) => {
    const id = ids[i] as string
    const score = scoreAt(i)
    let scoredEntry: ScoredPackage | undefined
    let next = entry
    if (score === undefined) {
      scoredEntry = previousEntry.get(id)
    } else if (Object.keys(score.components).length === 0) {
      // Nothing to score it on (no review, no update time, no stats): it stays unscored.
      unscored.push(id)
    } else {
      // Keys in sorted order, as scores.json lists them (canonicalJson then copies nothing).
      scoredEntry =
        score.cap !== undefined
          ? { cap: score.cap, components: score.components, id, score: score.score }
          : { components: score.components, id, score: score.score }
      const s = statsOf.get(id)
      const downloads = s === undefined ? undefined : downloadTotal(s)
      next = { ...entry, downloads: downloads ?? entry.downloads, score: score.score }
    }
    if (scoredEntry) scored.push(scoredEntry)
    scoredOf[i] = scoredEntry
    if (score === undefined && scoredEntry !== undefined) stale[i] = 1
    return next
  })
  // By id, in input order for equal ids (the sort is stable), as the records were sorted.
  const order = Array.from(ids.keys()).sort((a, b) => {
    const x = ids[a] as string
    const y = ids[b] as string
    return x < y ? -1 : x > y ? 1 : 0
  })
  const recordOf = (i: number) => featureRecord(packages[i] as ScoringEntry, ids[i] as string, scoredOf[i], stale[i] === 1, now)
  let features: FeatureRecord[] | undefined

  return {
    registry: { ...registry, packages },
    scores: { formula: FORMULA_ID, packages: scored.sort(byId), stats_generated_at: now, version: 1 },
    get features() {
      return (features ??= order.map(recordOf))
    },
    *featureLines() {
      // Each record made, written and dropped: short-lived, where ten thousand held to the end were not.
      for (const i of order) yield `${JSON.stringify(recordOf(i))}\n`
    },
    unknown,
    missing,
    unscored
  }
}

function featureRecord(entry: ScoringEntry, id: string, scored: ScoredPackage | undefined, stale: boolean, statsAt: string): FeatureRecord {
  const c = scored?.components ?? {}
  // In sorted key order: renderOutputs writes the record as it is.
  return {
    age_days: c.recency?.raw ?? null,
    capped: scored?.cap !== undefined,
    downloads_normalised: c.downloads?.normalised ?? null,
    downloads_recent: c.downloads?.raw ?? null,
    downloads_total: entry.downloads,
    formula: FORMULA_ID,
    id,
    ratings_count: c.ratings?.samples ?? null,
    ratings_mean: c.ratings?.raw ?? null,
    ratings_normalised: c.ratings?.normalised ?? null,
    recency_normalised: c.recency?.normalised ?? null,
    review_latest: entry.review?.verdict ?? null,
    review_normalised: c.review?.normalised ?? null,
    review_pass_rate: c.review?.raw ?? null,
    review_samples: c.review?.samples ?? null,
    score: entry.score,
    stale,
    stats_generated_at: statsAt,
    type: entry.type,
    version: entry.version
  }
}

/** The output files' bytes: canonical JSON, and one canonical JSON object per line for features. */
export function renderOutputs(result: AggregateResult): { registry: string; scores: string; features: string } {
  return { registry: canonicalJson(result.registry), scores: renderScores(result), features: renderFeatures(result) }
}

export function renderScores(result: Pick<AggregateResult<ScoringRegistry>, 'scores'>): string {
  return canonicalJson(result.scores)
}

export function renderFeatures(result: Pick<AggregateResult<ScoringRegistry>, 'features'>): string {
  // A flat record: sorted keys and compact JSON, one package per line (JSON Lines). featureRecord
  // builds each record in key order, so the engine's plain JSON.stringify (no replacer, which
  // would take its slow path) writes it as it is; one that is not in order gets a key list.
  return result.features.map((f) => `${JSON.stringify(f, sortedKeys(f))}\n`).join('')
}

const SCORE_FIELDS = new Set(['downloads', 'score'])

/**
 * Schema problems of `after` (the updated registry) when `before` matched the registry schema and
 * nothing but packages' `downloads` and `score` changed: then only those two values can be wrong,
 * and checking them (integer ≥ 0; null or 0..1, as schemas/registry.schema.json says) is the schema
 * check without a second pass over megabytes of unchanged entries. Undefined when anything else
 * differs from `before` (not the very same value): then the caller validates the whole document.
 */
export function scoreFieldProblems<R extends ScoringRegistry>(before: R, after: R): string[] | undefined {
  if (!sameExcept(before, after, new Set(['packages'])) || after.packages.length !== before.packages.length) return undefined
  const problems: string[] = []
  for (let i = 0; i < after.packages.length; i++) {
    const a = after.packages[i] as ScoringEntry
    const b = before.packages[i] as ScoringEntry
    if (a === b) continue
    if (!sameExcept(b, a, SCORE_FIELDS)) return undefined
    if (!Number.isInteger(a.downloads) || a.downloads < 0) problems.push(`/packages/${i}/downloads must be an integer of at least 0`)
    if (a.score !== null && !(typeof a.score === 'number' && a.score >= 0 && a.score <= 1))
      problems.push(`/packages/${i}/score must be null or a number from 0 to 1`)
  }
  return problems
}

function sameExcept(before: object, after: object, except: ReadonlySet<string>): boolean {
  const keys = Object.keys(after)
  if (keys.length !== Object.keys(before).length) return false
  for (const key of keys)
    if (
      !except.has(key) &&
      (!Object.hasOwn(before, key) || (after as Record<string, unknown>)[key] !== (before as Record<string, unknown>)[key])
    )
      return false
  return true
}
