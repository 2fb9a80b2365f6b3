// registry.json after a scores run, without serialising it again. A scores run changes only each
// package's `downloads` and `score`; when the file it read is exactly the canonical JSON of what
// it parsed (core/registry/json.ts: keys sorted, two-space indentation, the engine's own spelling
// of every string and number), the canonical JSON of the updated registry is the same bytes with
// those values replaced. One pass over the bytes checks that they are canonical and notes where
// each package's two values are; anything it does not recognise as canonical (an escape other
// than the engine's, a key that is not plain ASCII, a number spelt another way, other spacing)
// gives undefined, and the caller serialises the registry as before. Same bytes either way.
//
// The same pass also reads what the formula needs of each entry (scanRegistry): a scores run then
// neither decodes nor parses the 13 MB file on its main thread. Those fields are schema-restricted
// ASCII; anything else in them (an escape, another type) gives undefined too, and the caller
// parses as before. The scan does not validate: the caller still checks the whole file against
// the schema before it writes anything (io/registry-check.ts).
import type { Registry, RegistryPackage } from '../../generated/schema-types.js'
import type { ScoringEntry } from './signals.js'
import { asciiBytes, NL, SPACE, QUOTE, COMMA, COLON, BACKSLASH } from './byte-scan.js'

class NotCanonical extends Error {}
const notCanonical = (): never => {
  throw new NotCanonical()
}

const PACKAGES = asciiBytes('packages')
const DOWNLOADS = asciiBytes('downloads')
const SCORE = asciiBytes('score')
const VERSIONS = asciiBytes('versions')
const NAME = asciiBytes('name')
const PUBLISHER = asciiBytes('publisher')
const TYPE = asciiBytes('type')
const VERSION = asciiBytes('version')
const UPDATED_AT = asciiBytes('updated_at')
const PUBLISHED_AT = asciiBytes('published_at')
const REVIEW = asciiBytes('review')
const VERDICT = asciiBytes('verdict')
const DIGEST = asciiBytes('digest')
const COMMIT = asciiBytes('commit')

/** A scanned registry: the entries as the formula reads them, and where their two values are. */
export interface RegistryScan {
  entries: ScoringEntry[]
  spans: EntrySpans[]
}

/**
 * What the scan notes of one package entry. Plain numbers, not a pair per value: ten thousand
 * entries' spans live from the scan to the splice, and each garbage collection on the way copied
 * the pairs (Scores in docs/benchmarks.md, eleventh pass).
 */
export interface EntrySpans {
  keys: number
  /** [start, end) of the two values; -1 when the entry has none. */
  downloadsStart: number
  downloadsEnd: number
  scoreStart: number
  scoreEnd: number
  /** Items of `versions`, -1 without one. */
  versions: number
}

/** The context of a value, for the few places the scan notes something. */
const Ctx = { Other: 0, Root: 1, Packages: 2, Entry: 3, Versions: 4, Review: 5, Version: 6 } as const
type Ctx = (typeof Ctx)[keyof typeof Ctx]

/**
 * The bytes of canonicalJson(after), when `bytes` are canonicalJson(before) and `after` differs
 * from `before` only in packages' `downloads` and `score` (the caller checked that with
 * scoreFieldProblems); undefined when the bytes are not recognised as canonical for `before`.
 * `changed` is false when every value is the same (the bytes are then `bytes` itself).
 */
export function spliceScores(bytes: Uint8Array, before: Registry, after: Registry): { bytes: Uint8Array; changed: boolean } | undefined {
  let entries: EntrySpans[]
  try {
    entries = new CanonicalScan(bytes, false).entries()
  } catch (e) {
    if (e instanceof NotCanonical) return undefined
    throw e
  }
  // The scan saw the parsed file; `before` is it with old entries' version history filled in
  // (core/registry/read.ts): any such entry differs in its keys or its versions.
  if (entries.length !== before.packages.length || after.packages.length !== before.packages.length) return undefined
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as EntrySpans
    const b = before.packages[i] as RegistryPackage
    if (e.keys !== Object.keys(b).length || e.versions !== (b.versions?.length ?? -1)) return undefined
  }
  return spliceAt(bytes, entries, after.packages)
}

/**
 * The entries of a canonical registry.json as the formula reads them, and where each one's
 * `downloads` and `score` are; undefined when the bytes are not recognised as canonical, when a
 * field the formula reads is not the plain value the schema allows, or when an entry is of the
 * old shape the reader completes (its current version missing from `versions`). The bytes are not
 * validated here.
 */
