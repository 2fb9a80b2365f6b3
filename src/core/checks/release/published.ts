// The versions the marketplace has published, from the base commit: the record that makes a
// published version immutable, and the digests the duplicate-content check compares. Read from
// the base (never the head), so a pull request cannot rewrite the history it is checked against.
//
// Two sources with one answer. The published-versions index (.registry/, see
// registry/published-index.ts) gives a review of a few packages what it needs in a few KB: the
// shards of the changed ids and of their digests, asked of git in one batch. registry.json is the
// source of truth and is read instead whenever the index cannot be trusted to say the same: no
// index (a marketplace built before it existed), a head built from another registry.json (stale),
// a shard missing or with other bytes than the head lists (partial or edited), or a directory
// source (no object ids to compare). The verdicts do not depend on which source answered.
//
// A registry.json that cannot be read or does not match its schema is a configuration error, not
// a finding: the file is generated, so no publisher can fix it, and without it the check could
// not tell a republished version from a new one. Failing closed keeps every review honest until
// a maintainer rebuilds or repairs it.
import type { PublishedVersion } from '../../../generated/schema-types.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import { FileTooLargeError } from '../../snapshot/types.js'
import { idOf, parseRegistry, publishedVersionsById, registryError } from '../../registry/read.js'
import {
  PUBLISHED_INDEX_FILE,
  PUBLISHED_INDEX_FORMAT,
  digestShardName,
  publishedShardName,
  shardHash,
  shardPath,
  type DigestShard,
  type PublishedIndex,
  type PublishedShard
} from '../../registry/published-index.js'
import { REGISTRY_FILE } from '../../marketplace/paths.js'
import validateIndex from '../../../generated/validators/published-index.js'
import validatePublishedShard from '../../../generated/validators/published-shard.js'
import validateDigestShard from '../../../generated/validators/digest-shard.js'

export type { PublishedVersion }

/** What the base commit has published, for the packages a review asked about. */
export interface Published {
  /** Which source answered: the index, registry.json, or neither (the base has no registry.json). */
  readonly source: 'index' | 'registry' | 'none'
  /** A package's published versions, newest first as the registry lists them (none for an unknown id). */
  versions(id: string): readonly PublishedVersion[]
  /** Ids of the packages with a published version of exactly these files, in registry.json's order. */
  holders(digest: string): Promise<readonly string[]>
}

/**
 * The upper bound on registry.json when it must be read whole: about the longest string a
 * JavaScript engine makes (V8: 2^29 - 24 characters), roughly 500,000 packages. A marketplace
 * that large reads the index, which this toolkit's build writes; the bound only stops a review
 * from trying what cannot succeed.
 */
export const MAX_REGISTRY_BYTES = 512 * 1024 * 1024
/** Far above any head or shard the build writes (a shard holds ~1/256 of the histories). */
const MAX_INDEX_FILE_BYTES = 64 * 1024 * 1024

/** Where digestShardName and publishedShardName put the shards, relative to the index folder. */
const DIGESTS_FOLDER = digestShardName('sha256:00').split('/')[0] as string
const PUBLISHED_FOLDER = publishedShardName('').split('/')[0] as string
/** Above this many shards, publishedPaths names their folder instead. */
const SHARDS_NAMED = 32

const NONE: Published = { source: 'none', versions: () => [], holders: () => Promise.resolve([]) }

/** The published record, with the histories of `ids` (the packages the review looks at) at hand. */
export async function readPublished(base: Snapshot, ids: readonly string[]): Promise<Published> {
  // One listing of what is read (a no-op when the review listed it with the changed packages).
  await base.prefetch?.(publishedPaths(ids))
  const registry = await base.stat(REGISTRY_FILE)
  if (!registry) return NONE
  const fromIndex = await IndexReader.open(base, registry)
  if (fromIndex) {
    const histories = await fromIndex.histories(ids)
    if (histories) return fromIndex.published(histories, () => readRegistry(base, registry))
  }
  return readRegistry(base, registry)
}

/**
 * What readPublished reads for the histories of `ids`: registry.json, the index head and the
 * shards of those ids, not the whole index folder (512 shards at any size past a few thousand
 * packages). The digest shards are listed when a digest is first asked about.
 */
export function publishedPaths(ids: readonly string[], options: { adding?: boolean } = {}): string[] {
  const shards = new Set(ids.map((id) => shardPath(publishedShardName(id))))
  return [
    REGISTRY_FILE,
    PUBLISHED_INDEX_FILE,
    // Past a few dozen shards, their folder (256 at most) is a shorter listing than the paths
    // named one by one, and keeps the review's listing of the base to one git command.
    ...(shards.size > SHARDS_NAMED ? [shardPath(PUBLISHED_FOLDER)] : shards),
    // A new package's digest is looked up there (the duplicate-content search): listed with the
    // rest rather than by a git command of its own when the first digest is asked about.
    ...(options.adding ? [shardPath(DIGESTS_FOLDER)] : [])
  ]
}

