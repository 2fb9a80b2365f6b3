// What changed between two commits, grouped the way a review needs it: per package, per
// publisher profile, and everything else. One `git diff-tree` answers it; git skips every subtree
// whose id did not change, so the cost follows the change, not the size of the marketplace.
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { isObjectId, mergeBase, resolveCommit, runGit } from './git.js'
import { GitSnapshot, parseLsTree } from './git-snapshot.js'
import { comparePaths } from '../snapshot/types.js'
import { PROFILE_FILE, packageRefOf, publisherDir, publisherOf, type PackageRef } from '../marketplace/paths.js'

export type PathStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'type-changed'

export interface ChangedPath {
  status: PathStatus
  path: string
  /** A rename's source. */
  oldPath?: string
  /** git modes (100644, 120000, ...), absent on the side where the path does not exist. */
  oldMode?: string
  newMode?: string
}

export interface PackageChange {
  ref: PackageRef
  status: 'added' | 'modified' | 'deleted' | 'renamed'
  /** On a 'renamed' package: the package its files came from (now deleted). */
  renamedFrom?: PackageRef
  /** On a 'deleted' package: the package its files moved to. */
  renamedTo?: PackageRef
  paths: ChangedPath[]
}

export interface ChangeSet {
  base: string
  head: string
  packages: PackageChange[]
  publishers: { login: string; paths: ChangedPath[] }[]
  other: ChangedPath[]
}

/** Keeps each ls-tree command line far below the system's argument limit. */
const PATHSPECS_PER_CALL = 200

/**
 * The range a PR review covers: from the merge base of the base branch and the PR head, so that
 * what landed on the base branch since the PR was opened is not mistaken for the PR's change.
 */
export async function reviewRange(repoDir: string, baseRef: string, headRef: string): Promise<{ base: string; head: string }> {
  const [base, head] = await Promise.all([resolveCommit(repoDir, baseRef), resolveCommit(repoDir, headRef)])
  return { base: await mergeBase(repoDir, base, head), head }
}

/**
 * `git diff-tree` reads the index before it compares two trees, though it never uses it: in a
 * checkout of 100,000 packages that is a 30 MB file parsed for nothing. An index file that does
 * not exist is an empty index (git creates nothing for a read-only command).
 */
const NO_INDEX = { GIT_INDEX_FILE: path.join(tmpdir(), `marketplace-actions-no-index-${randomUUID()}`) }

/**
 * Whether a path is a folder at a commit, asked of a process already running (a snapshot's
 * cat-file, GitSnapshot.isTreeAt): the registry build's diffs ask this of the built commit's
 * snapshot instead of an `ls-tree` at each commit.
 */
export interface FolderLookup {
  isTreeAt(commit: string, path: string): Promise<boolean>
}

/** The two commits' snapshots, and what else to list with the changed packages in the same command. */
export interface DiffSnapshots {
  base: GitSnapshot
  head: GitSnapshot
  /** Also list, at both commits, the profile of every publisher the change touches. */
  profiles?: boolean
  /**
   * Also list these paths at the base (the config, registry.json and the changed packages' index
   * shards); `adding` when a changed package may be new (every path of it added or renamed).
   */
  alsoAtBase?: (packageIds: readonly string[], adding: boolean) => readonly string[]
}

/**
 * Every changed path between two commits (full ids; for a PR pass the merge base as `base`, see
 * reviewRange), with packages classified as added, modified, deleted or renamed. Given the two
 * commits' snapshots, the changed packages are listed through them, so the checks that read the
 * packages next find them already listed: one `ls-tree` per commit for everything the review
 * reads, since each one walks the root and publishers/ trees again (10,000 entries at 100,000
 * packages).
 */
