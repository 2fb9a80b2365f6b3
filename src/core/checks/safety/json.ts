// JSON trees for the detectors, guarded against nesting bombs: jsonc-parser recurses once per
// level, so `[[[[…` 100 KB deep would overflow the stack and stop the whole review.
import { parseTree, type Node } from 'jsonc-parser'
import { MAX_NESTING, nestingDepth } from '../../parse/located.js'

/** Nesting past which a file is not walked (the validate check reports it). */
export const MAX_JSON_DEPTH = MAX_NESTING

export function jsonDepth(text: string): number {
  return nestingDepth(text, 'json')
}

/** The JSON syntax tree (comments and trailing commas tolerated), or undefined when too deep or empty. */
export function parseJsonTree(text: string): Node | undefined {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return undefined
  return parseTree(text, [], { disallowComments: false, allowTrailingComma: true })
}
