// The catalog's search index: compact JSON files a browser fetches only as a query needs them
// (docs/catalog.md, "Search index"; schemas/catalog-search-*.schema.json).
//
// - index.json: the header (package count, bucket count, the type codes).
// - shards/<key>.json: every token of one shard key (tokens.ts) and the packages it names. A
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
import { bucketCount, bucketOf, shardFile, shardKey, words } from './tokens.js'
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

/** Every file of the search index for these packages (any order in; the output is sorted). */
export function searchIndexFiles(packages: readonly SearchPackage[]): OutputFile[] {
  const ranked = [...packages].sort(compareRank)
  const buckets = bucketCount(ranked.length)
  const files: OutputFile[] = []

  // One pass in rank order: each shard's package list comes out ranked with no sort.
  const shards = new Map<string, { ids: string[]; scores: number[]; types: number[]; tokens: Map<string, number[]> }>()
  const docs = new Map<number, [string, unknown][]>()
  const counts: Record<string, number> = {}
  for (const p of ranked) {
    counts[p.type] = (counts[p.type] ?? 0) + 1
    for (const token of packageTokens(p)) {
      const key = shardKey(token)
      let shard = shards.get(key)
      if (!shard) shards.set(key, (shard = { ids: [], scores: [], types: [], tokens: new Map() }))
      if (shard.ids[shard.ids.length - 1] !== p.id) {
        shard.ids.push(p.id)
        shard.scores.push(scoreCode(p.score))
        shard.types.push(typeCode(p.type))
      }
      const at = shard.ids.length - 1
      const list = shard.tokens.get(token)
      if (list) list.push(at)
      else shard.tokens.set(token, [at])
    }
    const bucket = bucketOf(p.id, buckets)
    const doc = {
      type: p.type,
      version: p.version,
      score: p.score,
      description: cut(p.description, DOC_DESCRIPTION_MAX),
      tags: [...p.tags]
    }
    const inBucket = docs.get(bucket)
    if (inBucket) inBucket.push([p.id, doc])
    else docs.set(bucket, [[p.id, doc]])
  }

  files.push({
    area: 'site',
    path: SEARCH_HEADER,
    bytes: json({
      format: SEARCH_FORMAT,
      packages: ranked.length,
      buckets,
      prefix: 3,
      types: TYPE_CODES,
      counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)))
    })
  })
  const top = ranked.slice(0, TOP_COUNT)
  files.push({
    area: 'site',
    path: SEARCH_TOP,
    bytes: json({ ids: top.map((p) => p.id), scores: top.map((p) => scoreCode(p.score)), types: top.map((p) => typeCode(p.type)) })
  })
  for (const [key, shard] of shards) {
    const tokens = Object.fromEntries([...shard.tokens].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    files.push({
      area: 'site',
      path: shardPath(shardFile(key)),
      bytes: json({ ids: shard.ids, scores: shard.scores, types: shard.types, tokens })
    })
  }
  for (const [bucket, entries] of docs) {
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    files.push({ area: 'site', path: docsPath(bucket), bytes: json(Object.fromEntries(entries)) })
  }
  return files
}

/** At most `max` code points, cut at a word boundary when one is near, with an ellipsis. */
export function cut(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  const head = chars.slice(0, max - 1).join('')
  const space = head.lastIndexOf(' ')
  return `${space > max * 0.6 ? head.slice(0, space) : head}…`
}
