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
//
// The stages, top to bottom, each taking what the ones before it returned (docs/registry-build.md,
// "How a build flows"): plan.ts (what to read), publish.ts (registry entries), changes.ts (what
// changed, the removal guard), names.ts (install names), site.ts (the skills index and artifacts),
// claude-plugins.ts (marketplace.json), catalog/stage.ts (the browsable catalog).
//
// Before any of them, the build record (state.ts) the last build left in the site folder: when it
// shows the outputs are this commit's, built by this toolkit with these options, the build stops
// there (mode "unchanged", nothing read or written); when the site folder has none, the build is
// a full one.
import type { BuildContext } from './context.js'
import type { BuildOptions, BuildResult, OutputFile } from './types.js'
import { loadConfig } from '../../config/config.js'
import { applyPolicy } from '../../findings/findings.js'
import { resolveCommit } from '../../git/git.js'
import { CLAUDE_MARKETPLACE_FILE, CONFIG_FILE, REGISTRY_FILE, profilePath } from '../../marketplace/paths.js'
import { comparePaths } from '../../snapshot/types.js'
import { changeLines, removalGuard, tooManyRemoved } from './changes.js'
import { authorsAt, claudeMarketplace } from './claude-plugins.js'
import { assignInstallNames, qualifiedNameFindings } from './names.js'
import { nothingToBuildSince, planBuild } from './plan.js'
import { publishPackages } from './publish.js'
import { registryDocument, registryProblems, sortPackages } from './registry-json.js'
import { siteFiles } from './site.js'
import { SCORES_FILE, catalogFiles, searchPackage } from './catalog/stage.js'
import { BUILD_LEDGER_FILE, ledgerOutput, type AggregateShape } from './ledger.js'
import type { ClaudeMarketplace } from './claude-marketplace.js'
import { deltaBuild } from './delta.js'
import { historyOf } from './history.js'
import { readBuildState, stateDraft, unchangedSince, type BuildState } from './state.js'
import { SnapshotPool } from './sources.js'
import type { GitSnapshot } from '../../git/git-snapshot.js'
import type { ChangeSet } from '../../git/changes.js'
import { emitPublishedIndex } from './published-index.js'
import { aggregateOf } from './aggregate.js'
import { objectFormatOf } from '../published-index.js'
import { Emitter, settle, settleMade } from './emit.js'
import type { Plan } from './plan.js'

export type { BuildOptions, BuildResult, ChangeLine, OutputFile, OutputReader } from './types.js'
export type { ArchiveGzip, GzippedArchive } from './archive-gzip.js'

export async function buildRegistry(options: BuildOptions): Promise<BuildResult> {
  const headSha = await resolveCommit(options.repo, options.head ?? 'HEAD')
  const stateOptions = { commit: headSha, toolVersion: options.toolVersion, configFile: options.configFile, catalog: options.catalog }
  const state = await readBuildState(options.outputs)
  // The built commit's snapshot starts no git process until it is asked something; the history's
  // diffs ask its cat-file which package folders exist, the process that reads the packages next.
  const pool = new SnapshotPool(options.repo)
  try {
    const head = pool.at(headSha)
    const history = historyOf(options.repo, headSha, head)
    if (!options.full) {
      const check = await unchangedSince(options.outputs, state, stateOptions, (built) =>
        nothingToBuildSince(options.repo, built, headSha, options.configFile, history)
      )
      if (check.unchanged) return unchangedResult(headSha, check.packages)
    }
    await listFirstAsked(head, options.configFile, state && history.askedSince(state.commit))
    const config = await loadConfig(head, options.configFile)
    const ctx = {
      repo: options.repo,
      headSha,
      head,
      pool,
      config,
      outputs: options.outputs,
      history,
      ...(options.gzip ? { gzip: options.gzip } : {})
    }
    // A change to a few packages in place is spliced into the last build's aggregates (delta.ts).
    const delta = await deltaBuild(ctx, options, state, stateOptions)
    if (delta.result) return delta.result
    const result = await build(ctx, options, state)
    if (result.refused || !result.registry) return result
    const inputs = new Map<string, Uint8Array | undefined>()
    if (options.catalog !== false) inputs.set(`root:${SCORES_FILE}`, await options.outputs.read('root', SCORES_FILE))
    return { ...result, state: stateDraft(stateOptions, result.registry, result.files, inputs) }
  } finally {
    await pool.close()
  }
}

