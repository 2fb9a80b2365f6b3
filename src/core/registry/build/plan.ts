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
import { diffCommits, type ChangeSet } from '../../git/changes.js'
import { isAncestor } from '../../git/history.js'
import { CONFIG_FILE, REGISTRY_FILE, packageRef, type PackageRef } from '../../marketplace/paths.js'
import { idOf, parsePreviousRegistry, type Registry, type RegistryPackage } from './registry-json.js'
import { listPublishers } from './sources.js'
import { BUILD_STATE_FILE } from './state.js'

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
  /** A full build's listing of publishers/, so no package or profile is listed twice. */
  listing?: PublisherListing
}

type Choice = { mode: 'full'; reason: string } | { mode: 'incremental'; changes: ChangeSet }

/** `hasRecord`: the site folder holds the record of a completed build (state.ts). */
export async function planBuild(
  ctx: BuildContext,
  options: Pick<BuildOptions, 'full' | 'toolVersion' | 'configFile'>,
  hasRecord: boolean
): Promise<Plan> {
  const previous = await readPrevious(ctx)
  const choice = await chooseMode(ctx, options, previous.registry, hasRecord)
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
  hasRecord: boolean
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
  if (!(await isAncestor(ctx.repo, prev.commit, ctx.headSha))) {
    return {
      mode: 'full',
      reason: `the commit ${REGISTRY_FILE} was built from (${prev.commit.slice(0, 12)}) is not an ancestor of ${ctx.headSha.slice(0, 12)}`
    }
  }
  // Without a record the site folder is not one a completed build left (a cache miss, an emptied
  // or half-restored folder): nearly every artifact would be rebuilt from git, which a full build
  // does at its own cost, never more.
  if (!hasRecord) return { mode: 'full', reason: `the site folder has no record of the last build (${BUILD_STATE_FILE})` }
  const changes = await diffCommits(ctx.repo, prev.commit, ctx.headSha)
  const configFile = options.configFile ?? CONFIG_FILE
  if (changes.other.some((c) => c.path === configFile || c.oldPath === configFile)) {
    return { mode: 'full', reason: `${configFile} changed` }
  }
  return { mode: 'incremental', changes }
}
