// scores.json and features.jsonl encoded straight into memory the caller already holds (a scores
// run gives the stats document's buffer, dead once scanned): the same bytes as renderScores and
// renderFeatures, without a 5 MB string and a 5 MB buffer for each. On this machine class every
// fresh page costs a fault on first touch (docs/benchmarks.md, Scores, seventh pass); pages the
// stats were read into and scanned are touched already. Each entry or record is serialised on its
// own (a small, short-lived string) and written at once.
import type { Scores } from '../../generated/schema-types.js'
import { canonicalJson } from '../registry/json.js'

/** Writes `text` at `at` in `into`: the offset after it, or -1 when it does not fit. */
function put(into: Buffer, at: number, text: string): number {
  if (at < 0) return -1
  const room = into.length - at
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a near fit is measured.
  if (text.length * 3 > room && Buffer.byteLength(text) > room) return -1
  return at + into.write(text, at)
}

/**
 * canonicalJson(scores) written at `at` in `into`: the offset after it, or -1 when it does not
 * fit (then what was written is garbage; the caller encodes elsewhere). Each entry is
 * canonicalJson of its own, indented to its depth: JSON.stringify indents a nested value relative
 * to its parent and escapes every newline inside a string, so only structural newlines move.
 */
export function encodeScoresInto(scores: Scores, into: Buffer, at: number): number {
  const keys = Object.keys(scores).sort()
  let to = put(into, at, '{')
  let written = 0
  for (const key of keys) {
    const value = (scores as unknown as Record<string, unknown>)[key]
    if (value === undefined) continue
    to = put(into, to, `${written++ > 0 ? ',' : ''}\n  ${JSON.stringify(key)}: `)
    if (key !== 'packages' || !Array.isArray(value) || value.length === 0) {
      to = put(into, to, canonicalJson(value).slice(0, -1).replaceAll('\n', '\n  '))
      continue
    }
    to = put(into, to, '[')
    for (let i = 0; i < value.length; i++)
      to = put(into, to, `${i > 0 ? ',' : ''}\n    ${canonicalJson(value[i]).slice(0, -1).replaceAll('\n', '\n    ')}`)
    to = put(into, to, '\n  ]')
  }
  return put(into, to, written ? '\n}\n' : '}\n')
}

/** The lines (AggregateResult's featureLines) written at `at` in `into`: the offset after them, or -1 when they do not fit. */
export function encodeFeaturesInto(lines: Iterable<string>, into: Buffer, at: number): number {
  let to = at
  for (const line of lines) to = put(into, to, line)
  return to
}

/** undefined (no replacer) when the record's keys are already sorted, else the sorted key list. */
export function sortedKeys(record: object): string[] | undefined {
  const keys = Object.keys(record)
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort()
  return undefined
}
