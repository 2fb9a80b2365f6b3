// Parse fast, locate only when asked, for JSON: jsonc-parser builds a tree with positions for
// every node (tens of microseconds for a two-line profile.json, most of a whole-marketplace run's
// JSON time), while JSON.parse reads the same text in a few. JSON.parse alone would hide what the
// full path reports (a duplicate key keeps its last value silently; nesting deeper than the limit),
// so this scans the text once for both and gives up (undefined) when either is there or when
// JSON.parse refuses the text: then the full path decides, with positions.

/** The value of strict JSON text without duplicate keys nested at most `maxNesting` deep, or undefined. */
export function parseFastJson(text: string, maxNesting: number): { value: unknown } | undefined {
  const scanned = scan(text)
  if (scanned.depth > maxNesting) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  // Every key written in the text is a key of the value unless one was written twice in an object.
  return countKeys(value) === scanned.keys ? { value } : undefined
}

/** Keys (strings followed by `:`) and the deepest `{`/`[` nesting, outside strings. */
function scan(text: string): { keys: number; depth: number } {
  let keys = 0
  let depth = 0
  let max = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++
      let j = i + 1
      while (
        j < text.length &&
        (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)
      )
        j++
      if (text.charCodeAt(j) === 58) keys++
    } else if (c === 123 || c === 91) max = Math.max(max, ++depth)
    else if (c === 125 || c === 93) depth--
  }
  return { keys, depth: max }
}

function countKeys(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countKeys(v), 0)
  if (value === null || typeof value !== 'object') return 0
  let n = 0
  for (const key of Object.keys(value)) n += 1 + countKeys((value as Record<string, unknown>)[key])
  return n
}
