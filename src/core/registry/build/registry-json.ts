// registry.json: the spec's index (`version: 2`, `updated_at`, `packages[]` with name, publisher,
// type, version, tags, downloads, score) extended with what clients need to fetch, verify and pin
// a package. What cannot be recomputed from the repository is carried over from the previous
// registry.json: downloads and score (written by aggregate-scores, never touched here), the
// history of published versions with their digests, and the publish dates.
//
// A version, once published, names one digest forever. For a package read at the built commit:
//   - same version and digest as published: unchanged (only the review record is read again);
//   - a version the history has with the same digest: a rollback to it (its commit and date);
//   - a version the history has with another digest: withheld, the last good entry stays;
//   - otherwise: a new version, stamped with the merge that introduced its files.
import type { PackageReview, PublishedVersion, Registry, RegistryPackage } from '../../../generated/schema-types.js'
import type { CommitStamp } from '../../git/history.js'
import type { PackageRead } from './model.js'
import type { PackageRef } from '../../marketplace/paths.js'
import validateRegistry from '../../../generated/validators/registry.js'
import { idOf, registryOrThrow } from '../read.js'
import { comparePaths } from '../../snapshot/types.js'
import { canonicalJson } from '../json.js'
import { REGISTRY_FILE } from '../../marketplace/paths.js'
import { ownString } from '../../own-string.js'

export type { Registry, RegistryPackage, PublishedVersion }

export const GENERATOR_NAME = 'marketplace-actions'

export { idOf }

/** The versions a previous entry records, newest first (the reader has filled in an old entry's). */
export function historyOf(prev: RegistryPackage | undefined): PublishedVersion[] {
  return [...(prev?.versions ?? [])]
}

export type Decision =
  | { kind: 'unchanged' }
  | { kind: 'new-version' }
  | { kind: 'rollback'; to: PublishedVersion }
  | { kind: 'version-reused'; published: PublishedVersion }

export function decide(prev: RegistryPackage | undefined, version: string, digest: string): Decision {
  if (prev && prev.version === version && prev.digest === digest && prev.commit !== undefined) return { kind: 'unchanged' }
  const published = historyOf(prev).find((v) => v.version === version)
  if (!published) return { kind: 'new-version' }
  return published.digest === digest ? { kind: 'rollback', to: published } : { kind: 'version-reused', published }
}

/** What an entry takes from the manifest. */
export type EntryManifest = Pick<
  PackageRead['manifest'],
  'description' | 'entrypoint' | 'homepage' | 'license' | 'min_signet_version' | 'repository' | 'tags' | 'type' | 'version'
>

/**
 * The manifest's values an entry is made of, each a string of its own: what the YAML parser gives
 * is cut out of the manifest's text and would keep all of it alive with the entry, to the end of
 * the build (~400 bytes a package, 40 MB at 100,000 packages, for a description of ~100).
 */
export function entryManifest(m: PackageRead['manifest']): EntryManifest {
  return {
    description: ownString(m.description),
    entrypoint: shared(m.entrypoint),
    ...(m.homepage !== undefined ? { homepage: ownString(m.homepage) } : {}),
    ...(m.license !== undefined ? { license: shared(m.license) } : {}),
    ...(m.min_signet_version !== undefined ? { min_signet_version: shared(m.min_signet_version) } : {}),
    ...(m.repository !== undefined ? { repository: ownString(m.repository) } : {}),
    ...(m.tags !== undefined ? { tags: m.tags.map(shared) } : {}),
    type: shared(m.type) as EntryManifest['type'],
    version: shared(m.version)
  }
}

/**
 * Values most packages share (a license, an entrypoint, a tag, `1.0.0`): one string for all the
 * entries that hold it, where each manifest's parse made its own (at 100,000 packages, about seven
 * of them an entry, ~18 MB held to the end of the build). Bounded: past SHARED_MAX distinct values
 * a value is owned as any other.
 */
const sharedValues = new Map<string, string>()
const SHARED_MAX = 20_000
const SHARED_LENGTH = 64

function shared(s: string): string {
  if (s.length > SHARED_LENGTH) return ownString(s)
  const known = sharedValues.get(s)
  if (known !== undefined) return known
  const own = ownString(s)
  if (sharedValues.size < SHARED_MAX) sharedValues.set(own, own)
  return own
}

/**
 * The ref an entry is made of, its strings its own: a ref's login and name are cut out of a
 * listing's path (and its id and folder are concatenations of them), which kept that path alive with
 * every entry to the end of the build. A login is shared by the entries of its packages.
 */
export function entryRef(ref: PackageRef): PackageRef {
  return { publisher: shared(ref.publisher), name: ownString(ref.name), id: ownString(ref.id), dir: ownString(ref.dir) }
}

/**
 * The entry for a package read at the built commit. `stamp` is the introducing merge for a new
 * version (required then); an unchanged or rolled-back version keeps the dates it was published with.
 */