export async function diffCommits(
  repoDir: string,
  base: string,
  head: string,
  snapshots?: DiffSnapshots,
  folders?: FolderLookup
): Promise<ChangeSet> {
  for (const commit of [base, head]) {
    if (!isObjectId(commit))
      throw new Error(`${JSON.stringify(commit)} is not a full commit id; resolve refs first (reviewRange, resolveCommit)`)
  }
  if (snapshots && (snapshots.base.commit !== base || snapshots.head.commit !== head))
    throw new Error('the snapshots given to diffCommits must be of the commits compared')
  const raw = await runGit(
    repoDir,
    ['diff-tree', '-r', '-z', '-M', '--raw', '--no-textconv', '--no-ext-diff', '--end-of-options', base, head],
    { env: NO_INDEX }
  )

  const packagePaths = new Map<string, { ref: PackageRef; paths: ChangedPath[] }>()
  const publisherPaths = new Map<string, ChangedPath[]>()
  const other: ChangedPath[] = []
  /** `from id -> to id -> count` of renames that leave one package for another. */
  const moves = new Map<string, Map<string, number>>()

  const add = (change: ChangedPath): void => {
    const ref = packageRefOf(change.path)
    if (ref) {
      const group = packagePaths.get(ref.id) ?? { ref, paths: [] }
      packagePaths.set(ref.id, group)
      group.paths.push(change)
      return
    }
    const login = publisherOf(change.path)
    if (login === undefined) other.push(change)
    else if (publisherPaths.has(login)) publisherPaths.get(login)?.push(change)
    else publisherPaths.set(login, [change])
  }

  for (const record of parseRawDiff(raw.toString('utf8'))) {
    const { status, oldMode, newMode, path, oldPath } = record
    if (status === 'renamed' && oldPath !== undefined && groupOf(oldPath) !== groupOf(path)) {
      // Leaving one group for another: each side sees its own half of the move.
      add({ status: 'deleted', path: oldPath, oldMode })
      add({ status: 'renamed', path, oldPath, oldMode, newMode })
      const from = packageRefOf(oldPath)
      const to = packageRefOf(path)
      if (from && to) {
        const counts = moves.get(from.id) ?? new Map<string, number>()
        moves.set(from.id, counts)
        counts.set(to.id, (counts.get(to.id) ?? 0) + 1)
      }
      continue
    }
    add(record)
  }

  const dirs = [...packagePaths.values()].map((g) => g.ref.dir)
  const logins = new Set([...[...packagePaths.values()].map((g) => g.ref.publisher), ...publisherPaths.keys()])
  const profiles = snapshots?.profiles ? [...logins].map((login) => `${publisherDir(login)}/${PROFILE_FILE}`) : []
  const adding = [...packagePaths.values()].some((g) => g.paths.every((p) => p.status === 'added' || p.status === 'renamed'))
  const [atBase, atHead] = await Promise.all([
    existingDirs(
      snapshots?.base ?? new GitSnapshot(repoDir, base),
      dirs,
      snapshots === undefined,
      [...profiles, ...(snapshots?.alsoAtBase?.([...packagePaths.keys()], adding) ?? [])],
      folders
    ),
    existingDirs(snapshots?.head ?? new GitSnapshot(repoDir, head), dirs, snapshots === undefined, profiles, folders)
  ])

  const packages = new Map<string, PackageChange>()
  for (const { ref, paths } of packagePaths.values()) {
    const status = atHead.has(ref.dir) ? (atBase.has(ref.dir) ? 'modified' : 'added') : 'deleted'
    packages.set(ref.id, { ref, status, paths: paths.sort(byPath) })
  }
  for (const [from, to] of pairRenames(moves, packages)) {
    from.renamedTo = to.ref
    to.status = 'renamed'
    to.renamedFrom = from.ref
  }

  return {
    base,
    head,
    packages: [...packages.values()].sort((a, b) => comparePaths(a.ref.id, b.ref.id)),
    publishers: [...publisherPaths.entries()]
      .sort(([a], [b]) => comparePaths(a, b))
      .map(([login, paths]) => ({ login, paths: paths.sort(byPath) })),
    other: other.sort(byPath)
  }
}

/**
 * Matches deleted packages to added ones by the renames between them, most files first, each
 * package at most once, so that a package is renamed from exactly one other.
 */
