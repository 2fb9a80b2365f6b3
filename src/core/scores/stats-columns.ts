// The stats document's columns form (schemas/stats-columns.schema.json, `GET /v1/stats?form=columns`)
// as a scores run reads it: into the same StatsSummary the stats document gives
// (stats-summary.ts), so both forms of the same aggregates score to the same bytes. The form is
// about a seventh of the document's bytes and `JSON.parse` makes one small array per package, not
// an object per day. It is untrusted input like the document: the schema checks the shapes, and
// what a schema cannot say is checked here (one item per package in every column, one count per
// day of the axis, ids strictly ascending, the axis on the download window, totals that cover
// their days), each error located by its JSON pointer and the package it belongs to.
import type { StatsColumns } from '../../generated/schema-types.js'
import validateStatsColumns from '../../generated/validators/stats-columns.js'
import { DOWNLOAD_WINDOW_DAYS, windowStartMs } from './formula.js'
import { dayKey, type PackageCounts, type StatsSummary } from './stats-summary.js'

const DAY_MS = 86_400_000
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const RATING_KEYS = ['1', '2', '3', '4', '5'] as const

/** Whether a parsed document says it is the columns form (the stats document has no `form` key). */
export function isColumnsForm(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && Object.hasOwn(doc, 'form')
}

export type ColumnsRead = { ok: true; stats: StatsSummary } | { ok: false; error: string }

/** The summary of a parsed columns form, or what is wrong with it (at most five problems). */
export function readStatsColumns(doc: unknown): ColumnsRead {
  if (!validateStatsColumns(doc)) {
    const problems = (validateStatsColumns.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'}${whose(doc, e.instancePath)} ${e.message ?? e.keyword}`)
    return { ok: false, error: `the answer does not match the stats columns schema: ${problems.join('; ')}` }
  }
  const c = doc as StatsColumns
  const problem = inconsistency(c)
  if (problem !== undefined) return { ok: false, error: `the stats columns do not add up: ${problem}` }
  return { ok: true, stats: summaryOf(c) }
}

/** ` (<id>)` for a pointer into a per-package column, naming the package its index stands for. */
function whose(doc: unknown, pointer: string): string {
  const m = /^\/(?:totals|ratings|daily)\/(\d+)/.exec(pointer)
  const packages = (doc as { packages?: unknown } | null)?.packages
  const id = m && Array.isArray(packages) ? packages[Number(m[1])] : undefined
  return typeof id === 'string' ? ` (${id})` : ''
}

/** The first rule a schema cannot state that the columns break, located; undefined when none. */
function inconsistency(c: StatsColumns): string | undefined {
  const n = c.packages.length
  for (const column of ['totals', 'ratings', 'daily'] as const)
    if (c[column].length !== n) return `/${column} has ${c[column].length} item(s) for the ${n} package(s) of /packages`
  for (let i = 1; i < n; i++) {
    const before = c.packages[i - 1] as string
    const id = c.packages[i] as string
    if (before === id) return `/packages/${i} (${id}) is listed twice`
    if (before > id) return `/packages/${i} (${id}) comes after ${before}: the ids must be in ascending order`
  }
  const windowStart = utcDay(windowStartMs(c.generated_at))
  if (c.first_day !== windowStart)
    return `/first_day is ${c.first_day}, not ${windowStart}, the first day of the ${DOWNLOAD_WINDOW_DAYS}-day window that ends on generated_at's day`
  for (let i = 0; i < n; i++) {
    const daily = c.daily[i] as number[]
    if (daily.length !== c.days) return `/daily/${i} (${c.packages[i]}) has ${daily.length} count(s) for the ${c.days} days of the axis`
    let sum = 0
    for (const count of daily) sum += count
    const total = c.totals[i] as number
    if (total < sum) return `/totals/${i} (${c.packages[i]}) is ${total}, less than the ${sum} installs of its days in /daily/${i}`
  }
  return undefined
}

/**
 * The summary the stats document of the same aggregates gives: per package its total, its days
 * with installs (the document lists no day without) as one slice of two shared typed columns, and
 * its rating counts keyed "1" to "5" as the document writes them.
 */
function summaryOf(c: StatsColumns): StatsSummary {
  const first = Date.parse(`${c.first_day}T00:00:00Z`)
  const axis = dayAxis(first, c.days)
  let rows = 0
  for (const daily of c.daily) for (const count of daily) if (count > 0) rows++
  const days = new Int32Array(rows)
  const counts = new Float64Array(rows)
  const packages = new Map<string, PackageCounts>()
  let at = 0
  for (let i = 0; i < c.packages.length; i++) {
    const start = at
    const daily = c.daily[i] as number[]
    for (let k = 0; k < daily.length; k++) {
      const count = daily[k] as number
      if (count > 0) {
        days[at] = axis[k] as number
        counts[at++] = count
      }
    }
    const entry: PackageCounts = { total: c.totals[i], series: { days, counts, start, end: at } }
    const r = c.ratings[i]
    if (r) entry.ratings = Object.fromEntries(RATING_KEYS.map((key, v) => [key, r[v] as number]))
    packages.set(c.packages[i] as string, entry)
  }
  return { generatedAt: c.generated_at, packages }
}

/** The columns form's date axis as stats-summary's day keys: `days` days from midnight UTC `firstMs` on. */
export function dayAxis(firstMs: number, days: number): Int32Array {
  const axis = new Int32Array(days)
  for (let k = 0; k < days; k++) axis[k] = dayKey(utcDay(firstMs + k * DAY_MS))
  return axis
}
