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
 *
 * The index is where each `id` line starts, nothing more: renderScores lists entries sorted by
 * id, so an id is found by a binary search that reads the few ids it passes. A map of every id
 * (ten thousand strings and pairs) lived to the end of the run for the few ids asked for, and
 * each garbage collection copied it (Scores in docs/benchmarks.md, eleventh pass). Ids not in
 * strictly increasing order (no run writes that) are looked up in such a map, the last entry of
 * an id winning as in the whole-file path.
 */
export function previousScoresIn(bytes: Uint8Array): PreviousScores | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (!b.subarray(0, START.length).equals(Buffer.from(START))) return undefined
  /** The id on the `id` line at `at`, undefined for a line that is not one JSON string and a comma. */
  const idAt = (at: number): string | undefined => {
    const text = b.toString('utf8', at + ID_LINE.length, b.indexOf('\n', at + 1))
    if (!text.endsWith(',')) return undefined
    try {
      const id: unknown = JSON.parse(text.slice(0, -1))
      return typeof id === 'string' ? id : undefined
    } catch {
      return undefined
    }
  }
  let index: ((id: string) => number) | undefined
  const makeIndex = (): ((id: string) => number) => {
    // One native search per entry: ids are JSON strings on their own line, one per entry.
    const lines: number[] = []
    let previous: string | undefined
    let sorted = true
    for (let at = b.indexOf(ID_LINE); at >= 0; at = b.indexOf(ID_LINE, at + ID_LINE.length)) {
      const id = idAt(at)
      if (id === undefined) continue
      if (previous !== undefined && !(previous < id)) sorted = false
      previous = id
      lines.push(at)
    }
    if (!sorted) {
      const byId = new Map(lines.map((at) => [idAt(at) as string, at]))
      return (id) => byId.get(id) ?? -1
    }
    return (id) => {
      let low = 0
      let high = lines.length - 1
      while (low <= high) {
        const mid = (low + high) >>> 1
        const at = lines[mid] as number
        const found = idAt(at) as string
        if (found === id) return at
        if (found < id) low = mid + 1
        else high = mid - 1
      }
      return -1
    }
  }
  return {
    entry(id) {
      index ??= makeIndex()
      const at = index(id)
      if (at < 0) return undefined
      const start = b.lastIndexOf(ENTRY_OPEN, at)
      const end = b.indexOf(ENTRY_CLOSE, at)
      if (start < 0 || end < 0) return undefined
      try {
        const entry = JSON.parse(b.toString('utf8', start + 5, end + ENTRY_CLOSE.length)) as ScoredPackage
        return typeof entry === 'object' && entry !== null && entry.id === id ? entry : undefined
      } catch {
        return undefined
      }
    }
  }
}
