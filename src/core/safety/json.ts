// JSON trees for the detectors, guarded against nesting bombs: jsonc-parser recurses once per
// level, so `[[[[…` 100 KB deep would overflow the stack and stop the whole review.
import { parseTree, type Node } from 'jsonc-parser'

/** Deeper than any real config; a file past it is not walked (the validate check reports JSON problems). */
export const MAX_JSON_DEPTH = 256

export function jsonDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 91 || c === 123) max = Math.max(max, ++depth)
    else if (c === 93 || c === 125) depth--
  }
  return max
}

/** The JSON syntax tree (comments and trailing commas tolerated), or undefined when too deep or empty. */
export function parseJsonTree(text: string): Node | undefined {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return undefined
  return parseTree(text, [], { disallowComments: false, allowTrailingComma: true })
}
