// Opens what a run reads and picks its packages, then runs checks over it:
// - a directory: all packages, or the directories named;
// - git, with a base: the packages changed between merge-base(base, head) and head, judged by
//   the config on the base commit (a pull request cannot loosen its own rules);
// - git, without a base: every package at head (the config from `configRef` when given).
// With a shard (a re-audit split over jobs, review/shard.ts), only that shard's part of every
// package; a shard of a change or of named directories is refused.
import type { Review } from './review.js'
import type { Snapshot } from '../snapshot/types.js'
import { DirectorySnapshot } from '../snapshot/directory-snapshot.js'
import { CONFIG_FILE, PROFILE_FILE, PUBLISHERS_DIR } from '../marketplace/paths.js'
import { loadConfig } from '../config/config.js'
import { selectAll, selectChanges, selectPaths } from '../checks/selection.js'
import { runChecks } from './pipeline.js'
import type { Check, CheckContext } from '../checks/check.js'
import { validateCheck } from '../checks/validate/index.js'
import type { Selection } from '../checks/selection.js'
import { ConfigError } from '../errors.js'
import { shardSelection, type Shard } from './shard.js'

export type Source =
  | { kind: 'directory'; root: string; paths?: string[] }
  | {
      kind: 'git'
      repo: string
      head: string
      /** Check only what changed since merge-base(base, head); without it, every package at head. */
      base?: string
      /** Where the config is read from when it must not come from head (every package of a PR). */
      configRef?: string
      /** Pull-request author, recorded in the review. */
      author?: string
    }

export interface SourceOptions {
  /** Config file relative to the marketplace root; when given, it must exist. */
  configFile?: string
  toolVersion: string
  /** Check only this shard of every package (a re-audit split over jobs). */
  shard?: Shard
}

export interface OpenedSource {
  ctx: CheckContext
  source: Review['source']
  /** Set when a shard was asked for: what the review records in `shard`. */
  shard?: NonNullable<Review['shard']>
  close(): Promise<void>
}

export async function openSource(source: Source, options: SourceOptions): Promise<OpenedSource> {
  const opened: Snapshot[] = []
  const open = <S extends Snapshot>(s: S): S => {
    opened.push(s)
    return s
  }
  const close = async () => {
    await Promise.all(opened.map((s) => s.close()))
  }
  const { shard } = options
  if (shard && ((source.kind === 'directory' && source.paths?.length) || (source.kind === 'git' && source.base !== undefined))) {
    throw new ConfigError(
      'a shard is a slice of every package in the marketplace (a re-audit): it cannot be combined with a base commit or named package directories'
    )
  }
  /** The whole selection, or the shard's part of it, and what the review records about the shard. */
  const sharded = (all: Selection): Pick<OpenedSource, 'shard'> & { selection: Selection } =>
    shard
      ? {
          selection: shardSelection(all, shard),
          shard: { index: shard.index, count: shard.count, marketplace_packages: all.targets.length }
        }
      : { selection: all }
  try {
    if (source.kind === 'directory') {
      const head = open(new DirectorySnapshot(source.root))
      const { selection, ...recorded } = sharded(source.paths?.length ? await selectPaths(head, source.paths) : await selectAll(head))
      return {
        ctx: { head, selection, config: await loadConfig(head, options.configFile) },
        source: { kind: 'directory' },
        ...recorded,
        close
      }
    }
    // The git modules (and the published index's validators) are loaded only for a git source, one
    // after the other (jest's module loader fails on concurrent imports that share a dependency).
    const { GitSnapshot } = await import('../git/git-snapshot.js')
    const { diffCommits, reviewRange } = await import('../git/changes.js')
    const { resolveCommit } = await import('../git/git.js')
    const { publishedPaths } = await import('../checks/release/published.js')
    const author = source.author === undefined ? {} : { author: source.author }
    if (source.base === undefined) {
      const headSha = await resolveCommit(source.repo, source.head)
      const head = open(new GitSnapshot(source.repo, headSha))
      // Every package is read: one listing of the whole tree instead of one per folder.
      await head.prefetch([PUBLISHERS_DIR])
      const configRef = source.configRef === undefined ? undefined : await resolveCommit(source.repo, source.configRef)
      const configSnapshot = configRef === undefined ? head : open(new GitSnapshot(source.repo, configRef))
      const { selection, ...recorded } = sharded(await selectAll(head))
      const ctx: CheckContext = {
        head,
        selection,
        config: await loadConfig(configSnapshot, options.configFile),
        ...author
      }
      return { ctx, source: { kind: 'git', head: headSha, ...author }, ...recorded, close }
    }
    const range = await reviewRange(source.repo, source.base, source.head)
    const base = open(new GitSnapshot(source.repo, range.base))
    const head = open(new GitSnapshot(source.repo, range.head))
    // Lists the changed packages and their publishers' profiles at both commits once, for every
    // check that reads them; at the base, in the same command, what the checks read there.
    const changes = await diffCommits(source.repo, range.base, range.head, {
      base,
      head,
      profiles: true,
      alsoAtBase: (ids, adding) => [options.configFile ?? CONFIG_FILE, ...publishedPaths(ids, { adding })]
    })
    const selection = selectChanges(changes)
    const profiles = selection.publishers.map((login) => `${PUBLISHERS_DIR}/${login}/${PROFILE_FILE}`)
    await Promise.all([head.prefetch(profiles), base.prefetch(profiles)])
    const ctx: CheckContext = {
      head,
      base,
      changes,
      selection,
      config: await loadConfig(base, options.configFile),
      ...author
    }
    return { ctx, source: { kind: 'git', base: range.base, head: range.head, ...author }, close }
  } catch (e) {
    await close()
    throw e
  }
}

/** Opens the source, runs the checks, closes the snapshots. */
export async function runOnSource(source: Source, checks: readonly Check[], options: SourceOptions): Promise<Review> {
  const opened = await openSource(source, options)
  try {
    const review = await runChecks(checks, opened.ctx, { toolVersion: options.toolVersion, source: opened.source })
    if (opened.shard) review.shard = opened.shard
    return review
  } finally {
    await opened.close()
  }
}

export function validateSource(source: Source, options: SourceOptions): Promise<Review> {
  return runOnSource(source, [validateCheck], options)
}
