// The registry build: one commit of the marketplace (read from git objects) plus what the last
// build wrote -> registry.json, .claude-plugin/marketplace.json and the Agent Skills site. Pure in
// the sense of the core: it returns the files to write and writes nothing itself.
//
// Incremental by default: when the previous registry.json records a commit that is an ancestor of
// the one built, only the packages changed since then are read (one `git diff-tree`); every other
// entry is kept as it was, and its site artifact and marketplace entry are reused from what the
// last build wrote once verified (an artifact by its SHA-256 in the previous index). Anything the
// last build's files do not provide is rebuilt from git, so an incremental build always gives
// the bytes a full build gives. A full build (`full`, no usable previous commit, a changed config
// or another toolkit version) reads every package and carries over only the history.
import path from 'node:path'
import type { Finding } from '../../findings/findings.js'
import type { ResolvedConfig } from '../../config/config.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import { resolveCommit } from '../../git/git.js'
import { diffCommits } from '../../git/changes.js'
import { loadConfig } from '../../config/config.js'
import { applyPolicy, finding } from '../../findings/findings.js'
import { comparePaths } from '../../snapshot/types.js'
import { readPackage, type PackageRead, type ReadOutcome } from './model.js'
import { commitStamp, introducingCommits, isAncestor, type CommitStamp } from '../../git/history.js'
import { summariseReview } from './review-summary.js'
import { assignInstallNames } from './names.js'
import type { RegistrySettings } from '../../config/config.js'
import { SnapshotPool, listPublishers, readAuthor } from './sources.js'
import { canonicalBytes } from '../json.js'
import { forEachConcurrently } from './concurrently.js'
import { mcpServerFromFile, type McpServerConfig } from './mcp-servers.js'
import {
  decide,
  idOf,
  parsePreviousRegistry,
  publishedEntry,
  registryDocument,
  registryProblems,
  sortPackages,
  type Registry,
  type RegistryPackage
} from './registry-json.js'
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
import {
  marketplaceDocument,
  marketplaceName,
  pluginEntry,
  readMarketplace,
  sourceOf,
  type ClaudePlugin,
  type PluginAuthor
} from './claude-marketplace.js'
import { NOJEKYLL_FILE, ROOT_INDEX, publisherIndex, publisherSiteDir, rootIndexUrl } from './site-layout.js'
import {
  type PackageRef,
  packageRef,
  publisherDir,
  CONFIG_FILE,
  MANIFEST_FILE,
  CLAUDE_MARKETPLACE_FILE,
  REGISTRY_FILE
} from '../../marketplace/paths.js'
import type { BuildOptions, BuildResult, ChangeLine, OutputFile } from './types.js'

export type { BuildOptions, BuildResult, ChangeLine, OutputFile, OutputReader } from './types.js'

type Mode = { mode: 'full' | 'incremental'; reason: string; changes?: Awaited<ReturnType<typeof diffCommits>> }

export async function buildRegistry(options: BuildOptions): Promise<BuildResult> {
  const headSha = await resolveCommit(options.repo, options.head ?? 'HEAD')
  const pool = new SnapshotPool(options.repo)
  try {
    return await new Build(options, pool, headSha).run()
  } finally {
    await pool.close()
  }
}

class Build {
  private readonly findings: Finding[] = []
  private readonly head: Snapshot
  private config!: ResolvedConfig
  private settings!: RegistrySettings
  private prev: Registry | undefined
  private prevById = new Map<string, RegistryPackage>()
  /** Packages published from the built commit's files. */
  private readonly fromHead = new Set<string>()
  /** Their skill artifacts and marketplace extras, made as they are read so their files need not be kept. */
  private readonly artifacts = new Map<string, SkillArtifact | { problem: string }>()
  private readonly extras = new Map<string, PluginExtra>()
  /** A full build lists every file under publishers/ once instead of once per package. */
  private listing?: { packages: Map<string, TreeEntry[]>; profiles: Map<string, TreeEntry> }
  /** Packages read this build (whatever came of them). */
  private readonly read = new Set<string>()
  private readonly withheld = new Set<string>()
  private readonly profiles = new Map<string, Promise<PluginAuthor | undefined>>()
  private packagesRead = 0

  constructor(
    private readonly options: BuildOptions,
    private readonly pool: SnapshotPool,
    private readonly headSha: string
  ) {
    this.head = pool.at(headSha)
  }

