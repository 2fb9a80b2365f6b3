// The published-versions index: a small, sharded copy of what a pull-request review needs from
// registry.json, committed beside it by the registry build (build/published-index.ts writes it).
// registry.json is ~93 MB at 100,000 packages; a review of one package needs that package's
// version history and, for a new package, which packages already have its content digest. The
// index answers both by reading a few KB:
//
//   .registry/index.json             the head: the git blob id of the registry.json it was built
//                                    from, and every shard's SHA-256
//   .registry/published/<xx>.json    package id -> version history; xx = first byte of sha256(id)
//   .registry/digests/<xx>.json      content digest -> ids of the packages with it; xx = the
//                                    digest's first two hex digits
//
// The layout, the shard of a key, and the checks a reader makes before trusting a file are
// decided here once, for the build and the review.
import { createHash } from 'node:crypto'
import type { DigestShard, PublishedIndex, PublishedShard } from '../../generated/schema-types.js'

export type { DigestShard, PublishedIndex, PublishedShard }

import { PUBLISHED_INDEX_DIR } from '../marketplace/paths.js'

export { PUBLISHED_INDEX_DIR }
/** The head, relative to the root. */
export const PUBLISHED_INDEX_FILE = `${PUBLISHED_INDEX_DIR}/index.json`
export const PUBLISHED_INDEX_FORMAT = 1

/** A shard's path relative to the index folder, as the head lists it. */
export function publishedShardName(id: string): string {
  return `published/${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 2)}.json`
}

/** Digests are SHA-256 already: their own first byte spreads them evenly. */
export function digestShardName(digest: string): string {
  const hex = /^sha256:([0-9a-f]{2})/.exec(digest)?.[1]
  // Anything else cannot be in registry.json (its schema says so); it still gets a stable shard.
  return `digests/${hex ?? createHash('sha256').update(digest, 'utf8').digest('hex').slice(0, 2)}.json`
}

/** A shard's path relative to the marketplace root. */
export function shardPath(name: string): string {
  return `${PUBLISHED_INDEX_DIR}/${name}`
}

/** `sha256:<hex>` of a shard's bytes, as the head lists it. */
export function shardHash(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/**
 * The git blob id of `bytes` (what `git hash-object` prints) in the repository's object format:
 * the head records the registry.json it belongs to by the id a tree listing shows for it, so a
 * reader knows the index is current without reading the registry.
 */
export function gitBlobId(bytes: Uint8Array, format: 'sha1' | 'sha256'): string {
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** The object format of a repository, from the length of one of its object ids. */
export function objectFormatOf(oid: string): 'sha1' | 'sha256' {
  return oid.length === 64 ? 'sha256' : 'sha1'
}
