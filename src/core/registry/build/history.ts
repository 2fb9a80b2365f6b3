// What git says about the recorded build's commit, asked once per build: the unchanged check
// (plan.ts, nothingToBuildSince), the one-package rebuild (delta.ts), the plan of the usual build
// (plan.ts) and the publish stage's stamps (publish.ts) ask whether it is an ancestor of the built
// commit and what changed since (BuildContext.history), and each answer is a git process (tens of
// milliseconds to start on a loaded runner). Commits are immutable, so an answer never goes stale.
import { diffCommits, type ChangeSet, type FolderLookup } from '../../git/changes.js'
import { isAncestor } from '../../git/history.js'

export interface History {
  isAncestor(commit: string): Promise<boolean>
  changesSince(commit: string): Promise<ChangeSet>
  /** The changes since `commit` when they have been asked already, else undefined (git is not asked). */
  askedSince(commit: string): Promise<ChangeSet> | undefined
}

/**
 * The history of `head` in `repo`, each question asked of git at most once. `folders`: a running
 * cat-file (the built commit's snapshot) that says which changed package folders exist at each
 * end of a diff, in place of an `ls-tree` at each commit.
 */
export function historyOf(repo: string, head: string, folders?: FolderLookup): History {
  const ancestors = new Map<string, Promise<boolean>>()
  const changes = new Map<string, Promise<ChangeSet>>()
  return {
    isAncestor(commit) {
      let known = ancestors.get(commit)
      if (!known) ancestors.set(commit, (known = isAncestor(repo, commit, head)))
      return known
    },
    changesSince(commit) {
      let known = changes.get(commit)
      if (!known) changes.set(commit, (known = diffCommits(repo, commit, head, undefined, folders)))
      return known
    },
    askedSince(commit) {
      return changes.get(commit)
    }
  }
}