function pairRenames(moves: Map<string, Map<string, number>>, packages: Map<string, PackageChange>): [PackageChange, PackageChange][] {
  const candidates: { from: PackageChange; to: PackageChange; count: number }[] = []
  for (const [fromId, counts] of moves) {
    const from = packages.get(fromId)
    if (from?.status !== 'deleted') continue
    for (const [toId, count] of counts) {
      const to = packages.get(toId)
      if (to?.status === 'added') candidates.push({ from, to, count })
    }
  }
  candidates.sort((a, b) => b.count - a.count || comparePaths(a.from.ref.id, b.from.ref.id) || comparePaths(a.to.ref.id, b.to.ref.id))
  const used = new Set<PackageChange>()
  const pairs: [PackageChange, PackageChange][] = []
  for (const { from, to } of candidates) {
    if (used.has(from) || used.has(to)) continue
    used.add(from)
    used.add(to)
    pairs.push([from, to])
  }
  return pairs
}

/**
 * Which of the given directories are trees at a commit. A snapshot the checks go on to read lists
 * them recursively (what they will read anyway, in one command per batch); a throwaway one only
 * needs the entries themselves.
 */
async function existingDirs(
  snapshot: GitSnapshot,
  dirs: string[],
  throwaway: boolean,
  also: readonly string[],
  folders?: FolderLookup
): Promise<Set<string>> {
  const found = new Set<string>()
  if (!throwaway) {
    await snapshot.prefetch([...dirs, ...also])
    for (const dir of dirs) if ((await snapshot.stat(dir))?.kind === 'directory') found.add(dir)
    return found
  }
  if (folders && dirs.length && dirs.length <= PATHSPECS_PER_CALL) {
    // A running cat-file answers without a git process of its own (up to what one ls-tree
    // answers: past that, a few processes cost less than holding every question); a path it
    // cannot ask, or a failure, leaves the question to ls-tree.
    const answers = await Promise.all(dirs.map((dir) => folders.isTreeAt(snapshot.commit, dir).catch(() => undefined)))
    if (answers.every((a) => a !== undefined)) return new Set(dirs.filter((_, i) => answers[i]))
  }
  for (let i = 0; i < dirs.length; i += PATHSPECS_PER_CALL) {
    const batch = dirs.slice(i, i + PATHSPECS_PER_CALL)
    const out = await runGit(snapshot.repoDir, ['--literal-pathspecs', 'ls-tree', '-z', '--full-tree', snapshot.commit, '--', ...batch])
    for (const entry of parseLsTree(out)) {
      if (entry.kind === 'directory') found.add(entry.path)
    }
  }
  return found
}

const STATUS: Record<string, PathStatus> = { A: 'added', M: 'modified', D: 'deleted', T: 'type-changed', R: 'renamed', C: 'added' }
const ABSENT_MODE = '000000'

/** Parses `diff-tree -z --raw`: `:<old mode> <new mode> <old oid> <new oid> <status>NUL<path>NUL[<new path>NUL]`. */
export function parseRawDiff(out: string): ChangedPath[] {
  const fields = out.split('\0')
  const changes: ChangedPath[] = []
  for (let i = 0; i < fields.length; i++) {
    const meta = fields[i]
    if (meta === undefined || !meta.startsWith(':')) continue
    const [oldMode = ABSENT_MODE, newMode = ABSENT_MODE, , , letters = ''] = meta.slice(1).split(' ')
    const letter = letters.charAt(0)
    const status = STATUS[letter] ?? 'modified'
    const first = fields[++i] ?? ''
    const second = letter === 'R' || letter === 'C' ? (fields[++i] ?? '') : undefined
    const change: ChangedPath = second === undefined ? { status, path: first } : { status, path: second, oldPath: first }
    // A copy leaves its source in place: it is a new file, not a move.
    if (letter === 'C') delete change.oldPath
    if (oldMode !== ABSENT_MODE) change.oldMode = oldMode
    if (newMode !== ABSENT_MODE) change.newMode = newMode
    changes.push(change)
  }
  return changes
}

function groupOf(path: string): string {
  const ref = packageRefOf(path)
  if (ref) return `package:${ref.id}`
  const login = publisherOf(path)
  return login === undefined ? 'other' : `publisher:${login}`
}

function byPath(a: ChangedPath, b: ChangedPath): number {
  return comparePaths(a.path, b.path) || comparePaths(a.status, b.status)
}