  async run(): Promise<BuildResult> {
    const { options } = this
    this.config = await loadConfig(this.head, options.configFile)
    this.settings = this.config.registry
    const prevBytes = await options.outputs.read('root', REGISTRY_FILE)
    this.prev = prevBytes ? parsePreviousRegistry(prevBytes) : undefined
    for (const p of this.prev?.packages ?? []) this.prevById.set(idOf(p), p)

    const mode = await this.chooseMode()
    const next = new Map<string, RegistryPackage>(mode.mode === 'incremental' ? this.prevById : [])
    let targets: PackageRef[]
    let changedPublishers: ReadonlySet<string> | undefined
    if (mode.changes) {
      targets = mode.changes.packages.filter((c) => c.status !== 'deleted').map((c) => c.ref)
      for (const c of mode.changes.packages) if (c.status === 'deleted') next.delete(c.ref.id)
      changedPublishers = new Set(mode.changes.publishers.map((p) => p.login))
    } else {
      this.listing = await listPublishers(this.head)
      targets = [...this.listing.packages.keys()].map((dir) => {
        const [, login = '', name = ''] = dir.split('/')
        return packageRef(login, name)
      })
    }

    // Read each target at the built commit and decide what the registry publishes for it.
    const pending: { pkg: PackageRead; decision: Exclude<ReturnType<typeof decide>, { kind: 'version-reused' }> }[] = []
    for (const ref of targets) {
      this.read.add(ref.id)
      const outcome = await this.readAt(this.head, ref, this.listing?.packages.get(ref.dir))
      const prev = this.prevById.get(ref.id)
      if (!outcome.ok) {
        this.findings.push(...outcome.findings, this.notPublished(ref, outcome, prev))
        this.keepOrDrop(next, ref.id, prev)
        continue
      }
      this.findings.push(...outcome.findings.filter((f) => f.severity !== 'error'))
      const decision = decide(prev, outcome.pkg.manifest.version, outcome.pkg.digest)
      if (decision.kind === 'version-reused') {
        this.findings.push(this.versionReused(outcome.pkg, decision.published))
        this.keepOrDrop(next, ref.id, prev)
        continue
      }
      pending.push({ pkg: outcome.pkg, decision })
      // Everything the files are needed for, now, so a large marketplace is never all in memory.
      if (outcome.pkg.manifest.type === 'skill')
        this.artifacts.set(ref.id, await buildSkillArtifact(identity(outcome.pkg), outcome.pkg.files))
      this.extras.set(ref.id, await this.pluginExtra(outcome.pkg, true))
      outcome.pkg.files = []
    }

    const stamps = await this.stamps(pending.filter((p) => p.decision.kind === 'new-version').map((p) => p.pkg.ref.dir))
    const headStamp = await commitStamp(options.repo, this.headSha)
    for (const { pkg, decision } of pending) {
      const prev = this.prevById.get(pkg.ref.id)
      const review = this.review(pkg)
      next.set(pkg.ref.id, publishedEntry(pkg, prev, decision, review, stamps.get(pkg.ref.dir) ?? headStamp))
      this.fromHead.add(pkg.ref.id)
    }

    const packages = sortPackages([...next.values()])
    const registry = registryDocument(packages, this.prev, headStamp, options.toolVersion)
    const problems = registryProblems(registry)
    if (problems.length) throw new Error(`the registry built for ${this.headSha} does not match its schema:\n${problems.join('\n')}`)

    const changes = this.changeLines(next)
    const base = {
      head: this.headSha,
      mode: mode.mode,
      reason: mode.reason,
      registry,
      ...changes,
      withheld: [...this.withheld].sort(comparePaths),
      packagesRead: this.packagesRead
    }
    const refused = this.removalGuard(changes.removed.length)
    if (refused) {
      this.findings.push(
        finding(
          'registry/too-many-removed',
          { file: REGISTRY_FILE },
          `this build would remove ${refused.removed} of the ${refused.previous} published packages (${Math.round(refused.share * 100)}%), more than registry.max_removed_share (${Math.round(this.settings.max_removed_share * 100)}%) allows; nothing was written. Removed: ${listed(changes.removed.map((r) => r.id))}`
        )
      )
      return { ...base, findings: this.policy(), files: [], refused }
    }

    const names = assignInstallNames(packages)
    for (const p of packages) {
      const name = names.get(idOf(p))
      if (name?.qualified && this.read.has(idOf(p))) {
        this.findings.push(
          finding(
            'registry/install-name-qualified',
            { package: idOf(p), file: `${p.path ?? packageRef(p.publisher, p.name).dir}/${MANIFEST_FILE}` },
            `another publisher published \`${p.name}\` first, so ${idOf(p)} is listed as \`${name.name}\` in the marketplace-wide indexes (its publisher's own index keeps \`${p.name}\`)`
          )
        )
      }
    }

    const files: OutputFile[] = [{ area: 'root', path: REGISTRY_FILE, bytes: canonicalBytes(registry) }]
    files.push(...(await this.siteFiles(packages, names, mode.mode)))
    files.push({
      area: 'root',
      path: CLAUDE_MARKETPLACE_FILE,
      bytes: canonicalBytes(await this.marketplace(packages, names, mode.mode, changedPublishers))
    })
    return { ...base, packagesRead: this.packagesRead, findings: this.policy(), files }
  }

