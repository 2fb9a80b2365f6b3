// The formula's inputs for one registry entry: the review verdict the registry records, the
// entry's update time, and the package's aggregates from the stats.
import type { RegistryPackage } from '../../generated/schema-types.js'
import type { PackageSignals, ReviewObservation } from './formula.js'
import type { PackageCounts } from './stats-summary.js'

/**
 * What the scores formula reads of a registry entry (this module, aggregate.ts): a full entry is
 * one, and a scores run that scanned registry.json (registry-splice.ts) holds only these fields.
 */
export interface ScoringEntry {
  name: string
  publisher: string
  type: RegistryPackage['type']
  version: string
  downloads: number
  score: number | null
  updated_at?: string
  review?: { verdict: 'pass' | 'fail' }
  versions?: { version: string; published_at: string }[]
}

/** A registry as the formula reads it. */
export interface ScoringRegistry {
  packages: ScoringEntry[]
}

export const packageId = (entry: Pick<RegistryPackage, 'publisher' | 'name'>): string => `${entry.publisher}/${entry.name}`

/**
 * Review history as registry.json records it: the verdict of the current version's review, dated
 * by that version's publication. Earlier versions' verdicts are not in the registry (only in the
 * git history of review.json); a caller that has them passes them as `history`.
 */
export function reviewsOf(entry: ScoringEntry, history: ReviewObservation[] = []): ReviewObservation[] {
  // The git history of review.json already holds the current review: do not count it twice.
  // Not copied: the formula never changes the list it is given.
  if (history.length) return history
  const out: ReviewObservation[] = []
  if (entry.review) {
    const published = entry.versions?.find((v) => v.version === entry.version)?.published_at ?? entry.updated_at
    if (published !== undefined) out.push({ pass: entry.review.verdict === 'pass', at: published })
  }
  return out
}

/** `stats` undefined: the package has no aggregates this run (only review and recency count). */
export function signalsOf(
  entry: ScoringEntry,
  stats: PackageCounts | undefined,
  history?: ReviewObservation[],
  id: string = packageId(entry)
): PackageSignals {
  const s: PackageSignals = { id, reviews: reviewsOf(entry, history) }
  if (entry.updated_at !== undefined) s.updatedAt = entry.updated_at
  if (stats?.series !== undefined) s.series = stats.series
  else if (stats?.total !== undefined) s.total = stats.total
  if (stats?.ratings !== undefined) s.ratings = stats.ratings
  return s
}

/** The registry's `downloads`: the total when the stats give one, else the sum of every day given. */
export function downloadTotal(stats: PackageCounts): number | undefined {
  if (stats.total !== undefined) return stats.total
  if (stats.series !== undefined) {
    const { counts, start, end } = stats.series
    let sum = 0
    for (let i = start; i < end; i++) sum += counts[i] as number
    return sum
  }
  return undefined
}
