// The first stage of the registry build: what to read. Incremental when the previous
// registry.json records a commit that is an ancestor of the one built, was written by this
// toolkit version, the site folder holds the last build's record (state.ts) and the config did
// not change since: then only the packages changed since that
// commit are read (one `git diff-tree`) and every other entry is carried over as it was. Otherwise
// full: every package folder is listed at once (one `ls-tree -r`) and read, and only the history
// is carried over from the previous registry.json.
import type { TreeEntry } from '../../snapshot/types.js'
import type { BuildContext } from './context.js'
import type { BuildMode, BuildOptions } from './types.js'
import type { ChangeSet } from '../../git/changes.js'
import { CONFIG_FILE, REGISTRY_FILE, packageRef, type PackageRef } from '../../marketplace/paths.js'
import { idOf, parsePreviousRegistry, type Registry, type RegistryPackage } from './registry-json.js'
import { listPublishers } from './sources.js'
import { BUILD_STATE_FILE, type BuildState } from './state.js'
import { historyOf, type History } from './history.js'

/** What the last build published, as its registry.json says. */
export interface Previous {
  registry?: Registry
  byId: ReadonlyMap<string, RegistryPackage>
}

/** Every package folder's entries and every profile of the built commit, listed at once. */
export interface PublisherListing {
  packages: Map<string, TreeEntry[]>
  profiles: Map<string, TreeEntry>
}

export interface Plan {
  mode: BuildMode
  /** Why the build is full (empty for an incremental build). */
  reason: string
  previous: Previous
  /** The packages to read at the built commit. */
  targets: PackageRef[]
  /** The entries kept as they are without reading: in an incremental build, every unchanged package. */
  carried: ReadonlyMap<string, RegistryPackage>
  /** Publishers with changed files since the last build (an incremental build; their profiles may have changed). */
  changedPublishers?: ReadonlySet<string>
  /**
   * A full build's listing of publishers/, so no package or profile is listed twice. The publish
   * stage drops a package's entries once nothing later needs them (its page content is kept).
   */
  listing?: PublisherListing
}

type Choice = { mode: 'full'; reason: string } | { mode: 'incremental'; changes: ChangeSet }

/** `record`: the site folder's record of the last completed build (state.ts), if it has a sound one. */
export async function planBuild(
  ctx: BuildContext,
  options: Pick<BuildOptions, 'full' | 'toolVersion' | 'configFile'>,
  record: BuildState | undefined
): Promise<Plan> {
  const previous = await readPrevious(ctx)
  const choice = await chooseMode(ctx, options, previous.registry, record)
  if (choice.mode === 'incremental') {
    const { changes } = choice
    const carried = new Map(previous.byId)
    for (const c of changes.packages) if (c.status === 'deleted') carried.delete(c.ref.id)
    return {
      mode: 'incremental',
      reason: '',
      previous,
      targets: changes.packages.filter((c) => c.status !== 'deleted').map((c) => c.ref),
      carried,
      changedPublishers: new Set(changes.publishers.map((p) => p.login))
    }
  }
  const listing = await listPublishers(ctx.head)
  const targets = [...listing.packages.keys()].map((dir) => {
    const [, login = '', name = ''] = dir.split('/')
    return packageRef(login, name)
  })
  return { mode: 'full', reason: choice.reason, previous, targets, carried: new Map(), listing }
}

/**
 * Does `head` build to what `built` built? True when `built` is an ancestor and no package,
 * publisher profile or the config changed in between: everything else in the repository (a
 * README, the committed registry.json itself) is no input of the build.
 */
export async function nothingToBuildSince(
  repo: string,
  built: string,
  head: string,
  configFile: string | undefined,
  history: History = historyOf(repo, head)
): Promise<boolean> {
  if (!(await history.isAncestor(built))) return false
  const changes = await history.changesSince(built)
  const config = configFile ?? CONFIG_FILE
  return !changes.packages.length && !changes.publishers.length && !changes.other.some((c) => c.path === config || c.oldPath === config)
}

/**
 * Where to diff from: registry.json's commit moves only when its content changes, so after a
 * change that moved nothing in it (the config, a README) it names an older commit than the last
 * build, and every later build would see that change again (a config change: a full build each
 * time). The record names the commit last built; it is the base when it built this
 * registry.json (the same `commit` in it, whatever the scores job wrote since), with this config
 * file, and is an ancestor of the built commit.
 */
async function diffBase(ctx: BuildContext, registryCommit: string, record: BuildState, configFile: string): Promise<string> {
  if (record.commit === registryCommit || record.registry_commit !== registryCommit || record.options.config !== configFile)
    return registryCommit
  return (await ctx.history.isAncestor(record.commit)) ? record.commit : registryCommit
}

async function readPrevious(ctx: BuildContext): Promise<Previous> {
  const bytes = await ctx.outputs.read('root', REGISTRY_FILE)
  const registry = bytes ? parsePreviousRegistry(bytes) : undefined
  return { registry, byId: new Map((registry?.packages ?? []).map((p) => [idOf(p), p])) }
}

/** Incremental when the last build's commit can be diffed against this one and nothing global changed. */
async function chooseMode(
  ctx: BuildContext,
  options: Pick<BuildOptions, 'full' | 'toolVersion' | 'configFile'>,
  prev: Registry | undefined,
  record: BuildState | undefined
): Promise<Choice> {
  if (options.full) return { mode: 'full', reason: 'a full build was asked for' }
  if (!prev) return { mode: 'full', reason: `there is no ${REGISTRY_FILE} yet` }
  if (!prev.commit) return { mode: 'full', reason: `${REGISTRY_FILE} records no commit` }
  if (prev.generator?.version !== options.toolVersion) {
    return {
      mode: 'full',
      reason: `${REGISTRY_FILE} was written by another version of marketplace-actions (${prev.generator?.version ?? 'unknown'})`
    }
  }
  if (!(await ctx.history.isAncestor(prev.commit))) {
    return {
      mode: 'full',
      reason: `the commit ${REGISTRY_FILE} was built from (${prev.commit.slice(0, 12)}) is not an ancestor of ${ctx.headSha.slice(0, 12)}`
    }
  }
  // Without a record the site folder is not one a completed build left (a cache miss, an emptied
  // or half-restored folder): nearly every artifact would be rebuilt from git, which a full build
  // does at its own cost, never more.
  if (!record) return { mode: 'full', reason: `the site folder has no record of the last build (${BUILD_STATE_FILE})` }
  const configFile = options.configFile ?? CONFIG_FILE
  const changes = await ctx.history.changesSince(await diffBase(ctx, prev.commit, record, configFile))
  if (changes.other.some((c) => c.path === configFile || c.oldPath === configFile)) {
    return { mode: 'full', reason: `${configFile} changed` }
  }
  return { mode: 'incremental', changes }
}
