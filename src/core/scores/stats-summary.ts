// What a scores run keeps of the stats document: per package its total, its daily installs as two
// typed columns (day, count) and its rating counts. A 10,000-package document with 90 days is
// more than half a million `{date, count}` objects; parsed, validated and then summed once, they
// were most of a run's time and garbage. `scanStats` reads the bytes once, checks the structure
// the schema asks for as it goes and fills the columns; the strings whose rules are formats and
// patterns (the package ids, each distinct day, generated_at) go through the compiled schema
// validator itself, once each. Anything the scan does not recognise as plainly valid (an escape,
// a non-ASCII byte, a number that is not a plain integer, a duplicate key, an unknown key, bad
// syntax) makes it give up, and the caller takes the full path (JSON.parse and the whole schema),
// which accepts or explains: the scan never decides that a document is invalid.
import type { PackageStats, Stats } from '../../generated/schema-types.js'
import validateStats from '../../generated/validators/stats.js'
import {
  asciiBytes,
  QUOTE,
  COMMA,
  DASH,
  ZERO,
  NINE,
  COLON,
  OPEN_BRACKET,
  CLOSE_BRACKET,
  OPEN_BRACE,
  CLOSE_BRACE,
  giveUp,
  scanOrGiveUp
} from './byte-scan.js'

/**
 * Installs per day in the document's order: `days` as YYYYMMDD numbers, `counts` beside them, the
 * package's rows being [start, end) of columns every package of a summary shares (a typed-array
 * view per package costs 2-4 µs to make, 40-50 ms for 10,000 packages' two).
 */
export interface DailySeries {
  days: Int32Array
  counts: Float64Array
  start: number
  end: number
}

/** One package's aggregates: `series` is there exactly when the document gives `downloads.daily`. */
export interface PackageCounts {
  total?: number
  series?: DailySeries
  ratings?: PackageStats['ratings']
}

export interface StatsSummary {
  generatedAt: string
  /** In the document's order. */
  packages: Map<string, PackageCounts>
}

/** `YYYY-MM-DD` (already valid) as the number YYYYMMDD: ordered as the strings are. */
export function dayKey(date: string): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))
}

