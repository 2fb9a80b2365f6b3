// The version-bump check: every change to a published package is a release that installed users
// may pull, so it carries a higher version, and a version once published never names other files.
//
// Per changed package (base = merge base, head = the pull request):
// - modified: the head version is semver-greater than the base's; an equal version is an error
//   only when the content digest moved (a change git lists but the digest does not see, such as
//   the marketplace's review.json, is no release);
// - added: any valid version;
// - renamed or moved: a removal plus an addition, reported as such (the removal by the namespace
//   check);
// - added, renamed or bumped: a version registry.json already records must have the same digest.
// A manifest whose version cannot be read is validate's to report; this check then says nothing
// about its version.
import type { Check, CheckContext, CheckResult, PackageFacts } from '../check.js'
import type { ChangedPath, PackageChange } from '../../git/changes.js'
import type { ResolvedConfig } from '../../config/config.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import { FileTooLargeError } from '../../snapshot/types.js'
import { finding, type Finding, type Location } from '../../findings/findings.js'
import { manifestOnce } from '../validate/manifest-once.js'
import { packageDigest } from '../../marketplace/digest.js'
import { showName } from '../../marketplace/layout.js'
import { requireRange } from './range.js'
import { IN_FLIGHT, mapInOrder } from '../../concurrently.js'
import { GitSnapshot } from '../../git/git-snapshot.js'
import { manifestCommits, packagesWithManifestHistory } from '../../git/package-history.js'
import { readPublished, type Published, type PublishedVersion } from './published.js'
import { comparableVersion, compareVersions, describeNextVersions, highestVersion, isPrerelease, sameVersion } from './versions.js'
import { type PackageRef, REVIEW_RECORD_FILE, MANIFEST_FILE, PUBLISHERS_DIR, packageRef } from '../../marketplace/paths.js'

export const versionBumpCheck: Check = {
  id: 'version-bump',
  // Index shards, one walk of the base's history and a listing of every package folder.
  waitsOnGit: true,
  async run(ctx: CheckContext): Promise<CheckResult> {
    const { base, changes } = requireRange(ctx, 'version-bump')
    // Only a package that is (still) there at head can collide with a published version.
    const present = changes.packages.filter((p) => p.status !== 'deleted').map((p) => p.ref.id)
    const newcomers = changes.packages.filter((p) => p.status === 'added' || p.status === 'renamed')
    let byName: Promise<Map<string, PackageRef[]>> | undefined
    let withHistory: Promise<Set<string>> | undefined
    // One walk of the base's history answers, for every new package at once, whether it ever had a manifest.
    const hadManifest = (base: GitSnapshot): Promise<Set<string>> =>
      (withHistory ??= packagesWithManifestHistory(
        base.repoDir,
        base.commit,
        newcomers.map((p) => p.ref)
      ))
    // A pull request that adds packages needs both (unless every one of them is a version the
    // registry already records): asked of git now, they run while the packages are read and
    // digested instead of after the first digest.
    if (newcomers.length && base instanceof GitSnapshot) {
      hadManifest(base).catch(() => undefined) // awaited, and its failure seen, where it is used
      if (newcomers.some((p) => p.status === 'added')) (byName = packagesByName(base)).catch(() => undefined)
    }
    const published: Published | undefined = present.length ? await readPublished(base, present) : undefined
    const findings: Finding[] = []
    const packages: Record<string, PackageFacts> = {}
    // Past states are read one package at a time: each one is a git process of its own.
    let past: Promise<unknown> = Promise.resolve()
    const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
      const done = past.then(work, work)
      past = done.catch(() => undefined)
      return done
    }
    // Several packages at once, results in the changes' order: the index shards they ask the base
    // about go to git in one write per round instead of one round trip per package.
    const checked = await mapInOrder(changes.packages, IN_FLIGHT, async (change) => {
      const history = published && change.status !== 'deleted' ? published.versions(change.ref.id) : []
      const result = await checkRelease({ base, head: ctx.head, change, history, config: ctx.config, hadManifest, oneAtATime })
      if (change.status === 'added' && result.facts.digest !== undefined && published) {
        byName ??= packagesByName(base)
        const original = await sameContentElsewhere(base, change.ref, result.facts.digest, published, await byName, ctx.config)
        if (original) result.findings.push(duplicateFinding(change.ref, original))
      }
      return result
    })
    for (const [i, change] of changes.packages.entries()) {
      const result = checked[i] as (typeof checked)[number]
      findings.push(...result.findings)
      packages[change.ref.id] = result.facts
    }
    return { findings, packages }
  }
}

