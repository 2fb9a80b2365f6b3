// The catalog's search index: compact JSON files a browser fetches only as a query needs them
// (docs/catalog.md, "Search index"; schemas/catalog-search-*.schema.json).
//
// - index.json: the header (package count, bucket count, the type codes).
// - shards/<key>.json: every token of one shard key (tokens.ts; a crowded key is split by one more
//   character, and the header lists the keys split) and the packages it names. A
//   shard lists its packages once, in the catalog's rank order (score, then id), with their score
//   and type; a token maps to positions in that list, ascending, so a shard alone ranks, filters
//   by type and intersects its tokens.
// - docs/<bucket>.json: what a result shows (type, version, score, description, tags), packages
//   spread over buckets by a hash of their id, so showing a page of results fetches a few
//   kilobytes whatever the catalog's size.
// - top.json: the best-ranked packages, for filters without words.
//
// Every file is a pure function of the packages it covers, written compactly with keys in a fixed
// order, so a change to one package rewrites only the shards of its old and new tokens, its
// bucket, and the header and top list when their figures move.
import type { OutputFile } from '../types.js'
import { SHARD_PREFIX, bucketCount, bucketOf, shardFile, shardKey, words } from './tokens.js'
import { SEARCH_HEADER, SEARCH_TOP, docsPath, shardPath } from './layout.js'

export const SEARCH_FORMAT = 1
export const TYPE_CODES = ['skill', 'mcp-server'] as const
/** How many packages top.json lists. */
export const TOP_COUNT = 500
/** A result's description is cut here: the package page has all of it. */
export const DOC_DESCRIPTION_MAX = 200

export interface SearchPackage {
  id: string
  publisher: string
  name: string
  type: string
  version: string
  description: string
  tags: readonly string[]
  score: number | null
}

/** Scores as integers 0..1000 (-1: not scored yet), enough to rank and small to store. */
export function scoreCode(score: number | null): number {
  return score === null ? -1 : Math.round(score * 1000)
}

/** The catalog's order: best score first, unscored last, then by id. */
export function compareRank(a: SearchPackage, b: SearchPackage): number {
  const d = scoreCode(b.score) - scoreCode(a.score)
  return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The distinct tokens of a package: its name, publisher, description and tags, plus its filter tokens. */
export function packageTokens(p: SearchPackage): Set<string> {
  const tokens = new Set<string>(words(`${p.name} ${p.publisher} ${p.description} ${p.tags.join(' ')}`))
  for (const tag of p.tags) tokens.add(`#${tag.toLowerCase()}`)
  tokens.add(`@${p.publisher.toLowerCase()}`)
  return tokens
}

function typeCode(type: string): number {
  const i = (TYPE_CODES as readonly string[]).indexOf(type)
  return i < 0 ? TYPE_CODES.length : i
}

const json = (value: unknown): Uint8Array => Buffer.from(`${JSON.stringify(value)}\n`, 'utf8')

/** A shard naming more packages than this is split by one more character (see `split` in the header). */
export const SHARD_SPLIT = 2000

type Postings = Map<string, number[]>

/** Every file of the search index for these packages (any order in; the output is sorted). */
export function searchIndexFiles(packages: readonly SearchPackage[]): OutputFile[] {
  return [...eachSearchIndexFile(packages)]
}

/**
 * The same files one at a time, each made when the one before it has been taken: the build writes
 * each as it comes (the index is about 100 MB at 100,000 packages, and was held whole).
 */
export function* eachSearchIndexFile(packages: readonly SearchPackage[]): Generator<OutputFile> {
  const ranked = [...packages].sort(compareRank)
  const buckets = bucketCount(ranked.length)

  // Token -> ranks of the packages it names, ascending (one pass in rank order needs no sort).
  const postings: Postings = new Map()
  const docs = new Map<number, [string, unknown][]>()
  const counts: Record<string, number> = {}
  ranked.forEach((p, rank) => {
    counts[p.type] = (counts[p.type] ?? 0) + 1
    for (const token of packageTokens(p)) {
      const list = postings.get(token)
      if (list) list.push(rank)
      else postings.set(token, [rank])
    }
    const bucket = bucketOf(p.id, buckets)
    const inBucket = docs.get(bucket)
    if (inBucket) inBucket.push([p.id, docOf(p)])
    else docs.set(bucket, [[p.id, docOf(p)]])
  })

  // Tokens grouped by key; a group naming too many packages is split by one more character
  // (its tokens no longer than the key stay), so a rare word never drags a crowded prefix along.
  const groups = new Map<string, string[]>()
  for (const token of postings.keys()) {
    const key = shardKey(token)
    const group = groups.get(key)
    if (group) group.push(token)
    else groups.set(key, [token])
  }
  const split: string[] = []
  const shards = new Map<string, string[]>()
  const place = (key: string, tokens: string[]): void => {
    const distinct = new Set<number>()
    for (const t of tokens) for (const r of postings.get(t) as number[]) distinct.add(r)
    const longer = tokens.filter((t) => keyLength(t) > keyLength(key))
    if (distinct.size <= SHARD_SPLIT || longer.length === 0) {
      shards.set(key, tokens)
      return
    }
    split.push(key)
    const stay = tokens.filter((t) => keyLength(t) <= keyLength(key))
    if (stay.length) shards.set(key, stay)
    const next = new Map<string, string[]>()
    for (const t of longer) {
      const k = extendKey(t, key)
      const g = next.get(k)
      if (g) g.push(t)
      else next.set(k, [t])
    }
    for (const [k, g] of next) place(k, g)
  }
  for (const [key, tokens] of groups) place(key, tokens)

  yield {
    area: 'site',
    path: SEARCH_HEADER,
    bytes: json({
      format: SEARCH_FORMAT,
      packages: ranked.length,
      buckets,
      prefix: SHARD_PREFIX,
      split: split.sort(byCodeUnits),
      types: TYPE_CODES,
      counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => byCodeUnits(a, b)))
    })
  }
  const top = ranked.slice(0, TOP_COUNT)
  yield {
    area: 'site',
    path: SEARCH_TOP,
    bytes: json({ ids: top.map((p) => p.id), scores: top.map((p) => scoreCode(p.score)), types: top.map((p) => typeCode(p.type)) })
  }
  for (const [key, tokens] of shards) {
    // The shard's packages once each, in rank order; its tokens as positions in that list.
    const ranks = [...new Set(tokens.flatMap((t) => postings.get(t) as number[]))].sort((a, b) => a - b)
    const at = new Map(ranks.map((r, i) => [r, i]))
    const list = ranks.map((r) => ranked[r] as SearchPackage)
    const tokenMap = Object.fromEntries(
      tokens.sort(byCodeUnits).map((t) => [t, (postings.get(t) as number[]).map((r) => at.get(r) as number)])
    )
    yield {
      area: 'site',
      path: shardPath(shardFile(key)),
      bytes: json({
        ids: list.map((p) => p.id),
        scores: list.map((p) => scoreCode(p.score)),
        types: list.map((p) => typeCode(p.type)),
        tokens: tokenMap
      })
    }
  }
  for (const [bucket, entries] of docs) yield docsFile(bucket, entries)
}

