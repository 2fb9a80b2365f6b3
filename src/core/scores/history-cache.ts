// The review-history cache a scheduled scores run keeps between runs (the Actions cache in the
// example workflow; `--history-cache FILE` or the action's `history-cache` input): each package's
// recorded verdicts as of one commit, so the next run reads only `git log <commit>..HEAD`
// (git/review-history.ts). It is a cache, never a source of truth: a file that is missing, of
// another format, or whose bytes do not match the digest on its first line is ignored and the
// whole history read, and the scores are the same to the bit either way.
//
//   {"digest":"sha256:<hex of the rest>","format":2}
//   {"commit":"<HEAD>","scores":"<blob id>"}
//   <id>\t+<commit time>\t-<commit time>...
//   ...
//
// One line per package, sorted by id: `+` a passed review, `-` a failed one, oldest first.
// `scores` is the git blob id of the scores.json the run wrote (or found already right): a run
// that finds those bytes again reads only the entries it needs from it (io/run-scores.ts).
// Format 1 held the packages in one JSON object: its parse (an object of ten thousand keys, then
// a Map) was a tenth of a steady-state run's main thread; lines are read with native searches.
import { createHash } from 'node:crypto'
import type { HistoryAt, HistoryOwned, RecordedVerdict } from '../git/review-history.js'
import { LineBlocks } from './line-blocks.js'

export const HISTORY_CACHE_FORMAT = 2

export interface HistoryCache extends HistoryAt {
  /** The git blob id of the scores.json written with this history, when there was one. */
  scores?: string
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
const DIGEST = /^\{"digest":"sha256:([0-9a-f]{64})","format":(\d+)\}$/
/** What a line cannot hold: an id or a time with one of these has no cache (the whole history is read next time). */
const SEPARATOR = /[\t\n]/

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex')
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The cache's bytes; undefined when an id or a time holds a tab or a newline (no git path or date we read does). */
export function renderHistoryCache(cache: HistoryCache): string | undefined {
  // A line per package, joined a block at a time (line-blocks.ts).
  const lines = new LineBlocks()
  lines.add(commitLine(cache))
  for (const id of [...cache.history.keys()].sort(byCodeUnit)) {
    if (SEPARATOR.test(id)) return undefined
    let line = id
    for (const r of cache.history.get(id) ?? []) {
      if (SEPARATOR.test(r.at)) return undefined
      line += `\t${r.pass ? '+' : '-'}${r.at}`
    }
    lines.add(line)
  }
  return sealed(`${lines.text()}\n`)
}

/**
 * The cache `bytes` hold (an intact one: parseHistoryCache took it) for the same history as of
 * another commit and scores.json: renderHistoryCache's text for that, without sorting and writing
 * ten thousand lines again. Its package lines are kept as read: renderHistoryCache writes exactly
 * the lines parseHistoryCache accepts (sorted ids, a verdict each), so they are what it would write
 * for the history they hold; only the commit line is new, and the digest over them computed again.
 * For a run whose history is the cache's, not extended (git/review-history.ts `unchanged`).
 */
export function restampHistoryCache(bytes: Uint8Array, at: Omit<HistoryCache, 'history'>): string {
  // Decoded as parseHistoryCache decoded it, so the text is the one its digest was checked on.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const second = text.indexOf('\n', text.indexOf('\n') + 1)
  if (second < 0) throw new Error('restampHistoryCache: not a cache parseHistoryCache accepts')
  return sealed(`${commitLine(at)}${text.slice(second)}`)
}

/** The body's first line: the commit the history is as of, and the scores.json written with it. */
function commitLine(at: Omit<HistoryCache, 'history'>): string {
  return JSON.stringify({ commit: at.commit, ...(at.scores !== undefined ? { scores: at.scores } : {}) })
}

/** The file: the digest line over the body, then the body. */
function sealed(body: string): string {
  return `{"digest":"sha256:${sha256(body)}","format":${HISTORY_CACHE_FORMAT}}\n${body}`
}

/**
 * The cache in `bytes`, or undefined for anything but an intact file of this format. Its history
 * is the caller's own, to hand over (git/review-history.ts reviewHistorySince takes it, uncopied).
 */
export function parseHistoryCache(bytes: Uint8Array): (HistoryCache & HistoryOwned) | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const first = text.indexOf('\n')
  if (first < 0 || !text.endsWith('\n')) return undefined
  const head = DIGEST.exec(text.slice(0, first))
  if (!head || Number(head[2]) !== HISTORY_CACHE_FORMAT || sha256(text.slice(first + 1)) !== head[1]) return undefined
  const second = text.indexOf('\n', first + 1)
  if (second < 0) return undefined
  let doc: unknown
  try {
    doc = JSON.parse(text.slice(first + 1, second))
  } catch {
    return undefined
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined
  const { commit, scores, ...rest } = doc as Record<string, unknown>
  if (Object.keys(rest).length || typeof commit !== 'string' || !OID.test(commit)) return undefined
  if (scores !== undefined && (typeof scores !== 'string' || !OID.test(scores))) return undefined
  const history = new Map<string, RecordedVerdict[]>()
  // Each line's verdicts gathered here, then copied to a list of their exact length: a list grown
  // by push from empty reserves 17 slots, and ten thousand of them live to the end of the run,
  // copied by each garbage collection on the way (Scores in docs/benchmarks.md, eleventh pass).
  const verdicts: RecordedVerdict[] = []
  let previous = ''
  for (let at = second + 1; at < text.length;) {
    const end = text.indexOf('\n', at)
    let tab = text.indexOf('\t', at)
    // Each line: an id (sorted after the one before, so never twice), then at least one verdict.
    if (tab < 0 || tab > end || tab === at) return undefined
    const id = text.slice(at, tab)
    if (id <= previous) return undefined
    previous = id
    verdicts.length = 0
    while (tab < end) {
      const next = text.indexOf('\t', tab + 1)
      const stop = next < 0 || next > end ? end : next
      const sign = text.charCodeAt(tab + 1)
      if ((sign !== 0x2b && sign !== 0x2d) || stop - tab < 3) return undefined
      verdicts.push({ pass: sign === 0x2b, at: text.slice(tab + 2, stop) })
      tab = stop
    }
    history.set(id, verdicts.slice())
    at = end + 1
  }
  return { commit, history, ...(scores !== undefined ? { scores } : {}) }
}
