// What the formula reads of a registry.json whose bytes are vouched for (registry-trust.ts): the
// canonical JSON a checked build or scores run wrote (core/registry/json.ts: keys sorted,
// two-space indentation, one member per line). In that layout each entry of `packages` is an
// object opening on a line of four spaces and `{`, its members one per line at six spaces, so a
// field is found by the native search for its line (`\n      "downloads": `) without a pass of
// JavaScript over the 13 MB (scanRegistry's byte walk costs about as much as JSON.parse).
// Anything the layout does not explain (a value of another shape, an entry without a required
// field, an old entry the reader would complete) gives undefined, and the caller scans or
// parses the file as before.
import type { EntrySpans, RegistryScan } from './registry-splice.js'
import type { ScoringEntry } from './signals.js'

const ENTRY_OPEN = Buffer.from('\n    {\n')
const ENTRY_CLOSE = Buffer.from('\n    }')
const PACKAGES_OPEN = Buffer.from('\n  "packages": [')
const line = (key: string, indent: number): Buffer => Buffer.from(`\n${' '.repeat(indent)}"${key}": `)
const FIELD = {
  commit: line('commit', 6),
  digest: line('digest', 6),
  downloads: line('downloads', 6),
  name: line('name', 6),
  publisher: line('publisher', 6),
  review: line('review', 6),
  score: line('score', 6),
  type: line('type', 6),
  updated_at: line('updated_at', 6),
  version: line('version', 6),
  versions: line('versions', 6)
} as const
const VERDICT = line('verdict', 8)
const ITEM_VERSION = line('version', 10)
const ITEM_PUBLISHED_AT = line('published_at', 10)
const OBJECT_CLOSE = Buffer.from('\n      }')
const ARRAY_CLOSE = Buffer.from('\n      ]')
const ITEM_OPEN = Buffer.from('\n        {\n')
const ITEM_CLOSE = Buffer.from('\n        }')

/**
 * The values of `type`, each kept as one string: ten thousand entries hold two strings, not ten
 * thousand (what lives to the end of a run is copied by each garbage collection on the way:
 * Scores in docs/benchmarks.md, eleventh pass). The schema allows no other value; another is kept as read.
 */
const TYPES = new Map<string, ScoringEntry['type']>([
  ['skill', 'skill'],
  ['mcp-server', 'mcp-server']
])

class Unexplained extends Error {}
const unexplained = (): never => {
  throw new Unexplained()
}

/** The scan of vouched-for bytes, or undefined when they are not in the layout this reader knows. */
export function scanVouchedRegistry(bytes: Uint8Array): RegistryScan | undefined {
  try {
    return new Lines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).scan()
  } catch (e) {
    if (e instanceof Unexplained) return undefined
    throw e
  }
}

class Lines {
  /**
   * The bytes up to the end of the entry being read: a search for a field the entry lacks stops
   * there instead of running on through every entry after it (to the end of the file when no
   * later entry has that field either).
   */
  private v: Buffer
  /** Where the entry being read starts, and where the search for its next field starts. */
  private start = 0
  private from = 0
  /** The previous entry's publisher: entries are sorted by id, so a publisher's entries follow each other. */
  private publisher = ''

  constructor(private readonly b: Buffer) {
    this.v = b
  }

  scan(): RegistryScan {
    const b = this.b
    const list = b.indexOf(PACKAGES_OPEN)
    if (list < 0 || b[0] !== 0x7b || b[1] !== 0x0a) unexplained()
    const entries: ScoringEntry[] = []
    const spans: EntrySpans[] = []
    // An empty list is `"packages": []` on its line.
    if (b[list + PACKAGES_OPEN.length] === 0x5d) return { entries, spans }
    let at = list + PACKAGES_OPEN.length
    for (;;) {
      if (b.indexOf(ENTRY_OPEN, at) !== at) unexplained()
      const end = b.indexOf(ENTRY_CLOSE, at + 1)
      if (end < 0) unexplained()
      this.entry(at, end, entries, spans)
      at = end + ENTRY_CLOSE.length
      // `},` then the next entry, or the end of the list.
      if (b[at] === 0x2c) {
        at++
        continue
      }
      if (b[at] !== 0x0a || b.indexOf('  ]', at + 1) !== at + 1) unexplained()
      return { entries, spans }
    }
  }