/** registry.json read whole: the source of truth, and the answer whenever the index is not usable. */
async function readRegistry(base: Snapshot, entry: TreeEntry): Promise<Published> {
  const broken = (reason: string, details: string[] = []) =>
    registryError(
      `${REGISTRY_FILE} on the base commit (${base.description})`,
      reason,
      'The version check reads the published versions from it: a maintainer must rebuild it with the build-registry action or restore the last good one.',
      details
    )
  if (entry.kind !== 'file') throw broken(`is a ${entry.kind}, not a regular file`)
  let bytes: Uint8Array
  try {
    bytes = await base.read(entry, MAX_REGISTRY_BYTES)
  } catch (e) {
    if (e instanceof FileTooLargeError)
      throw broken(
        `is ${e.size} bytes, more than the ${MAX_REGISTRY_BYTES} a review can read whole, and its published-versions index (${PUBLISHED_INDEX_FILE}) is missing or does not match it`
      )
    throw e
  }
  const read = parseRegistry(bytes)
  if (!read.ok) throw broken(read.reason, read.details)
  const byId = publishedVersionsById(read.registry)
  const byDigest = new Map<string, string[]>()
  for (const p of read.registry.packages) {
    for (const v of p.versions ?? []) {
      const holders = byDigest.get(v.digest) ?? []
      if (!holders.includes(idOf(p))) holders.push(idOf(p))
      byDigest.set(v.digest, holders)
    }
  }
  return {
    source: 'registry',
    versions: (id) => byId.get(id) ?? [],
    holders: (digest) => Promise.resolve(byDigest.get(digest) ?? [])
  }
}

/** The index of one base commit, once its head is known to belong to that commit's registry.json. */
class IndexReader {
  private readonly shards = new Map<string, Promise<unknown>>()

  private constructor(
    private readonly base: Snapshot,
    private readonly head: PublishedIndex
  ) {}

  /** The reader, or undefined when the index is absent, unreadable, of another format or stale. */
  static async open(base: Snapshot, registry: TreeEntry): Promise<IndexReader | undefined> {
    if (registry.kind !== 'file' || registry.oid === undefined) return undefined
    const entry = await base.stat(PUBLISHED_INDEX_FILE)
    if (entry?.kind !== 'file' || entry.size > MAX_INDEX_FILE_BYTES) return undefined
    const head = parsed(await base.read(entry, MAX_INDEX_FILE_BYTES))
    if (!validateIndex(head)) return undefined
    const index = head as PublishedIndex
    if (index.format !== PUBLISHED_INDEX_FORMAT || index.registry.object_id !== registry.oid) return undefined
    return new IndexReader(base, index)
  }

  /** The histories of `ids`, or undefined when a shard they need is missing or not the one listed. */
  async histories(ids: readonly string[]): Promise<Map<string, readonly PublishedVersion[]> | undefined> {
    const names = [...new Set(ids.map(publishedShardName))]
    // Asked all at once: the snapshot sends requests made in one tick to git in one write.
    const shards = await Promise.all(names.map((n) => this.shard(n, validatePublishedShard)))
    if (shards.some((s) => s === undefined)) return undefined
    const out = new Map<string, readonly PublishedVersion[]>()
    for (const id of ids) {
      const shard = shards[names.indexOf(publishedShardName(id))] as PublishedShard | null
      const versions = shard === null ? undefined : Object.hasOwn(shard.packages, id) ? shard.packages[id] : undefined
      out.set(id, versions ?? [])
    }
    return out
  }

  published(histories: Map<string, readonly PublishedVersion[]>, fallback: () => Promise<Published>): Published {
    let whole: Promise<Published> | undefined
    return {
      source: 'index',
      versions: (id) => {
        const known = histories.get(id)
        if (known === undefined) throw new Error(`the published versions of ${id} were not asked for`)
        return known
      },
      holders: async (digest) => {
        // The digest shards' folder, listed once for every digest asked about.
        await this.base.prefetch?.([shardPath(DIGESTS_FOLDER)])
        const shard = (await this.shard(digestShardName(digest), validateDigestShard)) as DigestShard | null | undefined
        // A digest shard that is not the one listed: registry.json answers instead.
        if (shard === undefined) return (await (whole ??= fallback())).holders(digest)
        return shard !== null && Object.hasOwn(shard.digests, digest) ? (shard.digests[digest] ?? []) : []
      }
    }
  }

  /** A shard's document; null when the head lists no such shard (no entries); undefined when it cannot be trusted. */
  private shard(name: string, validate: (doc: unknown) => boolean): Promise<unknown> {
    let pending = this.shards.get(name)
    if (!pending) {
      pending = this.load(name, validate)
      this.shards.set(name, pending)
    }
    return pending
  }

  private async load(name: string, validate: (doc: unknown) => boolean): Promise<unknown> {
    const listed = Object.hasOwn(this.head.shards, name) ? this.head.shards[name] : undefined
    if (listed === undefined) return null
    const entry = await this.base.stat(shardPath(name))
    if (entry?.kind !== 'file' || entry.size > MAX_INDEX_FILE_BYTES) return undefined
    const bytes = await this.base.read(entry, MAX_INDEX_FILE_BYTES)
    if (shardHash(bytes) !== listed) return undefined
    const doc = parsed(bytes)
    return validate(doc) ? doc : undefined
  }
}

function parsed(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
  } catch {
    return undefined
  }
}
