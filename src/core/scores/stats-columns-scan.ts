// The columns form as the stats service writes it (`JSON.stringify` of core/stats/columns.ts: its
// keys in that order, no whitespace), read in one pass of its bytes into the StatsSummary. Parsing
// it with JSON.parse costs more than the bytes suggest (10,000 arrays of 91 numbers: 100-150 ms
// and their garbage at 10,000 packages on a 2-core VM); this pass writes the counts straight into
// the summary's typed columns. It checks everything readStatsColumns checks (the strings whose
// rules are formats and patterns by the compiled schema itself, on a small probe document, as
// stats-summary.ts does) and gives up on anything it does not recognise as plainly valid: another
// layout, whitespace, an escape, a number that is not a plain integer, a length or order that does
// not hold. The caller then takes the full path (JSON.parse, the schema and readStatsColumns),
// which accepts or explains: this scan never decides that an answer is invalid.
import validateStatsColumns from '../../generated/validators/stats-columns.js'
import { windowStartMs } from './formula.js'
import { dayAxis, utcDay } from './stats-columns.js'
import type { PackageCounts, StatsSummary } from './stats-summary.js'
import { asciiBytes, QUOTE, COMMA, ZERO, NINE, OPEN_BRACKET, CLOSE_BRACKET, giveUp, scanOrGiveUp } from './byte-scan.js'

/** The summary of a columns answer as the service writes it; undefined when the scan cannot tell. */
export function scanStatsColumns(bytes: Uint8Array): StatsSummary | undefined {
  return scanOrGiveUp(() => new ColumnsScan(bytes).summary())
}

const HEAD = asciiBytes('{"version":1,"form":"columns","generated_at":')
const FIRST_DAY = asciiBytes(',"first_day":')
const DAYS = asciiBytes(',"days":')
const PACKAGES = asciiBytes(',"packages":')
const TOTALS = asciiBytes(',"totals":')
const RATINGS = asciiBytes(',"ratings":')
const DAILY = asciiBytes(',"daily":')
const NULL = asciiBytes('null')

/** What countsRow read besides its end: the rows' end in the columns and the sum of the counts. */
let rowEnd = 0
let rowSum = 0

/**
 * One package's `[n,…]` of exactly `axis.length` plain integers (1 to 15 digits, no leading zero)
 * at `at`: its non-zero counts appended to the columns from `rows` on (rowEnd, rowSum say how far
 * and how much). The index after its `]`, or -1 for anything else. A plain function of its own,
 * called once per package, so the engine optimises it early: the scan's whole cost is here.
 */
function countsRow(b: Uint8Array, at: number, axis: Int32Array, days: Int32Array, counts: Float64Array, rows: number): number {
  if (b[at++] !== OPEN_BRACKET) return -1
  let sum = 0
  for (let k = 0; k < axis.length; k++) {
    if (k > 0 && b[at++] !== COMMA) return -1
    const from = at
    let n = 0
    let c = b[at] as number
    while (c >= ZERO && c <= NINE) {
      n = n * 10 + (c - ZERO)
      c = b[++at] as number
    }
    const digits = at - from
    if (digits === 0 || digits > 15 || (digits > 1 && b[from] === ZERO)) return -1
    if (n > 0) {
      days[rows] = axis[k] as number
      counts[rows++] = n
      sum += n
    }
  }
  if (b[at++] !== CLOSE_BRACKET) return -1
  rowEnd = rows
  rowSum = sum
  return at
}

class ColumnsScan {
  private at = 0

  constructor(private readonly b: Uint8Array) {}

