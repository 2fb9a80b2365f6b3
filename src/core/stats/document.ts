// The stats document (schemas/stats.schema.json) from the service's aggregates. A pure function of
// what is stored: the download window is measured from `generated_at` (the last time an aggregate
// changed), not from the clock, so the same aggregates always give the same bytes and a scores run
// with nothing new writes nothing.
import type { PackageStats, Stats } from '../../generated/schema-types.js'
import { windowStartMs } from '../scores/formula.js'
import { utcDay } from './day.js'

export interface DailyRow {
  package: string
  day: string
  count: number
}

export interface TotalRow {
  package: string
  total: number
}

export interface RatingRow {
  package: string
  rating: number
  count: number
}

const RATING_VALUES = ['1', '2', '3', '4', '5'] as const
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The first day of the download window that ends on `generatedAt`'s day. */
export function windowStart(generatedAt: string): string {
  return utcDay(windowStartMs(generatedAt))
}

export interface Aggregates {
  /** Installs since the first day, per package. */
  totals: readonly TotalRow[]
  /** Installs per package and day; days before the window are left out of the document. */
  daily: readonly DailyRow[]
  /** How many installations gave each rating, per package. */
  ratings: readonly RatingRow[]
  /** When an aggregate last changed (whole-second ISO time). */
  generatedAt: string
}

export function statsDocument({ totals, daily, ratings, generatedAt }: Aggregates): Stats {
  const firstDay = windowStart(generatedAt)
  const byPackage = new Map<string, { total: number; daily: { date: string; count: number }[]; ratings?: Record<string, number> }>()
  const entry = (id: string) => {
    let e = byPackage.get(id)
    if (!e) byPackage.set(id, (e = { total: 0, daily: [] }))
    return e
  }
  for (const row of totals) if (row.total > 0) entry(row.package).total += row.total
  for (const row of daily) if (row.count > 0 && row.day >= firstDay) entry(row.package).daily.push({ date: row.day, count: row.count })
  for (const row of ratings) {
    if (row.count <= 0 || !Number.isInteger(row.rating) || row.rating < 1 || row.rating > 5) continue
    const e = entry(row.package)
    e.ratings ??= Object.fromEntries(RATING_VALUES.map((v) => [v, 0]))
    e.ratings[String(row.rating)] = (e.ratings[String(row.rating)] ?? 0) + row.count
  }
  const packages: Record<string, PackageStats> = {}
  for (const id of [...byPackage.keys()].sort(cmp)) {
    const e = byPackage.get(id) as NonNullable<ReturnType<typeof byPackage.get>>
    const stats: PackageStats = { downloads: { total: e.total, daily: e.daily.sort((a, b) => cmp(a.date, b.date)) } }
    if (e.ratings) stats.ratings = e.ratings
    packages[id] = stats
  }
  return { version: 1, generated_at: generatedAt, packages }
}
