// Search over every registered marketplace's packages, ranked by where the query matched (the
// name first, then tags, then the description) with the quality score as a smaller signal and a
// failed review as a penalty. Single words find what a person means: a prefix (`depl`), one part
// of a hyphenated name (`deploy` finds `web-deploy`), a tag.
//
// Built once per catalog: every distinct token in a sorted array, each pointing at the packages
// and fields it occurs in, so a query term is two binary searches (its prefix range) instead of
// a scan of 100,000 descriptions.
import type { CatalogEntry } from './catalog.js'

export interface SearchResult {
  entry: CatalogEntry
  relevance: number
}

export interface SearchOptions {
  type?: 'skill' | 'mcp-server'
  limit?: number
}

const enum Field {
  Name = 0,
  NameToken = 1,
  Tag = 2,
  Description = 3
}

/** Points for an exact token match and for a prefix match, per field: [field * 2 + (prefix ? 1 : 0)]. */
const WEIGHTS = new Float64Array([100, 60, 50, 30, 40, 20, 10, 4])
const SCORE_WEIGHT = 15
const FAILED_REVIEW_PENALTY = 25

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/

export function tokenize(text: string): string[] {
  // The ASCII fast path matters: a 100,000-package index tokenizes every description.
  if (ASCII.test(text))
    return text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((t) => t.length > 0)
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
}

export class SearchIndex {
  private readonly tokens: string[]
  /** Token t's postings (entry index * 4 + field) are postings[offsets[t] .. offsets[t + 1]): flat typed arrays keep a query's inner loop cheap. */
  private readonly offsets: Uint32Array
  private readonly postings: Uint32Array
  /** Per entry: the score signal (quality score, failed-review penalty), computed once. */
  private readonly signals: Float64Array
  private readonly points: Float64Array
  private readonly matched: Uint32Array
  private readonly termWeight: Float64Array
  /** Scratch lists of entry indexes, reused by every query (no garbage per query). */
  private readonly touched: Uint32Array
  private readonly termTouched: Uint32Array

  constructor(readonly entries: readonly CatalogEntry[]) {
    const map = new Map<string, number[]>()
    const add = (token: string, i: number, field: Field) => {
      const list = map.get(token)
      if (list) list.push(i * 4 + field)
      else map.set(token, [i * 4 + field])
    }
    entries.forEach((e, i) => {
      add(e.installName, i, Field.Name)
      if (e.name !== e.installName) add(e.name, i, Field.Name)
      for (const t of tokenize(e.installName)) add(t, i, Field.NameToken)
      if (e.name !== e.installName) for (const t of tokenize(e.name)) add(t, i, Field.NameToken)
      for (const tag of e.tags) {
        add(tag, i, Field.Tag)
        if (tag.includes('-')) for (const t of tokenize(tag)) add(t, i, Field.Tag)
      }
      for (const t of tokenize(e.description)) add(t, i, Field.Description)
    })
    this.tokens = [...map.keys()].sort()
    this.offsets = new Uint32Array(this.tokens.length + 1)
    let total = 0
    this.tokens.forEach((t, i) => {
      this.offsets[i] = total
      total += (map.get(t) as number[]).length
    })
    this.offsets[this.tokens.length] = total
    this.postings = new Uint32Array(total)
    this.tokens.forEach((t, i) => this.postings.set(map.get(t) as number[], this.offsets[i]))
    this.signals = Float64Array.from(entries, signal)
    this.points = new Float64Array(entries.length)
    this.matched = new Uint32Array(entries.length)
    this.termWeight = new Float64Array(entries.length)
    this.touched = new Uint32Array(entries.length)
    this.termTouched = new Uint32Array(entries.length)
  }