  summary(): StatsSummary {
    this.literal(HEAD)
    const generatedAt = this.string()
    this.literal(FIRST_DAY)
    const firstDay = this.string()
    this.literal(DAYS)
    const days = this.integer()
    this.literal(PACKAGES)
    const ids = this.strings()
    // The ids' pattern and length, the two dates' formats and the axis's bounds, by the schema itself.
    const probe = { version: 1, form: 'columns', generated_at: generatedAt, first_day: firstDay, days, packages: ids }
    if (!validateStatsColumns({ ...probe, totals: [], ratings: [], daily: [] })) giveUp()
    for (let i = 1; i < ids.length; i++) if (!((ids[i - 1] as string) < (ids[i] as string))) giveUp()
    const start = windowStartMs(generatedAt)
    if (!Number.isFinite(start) || utcDay(start) !== firstDay) giveUp()

    this.literal(TOTALS)
    const totals = this.integers(ids.length)
    this.literal(RATINGS)
    const ratings = this.ratings(ids.length)
    this.literal(DAILY)
    const axis = dayAxis(start, days)
    const packages = this.daily(ids, totals, ratings, axis)
    if (this.b[this.at++] !== 0x7d) giveUp()
    // Whitespace after the document, as JSON allows.
    for (; this.at < this.b.length; this.at++) {
      const c = this.b[this.at]
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) giveUp()
    }
    return { generatedAt, packages }
  }

  /**
   * `[[n,…],…]`: one array of `axis.length` counts per package, each total at least the sum of its
   * counts. The days with installs go into two typed columns shared by every package (sized for a
   * count on every day: pages never written cost nothing), each package's series a slice of them.
   */
  private daily(ids: string[], totals: number[], ratings: Float64Array, axis: Int32Array): Map<string, PackageCounts> {
    const b = this.b
    const width = axis.length
    // Each count takes two bytes at least ("0,"): an axis or a package list the bytes cannot fill
    // is not allocated for (the full path says which length is wrong).
    if (ids.length * width > (b.length - this.at) / 2 + ids.length) giveUp()
    const days = new Int32Array(ids.length * width)
    const counts = new Float64Array(ids.length * width)
    const packages = new Map<string, PackageCounts>()
    let rows = 0
    let at = this.at
    if (b[at++] !== OPEN_BRACKET) giveUp()
    for (let i = 0; i < ids.length; i++) {
      if (i > 0 && b[at++] !== COMMA) giveUp()
      const first = rows
      at = countsRow(b, at, axis, days, counts, rows)
      if (at < 0) giveUp()
      rows = rowEnd
      const total = totals[i] as number
      if (total < rowSum) giveUp()
      const entry: PackageCounts = { total, series: { days, counts, start: first, end: rows } }
      const r = 5 * i
      if (!Number.isNaN(ratings[r]))
        entry.ratings = {
          '1': ratings[r] as number,
          '2': ratings[r + 1] as number,
          '3': ratings[r + 2] as number,
          '4': ratings[r + 3] as number,
          '5': ratings[r + 4] as number
        }
      packages.set(ids[i] as string, entry)
    }
    if (b[at++] !== CLOSE_BRACKET) giveUp()
    this.at = at
    return packages
  }

  /**
   * `[null|[n,n,n,n,n],…]` of exactly `length` items, in one column: item i's five counts at 5i to
   * 5i+4, NaN at 5i for a null. A list of five per package (ten thousand of them, each reserving
   * 17 slots) lived through the scan and was copied by its garbage collections.
   */
  private ratings(length: number): Float64Array {
    const out = new Float64Array(length * 5)
    this.expect(OPEN_BRACKET)
    for (let i = 0; i < length; i++) {
      if (i > 0) this.expect(COMMA)
      if (this.b[this.at] === NULL[0]) {
        this.literal(NULL)
        out[5 * i] = NaN
        continue
      }
      this.expect(OPEN_BRACKET)
      for (let v = 0; v < 5; v++) {
        if (v > 0) this.expect(COMMA)
        out[5 * i + v] = this.integer()
      }
      this.expect(CLOSE_BRACKET)
    }
    this.expect(CLOSE_BRACKET)
    return out
  }

  /** `[n,…]` of exactly `length` plain integers. */
  private integers(length: number): number[] {
    const out: number[] = []
    this.expect(OPEN_BRACKET)
    for (let i = 0; i < length; i++) {
      if (i > 0) this.expect(COMMA)
      out.push(this.integer())
    }
    this.expect(CLOSE_BRACKET)
    return out
  }

  /** `["…",…]`: any number of strings. */
  private strings(): string[] {
    const out: string[] = []
    this.expect(OPEN_BRACKET)
    if (this.b[this.at] === CLOSE_BRACKET) {
      this.at++
      return out
    }
    for (;;) {
      out.push(this.string())
      const c = this.b[this.at++]
      if (c === CLOSE_BRACKET) return out
      if (c !== COMMA) giveUp()
    }
  }

  /** A string of printable ASCII without escapes. */
  private string(): string {
    const b = this.b
    this.expect(QUOTE)
    const start = this.at
    for (;;) {
      const c = b[this.at++]
      if (c === QUOTE) break
      if (c === undefined || c < 0x20 || c > 0x7e || c === 0x5c) giveUp()
    }
    return Buffer.from(b.buffer, b.byteOffset + start, this.at - 1 - start).toString('latin1')
  }

  /** A plain integer of 1 to 15 digits without a leading zero, sign, fraction or exponent. */
  private integer(): number {
    const b = this.b
    const start = this.at
    let n = 0
    for (let c = b[this.at] as number; c >= ZERO && c <= NINE; c = b[++this.at] as number) n = n * 10 + (c - ZERO)
    const digits = this.at - start
    if (digits === 0 || digits > 15 || (digits > 1 && b[start] === ZERO)) giveUp()
    return n
  }

  private literal(w: Uint8Array): void {
    for (let i = 0; i < w.length; i++) if (this.b[this.at + i] !== w[i]) giveUp()
    this.at += w.length
  }

  private expect(c: number): void {
    if (this.b[this.at] !== c) giveUp()
    this.at++
  }
}