/** Above this many changed packages, the stages list them as they read them (a listing is kept to the end of the build). */
const FIRST_LISTED_PACKAGES = 200

/**
 * What the first stages ask of the built commit, listed in one git command (GitSnapshot.prefetch):
 * the config, and when the unchanged check has diffed from the last build, the packages changed
 * since and their publishers' profiles. A one-package rebuild asked three `ls-tree`s for them (the
 * config's stat, the package's listing, the profile's stat), each a git process. A hint only: a
 * listing that fails is asked again by the stage that needs it, and gives its error there.
 */
async function listFirstAsked(head: GitSnapshot, configFile: string | undefined, changes: Promise<ChangeSet> | undefined): Promise<void> {
  const paths = [configFile ?? CONFIG_FILE]
  const changed = await changes?.catch(() => undefined)
  if (changed && changed.packages.length <= FIRST_LISTED_PACKAGES) {
    const present = changed.packages.filter((c) => c.status !== 'deleted')
    paths.push(...present.map((c) => c.ref.dir), ...new Set(present.map((c) => profilePath(c.ref.publisher))))
  }
  await head.prefetch(paths).catch(() => undefined)
}

/** The last build's output is this commit's, as its record shows: nothing to read or write. */
function unchangedResult(head: string, packages: number): BuildResult {
  return {
    head,
    mode: 'unchanged',
    reason: '',
    packageCount: packages,
    added: [],
    updated: [],
    removed: [],
    withheld: [],
    findings: [],
    files: [],
    packagesRead: 0
  }
}

