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
import type { BuildContext } from './context.js'
import type { BuildOptions, BuildResult, OutputFile } from './types.js'
import { loadConfig } from '../../config/config.js'
import { applyPolicy } from '../../findings/findings.js'
import { resolveCommit } from '../../git/git.js'
import { CLAUDE_MARKETPLACE_FILE, REGISTRY_FILE } from '../../marketplace/paths.js'
import { comparePaths } from '../../snapshot/types.js'
import { canonicalBytes } from '../json.js'
import { changeLines, removalGuard, tooManyRemoved } from './changes.js'
import { authorsAt, claudeMarketplace } from './claude-plugins.js'
import { assignInstallNames, qualifiedNameFindings } from './names.js'
import { planBuild } from './plan.js'
import { publishPackages } from './publish.js'
import { registryDocument, registryProblems, sortPackages } from './registry-json.js'
import { siteFiles } from './site.js'
import { catalogFiles } from './catalog/stage.js'
import { SnapshotPool } from './sources.js'
import { Emitter } from './emit.js'
import type { Plan } from './plan.js'

export type { BuildOptions, BuildResult, ChangeLine, OutputFile, OutputReader } from './types.js'

export async function buildRegistry(options: BuildOptions): Promise<BuildResult> {
  const headSha = await resolveCommit(options.repo, options.head ?? 'HEAD')
  const pool = new SnapshotPool(options.repo)
  try {
    const head = pool.at(headSha)
    const config = await loadConfig(head, options.configFile)
    return await build({ repo: options.repo, headSha, head, pool, config, outputs: options.outputs }, options)
  } finally {
    await pool.close()
  }
}

async function build(ctx: BuildContext, options: BuildOptions): Promise<BuildResult> {
  const plan = await planBuild(ctx, options)
  const authors = authorsAt(ctx.head, ctx.config, plan.listing?.profiles)
  // Outputs are written as they are made (emit.ts) only when the removal guard is sure to let the
  // build write: what it counts is known from the plan already (checked against it below).
  const settings = ctx.config.registry
  const previousCount = plan.previous.registry?.packages.length ?? 0
  const removable = removalGuard(settings, removedByPlan(plan), previousCount, options.force) === undefined
  const emitter = new Emitter(ctx.outputs, removable)
  const published = await publishPackages(ctx, plan, authors, emitter)

  const packages = sortPackages([...published.entries.values()])
  const registry = registryDocument(
    packages,
    plan.previous.registry,
    published.headStamp,
    options.toolVersion,
    ctx.config.marketplace.stats_url
  )
  const problems = registryProblems(registry)
  if (problems.length) throw new Error(`the registry built for ${ctx.headSha} does not match its schema:\n${problems.join('\n')}`)

  const changes = changeLines(plan.previous.byId, published.entries)
  const summary = {
    head: ctx.headSha,
    mode: plan.mode,
    reason: plan.reason,
    registry,
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
  const marketplace = await claudeMarketplace(ctx, {
    packages,
    names,
    mode: plan.mode,
    changedPublishers: plan.changedPublishers,
    extras: published.extras,
    withheld: published.withheld,
    authors
  })

  const catalog =
    options.catalog === false
      ? { files: [], packagesRead: 0 }
      : await catalogFiles(ctx, {
          packages,
          names,
          marketplace: marketplace.document.name,
          plugins: new Set(marketplace.document.plugins.map((p) => p.name)),
          siteFiles: site.files,
          mode: plan.mode,
          read: published.read,
          withheld: published.withheld,
          listing: plan.listing?.packages,
          emitter
        })

  await emitter.flush()
  const files: OutputFile[] = [
    { area: 'root', path: REGISTRY_FILE, bytes: canonicalBytes(registry) },
    ...site.files,
    ...catalog.files,
    { area: 'root', path: CLAUDE_MARKETPLACE_FILE, bytes: canonicalBytes(marketplace.document) }
  ]
  return {
    ...summary,
    packagesRead: published.packagesRead + site.packagesRead + marketplace.packagesRead + catalog.packagesRead,
    findings: applyPolicy([...published.findings, ...qualifiedNameFindings(packages, names, published.read), ...site.findings], ctx.config),
    files
  }
}

/** The packages the build removes: the last build's, neither carried over nor read (a package read keeps its entry or its last good one). */
function removedByPlan(plan: Plan): number {
  const read = new Set(plan.targets.map((t) => t.id))
  let removed = 0
  for (const id of plan.previous.byId.keys()) if (!plan.carried.has(id) && !read.has(id)) removed++
  return removed
}