interface ReleaseInput {
  base: Snapshot
  head: Snapshot
  change: PackageChange
  /** The package's published versions on the base (registry.json's record), newest first. */
  history: readonly PublishedVersion[]
  config: ResolvedConfig
  hadManifest(base: GitSnapshot): Promise<Set<string>>
  /** Runs work that starts git processes of its own after the previous such work has finished. */
  oneAtATime<T>(work: () => Promise<T>): Promise<T>
}

/** One side of a package: its files and the version its manifest states. */
interface PackageState {
  files: TreeEntry[]
  version?: string
  /** Where `version` stands in manifest.yaml (or the manifest itself). */
  versionAt: Location
}

async function readState(snapshot: Snapshot, ref: PackageRef, config: ResolvedConfig): Promise<PackageState> {
  const files = await snapshot.walk(ref.dir)
  // The manifest check's safe parser (validate's parse of the same manifest, when it has run);
  // its findings are validate's to report, not ours.
  const manifest = await manifestOnce(snapshot, ref, files, config)
  const versionAt = manifest.fieldAt?.('version') ?? { package: ref.id, file: `${ref.dir}/${MANIFEST_FILE}` }
  const version = comparableVersion(manifest.manifest?.version)
  return version === undefined ? { files, versionAt } : { files, version, versionAt }
}

/** The content digest, or undefined when a file is too large to read (the size rules report that). */
async function digestOf(snapshot: Snapshot, ref: PackageRef, files: TreeEntry[], config: ResolvedConfig): Promise<string | undefined> {
  try {
    return await packageDigest(snapshot, ref, files, Math.max(config.limits.file_bytes, config.limits.package_bytes))
  } catch (e) {
    if (e instanceof FileTooLargeError) return undefined
    throw e
  }
}