  /** Incremental when the last build's commit can be diffed against this one and nothing global changed. */
  private async chooseMode(): Promise<Mode> {
    const prev = this.prev
    if (this.options.full) return { mode: 'full', reason: 'a full build was asked for' }
    if (!prev) return { mode: 'full', reason: `there is no ${REGISTRY_FILE} yet` }
    if (!prev.commit) return { mode: 'full', reason: `${REGISTRY_FILE} records no commit` }
    if (prev.generator?.version !== this.options.toolVersion) {
      return {
        mode: 'full',
        reason: `${REGISTRY_FILE} was written by another version of marketplace-actions (${prev.generator?.version ?? 'unknown'})`
      }
    }
    if (!(await isAncestor(this.options.repo, prev.commit, this.headSha))) {
      return {
        mode: 'full',
        reason: `the commit ${REGISTRY_FILE} was built from (${prev.commit.slice(0, 12)}) is not an ancestor of ${this.headSha.slice(0, 12)}`
      }
    }
    const changes = await diffCommits(this.options.repo, prev.commit, this.headSha)
    const configFile = this.options.configFile ?? CONFIG_FILE
    if (changes.other.some((c) => c.path === configFile || c.oldPath === configFile)) {
      return { mode: 'full', reason: `${configFile} changed` }
    }
    return { mode: 'incremental', reason: '', changes }
  }

  private async readAt(snapshot: Snapshot, ref: PackageRef, listed?: TreeEntry[]): Promise<ReadOutcome> {
    this.packagesRead++
    return readPackage(snapshot, ref, this.config, listed)
  }

  private keepOrDrop(next: Map<string, RegistryPackage>, id: string, prev: RegistryPackage | undefined): void {
    if (prev) {
      next.set(id, prev)
      this.withheld.add(id)
    } else next.delete(id)
  }

  private notPublished(ref: PackageRef, outcome: Extract<ReadOutcome, { ok: false }>, prev: RegistryPackage | undefined): Finding {
    const kept = prev ? `the registry keeps serving version ${prev.version}` : 'it is left out of the indexes'
    const at = this.headSha.slice(0, 12)
    if (outcome.problem === 'publisher') {
      return finding(
        'registry/publisher-invalid',
        { package: ref.id, file: publisherDir(ref.publisher) },
        `${ref.id} cannot be published from ${at}: ${outcome.detail}; ${kept}`
      )
    }
    if (outcome.problem === 'unreadable') {
      return finding(
        'registry/package-unreadable',
        { package: ref.id, file: ref.dir },
        `${ref.id} cannot be published from ${at}: ${outcome.detail}; ${kept}`
      )
    }
    return finding(
      'registry/manifest-invalid',
      { package: ref.id, file: `${ref.dir}/${MANIFEST_FILE}` },
      `${ref.id} cannot be published from ${at}: ${outcome.detail}; ${kept}`
    )
  }

  private versionReused(pkg: PackageRead, published: { version: string; digest: string; commit: string }): Finding {
    const current = this.prevById.get(pkg.ref.id)
    const kept = current ? `the registry keeps serving version ${current.version}` : 'it is left out of the indexes'
    return finding(
      'registry/version-reused',
      { package: pkg.ref.id, file: `${pkg.ref.dir}/${MANIFEST_FILE}` },
      `the files of ${pkg.ref.id} ${published.version} changed (digest ${pkg.digest.slice(0, 19)}…, published as ${published.digest.slice(0, 19)}… at ${published.commit.slice(0, 12)}) but the version did not; ${kept}`
    )
  }

  /** The merges that introduced new versions: since the last build first, the whole history for the rest. */
  private async stamps(dirs: string[]): Promise<Map<string, CommitStamp>> {
    const since = this.prev?.commit && (await isAncestor(this.options.repo, this.prev.commit, this.headSha)) ? this.prev.commit : undefined
    const found = await introducingCommits(this.options.repo, this.headSha, dirs, since)
    const missing = dirs.filter((d) => !found.has(d))
    if (since !== undefined && missing.length) {
      for (const [dir, stamp] of await introducingCommits(this.options.repo, this.headSha, missing)) found.set(dir, stamp)
    }
    return found
  }