export function dayText(key: number): string {
  const y = Math.floor(key / 10_000)
  const m = Math.floor(key / 100) % 100
  const d = key % 100
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

/** The summary of a parsed document that matched the stats schema. */
export function summariseStats(stats: Stats): StatsSummary {
  const packages = new Map<string, PackageCounts>()
  for (const [id, s] of Object.entries(stats.packages)) {
    if (s === undefined) continue
    const counts: PackageCounts = {}
    if (s.downloads?.total !== undefined) counts.total = s.downloads.total
    const daily = s.downloads?.daily
    if (daily !== undefined) {
      const series: DailySeries = {
        days: new Int32Array(daily.length),
        counts: new Float64Array(daily.length),
        start: 0,
        end: daily.length
      }
      daily.forEach((d, i) => {
        series.days[i] = dayKey(d.date)
        series.counts[i] = d.count
      })
      counts.series = series
    }
    if (s.ratings !== undefined) counts.ratings = s.ratings
    packages.set(id, counts)
  }
  return { generatedAt: stats.generated_at, packages }
}

/**
 * The summary of a stats document given as bytes, when it is plainly valid; undefined when the
 * scan cannot tell (then parse it and validate it with the schema, which may still accept it).
 */
export function scanStats(bytes: Uint8Array): StatsSummary | undefined {
  return scanOrGiveUp(() => new Scan(bytes).document())
}

const VERSION = asciiBytes('version')
const GENERATED_AT = asciiBytes('generated_at')
const PACKAGES = asciiBytes('packages')
const DOWNLOADS = asciiBytes('downloads')
const RATINGS = asciiBytes('ratings')
const TOTAL = asciiBytes('total')
const DAILY = asciiBytes('daily')
const DATE = asciiBytes('date')
const COUNT = asciiBytes('count')
/** Where the digits of `"YYYY-MM-DD"` are, counted from its opening quote. */
const DATE_DIGITS = [1, 2, 3, 4, 6, 7, 9, 10] as const

class Scan {
  private at = 0
  /** The current key's bytes: [keyStart, keyEnd). */
  private keyStart = 0
  private keyEnd = 0
  // Sized once for the most rows the bytes can hold (the shortest row,
  // `{"date":"YYYY-MM-DD","count":N}`, is 31 bytes): no copies while the columns grow.
  private days: Int32Array
  private counts: Float64Array
  private rows = 0
  /** Each distinct day, checked by the schema's own date format once. */
  private readonly distinctDays = new Set<number>()
  /** Where each package's rows are in the columns, until the columns stop growing. */
  private readonly spans: [PackageCounts, number, number][] = []

  constructor(private readonly b: Uint8Array) {
    const rows = Math.ceil(b.length / 31) + 1
    this.days = new Int32Array(rows)
    this.counts = new Float64Array(rows)
    // A byte order mark, as the full path drops it.
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.at = 3
  }

  document(): StatsSummary {
    let version: number | undefined
    let generatedAt: string | undefined
    let packages: Map<string, PackageCounts> | undefined
    if (this.open())
      do {
        this.key()
        if (this.keyIs(VERSION) && version === undefined) version = this.integer()
        else if (this.keyIs(GENERATED_AT) && generatedAt === undefined) generatedAt = this.string()
        else if (this.keyIs(PACKAGES) && packages === undefined) packages = this.packages()
        else giveUp()
      } while (this.more())
    this.space()
    if (this.at !== this.b.length || version !== 1 || generatedAt === undefined || packages === undefined) return giveUp()
    for (const [counts, start, end] of this.spans) counts.series = { days: this.days, counts: this.counts, start, end }
    // The ids' pattern and length, each distinct day's format and generated_at's, by the schema itself.
    const probe: Record<string, unknown> = Object.fromEntries([...packages.keys()].map((id) => [id, {}]))
    const first = packages.keys().next()
    if (!first.done && this.distinctDays.size)
      probe[first.value] = { downloads: { daily: [...this.distinctDays].map((k) => ({ date: dayText(k), count: 0 })) } }
    if (!validateStats({ version, generated_at: generatedAt, packages: probe })) return giveUp()
    return { generatedAt, packages }
  }

  private packages(): Map<string, PackageCounts> {
    const out = new Map<string, PackageCounts>()
    if (this.open())
      do {
        this.key()
        const id = this.keyText()
        if (out.has(id)) giveUp()
        out.set(id, this.packageStats())
      } while (this.more())
    return out
  }

  private packageStats(): PackageCounts {
    const counts: PackageCounts = {}
    let seen = 0
    if (this.open())
      do {
        this.key()
        if (this.keyIs(DOWNLOADS) && !(seen & 1)) {
          seen |= 1
          this.downloads(counts)
        } else if (this.keyIs(RATINGS) && !(seen & 2)) {
          seen |= 2
          counts.ratings = this.ratings()
        } else giveUp()
      } while (this.more())
    return counts
  }

  private downloads(counts: PackageCounts): void {
    let seen = 0
    if (this.open())
      do {
        this.key()
        if (this.keyIs(TOTAL) && !(seen & 1)) {
          seen |= 1
          counts.total = this.integer()
        } else if (this.keyIs(DAILY) && !(seen & 2)) {
          seen |= 2
          this.daily(counts)
        } else giveUp()
      } while (this.more())
  }

  private daily(counts: PackageCounts): void {
    const start = this.rows
    this.expect(OPEN_BRACKET)
    this.space()
    if (this.b[this.at] === CLOSE_BRACKET) this.at++
    else
      for (;;) {
        this.day()
        this.space()
        const c = this.b[this.at++]
        if (c === CLOSE_BRACKET) break
        if (c !== COMMA) giveUp()
        this.space()
      }
    this.spans.push([counts, start, this.rows])
  }

  /** `{"date": "YYYY-MM-DD", "count": N}`, the two keys in either order, nothing else. */
  private day(): void {
    // The compact form the stats service writes, in one plain function (most of the document's bytes).
    const next = compactDay(this.b, this.at)
    if (next > 0) {
      this.at = next
      this.row(compactKey, compactCount)
      return
    }
    let day = -1
    let count = -1
    if (this.open())
      do {
        this.key()
        if (this.keyIs(DATE) && day < 0) day = this.date()
        else if (this.keyIs(COUNT) && count < 0) count = this.integer()
        else giveUp()
      } while (this.more())
    if (day < 0 || count < 0) giveUp()
    this.row(day, count)
  }

  private row(day: number, count: number): void {
    if (this.rows === this.days.length) {
      const days = new Int32Array(this.rows * 2)
      days.set(this.days)
      this.days = days
      const counts = new Float64Array(this.rows * 2)
      counts.set(this.counts)
      this.counts = counts
    }
    this.days[this.rows] = day
    this.counts[this.rows] = count
    this.rows++
    this.distinctDays.add(day)
  }

  /** A string of exactly `dddd-dd-dd`, as its key (the calendar is checked by the schema later). */
  private date(): number {
    const b = this.b
    const s = this.at
    if (b[s] !== QUOTE || b[s + 11] !== QUOTE || b[s + 5] !== DASH || b[s + 8] !== DASH) return giveUp()
    let key = 0
    for (const i of DATE_DIGITS) {
      const c = b[s + i] as number
      if (!(c >= ZERO && c <= NINE)) return giveUp()
      key = key * 10 + (c - ZERO)
    }
    this.at = s + 12
    return key
  }

  private ratings(): PackageStats['ratings'] {
    const out: Record<string, number> = {}
    if (this.open())
      do {
        this.key()
        const c = this.b[this.keyStart] as number
        const key = String.fromCharCode(c)
        if (this.keyEnd - this.keyStart !== 1 || c < 0x31 || c > 0x35 || Object.hasOwn(out, key)) giveUp()
        out[key] = this.integer()
      } while (this.more())
    return out
  }

  /** Whitespace, `{`, whitespace; false when the object is empty (its `}` read too). */
  private open(): boolean {
    this.space()
    this.expect(OPEN_BRACE)
    this.space()
    if (this.b[this.at] !== CLOSE_BRACE) return true
    this.at++
    return false
  }

  /** A key and its colon; the cursor is then on the value. */
  private key(): void {
    this.keyStart = this.at + 1
    this.skipString()
    this.keyEnd = this.at - 1
    this.space()
    this.expect(COLON)
    this.space()
  }

  /** After a member: true at a comma (another member follows), false at the closing brace. */
  private more(): boolean {
    this.space()
    const c = this.b[this.at++]
    if (c === CLOSE_BRACE) return false
    if (c !== COMMA) giveUp()
    this.space()
    return true
  }

  private keyIs(w: Uint8Array): boolean {
    if (this.keyEnd - this.keyStart !== w.length) return false
    for (let i = 0; i < w.length; i++) if (this.b[this.keyStart + i] !== w[i]) return false
    return true
  }

  private keyText(): string {
    return latin1(this.b, this.keyStart, this.keyEnd)
  }

  private string(): string {
    const start = this.at + 1
    this.skipString()
    return latin1(this.b, start, this.at - 1)
  }

  /** A string of printable ASCII without escapes (the cursor then after its closing quote). */
  private skipString(): void {
    const b = this.b
    this.expect(QUOTE)
    for (;;) {
      const c = b[this.at++]
      if (c === QUOTE) return
      if (c === undefined || c < 0x20 || c > 0x7e || c === 0x5c) giveUp()
    }
  }

  /** A plain integer of at most 15 digits (exact as a double); anything else is left to JSON.parse. */
  private integer(): number {
    const b = this.b
    const start = this.at
    let n = 0
    for (;;) {
      const c = b[this.at] as number
      if (!(c >= ZERO && c <= NINE)) break
      n = n * 10 + (c - ZERO)
      this.at++
    }
    const digits = this.at - start
    const next = b[this.at]
    // A leading zero, a sign, a fraction or an exponent: not the plain case.
    if (digits === 0 || digits > 15 || (digits > 1 && b[start] === ZERO) || next === 0x2e || next === 0x65 || next === 0x45) giveUp()
    return n
  }

  private expect(c: number): void {
    if (this.b[this.at] !== c) giveUp()
    this.at++
  }

  private space(): void {
    const b = this.b
    for (;;) {
      const c = b[this.at]
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return
      this.at++
    }
  }
}

/** What compactDay read: the day as YYYYMMDD and the count. */
let compactKey = 0
let compactCount = 0

/**
 * `{"date":"YYYY-MM-DD","count":N}` at `at`, exactly as Scan.day's compact reading accepts it
 * (the date's digits and dashes, a plain integer of 1 to 15 digits without a leading zero,
 * fraction or exponent): the index after its `}`, the values in compactKey and compactCount.
 * 0 for anything else: then Scan.day reads the item its general way (and gives up where it must).
 */
function compactDay(b: Uint8Array, at: number): number {
  // {"date":"
  if (
    b[at] !== 0x7b ||
    b[at + 1] !== QUOTE ||
    b[at + 2] !== 0x64 ||
    b[at + 3] !== 0x61 ||
    b[at + 4] !== 0x74 ||
    b[at + 5] !== 0x65 ||
    b[at + 6] !== QUOTE ||
    b[at + 7] !== COLON ||
    b[at + 8] !== QUOTE
  )
    return 0
  const s = at + 8
  if (b[s + 5] !== DASH || b[s + 8] !== DASH || b[s + 11] !== QUOTE) return 0
  let key = 0
  for (let i = 1; i <= 10; i++) {
    if (i === 5 || i === 8) continue
    const c = b[s + i] as number
    if (c < ZERO || c > NINE) return 0
    key = key * 10 + (c - ZERO)
  }
  // ,"count":
  const k = s + 12
  if (
    b[k] !== COMMA ||
    b[k + 1] !== QUOTE ||
    b[k + 2] !== 0x63 ||
    b[k + 3] !== 0x6f ||
    b[k + 4] !== 0x75 ||
    b[k + 5] !== 0x6e ||
    b[k + 6] !== 0x74 ||
    b[k + 7] !== QUOTE ||
    b[k + 8] !== COLON
  )
    return 0
  const first = k + 9
  let end = first
  let n = 0
  for (;;) {
    const c = b[end] as number
    if (c < ZERO || c > NINE) break
    n = n * 10 + (c - ZERO)
    end++
  }
  const digits = end - first
  if (digits === 0 || digits > 15 || (digits > 1 && b[first] === ZERO) || b[end] !== CLOSE_BRACE) return 0
  compactKey = key
  compactCount = n
  return end + 1
}

/** Printable ASCII bytes (checked by the scan) as a string. */
function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1')
}
