// The registry build's publish stage: read each planned package at the built commit and decide
// what registry.json publishes for it (registry-json.ts holds the rules: a version names one digest
// forever). A new version, an unchanged one or a rollback is published from the built commit's
// files; a package that cannot be published from them (a broken manifest, a publisher folder that
// is not a login, a file above the size limit, changed files under a published version) is
// withheld: its last good entry stays, or it stays out if it never had one. Dropping a package
// because of a bad merge would break every install of it.
//
// The files of a package are needed for its skill artifact and its plugin entry too: both are made
// as it is read and the files are let go, so a large marketplace is never all in memory.
import type { Finding } from '../../findings/findings.js'
import type { BuildContext } from './context.js'
import type { Plan } from './plan.js'
import type { TreeEntry } from '../../snapshot/types.js'
import type { ArtifactOutcome } from './site.js'
import { finding } from '../../findings/findings.js'
import { commitFacts, introducedByParentDiff, introducingCommits, type CommitStamp } from '../../git/history.js'
import { MANIFEST_FILE, publisherDir, type PackageRef } from '../../marketplace/paths.js'
import { packageReads } from './context.js'
import { readAhead } from '../../concurrently.js'
import { pluginExtra, type Authors, type PluginExtra } from './claude-plugins.js'
import { type PackageRead, type ReadOutcome } from './model.js'
import {
  decide,
  entryManifest,
  entryRef,
  publishedEntry,
  type Decision,
  type EntryManifest,
  type PublishedVersion,
  type RegistryPackage
} from './registry-json.js'
import { summariseReview, type ReviewSummary } from './review-summary.js'
import { buildSkillArtifact } from './skills-index.js'
import { KeptReleases, releaseContent } from './releases.js'
import type { Emitter } from './emit.js'
import { publishedContent } from './catalog/content.js'
import { KeptContents } from './catalog/kept.js'

export interface Published {
  /** Every registry entry after this build, by id: the plan's carried entries and those of the packages read. */
  entries: ReadonlyMap<string, RegistryPackage>
  /** The built commit's id and time (the registry document's, when its packages changed). */
  headStamp: CommitStamp
  /** Packages read in this build, whatever came of them. */
  read: ReadonlySet<string>
  /** Read packages whose files at the built commit are not published: their last good version stays. */
  withheld: ReadonlySet<string>
  /** The skill artifacts of the packages published from the built commit's files. */
  artifacts: Map<string, ArtifactOutcome>
  /** The file lists (and MCP entrypoints) of the packages published from the built commit's files. */
  releases: KeptReleases
  /** The plugin extras of the packages published from the built commit's files. */
  extras: Map<string, PluginExtra>
  /**
   * What the catalog page of each package published from the built commit's files shows of them,
   * made while its files are in hand (when asked for, up to PAGE_CONTENT_BUDGET), so the catalog
   * need not read them again.
   */
  pageContents: KeptContents
  findings: Finding[]
  packagesRead: number
}

/**
 * How much the catalog's pages may keep of the packages' files from this stage to theirs
 * (compressed bytes, catalog/kept.ts): past it, a page reads its package from git again. Keeping
 * all of it held ~300 MB at 100,000 packages from the first package read to the last page made; a
 * 10,000-package marketplace's (about 9 MB deflated, 31 % of its JSON text) is kept whole.
 */
const PAGE_CONTENT_BUDGET = 32 * 1024 * 1024

/**
 * Skill artifacts made and not yet written, at most: with the archives gzipped on another thread,
 * this stage reads and renders the next packages meanwhile. An archive takes that thread about
 * 0.7 ms and a package this stage 0.5 ms, but on two cores the thread shares one with git and the
 * write thread: with 16 the stage waited 0.7-1.0 s a 10,000-package build for answers the thread
 * was late with, with 64 0.2 s (docs/benchmarks.md, full-build throughput, eighth round).
 */
export const ARCHIVES_AHEAD = 64

/**
 * The package files' bytes behind the artifacts in the making, at most (a package may be as large as
 * limits.package_bytes allows): the tar and gzip bytes held stay a few times this.
 */
export const ARCHIVE_BYTES_AHEAD = 8 * 1024 * 1024

/**
 * Packages read from git ahead of the one being published, at most: git answers a long queue
 * without the stage waiting on it. With 32 the stage still sat idle 1-2 s of a 10,000-package
 * build; 128 cost no memory at that size (docs/benchmarks.md, full-build throughput, ninth round).
 */
export const PACKAGES_AHEAD = 128

/**
 * What the packages read ahead may hold, at most (their files' sizes, or limits.package_bytes for a
 * package not listed yet): 32 packages as large as the default limits allow, as before the count rose.
 */
export const PACKAGE_BYTES_AHEAD = 16 * 1024 * 1024