async function checkRelease(input: ReleaseInput): Promise<{ findings: Finding[]; facts: PackageFacts }> {
  const { base, head, change, config } = input
  const { ref } = change
  const facts: PackageFacts = {}
  const findings: Finding[] = []

  // What the base had: the version a modified or deleted package had before.
  const before = change.status === 'modified' || change.status === 'deleted' ? await readState(base, ref, config) : undefined
  if (before?.version !== undefined) facts.previous_version = before.version
  // The removal itself is reported by the namespace check, which knows whether it is allowed.
  if (change.status === 'deleted') return { findings, facts }

  if (change.status === 'renamed' && change.renamedFrom) {
    const old = await readState(base, change.renamedFrom, config)
    findings.push(renamedFinding(ref, change.renamedFrom, old.version))
  }

  const after = await readState(head, ref, config)
  const headDigest = await digestOf(head, ref, after.files, config)
  if (headDigest !== undefined) facts.digest = headDigest
  const version = after.version
  if (version === undefined) return { findings, facts }
  facts.version = version
  const history = input.history
  /** Suggestions start above everything already used: the base's version and every published one. */
  const suggestFrom = (v: string) => highestVersion([v, ...history.map((h) => h.version)]) ?? v

  // An unreadable base version (a broken manifest a maintainer merged) leaves nothing to compare;
  // the registry below still guards the versions already published.
  if (before?.version !== undefined) {
    const order = compareVersions(version, before.version)
    if (order < 0) {
      findings.push(downgradeFinding(after, version, before.version, suggestFrom(before.version)))
      return { findings, facts }
    }
    if (order === 0) {
      const baseDigest = await digestOf(base, ref, before.files, config)
      // Without both digests (a file over the size limit), the diff's list decides.
      const changed =
        baseDigest !== undefined && headDigest !== undefined ? baseDigest !== headDigest : change.paths.some((p) => !isReviewRecord(ref, p))
      if (changed) findings.push(notBumpedFinding(after, version, before.version, change, suggestFrom(before.version)))
      return { findings, facts }
    }
  }

  const recorded = history.find((v) => sameVersion(v.version, version))
  // A new package (or a new name) the registry does not know may still have been published
  // before and removed: git remembers the versions its manifest named.
  if (
    !recorded &&
    change.status !== 'modified' &&
    headDigest !== undefined &&
    base instanceof GitSnapshot &&
    (await input.hadManifest(base)).has(ref.id)
  ) {
    const earlier = await input.oneAtATime(() => earlierRelease(base, ref, version, headDigest, config))
    if (earlier) {
      findings.push(
        finding(
          'version/republished',
          after.versionAt,
          `version ${version} of ${showName(ref.id)} was already published with other files (commit ${earlier.slice(0, 12)} of the base branch, before the package was removed; ` +
            `these files are ${shortDigest(headDigest)}): a version always names the same files, so users who installed ${version} then would get different files now`,
          `Publish these files as a new version: set \`version\` in ${MANIFEST_FILE} to ${describeNextVersions(suggestFrom(version))}.`
        )
      )
    }
  }
  if (recorded && headDigest !== undefined && recorded.digest !== headDigest) {
    findings.push(
      finding(
        'version/republished',
        after.versionAt,
        `version ${version} of ${showName(ref.id)} was already published with other files (registry.json records ${shortDigest(recorded.digest)}, ` +
          `published ${recorded.published_at} in commit ${recorded.commit.slice(0, 12)}; these files are ${shortDigest(headDigest)}): a published version never changes, ` +
          `so users who installed ${recorded.version} would get different files under the same version`,
        `Publish these files as a new version: set \`version\` in ${MANIFEST_FILE} to ${describeNextVersions(suggestFrom(version))}.`
      )
    )
  }
  return { findings, facts }
}

/**
 * Another publisher's package with exactly these files (same content digest): from the published
 * record (every version registry.json lists), and by digesting the base's packages of the same name.
 */
async function sameContentElsewhere(
  base: Snapshot,
  ref: PackageRef,
  digest: string,
  published: Published,
  byName: Map<string, PackageRef[]>,
  config: ResolvedConfig
): Promise<string | undefined> {
  for (const id of await published.holders(digest)) {
    if (id.split('/')[0]?.toLowerCase() !== ref.publisher.toLowerCase()) return id
  }
  const others = (byName.get(ref.name) ?? []).filter((other) => other.publisher.toLowerCase() !== ref.publisher.toLowerCase())
  await base.prefetch?.(others.map((o) => o.dir))
  for (const other of others) {
    const files = await base.walk(other.dir)
    if (files.length === 0) continue
    if ((await digestOf(base, other, files, config)) === digest) return other.id
  }
  return undefined
}

/**
 * The base's package folders by name, in path order. From git, one listing of every folder under
 * publishers/ for the whole run: asking each publisher for a folder of each added package's name
 * would cost a git command per publisher per package.
 */
async function packagesByName(base: Snapshot): Promise<Map<string, PackageRef[]>> {
  const byName = new Map<string, PackageRef[]>()
  const add = (login: string, name: string) => {
    const refs = byName.get(name) ?? []
    byName.set(name, refs)
    refs.push(packageRef(login, name))
  }
  if (base instanceof GitSnapshot) {
    for (const dir of await base.directories(PUBLISHERS_DIR)) {
      const parts = dir.path.split('/')
      if (parts.length === 3) add(parts[1] as string, parts[2] as string)
    }
    return byName
  }
  for (const publisher of await base.list(PUBLISHERS_DIR)) {
    if (publisher.kind !== 'directory') continue
    for (const child of await base.list(publisher.path)) {
      if (child.kind === 'directory') add(publisher.path.slice(PUBLISHERS_DIR.length + 1), child.path.slice(publisher.path.length + 1))
    }
  }
  return byName
}