/** What a result shows of a package (docs/<bucket>.json). */
function docOf(p: SearchPackage) {
  return { type: p.type, version: p.version, score: p.score, description: cut(p.description, DOC_DESCRIPTION_MAX), tags: [...p.tags] }
}

function docsFile(bucket: number, entries: [string, unknown][]): OutputFile {
  entries.sort(([a], [b]) => byCodeUnits(a, b))
  return { area: 'site', path: docsPath(bucket), bytes: json(Object.fromEntries(entries)) }
}

/**
 * Does a package's change from `a` to `b` leave every file of the index but its docs bucket as it
 * was? The shards, the header and top.json hold only tokens, ranks (score and id), types and
 * counts; the bucket holds the rest.
 */
export function onlyDocsChange(a: SearchPackage, b: SearchPackage): boolean {
  if (a.id !== b.id || a.type !== b.type || scoreCode(a.score) !== scoreCode(b.score)) return false
  const before = packageTokens(a)
  const after = packageTokens(b)
  return before.size === after.size && [...before].every((t) => after.has(t))
}

/**
 * The docs buckets of the packages `ids`, as searchIndexFiles writes them for `packages`: all of
 * them, or at least every member of those buckets when `buckets` (the count for all) is given.
 */
export function docsFiles(
  packages: readonly SearchPackage[],
  ids: readonly string[],
  buckets = bucketCount(packages.length)
): OutputFile[] {
  const wanted = new Set(ids.map((id) => bucketOf(id, buckets)))
  const docs = new Map<number, [string, unknown][]>([...wanted].map((b) => [b, []]))
  for (const p of packages) docs.get(bucketOf(p.id, buckets))?.push([p.id, docOf(p)])
  return [...docs].map(([bucket, entries]) => docsFile(bucket, entries))
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Characters after the sigil, in code points. */
function keyLength(s: string): number {
  const rest = s.startsWith('#') || s.startsWith('@') ? s.slice(1) : s
  return [...rest].length
}

/** The key one character longer than `key` on the way to `token`. */
function extendKey(token: string, key: string): string {
  const sigil = token.startsWith('#') || token.startsWith('@') ? token.charAt(0) : ''
  return sigil + [...token.slice(sigil.length)].slice(0, keyLength(key) + 1).join('')
}

/** At most `max` code points, cut at a word boundary when one is near, with an ellipsis. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const chars = [...text]
  if (chars.length <= max) return text
  const head = chars.slice(0, max - 1).join('')
  const space = head.lastIndexOf(' ')
  return `${space > max * 0.6 ? head.slice(0, space) : head}…`
}
