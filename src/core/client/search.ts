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

export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
}

export class SearchIndex {
  private readonly tokens: string[]
  /** Parallel to tokens: [entry index, field] pairs, flattened. */
  private readonly postings: Int32Array[]

  constructor(readonly entries: readonly CatalogEntry[]) {
    const map = new Map<string, number[]>()
    const add = (token: string, i: number, field: Field) => {
      let list = map.get(token)
      if (!list) map.set(token, (list = []))
      list.push(i, field)
    }
    entries.forEach((e, i) => {
      add(e.installName, i, Field.Name)
      if (e.name !== e.installName) add(e.name, i, Field.Name)
      for (const t of new Set([...tokenize(e.installName), ...tokenize(e.name)])) add(t, i, Field.NameToken)
      for (const tag of e.tags) {
        add(tag, i, Field.Tag)
        for (const t of tokenize(tag)) if (t !== tag) add(t, i, Field.Tag)
      }
      for (const t of new Set(tokenize(e.description))) add(t, i, Field.Description)
    })
    this.tokens = [...map.keys()].sort()
    this.postings = this.tokens.map((t) => Int32Array.from(map.get(t) as number[]))
  }

  search(query: string, options: SearchOptions = {}): SearchResult[] {
    const raw = query.normalize('NFKC').toLowerCase().trim()
    const terms = [...new Set([raw.replace(/\s+/g, '-'), ...tokenize(raw)])].filter((t) => t.length > 0)
    const limit = options.limit ?? 20
    if (terms.length === 0) return this.browse(options, limit)
    const words = tokenize(raw)
    // Every word must match somewhere (the whole hyphenated query is a bonus term, not required).
    const perEntry = new Map<number, { points: number; matched: Set<string> }>()
    for (const term of terms) {
      const best = new Map<number, number>()
      const [lo, hi] = this.prefixRange(term)
      for (let t = lo; t < hi; t++) {
        const exact = this.tokens[t] === term
        const list = this.postings[t] as Int32Array
        for (let k = 0; k < list.length; k += 2) {
          const i = list[k] as number
          const w = WEIGHTS[list[k + 1] as Field][exact ? 0 : 1]
          if (w > (best.get(i) ?? 0)) best.set(i, w)
        }
      }
      for (const [i, w] of best) {
        let acc = perEntry.get(i)
        if (!acc) perEntry.set(i, (acc = { points: 0, matched: new Set() }))
        acc.points += w
        acc.matched.add(term)
      }
    }
    const results: SearchResult[] = []
    for (const [i, acc] of perEntry) {
      if (!words.every((w) => acc.matched.has(w)) && !(terms[0] && acc.matched.has(terms[0]) && words.length > 1)) continue
      const entry = this.entries[i] as CatalogEntry
      if (options.type && entry.type !== options.type) continue
      results.push({ entry, relevance: acc.points + signal(entry) })
    }
    return rank(results).slice(0, limit)
  }

  private browse(options: SearchOptions, limit: number): SearchResult[] {
    const results = this.entries.filter((e) => !options.type || e.type === options.type).map((entry) => ({ entry, relevance: signal(entry) }))
    return rank(results).slice(0, limit)
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

function rank(results: SearchResult[]): SearchResult[] {
  return results.sort((a, b) => b.relevance - a.relevance || b.entry.downloads - a.entry.downloads || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0))
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
