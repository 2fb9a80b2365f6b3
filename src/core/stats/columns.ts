// The stats document's columns form (schemas/stats-columns.schema.json), answered to
// `GET /v1/stats?form=columns`: the same aggregates as statsDocument, laid out for a reader that
// takes it apart with few allocations. One date axis for the whole window (its first day and its
// length) instead of a date string per row, and per package an array of counts on that axis, so
// a 10,000-package window of 90 days is about 3 MB instead of 21 MB and holds no object per row.
// Built from statsDocument's own result, so both forms say the same thing by construction, and
// deterministic as it is: the same aggregates give the same bytes.
import type { StatsColumns } from '../../generated/schema-types.js'
import { statsDocument, windowStart, type Aggregates } from './document.js'

const DAY_MS = 86_400_000
const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS

export function statsColumns(aggregates: Aggregates): StatsColumns {
  const doc = statsDocument(aggregates)
  const firstDay = windowStart(doc.generated_at)
  const first = dayNumber(firstDay)
  // The window ends on generated_at's day. The service counts no day after it (generated_at moves
  // with every count), but the axis would stretch to one rather than drop it.
  let last = dayNumber(doc.generated_at.slice(0, 10))
  const entries = Object.entries(doc.packages)
  for (const [, s] of entries) {
    const daily = s?.downloads?.daily
    const latest = daily?.[daily.length - 1]
    if (latest) last = Math.max(last, dayNumber(latest.date))
  }
  const days = last - first + 1
  const packages: string[] = []
  const totals: number[] = []
  const ratings: (number[] | null)[] = []
  const daily: number[][] = []
  for (const [id, s] of entries) {
    packages.push(id)
    totals.push(s?.downloads?.total ?? 0)
    const r = s?.ratings
    ratings.push(r ? [r['1'] ?? 0, r['2'] ?? 0, r['3'] ?? 0, r['4'] ?? 0, r['5'] ?? 0] : null)
    const counts = new Array<number>(days).fill(0)
    for (const d of s?.downloads?.daily ?? []) counts[dayNumber(d.date) - first] = d.count
    daily.push(counts)
  }
  return { version: 1, form: 'columns', generated_at: doc.generated_at, first_day: firstDay, days, packages, totals, ratings, daily }
}