  private review(pkg: PackageRead) {
    if (!pkg.reviewRecord) return undefined
    const summary = summariseReview(pkg.reviewRecord, pkg.ref, pkg.digest)
    this.findings.push(...summary.findings)
    return summary.review
  }

  private changeLines(next: Map<string, RegistryPackage>): Pick<BuildResult, 'added' | 'updated' | 'removed'> {
    const added: ChangeLine[] = []
    const updated: ChangeLine[] = []
    const removed: ChangeLine[] = []
    for (const [id, p] of next) {
      const prev = this.prevById.get(id)
      if (!prev) added.push({ id, version: p.version })
      else if (prev.version !== p.version || prev.digest !== p.digest)
        updated.push({ id, version: p.version, previousVersion: prev.version })
    }
    for (const [id, prev] of this.prevById) if (!next.has(id)) removed.push({ id, previousVersion: prev.version })
    const byId = (a: ChangeLine, b: ChangeLine) => comparePaths(a.id, b.id)
    return { added: added.sort(byId), updated: updated.sort(byId), removed: removed.sort(byId) }
  }

  private removalGuard(removed: number): BuildResult['refused'] {
    const previous = this.prev?.packages.length ?? 0
    if (this.options.force || previous === 0 || removed <= this.settings.always_allow_removed) return undefined
    const share = removed / previous
    return share > this.settings.max_removed_share ? { removed, previous, share } : undefined
  }

  private policy(): Finding[] {
    return applyPolicy(this.findings, this.config)
  }

  // ---- the Agent Skills site

  private async siteFiles(packages: RegistryPackage[], names: Map<string, { name: string }>, mode: Mode['mode']): Promise<OutputFile[]> {
    const files: OutputFile[] = [{ area: 'site', path: NOJEKYLL_FILE, bytes: new Uint8Array() }]
    const root: IndexEntry[] = []
    const byPublisher = new Map<string, IndexEntry[]>()
    const skills = packages.filter((p) => p.type === 'skill' && p.description !== undefined)
    // Reusing the last build's artifacts is local file reads and hashes: many at once.
    const reused = new Map<string, SkillArtifact>()
    if (mode === 'incremental') {
      const previousIndexes = new Map<string, Promise<Map<string, IndexEntry> | undefined>>()
      const candidates = skills.filter((p) => !this.fromHead.has(idOf(p)))
      await forEachConcurrently(candidates, REUSE_CONCURRENCY, async (p) => {
        if (!previousIndexes.has(p.publisher))
          previousIndexes.set(p.publisher, this.options.outputs.read('site', publisherIndex(p.publisher)).then(readIndex))
        const artifact = await this.reuseArtifact(p, await previousIndexes.get(p.publisher))
        if (artifact) reused.set(idOf(p), artifact)
      })
    }
    for (const p of skills) {
      const id = idOf(p)
      const artifact = reused.get(id) ?? this.artifacts.get(id) ?? (await this.buildArtifact(p))
      if ('problem' in artifact) {
        if (this.read.has(id)) {
          this.findings.push(
            finding(
              'registry/skill-not-indexed',
              { package: id, file: p.path },
              `${id} ${p.version} is not in the Agent Skills index: ${artifact.problem}`
            )
          )
        }
        continue
      }
      files.push({ area: 'site', path: artifact.sitePath, ...(artifact.bytes ? { bytes: artifact.bytes } : {}) })
      const own = byPublisher.get(p.publisher) ?? []
      byPublisher.set(p.publisher, own)
      const description = p.description ?? ''
      own.push(indexEntry(p.name, description, artifact, publisherIndexUrl(p, artifact.type)))
      root.push(indexEntry(names.get(id)?.name ?? p.name, description, artifact, rootIndexUrl(artifact.sitePath)))
    }
    files.push({ area: 'site', path: ROOT_INDEX, bytes: canonicalBytes(indexDocument(root)) })
    for (const [login, entries] of byPublisher)
      files.push({ area: 'site', path: publisherIndex(login), bytes: canonicalBytes(indexDocument(entries)) })
    return files
  }

  /** The artifact the last build wrote, when its index lists it at this version's URL and the file still has that digest. */
  private async reuseArtifact(p: RegistryPackage, previous: Map<string, IndexEntry> | undefined): Promise<SkillArtifact | undefined> {
    const listed = previous?.get(p.name)
    if (!listed || listed.url !== publisherIndexUrl(p, listed.type)) return undefined
    const sitePath = `${publisherSiteDir(p.publisher)}/${listed.url}`
    const bytes = await this.options.outputs.read('site', sitePath)
    if (!bytes || sha256Digest(bytes) !== listed.digest) return undefined
    return { type: listed.type, sitePath, digest: listed.digest }
  }