export function scanRegistry(bytes: Uint8Array): RegistryScan | undefined {
  try {
    const scan = new CanonicalScan(bytes, true)
    const spans = scan.entries()
    const entries = scan.scoring
    for (const e of entries) if (e.digest && e.commit && !e.entry.versions?.some((v) => v.version === e.entry.version)) return undefined
    return { entries: entries.map((e) => e.entry), spans }
  } catch (e) {
    if (e instanceof NotCanonical) return undefined
    throw e
  }
}

/**
 * The bytes of the registry whose canonical bytes are `bytes` (its entries at `spans`), with each
 * entry's `downloads` and `score` those of `after` (in the same order). `changed` is false when
 * every value is the same (the bytes are then `bytes` itself); undefined when the counts differ.
 *
 * `inPlace`: the result may be written over `bytes` when the memory after them (their
 * ArrayBuffer's spare bytes, io/read-whole.ts `room`) holds what the values grow by; the caller
 * must not read `bytes` afterwards. A fresh 13 MB buffer costs a page fault per 4 KB on the thread
 * that first writes it (some 70 ms on this machine class); the bytes read are already mapped.
 */
export function spliceAt(
  bytes: Uint8Array,
  spans: readonly EntrySpans[],
  after: readonly Pick<RegistryPackage, 'downloads' | 'score'>[],
  inPlace = false
): { bytes: Uint8Array; changed: boolean } | undefined {
  if (spans.length !== after.length) return undefined
  // The edits as flat lists (start, end, text), not a tuple each: twenty thousand values a run.
  const bounds: number[] = []
  const texts: string[] = []
  let grow = 0
  const edit = (start: number, end: number, value: number | null): void => {
    // A number or null: ASCII, one byte a character.
    const text = JSON.stringify(value)
    if (!sameText(bytes, start, end, text)) {
      bounds.push(start, end)
      texts.push(text)
      grow += text.length - (end - start)
    }
  }
  for (let i = 0; i < spans.length; i++) {
    const e = spans[i] as EntrySpans
    const a = after[i]
    if (!a || e.downloadsStart < 0 || e.scoreStart < 0) return undefined
    edit(e.downloadsStart, e.downloadsEnd, a.downloads)
    edit(e.scoreStart, e.scoreEnd, a.score)
  }
  if (!texts.length) return { bytes, changed: false }
  if (inPlace && bytes.buffer.byteLength - bytes.byteOffset >= bytes.length + grow)
    return { bytes: spliceInPlace(bytes, bounds, texts, grow), changed: true }
  // Copied through a plain view: a Buffer's subarray is a Buffer, costly twenty thousand times over.
  const src = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
  const out = new Uint8Array(bytes.length + grow)
  let from = 0
  let to = 0
  for (let k = 0; k < texts.length; k++) {
    const start = bounds[2 * k] as number
    const end = bounds[2 * k + 1] as number
    const replacement = texts[k] as string
    out.set(src.subarray(from, start), to)
    to += start - from
    writeAscii(out, to, replacement)
    to += replacement.length
    from = end
  }
  out.set(src.subarray(from), to)
  return { bytes: out, changed: true }
}

/**
 * The edits applied within `bytes`' own buffer. Each run of bytes between two edits moves once,
 * straight to where it ends up (by the sum of the edits before it): those moving left in order
 * from the start, then those moving right in order from the end. Where runs end up never
 * overlaps, so a run moving left writes only over bytes already moved or replaced (or over its
 * own, which copyWithin allows), and likewise to the right; the new values are written last.
 */