  /**
   * Where the line of the entry's field `key` starts, or -1 when the entry has none. Canonical
   * members are in sorted key order and the fields are asked for in that order, so each is
   * searched for from the one before it: the entry's bytes are passed over about once, not once
   * per field (fourteen searches from the entry's first byte were most of the scan). A field found
   * before that point means members out of order: not the layout this reader knows.
   */
  private next(key: Buffer): number {
    const at = this.v.indexOf(key, this.from)
    if (at >= 0) {
      this.from = at + key.length
      return at
    }
    if (this.from > this.start && this.v.indexOf(key, this.start) >= 0) unexplained()
    return -1
  }

  private entry(start: number, end: number, entries: ScoringEntry[], spans: EntrySpans[]): void {
    this.v = this.b.subarray(0, end)
    this.start = start
    this.from = start
    // In sorted key order (see next).
    const commit = this.next(FIELD.commit)
    const digest = this.next(FIELD.digest)
    const downloads = this.value(FIELD.downloads, this.next(FIELD.downloads), end)
    const name = this.string(FIELD.name, this.next(FIELD.name), end, true) as string
    const publisher = this.shared(this.string(FIELD.publisher, this.next(FIELD.publisher), end, true) as string, this.publisher)
    this.publisher = publisher
    const review = this.next(FIELD.review)
    let verdict: 'pass' | 'fail' | undefined
    if (review >= 0) {
      if (this.b[review + FIELD.review.length] !== 0x7b || this.b[review + FIELD.review.length + 1] !== 0x0a) return unexplained()
      const close = this.v.indexOf(OBJECT_CLOSE, review)
      if (close < 0) return unexplained()
      const at = this.v.indexOf(VERDICT, review)
      const read = this.string(VERDICT, at >= 0 && at < close ? at : -1, close, true)
      if (read !== 'pass' && read !== 'fail') return unexplained()
      verdict = read === 'pass' ? 'pass' : 'fail'
      // The review's own members (deeper lines) are not the entry's: the next field comes after them.
      this.from = close
    }
    const score = this.value(FIELD.score, this.next(FIELD.score), end)
    if (!downloads || !score) return unexplained()
    const typeText = this.string(FIELD.type, this.next(FIELD.type), end, true) as ScoringEntry['type']
    const type = TYPES.get(typeText) ?? typeText
    const updatedAt = this.string(FIELD.updated_at, this.next(FIELD.updated_at), end, false)
    const version = this.string(FIELD.version, this.next(FIELD.version), end, true) as string
    const versions = this.versions(this.next(FIELD.versions), end, version, updatedAt)
    const entry: ScoringEntry = { name, publisher, type, version, downloads: this.integer(downloads), score: this.score(score) }
    if (updatedAt !== undefined) entry.updated_at = updatedAt
    if (verdict !== undefined) entry.review = { verdict }
    if (versions) entry.versions = versions
    // An old entry (digest and commit, its version not in `versions`) is completed by the reader: not read here.
    if (digest >= 0 && commit >= 0 && !versions?.some((v) => v.version === entry.version)) return unexplained()
    entries.push(entry)
    spans.push({
      keys: -1,
      downloadsStart: downloads[0],
      downloadsEnd: downloads[1],
      scoreStart: score[0],
      scoreEnd: score[1],
      versions: versions ? versions.length : -1
    })
  }

