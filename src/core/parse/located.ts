// Safe YAML and JSON parsing that keeps where every value came from, so that a schema error can
// point at a line and column. Nothing here builds objects from tags, expands unbounded aliases or
// lets `__proto__` reach a prototype.
import { parseDocument, isAlias, isMap, isSeq, isScalar, isPair, visit, type Node, type Document } from 'yaml'
import { parseTree, printParseErrorCode, type ParseError, type Node as JsonNode } from 'jsonc-parser'
import { LineIndex, type Position } from './text.js'
import { parseFlatYaml } from './flat-yaml.js'
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

export interface YamlOptions {
  /** Most anchors plus aliases allowed. */
  maxAliases: number
  /** Lines before the text in its file. */
  lineOffset?: number
}

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

function tooDeep(text: string, syntax: 'yaml' | 'json'): ParseProblem | undefined {
  const depth = nestingDepth(text, syntax)
  if (depth <= MAX_NESTING) return undefined
  return {
    rule: syntax === 'yaml' ? 'yaml/syntax' : 'json/syntax',
    message: `values are nested ${depth} levels deep; more than ${MAX_NESTING} levels are not parsed`,
    hint: 'Write the data flat: nesting this deep is not needed by any field, and is a known way to crash parsers.',
    position: { line: 1, column: 1 }
  }
}

export function parseYaml(text: string, options: YamlOptions): ParseResult {
  // Parse fast, locate only when asked: the full parse runs for positions on the first locate().
  const flat = parseFlatYaml(text)
  if (flat === undefined) return parseYamlDocument(text, options)
  let full: ParseResult | undefined
  const locate: LocatedDocument['locate'] = (path, target) => {
    full ??= parseYamlDocument(text, options)
    return full.doc ? full.doc.locate(path, target) : { line: 1 + (options.lineOffset ?? 0), column: 1 }
  }
  return { doc: { value: flat, locate }, problems: [] }
}

function parseYamlDocument(text: string, options: YamlOptions): ParseResult {
  const deep = tooDeep(text, 'yaml')
  if (deep) return { problems: [{ ...deep, position: { line: 1 + (options.lineOffset ?? 0), column: 1 } }] }
  const lines = new LineIndex(text, options.lineOffset ?? 0)
  // YAML 1.2 core schema: no merge keys, no !!binary/!!set/!!timestamp, unknown tags are flagged.
  const doc = parseDocument(text, { uniqueKeys: true, schema: 'core', merge: false, version: '1.2', prettyErrors: false })
  const at = (pos: readonly [number, number]) => lines.range(pos[0], pos[1])

  const problems: ParseProblem[] = doc.errors.map((e) =>
    e.code === 'DUPLICATE_KEY'
      ? { rule: 'yaml/duplicate-key', message: `duplicate key: ${firstLine(e.message)}`, position: at(e.pos) }
      : { rule: 'yaml/syntax', message: `YAML syntax error: ${firstLine(e.message)}`, position: at(e.pos) }
  )
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') {
      problems.push({ rule: 'yaml/custom-tag', message: `custom YAML tags are not allowed: ${firstLine(w.message)}`, position: at(w.pos) })
    }
  }
  if (problems.length) return { problems }

  let anchorsAndAliases = 0
  let firstAlias: Position | undefined
  let explicitTag: { tag: string; position: Position } | undefined
  visit(doc, (_key, node) => {
    if (isAlias(node) || (isNode(node) && node.anchor)) {
      anchorsAndAliases++
      firstAlias ??= node.range ? lines.position(node.range[0]) : { line: 1, column: 1 }
    }
    // Explicit standard tags such as !!str are harmless; anything outside the core schema was
    // already reported as unresolved, but a `!!` tag the core schema lacks resolves silently.
    if (isNode(node) && node.tag && !CORE_TAGS.has(node.tag) && !explicitTag) {
      explicitTag = { tag: node.tag, position: node.range ? lines.position(node.range[0]) : { line: 1, column: 1 } }
    }
  })
  if (anchorsAndAliases > options.maxAliases) {
    problems.push({
      rule: 'yaml/alias-limit',
      message: `${anchorsAndAliases} YAML anchors and aliases, more than the ${options.maxAliases} allowed`,
      position: firstAlias ?? { line: 1, column: 1 }
    })
  }
  if (explicitTag) {
    problems.push({ rule: 'yaml/custom-tag', message: `YAML tag ${explicitTag.tag} is not allowed`, position: explicitTag.position })
  }
  if (problems.length) return { problems }

  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: Math.max(options.maxAliases, 0) })
  } catch (e) {
    return {
      problems: [
        { rule: 'yaml/alias-limit', message: `YAML aliases expand too far: ${(e as Error).message}`, position: { line: 1, column: 1 } }
      ]
    }
  }
  return { doc: { value: value ?? null, locate: (path, target) => locateYaml(doc, lines, path, target) }, problems: [] }
}