function duplicateFinding(ref: PackageRef, original: string): Finding {
  return finding(
    'namespace/duplicate-content',
    { package: ref.id, file: ref.dir },
    `${showName(ref.id)} has exactly the files of ${showName(original)} (the same content digest), which another publisher already has in the marketplace`,
    `Nothing to fix for a fork made with ${showName(original.split('/')[0] ?? '')}'s consent: say so in the pull request. Otherwise install ${showName(original)} instead of publishing a copy.`
  )
}

/** The base-history commit where the package had `version` with other files, if any. */
async function earlierRelease(
  base: GitSnapshot,
  ref: PackageRef,
  version: string,
  digest: string,
  config: ResolvedConfig
): Promise<string | undefined> {
  for (const commit of await manifestCommits(base.repoDir, base.commit, ref)) {
    const past = new GitSnapshot(base.repoDir, commit)
    try {
      const state = await readState(past, ref, config)
      if (state.version === undefined || !sameVersion(state.version, version)) continue
      const pastDigest = await digestOf(past, ref, state.files, config)
      if (pastDigest !== undefined && pastDigest !== digest) return commit
    } finally {
      await past.close()
    }
  }
  return undefined
}

function downgradeFinding(after: PackageState, version: string, baseVersion: string, from: string): Finding {
  const why = isPrerelease(version) && !isPrerelease(baseVersion) ? ' (a prerelease comes before its release)' : ''
  return finding(
    'version/downgrade',
    after.versionAt,
    `version ${version} is lower than ${baseVersion} on the base commit${why}: clients keep the highest version, so this change would never be installed`,
    `Set \`version\` in ${MANIFEST_FILE} above ${baseVersion}: ${describeNextVersions(from)}.`
  )
}

function notBumpedFinding(after: PackageState, version: string, baseVersion: string, change: PackageChange, from: string): Finding {
  const same =
    version === baseVersion
      ? `the same as on the base commit`
      : `equal to ${baseVersion} on the base commit (build metadata after \`+\` does not order versions)`
  return finding(
    'version/not-bumped',
    after.versionAt,
    `${showName(change.ref.id)} changed (${describePaths(change)}) but its version is ${version}, ${same}: installed copies only update when the version goes up, ` +
      `and version ${baseVersion} would name two different sets of files`,
    `Raise \`version\` in ${MANIFEST_FILE} from ${baseVersion} to ${describeNextVersions(from)}.`
  )
}

function renamedFinding(ref: PackageRef, from: PackageRef, oldVersion: string | undefined): Finding {
  const was = oldVersion === undefined ? '' : ` (version ${oldVersion} there)`
  const [id, old] = [showName(ref.id), showName(from.id)]
  return finding(
    'version/renamed',
    { package: ref.id, file: ref.dir },
    `${id} is renamed from ${old}${was}: that is a removal of ${old} and a new package ${id}. ` +
      `Installs of ${old} will not update to ${id}, and ${id} starts its own version history`
  )
}

/** The first few changed files, relative to the package: `SKILL.md (modified), tool.ts (added) and 3 more`. */
const SHOWN_PATHS = 3

function describePaths(change: PackageChange): string {
  const paths = change.paths.filter((p) => !isReviewRecord(change.ref, p))
  const shown = paths.slice(0, SHOWN_PATHS).map((p) => `${showName(p.path.slice(change.ref.dir.length + 1))} ${p.status}`)
  const more = paths.length - shown.length
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ')
}

function isReviewRecord(ref: PackageRef, p: ChangedPath): boolean {
  return p.path === `${ref.dir}/${REVIEW_RECORD_FILE}`
}

/** `sha256:1a2b3c4d5e6f…`: enough to tell two digests apart in a message. */
function shortDigest(digest: string): string {
  return `${digest.slice(0, 'sha256:'.length + 12)}…`
}