  /**
   * `versions` of the entry ending at `end`, its line at `at` (-1: none): each item's version and
   * publication, in order. The current version's item repeats the entry's `version` and
   * `updated_at`: it holds those very strings.
   */
  private versions(at: number, end: number, version: string, updatedAt: string | undefined): ScoringEntry['versions'] {
    const b = this.v
    if (at < 0) return undefined
    const open = at + FIELD.versions.length
    if (b[open] !== 0x5b) return unexplained()
    if (b[open + 1] === 0x5d) return []
    const close = b.indexOf(ARRAY_CLOSE, open)
    if (close < 0 || close > end) return unexplained()
    // Gathered, then copied to a list of their exact length (a list grown by push from empty reserves 17 slots).
    const out: { version: string; published_at: string }[] = []
    let item = open + 1
    for (;;) {
      if (b.indexOf(ITEM_OPEN, item) !== item) return unexplained()
      const itemEnd = b.indexOf(ITEM_CLOSE, item)
      if (itemEnd < 0 || itemEnd > close) return unexplained()
      // An item's members are in sorted order too: published_at before version.
      const publishedAt = b.indexOf(ITEM_PUBLISHED_AT, item)
      const published = this.string(ITEM_PUBLISHED_AT, publishedAt < itemEnd ? publishedAt : -1, itemEnd, true) as string
      const versionAt = b.indexOf(ITEM_VERSION, publishedAt >= 0 ? publishedAt : item)
      out.push({
        version: this.shared(this.string(ITEM_VERSION, versionAt < itemEnd ? versionAt : -1, itemEnd, true) as string, version),
        published_at: this.shared(published, updatedAt)
      })
      item = itemEnd + ITEM_CLOSE.length
      if (b[item] === 0x2c) {
        item++
        continue
      }
      if (item !== close) return unexplained()
      return out.slice()
    }
  }

  /** `text`, or `same` when they are equal: one string kept instead of two equal ones. */
  private shared(text: string, same: string | undefined): string {
    return text === same ? same : text
  }

  /** [start, end) of the value on the line of `key` found at `at` (-1: none) before `to`, without the comma that ends it. */
  private value(key: Buffer, at: number, to: number): [number, number] | undefined {
    const b = this.b
    if (at < 0 || at >= to) return undefined
    const start = at + key.length
    let end = b.indexOf(0x0a, start)
    if (end < 0 || end > to) end = to
    if (b[end - 1] === 0x2c) end--
    return [start, end]
  }

  /** The string value on the line of `key` found at `at` (-1: none), as JSON.parse reads it; undefined when absent and not `required`. */
  private string(key: Buffer, at: number, to: number, required: boolean): string | undefined {
    const span = this.value(key, at, to)
    if (!span) return required ? unexplained() : undefined
    const [start, end] = span
    const b = this.b
    if (b[start] !== 0x22 || b[end - 1] !== 0x22 || end - start < 2) return unexplained()
    // Printable ASCII without an escape (every field read here, as the schema restricts them): the text itself.
    for (let i = start + 1; i < end - 1; i++) {
      const c = b[i] as number
      if (c < 0x20 || c > 0x7e || c === 0x5c || c === 0x22) return unexplained()
    }
    return b.toString('latin1', start + 1, end - 1)
  }

  /** A plain integer of at most 15 digits. */
  private integer([start, end]: [number, number]): number {
    const b = this.b
    if (end - start < 1 || end - start > 15 || (end - start > 1 && b[start] === 0x30)) return unexplained()
    let n = 0
    for (let i = start; i < end; i++) {
      const c = b[i] as number
      if (c < 0x30 || c > 0x39) return unexplained()
      n = n * 10 + (c - 0x30)
    }
    return n
  }

  /** `null` or a number spelt as JavaScript writes it. */
  private score([start, end]: [number, number]): number | null {
    const text = this.b.toString('latin1', start, end)
    if (text === 'null') return null
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]\d+)?$/.test(text)) return unexplained()
    const n = Number(text)
    if (String(n) !== text) return unexplained()
    return n
  }
}