/** The bytes a package's read will hold: its listed files (each read up to `cap`), or `cap` unlisted. */
export function packageWeight(entries: readonly TreeEntry[] | undefined, cap: number): number {
  if (!entries) return cap
  let bytes = 0
  for (const e of entries) bytes += Math.min(e.size, cap)
  return bytes
}

/** What the entry of a package read is made of, once its stamp is known: not its files nor its whole manifest. */
type Accepted = {
  pkg: Pick<PackageRead, 'ref' | 'digest'> & { manifest: EntryManifest }
  decision: Exclude<Decision, { kind: 'version-reused' }>
  summary: ReviewSummary | undefined
}

/**
 * `emitter`: writes each artifact as it is made, so only its path and digest stay in memory.
 * `pageContents`: keep what the catalog pages show of each package published from the built commit.
 */
export async function publishPackages(
  ctx: BuildContext,
  plan: Plan,
  authors: Authors,
  emitter?: Emitter,
  options: { pageContents?: boolean } = {}
): Promise<Published> {
  const reads = packageReads(ctx.config)
  const entries = new Map(plan.carried)
  const findings: Finding[] = []
  const read = new Set<string>()
  const withheld = new Set<string>()
  const artifacts = new Map<string, ArtifactOutcome>()
  const extras = new Map<string, PluginExtra>()
  const releases = new KeptReleases()
  const pageContents = new KeptContents(PAGE_CONTENT_BUDGET)
  const accepted: Accepted[] = []
  const withhold = (id: string, prev: RegistryPackage | undefined): void => {
    if (prev) {
      entries.set(id, prev)
      withheld.add(id)
    } else entries.delete(id)
  }

  // Artifacts being made (gzipped on another thread, ctx.gzip), settled and written in the
  // packages' order, so the build writes and records the same files in the same order either way.
  const making: { id: string; artifact: Promise<ArtifactOutcome>; bytes: number }[] = []
  let makingBytes = 0
  const settleOldest = async (): Promise<void> => {
    const { id, artifact, bytes } = making.shift() as (typeof making)[number]
    makingBytes -= bytes
    artifacts.set(id, await emitArtifact(await artifact, emitter))
  }

  const cap = ctx.config.limits.package_bytes
  const outcomes = readAhead(
    plan.targets,
    withAuthor((ref) => reads.read(ctx.head, ref, plan.listing?.packages.get(ref.dir)), authors),
    { count: PACKAGES_AHEAD, bytes: PACKAGE_BYTES_AHEAD, weigh: (ref) => packageWeight(plan.listing?.packages.get(ref.dir), cap) }
  )
  for (const target of plan.targets) {
    // What this build keeps of the package to its end is made of strings of its own (entryRef).
    const ref = entryRef(target)
    read.add(ref.id)
    const outcome = await outcomes.next()
    const prev = plan.previous.byId.get(ref.id)
    if (!outcome.ok) {
      findings.push(...outcome.findings, notPublished(ref, outcome, prev, ctx.headSha))
      withhold(ref.id, prev)
      continue
    }
    const pkg = outcome.pkg
    findings.push(...outcome.findings.filter((f) => f.severity !== 'error'))
    const decision = decide(prev, pkg.manifest.version, pkg.digest)
    if (decision.kind === 'version-reused') {
      findings.push(versionReused(pkg, decision.published, prev))
      withhold(ref.id, prev)
      continue
    }
    if (pkg.manifest.type === 'skill') {
      const artifact = buildSkillArtifact(identity(pkg), pkg.files, ctx.gzip)
      // Awaited in order below; until then a failure must not count as unhandled.
      artifact.catch(() => undefined)
      const bytes = pkg.files.reduce((n, f) => n + f.bytes.byteLength, 0)
      making.push({ id: ref.id, artifact, bytes })
      makingBytes += bytes
      while (making.length >= ARCHIVES_AHEAD || (making.length > 1 && makingBytes > ARCHIVE_BYTES_AHEAD)) await settleOldest()
    }
    releases.set(ref.id, releaseContent(pkg.manifest.type, pkg.manifest.entrypoint, pkg.files))
    if (options.pageContents && !pageContents.full) {
      pageContents.put(ref.id, await publishedContent(pkg.manifest.type, pkg.manifest.entrypoint, pkg.files))
      // Its page has what it needs: the package's listing is not looked at again.
      plan.listing?.packages.delete(ref.dir)
    }
    const plugin = await pluginExtra(pkg, authors)
    extras.set(ref.id, plugin.extra)
    if (plugin.problem) findings.push(plugin.problem)
    const summary = pkg.reviewRecord ? summariseReview(pkg.reviewRecord, pkg.ref, pkg.digest) : undefined
    accepted.push({ pkg: { ref, digest: pkg.digest, manifest: entryManifest(pkg.manifest) }, decision, summary })
  }
  while (making.length) await settleOldest()

  const newVersions = accepted.filter((a) => a.decision.kind === 'new-version').map((a) => a.pkg.ref.dir)
  const head = await commitFacts(ctx.pool.at(ctx.headSha))
  const headStamp = head.stamp
  const stamps = await introducedBy(ctx, plan.previous.registry?.commit, newVersions, head)
  for (const { pkg, decision, summary } of accepted) {
    if (summary) findings.push(...summary.findings)
    const prev = plan.previous.byId.get(pkg.ref.id)
    entries.set(pkg.ref.id, publishedEntry(pkg, prev, decision, summary?.review, stamps.get(pkg.ref.dir) ?? headStamp))
  }
  return { entries, headStamp, read, withheld, artifacts, releases, extras, pageContents, findings, packagesRead: reads.count }
}