  /** Builds a skill's artifact from the files its registry entry publishes (not the built commit's). */
  private async buildArtifact(p: RegistryPackage): Promise<SkillArtifact | { problem: string }> {
    const id = idOf(p)
    let pkg: PackageRead | undefined
    if (p.digest !== undefined) {
      // Usually the built commit still has the published files; a withheld package's are at its commit.
      const ref = packageRef(p.publisher, p.name)
      if (!this.withheld.has(id)) {
        const atHead = await this.readAt(this.head, ref)
        if (atHead.ok && atHead.pkg.digest === p.digest) pkg = atHead.pkg
      }
      if (!pkg && p.commit !== undefined) {
        const snapshot = await this.pool.existing(p.commit)
        const atCommit = snapshot && (await this.readAt(snapshot, ref))
        if (atCommit?.ok && atCommit.pkg.digest === p.digest) pkg = atCommit.pkg
      }
    }
    if (!pkg) return { problem: `the files of version ${p.version} (digest ${p.digest ?? 'unknown'}) could not be read from git` }
    return buildSkillArtifact(p, pkg.files)
  }

  // ---- .claude-plugin/marketplace.json

  private async marketplace(
    packages: RegistryPackage[],
    names: Map<string, { name: string }>,
    mode: Mode['mode'],
    changedPublishers: ReadonlySet<string> | undefined
  ) {
    const previous = mode === 'incremental' ? readMarketplace(await this.options.outputs.read('root', CLAUDE_MARKETPLACE_FILE)) : undefined
    const plugins: ClaudePlugin[] = []
    for (const p of packages) {
      const id = idOf(p)
      const installName = names.get(id)?.name ?? p.name
      if (this.withheld.has(id)) continue
      let extra = this.extras.get(id)
      if (!extra) {
        const before = previous?.get(sourceOf(p))
        const mcp = before?.mcpServers?.[p.name]
        if (before && (p.type === 'skill' || mcp)) {
          const author = changedPublishers?.has(p.publisher) ? await this.author(p.publisher) : before.author
          extra = { ...(author ? { author } : {}), ...(mcp ? { mcpServer: mcp } : {}) }
        } else {
          // Not in the last build's file: read it (a withheld package shows its other files here).
          const atHead = await this.readAt(this.head, packageRef(p.publisher, p.name))
          if (atHead.ok && atHead.pkg.digest === p.digest) extra = await this.pluginExtra(atHead.pkg, false)
        }
      }
      if (extra && (p.type === 'skill' || extra.mcpServer)) plugins.push(pluginEntry(p, installName, extra))
    }
    return marketplaceDocument(this.config, marketplaceName(this.config, path.basename(path.resolve(this.options.repo))), plugins)
  }

  private async pluginExtra(pkg: PackageRead, report: boolean): Promise<PluginExtra> {
    const author = await this.author(pkg.ref.publisher)
    const extra: PluginExtra = author ? { author } : {}
    if (pkg.manifest.type !== 'mcp-server') return extra
    const file = pkg.files.find((f) => f.path === pkg.manifest.entrypoint)
    const mapped = file
      ? mcpServerFromFile(file.bytes, pkg.manifest.entrypoint)
      : { problem: `its entrypoint ${pkg.manifest.entrypoint} is missing` }
    if ('config' in mapped) return { ...extra, mcpServer: mapped.config }
    const problem = mapped.problem
    if (report) {
      this.findings.push(
        finding(
          'registry/mcp-server-not-listed',
          { package: pkg.ref.id, file: `${pkg.ref.dir}/${pkg.manifest.entrypoint}` },
          `${pkg.ref.id} is not listed in ${CLAUDE_MARKETPLACE_FILE}: ${problem}`
        )
      )
    }
    return extra
  }

  /** The plugin author from the publisher's profile at the built commit; none when it cannot be read. */
  private author(login: string): Promise<PluginAuthor | undefined> {
    let found = this.profiles.get(login)
    if (!found) {
      found = readAuthor(this.head, login, this.config.limits.manifest_bytes, this.listing?.profiles)
      this.profiles.set(login, found)
    }
    return found
  }
}

type PluginExtra = { author?: PluginAuthor; mcpServer?: McpServerConfig }

const REUSE_CONCURRENCY = 64

/** Up to ten ids, then how many more: a message stays readable when thousands are involved. */
function listed(ids: readonly string[]): string {
  return ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ')
}

function identity(pkg: PackageRead) {
  return { publisher: pkg.ref.publisher, name: pkg.ref.name, version: pkg.manifest.version }
}
