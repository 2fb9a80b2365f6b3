// The registry build's published-versions index (../published-index.ts describes the layout):
// derived from the registry document alone, so it is exactly as current as the registry.json
// written with it, and the same registry always gives the same bytes. Every shard is computed on
// each build (a pass over the version histories, a fraction of serialising registry.json); the
// file writer rewrites only the shards whose bytes changed, and removes those no longer listed.
import type { OutputFile } from './types.js'
import { settle, type Emitter } from './emit.js'
import type { Registry, RegistryPackage } from './registry-json.js'
import type { ShardVersion } from '../../../generated/schema-types.js'
import { canonicalBytes } from '../json.js'
import { idOf, withVersionHistory } from '../read.js'
import {
  PUBLISHED_INDEX_FILE,
  PUBLISHED_INDEX_FORMAT,
  digestShardName,
  gitBlobId,
  publishedShardName,
  shardHash,
  shardPath,
  type DigestShard,
  type PublishedIndex,
  type PublishedShard
} from '../published-index.js'

/**
 * The head and every non-empty shard, for the registry whose exact bytes are `registryBytes`
 * (in a repository of `objectFormat`). Shards come first and the head last, so a build that
 * stops half-way leaves a head that does not match what is on disk, which readers detect.
 */
export function publishedIndexFiles(registry: Registry, registryBytes: Uint8Array, objectFormat: 'sha1' | 'sha256'): OutputFile[] {
  const files: OutputFile[] = []
  for (const { path, bytes } of publishedIndexDocs(registry, gitBlobId(registryBytes, objectFormat)))
    files.push({ area: 'root', path, bytes })
  return files
}

/**
 * The same files, each handed to the emitter as soon as it is made (the build holds none of them
 * to the end), for the registry whose git blob id is `registryObjectId`.
 */
export async function emitPublishedIndex(
  registry: Registry,
  registryObjectId: string,
  emitter: Emitter | undefined
): Promise<OutputFile[]> {
  const files: OutputFile[] = []
  for (const { path, bytes } of publishedIndexDocs(registry, registryObjectId)) files.push(await settle(emitter, 'root', path, [bytes]))
  return files
}

/**
 * The shards in path order, then the head. Each shard's document is made when it is written, from
 * the packages it holds (found by index in one pass): at 100,000 packages every shard made at once
 * was a copy of every version and a list per digest, held until the last shard was written.
 */
function* publishedIndexDocs(registry: Registry, registryObjectId: string): Generator<{ path: string; bytes: Uint8Array }> {
  const packages = withVersionHistory(registry).packages
  // In registry order, so the first holder a reader finds is the one registry.json lists first.
  const publishedAt = new Map<string, number[]>()
  const digestAt = new Map<string, number[]>()
  for (const [i, p] of packages.entries()) {
    at(publishedAt, publishedShardName(idOf(p)), i)
    for (const v of p.versions ?? []) at(digestAt, digestShardName(v.digest), i)
  }
  const shards: Record<string, string> = {}
  const names = [...publishedAt.keys(), ...digestAt.keys()].sort((a, b) => {
    const pa = shardPath(a)
    const pb = shardPath(b)
    return pa < pb ? -1 : pa > pb ? 1 : 0
  })
  for (const name of names) {
    const held = publishedAt.get(name)
    const bytes = canonicalBytes(
      held ? { packages: publishedShard(packages, held) } : { digests: digestShard(packages, digestAt.get(name) ?? [], name) }
    )
    shards[name] = shardHash(bytes)
    yield { path: shardPath(name), bytes }
  }
  const head: PublishedIndex = {
    format: PUBLISHED_INDEX_FORMAT,
    registry: { object_id: registryObjectId, packages: registry.packages.length },
    shards
  }
  yield { path: PUBLISHED_INDEX_FILE, bytes: canonicalBytes(head) }
}

/** Index `i` added to the list under `key`, once (a package's versions come one after another). */
function at(lists: Map<string, number[]>, key: string, i: number): void {
  const list = lists.get(key)
  if (!list) lists.set(key, [i])
  else if (list[list.length - 1] !== i) list.push(i)
}

/** A package's versions as a published-versions shard lists them (the full build and the one-package rebuild). */
export function shardVersions(p: RegistryPackage): ShardVersion[] {
  return (p.versions ?? []).map((v) => ({ version: v.version, digest: v.digest, commit: v.commit, published_at: v.published_at }))
}

/** A published-versions shard: each of its packages' versions (those of an id listed twice, together). */
function publishedShard(packages: readonly RegistryPackage[], held: readonly number[]): PublishedShard['packages'] {
  const shard: PublishedShard['packages'] = {}
  for (const i of held) {
    const p = packages[i] as RegistryPackage
    const id = idOf(p)
    shard[id] = [...(shard[id] ?? []), ...shardVersions(p)]
  }
  return shard
}

/** A digest shard: each digest's holders in registry order. */
function digestShard(packages: readonly RegistryPackage[], held: readonly number[], name: string): DigestShard['digests'] {
  const shard: DigestShard['digests'] = {}
  for (const i of held) {
    const p = packages[i] as RegistryPackage
    const id = idOf(p)
    for (const v of p.versions ?? []) {
      if (digestShardName(v.digest) !== name) continue
      const holders = (shard[v.digest] ??= [])
      if (!holders.includes(id)) holders.push(id)
    }
  }
  return shard
}
