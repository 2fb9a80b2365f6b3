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
  // Each bucket's packages by rank; their docs are made when the bucket's file is (not all held at once).
  const docs = new Map<number, number[]>()
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
    if (inBucket) inBucket.push(rank)
    else docs.set(bucket, [rank])
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
  // Ranks are marked in one array for the whole index rather than gathered into a Set or a Map per
  // shard: a token every package has makes shards of 100,000 ranks, and their sets, maps and lists
  // were a few hundred MB of garbage at 100,000 packages, most of it large objects (old space).
  const seen = new Uint32Array(ranked.length)
  let stamp = 0
  const distinctCount = (tokens: readonly string[]): number => {
    stamp++
    let count = 0
    for (const t of tokens)
      for (const r of postings.get(t) as number[])
        if (seen[r] !== stamp) {
          seen[r] = stamp
          count++
        }
    return count
  }
  const place = (key: string, tokens: string[]): void => {
    const longer = tokens.filter((t) => keyLength(t) > keyLength(key))
    if (longer.length === 0 || distinctCount(tokens) <= SHARD_SPLIT) {
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
  // A rank's place in the shard being written.
  const position = new Int32Array(ranked.length)
  for (const [key, tokens] of shards) {
    // The shard's packages once each, in rank order; its tokens as positions in that list.
    const ranks = shardRanks(tokens, postings)
    const ids: string[] = []
    const scores: number[] = []
    const types: number[] = []
    for (const [i, r] of ranks.entries()) {
      position[r] = i
      const p = ranked[r] as SearchPackage
      ids.push(p.id)
      scores.push(scoreCode(p.score))
      types.push(typeCode(p.type))
    }
    const tokenMap = Object.fromEntries(
      tokens.sort(byCodeUnits).map((t) => [t, (postings.get(t) as number[]).map((r) => position[r] as number)])
    )
    yield { area: 'site', path: shardPath(shardFile(key)), bytes: json({ ids, scores, types, tokens: tokenMap }) }
  }
  for (const [bucket, ranks] of docs)
    yield docsFile(
      bucket,
      ranks.map((r) => [(ranked[r] as SearchPackage).id, docOf(ranked[r] as SearchPackage)])
    )
}

/** The distinct ranks of a shard's tokens, ascending, in one typed array (no boxed numbers, no Set). */
function shardRanks(tokens: readonly string[], postings: Postings): Int32Array {
  let total = 0
  for (const t of tokens) total += (postings.get(t) as number[]).length
  const all = new Int32Array(total)
  let at = 0
  for (const t of tokens) for (const r of postings.get(t) as number[]) all[at++] = r
  all.sort()
  let distinct = 0
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i] as number
  return all.subarray(0, distinct)
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