const CORE_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq'
])

function isNode(n: unknown): n is Node {
  return isScalar(n) || isMap(n) || isSeq(n) || isAlias(n)
}

function locateYaml(doc: Document, lines: LineIndex, path: JsonPath, target: 'value' | 'key' = 'value'): Position {
  let node: unknown = doc.contents
  let best: readonly [number, number] | undefined = rangeOf(node)
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg))
      if (!pair) break
      const last = i === path.length - 1
      if (last && target === 'key') {
        best = rangeOf(pair.key) ?? best
        break
      }
      node = pair.value
      // `key:` with no value has no node: point at the key.
      best = rangeOf(node) ?? rangeOf(pair.key) ?? best
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg]
      if (node === undefined) break
      best = rangeOf(node) ?? best
    } else break
  }
  return best ? lines.range(best[0], best[1]) : { line: lines.position(0).line, column: 1 }
}

function rangeOf(node: unknown): readonly [number, number] | undefined {
  if (!node || typeof node !== 'object' || !('range' in node)) return undefined
  const r = (node as { range?: [number, number, number] | null }).range
  return r ? [r[0], r[1]] : undefined
}

export function parseJson(text: string): ParseResult {
  const deep = tooDeep(text, 'json')
  if (deep) return { problems: [deep] }
  const lines = new LineIndex(text)
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
  const problems: ParseProblem[] = errors.map((e) => ({
    rule: 'json/syntax',
    message: `JSON syntax error: ${describeJsonError(printParseErrorCode(e.error))}`,
    position: lines.range(e.offset, e.offset + e.length)
  }))
  if (root) collectDuplicateKeys(root, lines, problems)
  if (problems.length || !root) {
    if (!problems.length) problems.push({ rule: 'json/syntax', message: 'the file is empty', position: { line: 1, column: 1 } })
    return { problems }
  }
  // JSON.parse defines `__proto__` as an own property; jsonc-parser's value builder would assign it.
  const value: unknown = JSON.parse(text)
  return { doc: { value, locate: (path, target) => locateJson(root, lines, path, target) }, problems: [] }
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes was expected (no trailing commas)',
    ValueExpected: 'a value was expected (no trailing commas)',
    ColonExpected: 'a colon was expected',
    CommaExpected: 'a comma was expected',
    CloseBraceExpected: 'a closing } was expected',
    CloseBracketExpected: 'a closing ] was expected',
    EndOfFileExpected: 'the file should end after the top-level value',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string (control characters must be escaped)'
  }
  return words[code] ?? code
}

function collectDuplicateKeys(node: JsonNode, lines: LineIndex, problems: ParseProblem[]): void {
  if (node.type === 'object') {
    const seen = new Set<string>()
    for (const prop of node.children ?? []) {
      const key = prop.children?.[0]
      if (!key) continue
      const name = String(key.value)
      if (seen.has(name)) {
        problems.push({
          rule: 'json/duplicate-key',
          message: `duplicate key ${JSON.stringify(name)}`,
          position: lines.range(key.offset, key.offset + key.length)
        })
      }
      seen.add(name)
    }
  }
  for (const child of node.children ?? []) collectDuplicateKeys(child, lines, problems)
}

function locateJson(root: JsonNode, lines: LineIndex, path: JsonPath, target: 'value' | 'key' = 'value'): Position {
  let node: JsonNode = root
  let best: JsonNode = root
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]
    let next: JsonNode | undefined
    if (node.type === 'object') {
      const prop = node.children?.find((p) => p.children?.[0]?.value === String(seg))
      if (prop && i === path.length - 1 && target === 'key') {
        best = prop.children?.[0] ?? best
        break
      }
      next = prop?.children?.[1]
    } else if (node.type === 'array' && typeof seg === 'number') {
      next = node.children?.[seg]
    }
    if (!next) break
    node = next
    best = next
  }
  return lines.range(best.offset, best.offset + best.length)
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '')
}
