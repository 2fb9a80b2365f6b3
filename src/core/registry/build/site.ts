// The registry build's site stage: the Agent Skills discovery indexes (one for the marketplace, by
// install name; one per publisher, by plain name) and an artifact per published skill version (the
// format is skills-index.ts, the paths site-layout.ts). A skill published from the built commit's
// files brings the artifact the publish stage made as it read them. Any other skill's artifact is,
// in an incremental build, the one the last build wrote when its index lists it at this version's
// URL and the file still has the digest it recorded; failing that it is rebuilt from the files its
// registry entry publishes (the built commit's, or a withheld package's published commit), so an
// incremental build gives the bytes a full build gives.
import type { Finding } from '../../findings/findings.js'
import type { BuildContext } from './context.js'
import type { PackageRead } from './model.js'
import type { QualifiedNames } from './names.js'
import type { BuildMode, OutputFile } from './types.js'
import { finding } from '../../findings/findings.js'
import { PUBLISHERS_DIR, packageRef } from '../../marketplace/paths.js'
import type { TreeEntry } from '../../snapshot/types.js'
import { canonicalBytes } from '../json.js'
import { packageReads, type PackageReads } from './context.js'
import { forEachConcurrently, readAhead } from '../../concurrently.js'
import { listPublishers } from './sources.js'
import { idOf, type RegistryPackage } from './registry-json.js'
import { releaseFiles, type KeptReleases } from './releases.js'
import { settle, settleMade, type Emitter } from './emit.js'
import { aggregateOf } from './aggregate.js'
import type { AggregateShape } from './ledger.js'
import { NOJEKYLL_FILE, ROOT_INDEX, publisherIndex, publisherSiteDir, rootIndexUrl } from './site-layout.js'
import {
  buildSkillArtifact,
  indexDocument,
  indexEntry,
  publisherIndexUrl,
  readIndex,
  sha256Digest,
  type IndexEntry,
  type SkillArtifact
} from './skills-index.js'

/** A skill's artifact, or why it cannot have one (it stays in registry.json, out of the index). */
export type ArtifactOutcome = SkillArtifact | { problem: string }

export interface SiteInput {
  /** The registry's packages, sorted. */
  packages: readonly RegistryPackage[]
  names: QualifiedNames
  mode: BuildMode
  /** The artifacts of the skills published from the built commit's files, made as they were read. */
  artifacts: ReadonlyMap<string, ArtifactOutcome>
  /** Packages read in this build: only their problems are reported. */
  read: ReadonlySet<string>
  /** Read packages whose files at the built commit are not the ones published. */
  withheld: ReadonlySet<string>
  /** The file lists of the packages published from the built commit's files (releases.ts). */
  releases: Pick<KeptReleases, 'get'>
  /** Writes artifacts and release files as they are made (emit.ts). */
  emitter?: Emitter
}

/** Reusing the last build's artifacts is local file reads and hashes: many at once. */
const REUSE_CONCURRENCY = 64

export async function siteFiles(
  ctx: BuildContext,
  input: SiteInput
): Promise<{ files: OutputFile[]; findings: Finding[]; packagesRead: number; rootIds: string[]; rootShape?: AggregateShape }> {
  const reads = packageReads(ctx.config)
  const findings: Finding[] = []
  const files: OutputFile[] = [{ area: 'site', path: NOJEKYLL_FILE, bytes: new Uint8Array() }]
  const root: IndexEntry[] = []
  const rootIdOf = new Map<string, string>()
  const placed = new Map<string, SkillArtifact>()
  const byPublisher = new Map<string, IndexEntry[]>()
  const skills = input.packages.filter((p) => p.type === 'skill' && p.description !== undefined)
  const reused =
    input.mode === 'incremental'
      ? await reuseArtifacts(
          ctx,
          skills.filter((p) => !input.artifacts.has(idOf(p)))
        )
      : new Map<string, SkillArtifact>()
  const rebuilt = await rebuildArtifacts(
    ctx,
    reads,
    skills.filter((p) => !reused.has(idOf(p)) && !input.artifacts.has(idOf(p))),
    input.withheld
  )
  for (const p of skills) {
    const id = idOf(p)
    const artifact = reused.get(id) ?? input.artifacts.get(id) ?? rebuilt.get(id) ?? { problem: 'it was not built' }
    if ('problem' in artifact) {
      if (input.read.has(id)) {
        findings.push(
          finding(
            'registry/skill-not-indexed',
            { package: id, file: p.path },
            `${id} ${p.version} is not in the Agent Skills index: ${artifact.problem}`
          )
        )
      }
      continue
    }
    const file: OutputFile = { area: 'site', path: artifact.sitePath, ...(artifact.bytes ? { bytes: artifact.bytes } : {}) }
    files.push(input.emitter ? await input.emitter.emit(file) : file)
    placed.set(id, artifact)
    const own = byPublisher.get(p.publisher) ?? []
    byPublisher.set(p.publisher, own)
    const description = p.description ?? ''
    own.push(indexEntry(p.name, description, artifact, publisherIndexUrl(p, artifact.type)))
    const installName = input.names.get(id) ?? p.name
    rootIdOf.set(installName, id)
    root.push(indexEntry(installName, description, artifact, rootIndexUrl(artifact.sitePath)))
  }
  // The indexes are written as soon as they are made (emit.ts, settle): the ledger and the build
  // record keep their digests and the root index's layout, not their bytes.
  const rootDocument = indexDocument(root)
  const rootIndex = aggregateOf(rootDocument, 'skills')
  files.push((await settleMade(input.emitter, 'site', ROOT_INDEX, rootIndex)).file)
  for (const [login, entries] of byPublisher) {
    const bytes = canonicalBytes(indexDocument(entries))
    files.push(await settle(input.emitter, 'site', publisherIndex(login), [bytes]))
  }
  files.push(
    ...(await releaseFiles(ctx, reads, {
      packages: input.packages,
      contents: input.releases,
      artifacts: placed,
      ...(input.emitter ? { emitter: input.emitter } : {})
    }))
  )
  // The root index's ids in its order, for the build ledger (install names are unique).
  const rootIds = rootDocument.skills.map((e) => rootIdOf.get(e.name) ?? '')
  return { files, findings, packagesRead: reads.count, rootIds, ...(rootIndex.shape ? { rootShape: rootIndex.shape } : {}) }
}

