// A package's manifest checked once per run for every check that reads it: validate reports its
// findings, version-bump reads its version (and where it stands) from the same parse. Parsing
// with positions is the costly part of a manifest (a review adding 300 packages parsed each one
// twice). The result depends only on the snapshot, the package, its listing and the config, so
// sharing it changes nothing; a bounded number are kept, since checks that read the same packages
// run side by side through them in the same order, and a re-audit of every package must not hold
// every parsed document.
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { PackageRef } from '../../marketplace/paths.js'
import type { ResolvedConfig } from '../../config/config.js'
import { checkManifest, type ManifestResult } from './manifest.js'

/** Far more than the packages two checks have in flight at once (32 each). */
const KEPT = 256

const kept = new WeakMap<Snapshot, WeakMap<ResolvedConfig, Map<string, Promise<ManifestResult>>>>()

/** checkManifest's result, from the run's earlier call when there was one; the findings list is the caller's own. */
export async function manifestOnce(
  snapshot: Snapshot,
  ref: PackageRef,
  files: TreeEntry[],
  config: ResolvedConfig
): Promise<ManifestResult> {
  let byConfig = kept.get(snapshot)
  if (!byConfig) kept.set(snapshot, (byConfig = new WeakMap()))
  let results = byConfig.get(config)
  if (!results) byConfig.set(config, (results = new Map()))
  // The listing decides what is read (or which finding says it is missing): part of the key.
  const key = `${ref.id}\0${files.map((f) => `${f.path}\0${f.oid ?? ''}\0${f.kind}`).join('\0')}`
  let result = results.get(key)
  if (result) {
    results.delete(key) // most recently used last
  } else {
    result = checkManifest(snapshot, ref, files, config)
    while (results.size >= KEPT) results.delete(results.keys().next().value as string)
  }
  results.set(key, result)
  const { findings, ...rest } = await result
  return { ...rest, findings: [...findings] }
}
