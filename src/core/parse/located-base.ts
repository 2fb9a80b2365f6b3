// What the located parsers share: the document that can say where each value stands, the
// problems they report, and the nesting guard every parser runs first.
import type { Position } from './text.js'
import type { RuleId } from '../findings/rules.js'

export type PathSegment = string | number
export type JsonPath = readonly PathSegment[]

/** A parsed value that can say where each part of it stands in the source. */
export interface LocatedDocument {
  readonly value: unknown
  /** Where the value at `path` stands (or its key, with `key`); the nearest ancestor if it is absent. */
  locate(path: JsonPath, target?: 'value' | 'key'): Position
}

export interface ParseProblem {
  rule: RuleId
  message: string
  hint?: string
  position: Position
}

export type ParseResult = { doc: LocatedDocument; problems: [] } | { doc?: undefined; problems: ParseProblem[] }

/**
 * Deeper than any manifest, profile, server.json or config needs. Parsers recurse per level, and
 * the yaml package runs out of memory (killing the process) on ~10,000 nested flow brackets, which
 * fit in a 20 KB file: such input is refused before it reaches a parser.
 */
export const MAX_NESTING = 100

/** The deepest `[`/`{` nesting outside strings and comments (YAML flow style, or JSON). */
export function nestingDepth(text: string, syntax: 'yaml' | 'json'): number {
  let depth = 0
  let max = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // "…": backslash escapes in both syntaxes.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++
    } else if (c === 39 && syntax === 'yaml') {
      // '…': a quote is escaped by doubling it, which this loop handles as two strings.
      for (i++; i < text.length && text.charCodeAt(i) !== 39; i++);
    } else if (c === 35 && syntax === 'yaml' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++
    } else if (c === 91 || c === 123) max = Math.max(max, ++depth)
    else if ((c === 93 || c === 125) && depth > 0) depth--
  }
  return max
}

export function tooDeep(text: string, syntax: 'yaml' | 'json'): ParseProblem | undefined {
  const depth = nestingDepth(text, syntax)
  if (depth <= MAX_NESTING) return undefined
  return {
    rule: syntax === 'yaml' ? 'yaml/syntax' : 'json/syntax',
    message: `values are nested ${depth} levels deep; more than ${MAX_NESTING} levels are not parsed`,
    hint: 'Write the data flat: nesting this deep is not needed by any field, and is a known way to crash parsers.',
    position: { line: 1, column: 1 }
  }
}
