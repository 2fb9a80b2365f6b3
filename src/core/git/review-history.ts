// The review pass/fail history of every package: each version of its review.json in git, dated
// by the commit that recorded it. One `git log` over the record files, then their contents in a
// few `git cat-file` calls (blob-batch.ts).
import { readSmallBlobs } from './blob-batch.js'
import { runGit, GitError } from './git.js'
import { isAncestor } from './history.js'
import { packageRefOf, REVIEW_RECORD_FILE, REVIEW_RECORDS_GLOB } from '../marketplace/paths.js'

/** A record is a few KB; anything larger is not one of ours and is skipped. */
const MAX_RECORD_BYTES = 1024 * 1024

/** One recorded review verdict and when the commit that recorded it was made. */
export interface RecordedVerdict {
  pass: boolean
  at: string
}

/**
 * Verdicts by package id, oldest first. A folder that is not a git repository (or a shallow clone
 * without history) gives what it has, possibly nothing: the registry's current review still counts.
 */
export async function reviewHistory(repoDir: string, head = 'HEAD'): Promise<Map<string, RecordedVerdict[]>> {
  return (await recordsIn(repoDir, [head])) ?? new Map()
}

/** A history as of a commit: what a scores run keeps between runs (core/scores/history-cache.ts). */
export interface HistoryAt {
  commit: string
  history: ReadonlyMap<string, readonly RecordedVerdict[]>
}

export interface HistoryRead {
  history: Map<string, RecordedVerdict[]>
  /** HEAD, when the history is the whole of HEAD's and may be kept for the next run (not in a shallow clone). */
  commit?: string
  /** How it was read: `cached` (HEAD is the cached commit), `since-cache` (only the commits after it), `full`. */
  read: 'cached' | 'since-cache' | 'full'
  /** The cached history as it was: HEAD is the cached commit, or the commits after it record no review. */
  unchanged?: true
}

/** A history handed over to reviewHistorySince: it becomes the result's (extended in place), never copied. */
export interface HistoryOwned {
  commit: string
  history: Map<string, RecordedVerdict[]>
}

/**
 * reviewHistory of HEAD, reading only the commits after `cached.commit` when that commit is an
 * ancestor of HEAD: the records reachable from HEAD are those reachable from the cached commit
 * plus those git lists for `<cached>..HEAD`, so the lists are the full read's, each package's new
 * verdicts after its old ones. (The formula sums a package's reviews in time order, so how two
 * lists are joined cannot change a score.) Anything else (no cache, a rewritten history, a
 * shallow clone, not a repository) reads the whole history as reviewHistory does.
 *
 * `cached.history` is taken over: returned as the history, or extended in place with the newer
 * commits' verdicts, so the caller must not use it again. (Copying ten thousand lists and the
 * map cost a steady-state scores run 50-90 ms of its main thread, and their garbage.)
 */
export async function reviewHistorySince(repoDir: string, cached: HistoryOwned | undefined): Promise<HistoryRead> {
  let head: string
  try {
    // One spawn: "true"/"false", then the commit id.
    const [shallow, commit] = (await runGit(repoDir, ['rev-parse', '--is-shallow-repository', '--verify', 'HEAD^{commit}']))
      .toString('utf8')
      .trim()
      .split('\n')
    if (shallow !== 'false' || !commit) return { history: await reviewHistory(repoDir), read: 'full' }
    head = commit
  } catch (e) {
    if (e instanceof GitError) return { history: await reviewHistory(repoDir), read: 'full' }
    throw e
  }
  if (cached && cached.commit === head) return { history: cached.history, commit: head, read: 'cached', unchanged: true }
  if (cached && (await isAncestor(repoDir, cached.commit, head))) {
    const added = await recordsIn(repoDir, [head, `^${cached.commit}`])
    if (added) {
      const history = cached.history
      for (const [id, list] of added) history.set(id, [...(history.get(id) ?? []), ...list])
      return { history, commit: head, read: 'since-cache', ...(added.size === 0 ? { unchanged: true as const } : {}) }
    }
  }
  const full = await recordsIn(repoDir, [head])
  return full ? { history: full, commit: head, read: 'full' } : { history: new Map(), read: 'full' }
}

/** The verdicts recorded in the commits `revs` select, by package id, oldest first; undefined when git fails. */
async function recordsIn(repoDir: string, revs: string[]): Promise<Map<string, RecordedVerdict[]> | undefined> {
  let out: Buffer
  try {
    out = await runGit(repoDir, [
      'log',
      '--no-renames',
      '--no-abbrev',
      '-z',
      '--raw',
      '--format=%x01%cI',
      '--end-of-options',
      ...revs,
      '--',
      REVIEW_RECORDS_GLOB
    ])
  } catch (e) {
    if (e instanceof GitError) return undefined
    throw e
  }
  // Each commit: \x01<date>\0, then NUL-separated ":<modes> <old> <new> <status>" and path pairs.
  const records: { id: string; at: string; oid: string }[] = []
  for (const commit of out.toString('utf8').split('\x01').slice(1)) {
    const [date = '', ...rest] = commit.split('\0')
    const at = date.trim()
    // Only the first raw line of a commit starts with a newline; paths keep their spaces.
    const fields = rest.map((f) => f.replace(/^\n/, '')).filter((f) => f !== '')
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [, , , newOid, status] = (fields[i] as string).replace(/^:/, '').split(' ')
      const path = fields[i + 1] as string
      const ref = packageRefOf(path)
      if (!ref || !newOid || status === 'D' || path !== `${ref.dir}/${REVIEW_RECORD_FILE}`) continue
      records.push({ id: ref.id, at, oid: newOid })
    }
  }
  const verdicts = new Map<string, 'pass' | 'fail'>()
  await readSmallBlobs(
    repoDir,
    records.map((r) => r.oid),
    MAX_RECORD_BYTES,
    (oid, bytes) => {
      const verdict = verdictIn(bytes)
      if (verdict !== undefined) verdicts.set(oid, verdict)
    }
  )
  const history = new Map<string, RecordedVerdict[]>()
  for (const r of records) {
    const verdict = verdicts.get(r.oid)
    if (verdict === undefined) continue
    const list = history.get(r.id) ?? []
    list.push({ pass: verdict === 'pass', at: r.at })
    history.set(r.id, list)
  }
  // git log lists newest first.
  for (const list of history.values()) list.reverse()
  return history
}

function verdictIn(bytes: Buffer): 'pass' | 'fail' | undefined {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { verdict?: unknown } | null
    return doc?.verdict === 'pass' || doc?.verdict === 'fail' ? doc.verdict : undefined
  } catch {
    return undefined
  }
}