/**
 * A package's read, started with its publisher's profile (the plugin author, which authors() keeps
 * for pluginExtra to take in the package's turn). Asked only in that turn, each new publisher's
 * profile went to git behind the files of the packages read ahead, and the stage waited idle for
 * that round trip: once per publisher, about 1 s of a 10,000-package build with 1,000 publishers
 * (docs/benchmarks.md, full-build throughput, ninth round).
 */
export function withAuthor(read: (ref: PackageRef) => Promise<ReadOutcome>, authors: Authors): (ref: PackageRef) => Promise<ReadOutcome> {
  return (ref) => {
    // A failure is seen where it was before: when pluginExtra awaits the same promise.
    authors(ref.publisher).catch(() => undefined)
    return read(ref)
  }
}

/** The merges that introduced new versions: since the last build first, the whole history for the rest. */
async function introducedBy(
  ctx: BuildContext,
  previousCommit: string | undefined,
  dirs: string[],
  head: { stamp: CommitStamp; parents: string[] }
): Promise<Map<string, CommitStamp>> {
  const since = previousCommit && (await ctx.history.isAncestor(previousCommit)) ? previousCommit : undefined
  // The last build's commit is the built commit's first parent, and the diff between them is known.
  const diff = since !== undefined && dirs.length && head.parents[0] === since ? ctx.history.askedSince(since) : undefined
  const found = diff ? introducedByParentDiff(await diff, dirs, head.stamp) : await introducingCommits(ctx.repo, ctx.headSha, dirs, since)
  const missing = dirs.filter((d) => !found.has(d))
  if (since !== undefined && missing.length) {
    for (const [dir, stamp] of await introducingCommits(ctx.repo, ctx.headSha, missing)) found.set(dir, stamp)
  }
  return found
}

/** The artifact without its bytes once the emitter has written them. */
export async function emitArtifact(artifact: ArtifactOutcome, emitter: Emitter | undefined): Promise<ArtifactOutcome> {
  if (!emitter || 'problem' in artifact || !artifact.bytes) return artifact
  const file = await emitter.emit({ area: 'site', path: artifact.sitePath, bytes: artifact.bytes })
  return file.bytes ? artifact : { type: artifact.type, sitePath: artifact.sitePath, digest: artifact.digest }
}

function kept(prev: RegistryPackage | undefined): string {
  return prev ? `the registry keeps serving version ${prev.version}` : 'it is left out of the indexes'
}

function notPublished(
  ref: PackageRef,
  outcome: Extract<ReadOutcome, { ok: false }>,
  prev: RegistryPackage | undefined,
  headSha: string
): Finding {
  const message = `${ref.id} cannot be published from ${headSha.slice(0, 12)}: ${outcome.detail}; ${kept(prev)}`
  if (outcome.problem === 'publisher')
    return finding('registry/publisher-invalid', { package: ref.id, file: publisherDir(ref.publisher) }, message)
  if (outcome.problem === 'unreadable') return finding('registry/package-unreadable', { package: ref.id, file: ref.dir }, message)
  return finding('registry/manifest-invalid', { package: ref.id, file: `${ref.dir}/${MANIFEST_FILE}` }, message)
}

function versionReused(pkg: PackageRead, published: PublishedVersion, prev: RegistryPackage | undefined): Finding {
  return finding(
    'registry/version-reused',
    { package: pkg.ref.id, file: `${pkg.ref.dir}/${MANIFEST_FILE}` },
    `the files of ${pkg.ref.id} ${published.version} changed (digest ${pkg.digest.slice(0, 19)}…, published as ${published.digest.slice(0, 19)}… at ${published.commit.slice(0, 12)}) but the version did not; ${kept(prev)}`
  )
}

function identity(pkg: PackageRead) {
  return { publisher: pkg.ref.publisher, name: pkg.ref.name, version: pkg.manifest.version }
}
