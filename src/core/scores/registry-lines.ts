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
  constructor(private readonly b: Buffer) {}

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

  private entry(start: number, end: number, entries: ScoringEntry[], spans: EntrySpans[]): void {
    const downloads = this.value(FIELD.downloads, start, end)
    const score = this.value(FIELD.score, start, end)
    if (!downloads || !score) return unexplained()
    const entry: ScoringEntry = {
      name: this.string(FIELD.name, start, end, true) as string,
      publisher: this.string(FIELD.publisher, start, end, true) as string,
      type: this.string(FIELD.type, start, end, true) as ScoringEntry['type'],
      version: this.string(FIELD.version, start, end, true) as string,
      downloads: this.integer(downloads),
      score: this.score(score)
    }
    const updatedAt = this.string(FIELD.updated_at, start, end, false)
    if (updatedAt !== undefined) entry.updated_at = updatedAt
    const review = this.b.indexOf(FIELD.review, start)
    if (review >= 0 && review < end) {
      if (this.b[review + FIELD.review.length] !== 0x7b || this.b[review + FIELD.review.length + 1] !== 0x0a) return unexplained()
      const close = this.b.indexOf(OBJECT_CLOSE, review)
      if (close < 0 || close > end) return unexplained()
      const verdict = this.string(VERDICT, review, close, true)
      if (verdict !== 'pass' && verdict !== 'fail') return unexplained()
      entry.review = { verdict }
    }
    const versions = this.versions(start, end)
    if (versions) entry.versions = versions
    // An old entry (digest and commit, its version not in `versions`) is completed by the reader: not read here.
    const digest = this.b.indexOf(FIELD.digest, start)
    const commit = this.b.indexOf(FIELD.commit, start)
    if (digest >= 0 && digest < end && commit >= 0 && commit < end && !versions?.some((v) => v.version === entry.version))
      return unexplained()
    entries.push(entry)
    spans.push({ keys: -1, downloads, score, versions: versions ? versions.length : -1 })
  }

  /** `versions` of the entry in [start, end): each item's version and publication, in order. */
  private versions(start: number, end: number): ScoringEntry['versions'] {
    const b = this.b
    const at = b.indexOf(FIELD.versions, start)
    if (at < 0 || at >= end) return undefined
    const open = at + FIELD.versions.length
    if (b[open] !== 0x5b) return unexplained()
    if (b[open + 1] === 0x5d) return []
    const close = b.indexOf(ARRAY_CLOSE, open)
    if (close < 0 || close > end) return unexplained()
    const out: { version: string; published_at: string }[] = []
    let item = open + 1
    for (;;) {
      if (b.indexOf(ITEM_OPEN, item) !== item) return unexplained()
      const itemEnd = b.indexOf(ITEM_CLOSE, item)
      if (itemEnd < 0 || itemEnd > close) return unexplained()
      out.push({
        version: this.string(ITEM_VERSION, item, itemEnd, true) as string,
        published_at: this.string(ITEM_PUBLISHED_AT, item, itemEnd, true) as string
      })
      item = itemEnd + ITEM_CLOSE.length
      if (b[item] === 0x2c) {
        item++
        continue
      }
      if (item !== close) return unexplained()
      return out
    }
  }

  /** [start, end) of the value on the line of `key` inside [from, to), without the comma that ends it. */
  private value(key: Buffer, from: number, to: number): [number, number] | undefined {
    const b = this.b
    const at = b.indexOf(key, from)
    if (at < 0 || at >= to) return undefined
    const start = at + key.length
    let end = b.indexOf(0x0a, start)
    if (end < 0 || end > to) end = to
    if (b[end - 1] === 0x2c) end--
    return [start, end]
  }

  /** A string value as JSON.parse reads it; undefined when absent and not `required`. */
  private string(key: Buffer, from: number, to: number, required: boolean): string | undefined {
    const span = this.value(key, from, to)
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