  search(query: string, options: SearchOptions = {}): SearchResult[] {
    const raw = query.normalize('NFKC').toLowerCase().trim()
    const words = [...new Set(tokenize(raw))].slice(0, 16)
    const limit = options.limit ?? 20
    if (words.length === 0) return this.browse(options, limit)
    // The whole query as one hyphenated name is a bonus term ("web deploy" finds web-deploy first).
    const joined = words.length > 1 ? words.join('-') : undefined
    const terms = joined ? [...words, joined] : words
    const { points, matched, termWeight, postings, offsets, touched, termTouched } = this
    let touchedCount = 0
    for (let w = 0; w < terms.length; w++) {
      const term = terms[w] as string
      const bit = 1 << w
      const [lo, hi] = this.prefixRange(term)
      // A prefix spans several tokens: an entry counts once per term, with its best field.
      let termCount = 0
      for (let t = lo; t < hi; t++) {
        const col = this.tokens[t] === term ? 0 : 1
        const end = offsets[t + 1] as number
        for (let k = offsets[t] as number; k < end; k++) {
          const code = postings[k] as number
          const i = code >>> 2
          const weight = WEIGHTS[((code & 3) << 1) | col] as number
          const prev = termWeight[i] as number
          if (prev === 0) termTouched[termCount++] = i
          if (weight > prev) termWeight[i] = weight
        }
      }
      for (let n = 0; n < termCount; n++) {
        const i = termTouched[n] as number
        if (matched[i] === 0 && points[i] === 0) touched[touchedCount++] = i
        points[i] = (points[i] as number) + (termWeight[i] as number)
        matched[i] = (matched[i] as number) | bit
        termWeight[i] = 0
      }
    }
    const all = (1 << words.length) - 1
    const top: SearchResult[] = []
    for (let n = 0; n < touchedCount; n++) {
      const i = touched[n] as number
      const ok = ((matched[i] as number) & all) === all || (joined !== undefined && ((matched[i] as number) & (1 << words.length)) !== 0)
      const relevance = points[i] as number
      points[i] = 0
      matched[i] = 0
      if (!ok) continue
      const total = relevance + (this.signals[i] as number)
      // Most matches rank below the current top `limit`: skip them before touching the entry.
      if (top.length === limit && total < (top[limit - 1] as SearchResult).relevance) continue
      const entry = this.entries[i] as CatalogEntry
      if (options.type && entry.type !== options.type) continue
      insertTop(top, { entry, relevance: total }, limit)
    }
    return top
  }

  private browse(options: SearchOptions, limit: number): SearchResult[] {
    const top: SearchResult[] = []
    for (let i = 0; i < this.entries.length; i++) {
      const relevance = this.signals[i] as number
      if (top.length === limit && relevance < (top[limit - 1] as SearchResult).relevance) continue
      const entry = this.entries[i] as CatalogEntry
      if (!options.type || entry.type === options.type) insertTop(top, { entry, relevance }, limit)
    }
    return top
  }

  /** [first, end) of the tokens starting with the prefix. */
  private prefixRange(prefix: string): [number, number] {
    const lo = lowerBound(this.tokens, prefix)
    const hi = lowerBound(this.tokens, `${prefix}\uffff`)
    return [lo, hi]
  }
}

function signal(entry: CatalogEntry): number {
  return (entry.score ?? 0) * SCORE_WEIGHT - (entry.verdict === 'fail' ? FAILED_REVIEW_PENALTY : 0)
}

function before(a: SearchResult, b: SearchResult): boolean {
  if (a.relevance !== b.relevance) return a.relevance > b.relevance
  if (a.entry.downloads !== b.entry.downloads) return a.entry.downloads > b.entry.downloads
  return a.entry.id < b.entry.id
}

/** Keeps the best `limit` results in order: a full sort of 30,000 matches is most of a query's time. */
function insertTop(top: SearchResult[], r: SearchResult, limit: number): void {
  if (top.length === limit && !before(r, top[limit - 1] as SearchResult)) return
  let at = top.length
  while (at > 0 && before(r, top[at - 1] as SearchResult)) at--
  top.splice(at, 0, r)
  if (top.length > limit) top.pop()
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as string) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