function spliceInPlace(bytes: Uint8Array, bounds: readonly number[], texts: readonly string[], grow: number): Uint8Array {
  // Over the bytes read and the result (shorter or longer): the last run is read up to the old end.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, Math.max(bytes.length, bytes.length + grow))
  const n = texts.length
  // shifts[k]: how far the run after edit k moves (the growth of edits 0..k).
  const shifts = new Float64Array(n)
  let shift = 0
  for (let k = 0; k < n; k++) {
    shift += (texts[k] as string).length - ((bounds[2 * k + 1] as number) - (bounds[2 * k] as number))
    shifts[k] = shift
  }
  const runEnd = (k: number): number => (k + 1 < n ? (bounds[2 * k + 2] as number) : bytes.length)
  for (let k = 0; k < n; k++) {
    const s = shifts[k] as number
    if (s < 0) view.copyWithin((bounds[2 * k + 1] as number) + s, bounds[2 * k + 1] as number, runEnd(k))
  }
  for (let k = n - 1; k >= 0; k--) {
    const s = shifts[k] as number
    if (s > 0) view.copyWithin((bounds[2 * k + 1] as number) + s, bounds[2 * k + 1] as number, runEnd(k))
  }
  for (let k = 0; k < n; k++) writeAscii(view, (bounds[2 * k] as number) + (k > 0 ? (shifts[k - 1] as number) : 0), texts[k] as string)
  return view.subarray(0, bytes.length + grow)
}

function writeAscii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i)
}

function sameText(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false
  return true
}

/** One entry as the scan reads it, with what decides whether the reader would complete it. */
interface ScannedEntry {
  entry: ScoringEntry
  digest: boolean
  commit: boolean
}

class CanonicalScan {
  private at = 0
  private readonly found: EntrySpans[] = []
  readonly scoring: ScannedEntry[] = []
  /** The object or array a captured value (an entry's `review`, `versions` or one version) was read into. */
  private captured: unknown

  /** `capture`: also read what the formula needs of each entry (scanRegistry). */
  constructor(
    private readonly b: Uint8Array,
    private readonly capture: boolean
  ) {}

  entries(): EntrySpans[] {
    this.value(0, Ctx.Root)
    if (this.b[this.at] !== NL || this.at + 1 !== this.b.length) notCanonical()
    return this.found
  }

  /** One value at `depth`; returns the number of members or items (objects and arrays). */
  private value(depth: number, ctx: Ctx): number {
    const c = this.b[this.at]
    if (c === 0x7b) return this.object(depth, ctx)
    if (c === 0x5b) return this.array(depth, ctx)
    if (c === QUOTE) this.string()
    else if (c === 0x74) this.literal('true')
    else if (c === 0x66) this.literal('false')
    else if (c === 0x6e) this.literal('null')
    else this.number()
    return 0
  }

  private object(depth: number, ctx: Ctx): number {
    const b = this.b
    this.at++
    const entry: EntrySpans | undefined =
      ctx === Ctx.Entry ? { keys: 0, downloadsStart: -1, downloadsEnd: -1, scoreStart: -1, scoreEnd: -1, versions: -1 } : undefined
    // What the formula reads: an entry's fields, its review's verdict, each version's number and date.
    const capture = this.capture && (ctx === Ctx.Entry || ctx === Ctx.Review || ctx === Ctx.Version)
    const fields: Record<string, unknown> = {}
    let digest = false
    let commit = false
    if (b[this.at] === 0x7d) {
      this.at++
      if (entry) notCanonical() // an entry without its required fields: for the schema to explain
      if (capture) this.captured = fields
      return 0
    }
    let members = 0
    let prevStart = -1
    let prevEnd = -1
    for (;;) {
      this.newline(depth + 1)
      const keyStart = this.at + 1
      this.key()
      const keyEnd = this.at - 1
      // Strictly increasing keys: sorted, and no key twice.
      if (prevStart >= 0 && compareBytes(b, prevStart, prevEnd, keyStart, keyEnd) >= 0) notCanonical()
      prevStart = keyStart
      prevEnd = keyEnd
      if (b[this.at] !== COLON || b[this.at + 1] !== SPACE) notCanonical()
      this.at += 2
      members++
      const valueStart = this.at
      let child: Ctx = Ctx.Other
      if (ctx === Ctx.Root && is(b, keyStart, keyEnd, PACKAGES)) child = Ctx.Packages
      else if (entry && is(b, keyStart, keyEnd, VERSIONS)) child = Ctx.Versions
      else if (capture && ctx === Ctx.Entry && is(b, keyStart, keyEnd, REVIEW)) child = Ctx.Review
      const captured = capture ? this.capturedKey(b, keyStart, keyEnd, ctx) : undefined
      let items = 0
      if (captured !== undefined && captured !== 'downloads' && captured !== 'score') fields[captured] = this.plainString()
      else {
        this.captured = undefined
        items = this.value(depth + 1, child)
      }
      if (entry) {
        if (is(b, keyStart, keyEnd, DOWNLOADS)) {
          entry.downloadsStart = valueStart
          entry.downloadsEnd = this.at
        } else if (is(b, keyStart, keyEnd, SCORE)) {
          entry.scoreStart = valueStart
          entry.scoreEnd = this.at
        } else if (child === Ctx.Versions) entry.versions = items
      }
      if (capture && ctx === Ctx.Entry) {
        if (captured === 'downloads') fields.downloads = this.integerAt(valueStart)
        else if (captured === 'score') fields.score = this.scoreAt(valueStart)
        else if (child === Ctx.Versions || child === Ctx.Review) {
          if (typeof this.captured !== 'object' || this.captured === null) notCanonical()
          fields[child === Ctx.Versions ? 'versions' : 'review'] = this.captured
        } else if (is(b, keyStart, keyEnd, DIGEST)) digest = true
        else if (is(b, keyStart, keyEnd, COMMIT)) commit = true
      }
      if (b[this.at] === COMMA) {
        this.at++
        continue
      }
      this.newline(depth)
      if (b[this.at] !== 0x7d) notCanonical()
      this.at++
      if (entry) {
        entry.keys = members
        this.found.push(entry)
      }
      if (capture) {
        if (ctx === Ctx.Entry) {
          // The fields every entry has (the schema's required ones the formula reads); without
          // one, the usual path explains what is wrong.
          if (fields.name === undefined || fields.publisher === undefined || fields.type === undefined) notCanonical()
          if (fields.version === undefined || fields.downloads === undefined || fields.score === undefined) notCanonical()
          this.scoring.push({ entry: fields as unknown as ScoringEntry, digest, commit })
        } else this.captured = fields
      }
      return members
    }
  }

