// The registry build's published-versions index (../published-index.ts describes the layout):
// derived from the registry document alone, so it is exactly as current as the registry.json
// written with it, and the same registry always gives the same bytes. Every shard is computed on
// each build (a pass over the version histories, a fraction of serialising registry.json); the
// file writer rewrites only the shards whose bytes changed, and removes those no longer listed.
import type { OutputFile } from './types.js'
import { settle, type Emitter } from './emit.js'
import type { Registry } from './registry-json.js'
import { canonicalBytes } from '../json.js'
import { idOf, publishedVersionsById, withVersionHistory } from '../read.js'
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

/** The shards in path order, then the head. */
function* publishedIndexDocs(registry: Registry, registryObjectId: string): Generator<{ path: string; bytes: Uint8Array }> {
  const published = new Map<string, PublishedShard['packages']>()
  const digests = new Map<string, DigestShard['digests']>()
  const normalised = withVersionHistory(registry)
  for (const [id, versions] of publishedVersionsById(normalised)) {
    const name = publishedShardName(id)
    let shard = published.get(name)
    if (!shard) published.set(name, (shard = {}))
    shard[id] = versions.map((v) => ({ version: v.version, digest: v.digest, commit: v.commit, published_at: v.published_at }))
  }
  // In registry order, so the first holder a reader finds is the one registry.json lists first.
  for (const p of normalised.packages) {
    const id = idOf(p)
    for (const v of p.versions ?? []) {
      const name = digestShardName(v.digest)
      let shard = digests.get(name)
      if (!shard) digests.set(name, (shard = {}))
      const holders = (shard[v.digest] ??= [])
      if (!holders.includes(id)) holders.push(id)
    }
  }
  const shards: Record<string, string> = {}
  const names = [...published.keys(), ...digests.keys()].sort((a, b) => {
    const pa = shardPath(a)
    const pb = shardPath(b)
    return pa < pb ? -1 : pa > pb ? 1 : 0
  })
  for (const name of names) {
    const packages = published.get(name)
    const bytes = canonicalBytes(packages ? { packages } : { digests: digests.get(name) })
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
