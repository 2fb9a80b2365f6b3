// Opens the snapshots a validate run needs and picks its packages:
// - a directory: all packages, or the directories named;
// - git, with a base: the packages changed between merge-base(base, head) and head, judged by
//   the config on the base commit (a pull request cannot loosen its own rules);
// - git, without a base: every package at head.
import type { Review } from './review.js'
import type { Snapshot } from './snapshot/types.js'
import { DirectorySnapshot } from './snapshot/directory-snapshot.js'
import { GitSnapshot } from './snapshot/git-snapshot.js'
import { diffCommits, reviewRange } from './changes.js'
import { resolveCommit } from './git/git.js'
import { runValidate, selectAll, selectChanges, selectPaths } from './validate.js'

export type ValidateSource =
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

export interface ValidateSourceOptions {
  /** Config file relative to the marketplace root; when given, it must exist. */
  configFile?: string
  toolVersion: string
}

export async function validateSource(source: ValidateSource, options: ValidateSourceOptions): Promise<Review> {
  const opened: Snapshot[] = []
  const open = <S extends Snapshot>(s: S): S => {
    opened.push(s)
    return s
  }
  try {
    if (source.kind === 'directory') {
      const snapshot = open(new DirectorySnapshot(source.root))
      const selection = source.paths?.length ? await selectPaths(snapshot, source.paths) : await selectAll(snapshot)
      return await runValidate({ snapshot, selection, configFile: options.configFile, source: { kind: 'directory' }, toolVersion: options.toolVersion })
    }
    const author = source.author === undefined ? {} : { author: source.author }
    if (source.base === undefined) {
      const head = await resolveCommit(source.repo, source.head)
      const snapshot = open(new GitSnapshot(source.repo, head))
      const configRef = source.configRef === undefined ? undefined : await resolveCommit(source.repo, source.configRef)
      return await runValidate({
        snapshot,
        configSnapshot: configRef === undefined ? undefined : open(new GitSnapshot(source.repo, configRef)),
        selection: await selectAll(snapshot),
        configFile: options.configFile,
        source: { kind: 'git', head, ...author },
        toolVersion: options.toolVersion
      })
    }
    const range = await reviewRange(source.repo, source.base, source.head)
    const changes = await diffCommits(source.repo, range.base, range.head)
    return await runValidate({
      snapshot: open(new GitSnapshot(source.repo, range.head)),
      configSnapshot: open(new GitSnapshot(source.repo, range.base)),
      selection: selectChanges(changes),
      configFile: options.configFile,
      source: { kind: 'git', base: range.base, head: range.head, ...author },
      toolVersion: options.toolVersion
    })
  } finally {
    await Promise.all(opened.map((s) => s.close()))
  }
}