/** The verified artifacts of the last build for these skills, by id (each publisher's index read once). */
async function reuseArtifacts(ctx: BuildContext, skills: readonly RegistryPackage[]): Promise<Map<string, SkillArtifact>> {
  const reused = new Map<string, SkillArtifact>()
  const previousIndexes = new Map<string, Promise<Map<string, IndexEntry> | undefined>>()
  await forEachConcurrently(skills, REUSE_CONCURRENCY, async (p) => {
    if (!previousIndexes.has(p.publisher))
      previousIndexes.set(p.publisher, ctx.outputs.read('site', publisherIndex(p.publisher)).then(readIndex))
    const artifact = await reuseArtifact(ctx, p, await previousIndexes.get(p.publisher))
    if (artifact) reused.set(idOf(p), artifact)
  })
  return reused
}

/** The artifact the last build wrote, when its index lists it at this version's URL and the file still has that digest. */
async function reuseArtifact(
  ctx: BuildContext,
  p: RegistryPackage,
  previous: Map<string, IndexEntry> | undefined
): Promise<SkillArtifact | undefined> {
  const listed = previous?.get(p.name)
  if (!listed || listed.url !== publisherIndexUrl(p, listed.type)) return undefined
  const sitePath = `${publisherSiteDir(p.publisher)}/${listed.url}`
  const bytes = await ctx.outputs.read('site', sitePath)
  if (!bytes || sha256Digest(bytes) !== listed.digest) return undefined
  return { type: listed.type, sitePath, digest: listed.digest }
}

/** Above this many artifacts to rebuild (an emptied site folder), one listing of every package beats one per package. */
const LIST_ALL_ABOVE = 50

/** The artifacts the last build's files do not provide, read from git a few packages ahead. */
async function rebuildArtifacts(
  ctx: BuildContext,
  reads: PackageReads,
  skills: readonly RegistryPackage[],
  withheld: ReadonlySet<string>
): Promise<Map<string, ArtifactOutcome>> {
  const listing = skills.length > LIST_ALL_ABOVE ? (await listPublishers(ctx.head)).packages : undefined
  const outcomes = readAhead(skills, (p) =>
    rebuildArtifact(ctx, reads, p, withheld, listing ? (listing.get(`${PUBLISHERS_DIR}/${p.publisher}/${p.name}`) ?? []) : undefined)
  )
  const rebuilt = new Map<string, ArtifactOutcome>()
  for (const p of skills) rebuilt.set(idOf(p), await outcomes.next())
  return rebuilt
}

/**
 * Builds a skill's artifact from the files its registry entry publishes (not the built commit's).
 * `listed`: the package's entries at the built commit when all were listed at once.
 */
async function rebuildArtifact(
  ctx: BuildContext,
  reads: PackageReads,
  p: RegistryPackage,
  withheld: ReadonlySet<string>,
  listed?: TreeEntry[]
): Promise<ArtifactOutcome> {
  const id = idOf(p)
  let pkg: PackageRead | undefined
  if (p.digest !== undefined) {
    // Usually the built commit still has the published files; a withheld package's are at its commit.
    const ref = packageRef(p.publisher, p.name)
    if (!withheld.has(id)) {
      const atHead = await reads.read(ctx.head, ref, listed)
      if (atHead.ok && atHead.pkg.digest === p.digest) pkg = atHead.pkg
    }
    if (!pkg && p.commit !== undefined) {
      const snapshot = await ctx.pool.existing(p.commit)
      const atCommit = snapshot && (await reads.read(snapshot, ref))
      if (atCommit?.ok && atCommit.pkg.digest === p.digest) pkg = atCommit.pkg
    }
  }
  if (!pkg) return { problem: `the files of version ${p.version} (digest ${p.digest ?? 'unknown'}) could not be read from git` }
  return buildSkillArtifact(p, pkg.files)
}
