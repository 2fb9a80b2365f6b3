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

/** Points for an exact token match and for a prefix match, per field. */
const WEIGHTS: Record<Field, [exact: number, prefix: number]> = {
  [Field.Name]: [100, 60],
  [Field.NameToken]: [50, 30],
  [Field.Tag]: [40, 20],
  [Field.Description]: [10, 4]
}
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
  /** Parallel to tokens: entry index * 4 + field. */
  private readonly postings: number[][]
  private readonly points: Float64Array
  private readonly matched: Uint32Array
  private readonly termWeight: Float64Array

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
    this.postings = this.tokens.map((t) => map.get(t) as number[])
    this.points = new Float64Array(entries.length)
    this.matched = new Uint32Array(entries.length)
    this.termWeight = new Float64Array(entries.length)
  }

  search(query: string, options: SearchOptions = {}): SearchResult[] {
    const raw = query.normalize('NFKC').toLowerCase().trim()
    const words = [...new Set(tokenize(raw))].slice(0, 16)
    const limit = options.limit ?? 20
    if (words.length === 0) return this.browse(options, limit)
    // The whole query as one hyphenated name is a bonus term ("web deploy" finds web-deploy first).
    const joined = words.length > 1 ? words.join('-') : undefined
    const terms = joined ? [...words, joined] : words
    const { points, matched, termWeight } = this
    const touched: number[] = []
    const termTouched: number[] = []
    for (let w = 0; w < terms.length; w++) {
      const term = terms[w] as string
      const bit = 1 << w
      const [lo, hi] = this.prefixRange(term)
      // A prefix spans several tokens: an entry counts once per term, with its best field.
      termTouched.length = 0
      for (let t = lo; t < hi; t++) {
        const col = this.tokens[t] === term ? 0 : 1
        const list = this.postings[t] as number[]
        for (let k = 0; k < list.length; k++) {
          const code = list[k] as number
          const i = code >> 2
          const weight = WEIGHTS[(code & 3) as Field][col]
          const prev = termWeight[i] as number
          if (prev === 0) termTouched.push(i)
          if (weight > prev) termWeight[i] = weight
        }
      }
      for (const i of termTouched) {
        if (matched[i] === 0 && points[i] === 0) touched.push(i)
        points[i] = (points[i] as number) + (termWeight[i] as number)
        matched[i] = (matched[i] as number) | bit
        termWeight[i] = 0
      }
    }
    const all = (1 << words.length) - 1
    const top: SearchResult[] = []
    for (const i of touched) {
      const ok = ((matched[i] as number) & all) === all || (joined !== undefined && ((matched[i] as number) & (1 << words.length)) !== 0)
      const relevance = points[i] as number
      points[i] = 0
      matched[i] = 0
      if (!ok) continue
      const entry = this.entries[i] as CatalogEntry
      if (options.type && entry.type !== options.type) continue
      insertTop(top, { entry, relevance: relevance + signal(entry) }, limit)
    }
    return top
  }

  private browse(options: SearchOptions, limit: number): SearchResult[] {
    const top: SearchResult[] = []
    for (const entry of this.entries)
      if (!options.type || entry.type === options.type) insertTop(top, { entry, relevance: signal(entry) }, limit)
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
