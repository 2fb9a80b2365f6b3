// What the registry needs from git history: whether the last build's commit is an ancestor of the
// one being built, and which merge introduced a package's current files (its publish date).
import { GitError, runGit } from './git.js'
import type { GitSnapshot } from './git-snapshot.js'
import type { ChangeSet } from './changes.js'
import { ownString } from '../own-string.js'
import { packageRefOf, PUBLISHERS_DIR, REVIEW_RECORD_FILE } from '../marketplace/paths.js'

export interface CommitStamp {
  commit: string
  /** Committer time, RFC 3339 in UTC without fractions: `2026-03-24T00:00:00Z`. */
  time: string
}

export function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** True when `ancestor` is in the clone and reachable from `descendant`. */
export async function isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await runGit(repo, ['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant])
    return true
  } catch (e) {
    // Exit 1: not an ancestor. 128: an unknown commit (gone, or never fetched).
    if (e instanceof GitError && (e.exitCode === 1 || e.exitCode === 128)) return false
    throw e
  }
}

/**
 * The commit's stamp, what `git show -s --format='%H %ct'` prints, from the commit object as the
 * snapshot's `cat-file --batch` reads it: a git process less for every build (its fork and start
 * cost tens of milliseconds of a one-package rebuild).
 */
export async function commitStamp(snapshot: GitSnapshot): Promise<CommitStamp> {
  return (await commitFacts(snapshot)).stamp
}

/** A commit's stamp and its parents (in order: the first is the branch it landed on), from one read of its object. */
export async function commitFacts(snapshot: GitSnapshot): Promise<{ stamp: CommitStamp; parents: string[] }> {
  const object = await snapshot.readCommit()
  return { stamp: { commit: snapshot.commit, time: isoSeconds(committerTime(object)) }, parents: commitParents(object) }
}

/** The `parent` headers of a commit object, in order. */
export function commitParents(commit: Buffer): string[] {
  return headerLines(commit)
    .filter((l) => l.startsWith('parent '))
    .map((l) => l.slice('parent '.length).trim())
}

/** A commit object's header lines (before the blank line that starts its message). */
function headerLines(commit: Buffer): string[] {
  const text = commit.toString('latin1')
  const end = text.indexOf('\n\n')
  return (end < 0 ? text : text.slice(0, end)).split('\n')
}

/**
 * The committer time of a commit object as `%ct` gives it (git's split_ident_line): on the first
 * `committer` header, the digits after the last `>` and any spaces, when a time zone's sign and
 * a digit follow them; 0 otherwise (git prints nothing then, which the build read as 0 when it
 * asked `git show`).
 */
export function committerTime(commit: Buffer): number {
  const line = headerLines(commit).find((l) => l.startsWith('committer '))
  if (line === undefined || !line.includes('<')) return 0
  const close = line.lastIndexOf('>')
  if (close < line.indexOf('<')) return 0
  const digits = /^[ \t\r\f\v]*([0-9]+)[ \t\r\f\v]*[+-][0-9]/.exec(line.slice(close + 1))
  return digits ? Number(digits[1]) : 0
}

/**
 * What introducingCommits(head, dirs, since) finds when `since` is the built commit's first
 * parent, from the diff between them: the first-parent line after `since` is the built commit
 * alone, and `git log --first-parent` shows it for a folder when its diff against that parent
 * touches a path there (a review record alone does not count). One build per merge, as the
 * example workflow runs, is this case: no `git log` of its own.
 */
export function introducedByParentDiff(changes: ChangeSet, dirs: readonly string[], head: CommitStamp): Map<string, CommitStamp> {
  const touched = new Set<string>()
  for (const p of changes.packages)
    for (const c of p.paths)
      for (const name of [c.path, c.oldPath]) {
        const ref = name === undefined ? undefined : packageRefOf(name)
        if (ref && name !== `${ref.dir}/${REVIEW_RECORD_FILE}`) touched.add(ref.dir)
      }
  return new Map(dirs.filter((d) => touched.has(d)).map((d) => [d, head]))
}

/** Above this many package folders, one pathspec for all of publishers/ is cheaper for git. */
const PATHSPECS_LIMIT = 200

/**
 * For each package folder, the newest commit on the first-parent line of `head` (after `since`,
 * when given) that changed the package's files: the merge that published its current content. A
 * change to the marketplace's own review.json alone does not count. One `git log` for all
 * folders; `--first-parent` shows each merge as the diff against the branch it landed on, so the
 * stamp is the merge, not a commit of the pull request's branch.
 */
export async function introducingCommits(
  repo: string,
  head: string,
  dirs: readonly string[],
  since?: string
): Promise<Map<string, CommitStamp>> {
  const found = new Map<string, CommitStamp>()
  if (!dirs.length) return found
  const wanted = new Set(dirs)
  const range = since === undefined ? [head] : [`^${since}`, head]
  const pathspecs = dirs.length > PATHSPECS_LIMIT ? [PUBLISHERS_DIR] : [...dirs]
  const args = [
    '--literal-pathspecs',
    'log',
    '--first-parent',
    '-z',
    '--format=%x01%H %ct',
    '--name-only',
    '--no-renames',
    '--end-of-options',
    ...range,
    '--',
    ...pathspecs
  ]
  const out = (await runGit(repo, args)).toString('utf8')
  for (const record of out.split('\x01')) {
    if (record === '') continue
    const nul = record.indexOf('\0')
    const [commit = '', ct = '0'] = record.slice(0, nul < 0 ? record.length : nul).split(' ')
    if (nul < 0) continue
    // One stamp for every package the commit introduced, its id not a piece of the whole log.
    const stamp = { commit: ownString(commit), time: isoSeconds(Number(ct)) }
    for (const path of record
      .slice(nul + 1)
      .replace(/^\n/, '')
      .split('\0')) {
      const ref = path === '' ? undefined : packageRefOf(path)
      if (!ref || !wanted.has(ref.dir) || found.has(ref.dir)) continue
      if (path === `${ref.dir}/${REVIEW_RECORD_FILE}`) continue
      found.set(ref.dir, stamp)
    }
    if (found.size === wanted.size) break
  }
  return found
}
