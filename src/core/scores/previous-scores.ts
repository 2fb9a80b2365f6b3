// The previous scores.json as a run reads it. A run needs the previous entries only of the
// packages the stats leave out (aggregate.ts keeps their scores), usually none, yet the file is
// 5.5 MB at 10,000 packages. When its bytes are exactly those the last run wrote and checked
// (the history cache names their blob id; io/run-scores.ts compares), they are the canonical JSON
// renderScores writes, and an entry is found by its `id` line and parsed alone. Anything else is
// parsed and checked whole by the caller, as before.
import type { ScoredPackage, Scores } from '../../generated/schema-types.js'

/** Previous entries by package id. */
export interface PreviousScores {
  entry(id: string): ScoredPackage | undefined
}

export function previousScoresOf(scores: Scores): PreviousScores {
  const byId = new Map(scores.packages.map((p) => [p.id, p]))
  return { entry: (id) => byId.get(id) }
}

/** canonicalJson's layout of scores.json: each entry an object at depth 2, its `id` at depth 3. */
const START = '{\n  "formula": '
const ID_LINE = '\n      "id": '
const ENTRY_OPEN = '\n    {\n'
const ENTRY_CLOSE = '\n    }'

/**
 * Entries of scores.json bytes that a run wrote (canonical JSON; not validated here: the caller
 * vouches for them), each parsed when first asked for; undefined when the bytes do not start as
 * that layout does. An entry whose slice does not parse to an object with that id is undefined.
 */
export function previousScoresIn(bytes: Uint8Array): PreviousScores | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (!b.subarray(0, START.length).equals(Buffer.from(START))) return undefined
  let spans: Map<string, [number, number]> | undefined
  const index = (): Map<string, [number, number]> => {
    const out = new Map<string, [number, number]>()
    // One native search per entry: ids are JSON strings on their own line, one per entry.
    for (let at = b.indexOf(ID_LINE); at >= 0; at = b.indexOf(ID_LINE, at + ID_LINE.length)) {
      const lineEnd = b.indexOf('\n', at + 1)
      const text = b.toString('utf8', at + ID_LINE.length, lineEnd)
      if (!text.endsWith(',')) continue
      let id: unknown
      try {
        id = JSON.parse(text.slice(0, -1))
      } catch {
        continue
      }
      const start = b.lastIndexOf(ENTRY_OPEN, at)
      const end = b.indexOf(ENTRY_CLOSE, at)
      // The last entry of an id wins, as in the Map the whole-file path builds.
      if (typeof id === 'string' && start >= 0 && end >= 0) out.set(id, [start + 5, end + ENTRY_CLOSE.length])
    }
    return out
  }
  return {
    entry(id) {
      spans ??= index()
      const span = spans.get(id)
      if (!span) return undefined
      try {
        const entry = JSON.parse(b.toString('utf8', span[0], span[1])) as ScoredPackage
        return typeof entry === 'object' && entry !== null && entry.id === id ? entry : undefined
      } catch {
        return undefined
      }
    }
  }
}
