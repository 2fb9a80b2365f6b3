// The review-history cache a scheduled scores run keeps between runs (the Actions cache in the
// example workflow; `--history-cache FILE` or the action's `history-cache` input): each package's
// recorded verdicts as of one commit, so the next run reads only `git log <commit>..HEAD`
// (git/review-history.ts). It is a cache, never a source of truth: a file that is missing, of
// another format, or whose bytes do not match the digest on its first line is ignored and the
// whole history read, and the scores are the same to the bit either way.
//
//   {"digest":"sha256:<hex of the rest>","format":1}
//   {"commit":"<HEAD>","packages":{"<id>":["+<commit time>","-<commit time>",...],...},"scores":"<blob id>"}
//
// `+` a passed review, `-` a failed one, oldest first. `scores` is the git blob id of the
// scores.json the run wrote (or found already right): a run that finds those bytes again reads
// only the entries it needs from it (io/run-scores.ts).
import { createHash } from 'node:crypto'
import type { HistoryAt, RecordedVerdict } from '../git/review-history.js'

export const HISTORY_CACHE_FORMAT = 1

export interface HistoryCache extends HistoryAt {
  /** The git blob id of the scores.json written with this history, when there was one. */
  scores?: string
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
const DIGEST = /^\{"digest":"sha256:([0-9a-f]{64})","format":(\d+)\}$/

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex')

export function renderHistoryCache(cache: HistoryCache): string {
  const packages: Record<string, string[]> = {}
  for (const [id, list] of [...cache.history].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    packages[id] = list.map((r) => `${r.pass ? '+' : '-'}${r.at}`)
  const body = JSON.stringify({ commit: cache.commit, packages, ...(cache.scores !== undefined ? { scores: cache.scores } : {}) })
  return `{"digest":"sha256:${sha256(body)}","format":${HISTORY_CACHE_FORMAT}}\n${body}\n`
}

/** The cache in `bytes`, or undefined for anything but an intact file of this format. */
export function parseHistoryCache(bytes: Uint8Array): HistoryCache | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const newline = text.indexOf('\n')
  if (newline < 0 || !text.endsWith('\n')) return undefined
  const head = DIGEST.exec(text.slice(0, newline))
  const body = text.slice(newline + 1, -1)
  if (!head || Number(head[2]) !== HISTORY_CACHE_FORMAT || sha256(body) !== head[1]) return undefined
  let doc: unknown
  try {
    doc = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined
  const { commit, packages, scores, ...rest } = doc as Record<string, unknown>
  if (Object.keys(rest).length || typeof commit !== 'string' || !OID.test(commit)) return undefined
  if (scores !== undefined && (typeof scores !== 'string' || !OID.test(scores))) return undefined
  if (typeof packages !== 'object' || packages === null || Array.isArray(packages)) return undefined
  const history = new Map<string, RecordedVerdict[]>()
  for (const [id, list] of Object.entries(packages)) {
    if (!Array.isArray(list) || !list.length) return undefined
    const verdicts: RecordedVerdict[] = []
    for (const item of list) {
      if (typeof item !== 'string' || (item[0] !== '+' && item[0] !== '-') || item.length < 2) return undefined
      verdicts.push({ pass: item[0] === '+', at: item.slice(1) })
    }
    history.set(id, verdicts)
  }
  return { commit, history, ...(scores !== undefined ? { scores } : {}) }
}