  /** The field of `ctx` the formula reads that this key names, if any. */
  private capturedKey(b: Uint8Array, start: number, end: number, ctx: Ctx): string | undefined {
    if (ctx === Ctx.Entry) {
      if (is(b, start, end, NAME)) return 'name'
      if (is(b, start, end, PUBLISHER)) return 'publisher'
      if (is(b, start, end, TYPE)) return 'type'
      if (is(b, start, end, VERSION)) return 'version'
      if (is(b, start, end, UPDATED_AT)) return 'updated_at'
      if (is(b, start, end, DOWNLOADS)) return 'downloads'
      if (is(b, start, end, SCORE)) return 'score'
    } else if (ctx === Ctx.Review) {
      if (is(b, start, end, VERDICT)) return 'verdict'
    } else if (ctx === Ctx.Version) {
      if (is(b, start, end, VERSION)) return 'version'
      if (is(b, start, end, PUBLISHED_AT)) return 'published_at'
    }
    return undefined
  }

  /** A string of printable ASCII without an escape (what the schema allows in the fields read), as text. */
  private plainString(): string {
    const b = this.b
    if (b[this.at] !== QUOTE) notCanonical()
    const start = ++this.at
    for (;;) {
      const c = b[this.at++]
      if (c === QUOTE) break
      if (c === undefined || c < 0x20 || c > 0x7e || c === BACKSLASH) notCanonical()
    }
    return ascii(b, start, this.at - 1)
  }

  /** A plain integer value starting at `start` (the number already read), as a number. */
  private integerAt(start: number): number {
    this.at = start
    this.number()
    let n = 0
    for (let i = start; i < this.at; i++) {
      const c = this.b[i] as number
      if (c < 0x30 || c > 0x39 || i - start >= 15) notCanonical()
      n = n * 10 + (c - 0x30)
    }
    return n
  }

