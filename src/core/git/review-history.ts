// The review pass/fail history of every package: each version of its review.json in git, dated
// by the commit that recorded it. One `git log` over the record files, then their contents in a
// few `git cat-file` calls (blob-batch.ts).
import { readSmallBlobs } from './blob-batch.js'
import { runGit, GitError } from './git.js'
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
  let out: Buffer
  try {
    out = await runGit(repoDir, ['log', '--no-renames', '--no-abbrev', '-z', '--raw', '--format=%x01%cI', head, '--', REVIEW_RECORDS_GLOB])
  } catch (e) {
    if (e instanceof GitError) return new Map()
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