async function build(ctx: BuildContext, options: BuildOptions, record: BuildState | undefined): Promise<BuildResult> {
  const plan = await planBuild(ctx, options, record)
  const authors = authorsAt(ctx.head, ctx.config, plan.listing?.profiles)
  // Outputs are written as they are made (emit.ts) only when the removal guard is sure to let the
  // build write: what it counts is known from the plan already (checked against it below).
  const settings = ctx.config.registry
  const previousCount = plan.previous.registry?.packages.length ?? 0
  const removable = removalGuard(settings, removedByPlan(plan), previousCount, options.force) === undefined
  const emitter = new Emitter(ctx.outputs, removable)
  try {
    const published = await publishPackages(ctx, plan, authors, emitter, { pageContents: options.catalog !== false })
    // Every target is read: nothing later needs the list (100,000 refs held to the end, before).
    plan.targets.length = 0

    const packages = sortPackages([...published.entries.values()])
    const registry = registryDocument(
      packages,
      plan.previous.registry,
      published.headStamp,
      options.toolVersion,
      ctx.config.marketplace.stats_url
    )
    // Entries carried over unread were validated with the registry.json they came from: only the
    // ones made in this build are checked (each entry validates on its own in the schema).
    const carried = new Set(plan.carried.values())
    const problems = registryProblems({ ...registry, packages: packages.filter((p) => !carried.has(p)) })
    if (problems.length) throw new Error(`the registry built for ${ctx.headSha} does not match its schema:\n${problems.join('\n')}`)

    const changes = changeLines(plan.previous.byId, published.entries)
    const summary = {
      head: ctx.headSha,
      mode: plan.mode,
      reason: plan.reason,
      registry,
      packageCount: packages.length,
      ...changes,
      withheld: [...published.withheld].sort(comparePaths),
      packagesRead: published.packagesRead
    }
    const refused = removalGuard(settings, changes.removed.length, previousCount, options.force)
    if (refused && removable) {
      await emitter.flush()
      throw new Error(`internal error: the removal guard refused a build the plan allowed (${changes.removed.length} removed)`)
    }
    if (refused) {
      const findings = [...published.findings, tooManyRemoved(refused, changes.removed, settings)]
      return { ...summary, findings: applyPolicy(findings, ctx.config), files: [], refused }
    }

    const names = assignInstallNames(packages)
    const site = await siteFiles(ctx, {
      packages,
      names,
      mode: plan.mode,
      artifacts: published.artifacts,
      read: published.read,
      withheld: published.withheld,
      releases: published.releases,
      emitter
    })
    // What only the site stage needed of each package read (artifacts, file lists) is let go
    // before the catalog, the stage with the most in hand.
    published.artifacts.clear()
    published.releases.clear()
    // marketplace.json is complete here: handed to the writer now (set aside for the root), so its
    // document is not held through the catalog, the stage with the most in hand.
    const marketplace = await settleMarketplace(
      emitter,
      await claudeMarketplace(ctx, {
        packages,
        names,
        mode: plan.mode,
        changedPublishers: plan.changedPublishers,
        extras: published.extras,
        withheld: published.withheld,
        authors
      })
    )
    published.extras.clear()

    const catalog =
      options.catalog === false
        ? { files: [], packagesRead: 0 }
        : await catalogFiles(ctx, {
            packages,
            names,
            marketplace: marketplace.name,
            plugins: marketplace.plugins,
            siteFiles: site.files,
            mode: plan.mode,
            read: published.read,
            withheld: published.withheld,
            listing: plan.listing?.packages,
            contents: published.pageContents,
            emitter
          })

    published.pageContents.clear()
    // The catalog read the last packages it needed from the listing: the rest of the build holds less
    // before the aggregates (at 100,000 packages, the files of every package whose content was not kept).
    plan.listing?.packages.clear()
    // Each aggregate is made as the writer takes its pieces (aggregate.ts, emit.ts settleMade): the
    // build record and the ledger keep its digest and layout, never its bytes, so no more than a
    // piece of any of them (registry.json is 93 MB at 100,000 packages) is held at once.
    const registryMade = aggregateOf(registry as unknown as Record<string, unknown>, 'packages')
    const registryFile = await settleMade(emitter, 'root', REGISTRY_FILE, registryMade, objectFormatOf(ctx.headSha))
    const files: OutputFile[] = [
      registryFile.file,
      ...(await emitPublishedIndex(registry, registryFile.blobId as string, emitter)),
      ...site.files,
      ...catalog.files,
      marketplace.file
    ]
    const ledger = ledgerOutput({
      files,
      shapes: {
        ...(registryMade.shape ? { registry: registryMade.shape } : {}),
        ...(marketplace.shape ? { marketplace: marketplace.shape } : {}),
        ...(site.rootShape ? { skills: site.rootShape } : {})
      },
      packages,
      names,
      pluginSources: marketplace.sources,
      skillsIds: site.rootIds,
      ...(options.catalog === false ? {} : { search: packages.map(searchPackage) })
    })
    if (ledger) files.push(await settle(emitter, 'site', BUILD_LEDGER_FILE, ledger))
    await emitter.flush()
    return {
      ...summary,
      packagesRead: published.packagesRead + site.packagesRead + marketplace.packagesRead + catalog.packagesRead,
      findings: applyPolicy(
        [...published.findings, ...qualifiedNameFindings(packages, names, published.read), ...site.findings],
        ctx.config
      ),
      files
    }
  } catch (e) {
    // Nothing set aside for the root (emit.ts) outlives a failed build.
    await emitter.discard()
    throw e
  }
}

/** marketplace.json handed to the writer, and what the later stages need of it. */
async function settleMarketplace(
  emitter: Emitter,
  made: { document: ClaudeMarketplace; packagesRead: number }
): Promise<{
  file: OutputFile
  shape: AggregateShape | undefined
  name: string
  plugins: Set<string>
  sources: string[]
  packagesRead: number
}> {
  const { document } = made
  const aggregate = aggregateOf(document as unknown as Record<string, unknown>, 'plugins')
  const { file } = await settleMade(emitter, 'root', CLAUDE_MARKETPLACE_FILE, aggregate)
  return {
    file,
    shape: aggregate.shape,
    name: document.name,
    plugins: new Set(document.plugins.map((p) => p.name)),
    sources: document.plugins.map((p) => p.source),
    packagesRead: made.packagesRead
  }
}

/** The packages the build removes: the last build's, neither carried over nor read (a package read keeps its entry or its last good one). */
function removedByPlan(plan: Plan): number {
  const read = new Set(plan.targets.map((t) => t.id))
  let removed = 0
  for (const id of plan.previous.byId.keys()) if (!plan.carried.has(id) && !read.has(id)) removed++
  return removed
}