  /** `null` or a number (its spelling checked as canonical) starting at `start`. */
  private scoreAt(start: number): number | null {
    this.at = start
    if (this.b[start] === 0x6e) {
      this.literal('null')
      return null
    }
    const c = this.b[start] as number
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) notCanonical()
    this.number()
    return Number(ascii(this.b, start, this.at))
  }

  private array(depth: number, ctx: Ctx): number {
    const b = this.b
    this.at++
    const versions: unknown[] | undefined = this.capture && ctx === Ctx.Versions ? [] : undefined
    if (b[this.at] === 0x5d) {
      this.at++
      this.captured = versions
      return 0
    }
    let items = 0
    for (;;) {
      this.newline(depth + 1)
      // A non-array `versions` or `packages` is for the schema to refuse, not for this scan.
      if (ctx === Ctx.Packages && b[this.at] !== 0x7b) notCanonical()
      if (versions && b[this.at] !== 0x7b) notCanonical()
      this.value(depth + 1, ctx === Ctx.Packages ? Ctx.Entry : versions ? Ctx.Version : Ctx.Other)
      if (versions) versions.push(this.captured)
      items++
      if (b[this.at] === COMMA) {
        this.at++
        continue
      }
      this.newline(depth)
      if (b[this.at] !== 0x5d) notCanonical()
      this.at++
      this.captured = versions
      return items
    }
  }

  /** A line break and the indentation of `depth`. */
  private newline(depth: number): void {
    const b = this.b
    let at = this.at
    if (b[at++] !== NL) notCanonical()
    const end = at + depth * 2
    for (; at < end; at++) if (b[at] !== SPACE) notCanonical()
    this.at = at
  }

  /** A key: printable ASCII, no escape, not starting with a digit (JavaScript lists such keys first). */
  private key(): void {
    const b = this.b
    if (b[this.at] !== QUOTE) notCanonical()
    this.at++
    const first = b[this.at] as number
    if (first >= 0x30 && first <= 0x39) notCanonical()
    for (;;) {
      const c = b[this.at++]
      if (c === QUOTE) return
      if (c === undefined || c < 0x20 || c > 0x7e || c === BACKSLASH) notCanonical()
    }
  }

  /**
   * A string as JSON.stringify writes it: every character as it is except `"`, `\` and the
   * controls, escaped the short way where there is one and as \u00xx otherwise. (The bytes were
   * decoded as strict UTF-8 by the reader; a lone surrogate's escape is left to the slow path.)
   */
  private string(): void {
    const b = this.b
    // Most of the file's bytes are in strings: the cursor is a local here (this.at only at an escape and the end).
    let at = this.at + 1
    for (;;) {
      const c = b[at++]
      if (c === QUOTE) break
      if (c === undefined || c < 0x20) notCanonical()
      if (c !== BACKSLASH) continue
      this.at = at
      this.escape()
      at = this.at
    }
    this.at = at
  }

  /** The rest of an escape, the cursor after its backslash. */
  private escape(): void {
    const b = this.b
    const e = b[this.at++]
    if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) return
    // \u00xx for a control character without a short escape, in lower-case hex.
    if (e !== 0x75 || b[this.at] !== 0x30 || b[this.at + 1] !== 0x30) notCanonical()
    const hi = b[this.at + 2]
    const lo = b[this.at + 3] as number
    const low = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x57 : -1
    if ((hi !== 0x30 && hi !== 0x31) || low < 0) notCanonical()
    const code = (hi === 0x31 ? 16 : 0) + low
    if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) notCanonical()
    this.at += 4
  }

  private literal(w: string): void {
    for (let i = 0; i < w.length; i++) if (this.b[this.at + i] !== w.charCodeAt(i)) notCanonical()
    this.at += w.length
  }

  /** A number as JavaScript writes it: a plain integer directly, anything else compared with String(Number(...)). */
  private number(): void {
    const b = this.b
    const start = this.at
    let plain = true
    for (;;) {
      const c = b[this.at] as number
      if (c >= 0x30 && c <= 0x39) this.at++
      else if (c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) {
        plain = false
        this.at++
      } else break
    }
    const length = this.at - start
    if (length === 0) notCanonical()
    if (plain && length <= 15 && (length === 1 || b[start] !== 0x30)) return
    const text = ascii(b, start, this.at)
    // JSON.parse would refuse what Number reads leniently; both must agree on the spelling.
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text) || String(Number(text)) !== text) notCanonical()
  }
}

/** Bytes the scan checked are printable ASCII, as a string (short ones without a Buffer view each). */
function ascii(b: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = ''
    for (let i = start; i < end; i++) s += String.fromCharCode(b[i] as number)
    return s
  }
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1')
}

function is(b: Uint8Array, start: number, end: number, w: Uint8Array): boolean {
  if (end - start !== w.length) return false
  for (let i = 0; i < w.length; i++) if (b[start + i] !== w[i]) return false
  return true
}

/** Byte order of two ASCII keys, which is their UTF-16 order. */
function compareBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): number {
  const n = Math.min(e1 - s1, e2 - s2)
  for (let i = 0; i < n; i++) {
    const d = (b[s1 + i] as number) - (b[s2 + i] as number)
    if (d !== 0) return d
  }
  return e1 - s1 - (e2 - s2)
}