export function publishedEntry(
  pkg: Pick<PackageRead, 'ref' | 'digest'> & { manifest: EntryManifest },
  prev: RegistryPackage | undefined,
  decision: Exclude<Decision, { kind: 'version-reused' }>,
  review: PackageReview | undefined,
  stamp?: CommitStamp
): RegistryPackage {
  const history = historyOf(prev)
  let current: PublishedVersion
  let versions: PublishedVersion[]
  if (decision.kind === 'new-version') {
    if (!stamp) throw new Error(`no publishing commit found for ${pkg.ref.id}`)
    current = { commit: stamp.commit, digest: pkg.digest, published_at: stamp.time, version: pkg.manifest.version }
    versions = [current, ...history]
  } else if (decision.kind === 'rollback') {
    current = decision.to
    versions = history
  } else {
    current = history.find((v) => v.version === pkg.manifest.version) ?? {
      commit: prev?.commit ?? '',
      digest: pkg.digest,
      published_at: prev?.updated_at ?? '',
      version: pkg.manifest.version
    }
    versions = history
  }
  // Keys in canonical (sorted) order, optional ones only when set: canonicalJson then writes the
  // entry as it is, where an entry in any other order is copied in sorted order first (at 10,000
  // entries, once for registry.json, once per page input and once per published-versions shard).
  const m = pkg.manifest
  const entry: RegistryPackage = {
    commit: current.commit,
    description: m.description,
    digest: pkg.digest,
    downloads: prev?.downloads ?? 0,
    entrypoint: m.entrypoint,
    ...(m.homepage !== undefined ? { homepage: m.homepage } : {}),
    ...(m.license !== undefined ? { license: m.license } : {}),
    ...(m.min_signet_version !== undefined ? { min_signet_version: m.min_signet_version } : {}),
    name: pkg.ref.name,
    path: pkg.ref.dir,
    published_at: prev?.published_at ?? versions[versions.length - 1]?.published_at ?? current.published_at,
    publisher: pkg.ref.publisher,
    ...(m.repository !== undefined ? { repository: m.repository } : {}),
    ...(review ? { review } : {}),
    score: prev?.score ?? null,
    tags: [...(m.tags ?? [])],
    type: m.type,
    updated_at: current.published_at,
    version: m.version,
    versions
  }
  return entry
}

export function sortPackages(packages: RegistryPackage[]): RegistryPackage[] {
  return packages.sort((a, b) => comparePaths(a.publisher, b.publisher) || comparePaths(a.name, b.name))
}

/**
 * The document. `updated_at` and `commit` move only when the content changed (the packages, or
 * the config's `stats_url` that clients read from it), or the previous file had no commit to build
 * on, so a rebuild with no content change writes the same bytes.
 */
export function registryDocument(
  packages: RegistryPackage[],
  prev: Registry | undefined,
  head: CommitStamp,
  toolVersion: string,
  statsUrl?: string
): Registry {
  const changed = !prev || prev.commit === undefined || prev.stats_url !== statsUrl || !sameEntries(prev.packages, packages)
  return documentWith(packages, prev, changed, head, toolVersion, statsUrl)
}

/** The document around `packages`; `changed`: its content differs from `prev`'s (registryDocument says when). */
export function documentWith(
  packages: RegistryPackage[],
  prev: Pick<Registry, 'commit' | 'updated_at'> | undefined,
  changed: boolean,
  head: CommitStamp,
  toolVersion: string,
  statsUrl?: string
): Registry {
  // Keys in canonical order (see publishedEntry).
  return {
    commit: changed || !prev?.commit ? head.commit : prev.commit,
    generator: { name: GENERATOR_NAME, version: toolVersion },
    packages,
    ...(statsUrl !== undefined ? { stats_url: statsUrl } : {}),
    updated_at: changed || !prev ? head.time : prev.updated_at,
    version: 2
  }
}

/**
 * Would the two lists serialise to the same bytes? An entry carried over from the previous
 * registry.json is the very object read from it, so only the entries made in this build are
 * serialised to compare: at 100,000 packages that spares two serialisations of the whole list.
 */
export function sameEntries(a: readonly RegistryPackage[], b: readonly RegistryPackage[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && canonicalJson(a[i]) !== canonicalJson(b[i])) return false
  return true
}

/** Schema problems of a document about to be written (an internal error if any). */
export function registryProblems(doc: Registry): string[] {
  if (validateRegistry(doc)) return []
  return (validateRegistry.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
}

/** The previous registry.json; a file that exists but does not match the schema stops the build. */
export function parsePreviousRegistry(bytes: Uint8Array): Registry {
  return registryOrThrow(
    bytes,
    `the existing ${REGISTRY_FILE}`,
    'It holds the download counts, scores and version history that cannot be rebuilt; restore the last good one from git history (or delete it to start a new history).'
  )
}
