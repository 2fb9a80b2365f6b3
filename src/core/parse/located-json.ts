// JSON parsing that keeps where every value came from (jsonc-parser's tree), so that a schema
// error can point at a line and column. Apart from the YAML parser so that a reader of JSON alone
// (registry.json in the client) does not load the yaml package.
import { parseTree, printParseErrorCode, type ParseError, type Node as JsonNode } from 'jsonc-parser'
import { LineIndex, type Position } from './text.js'
import { MAX_NESTING, tooDeep, type JsonPath, type LocatedDocument, type ParseProblem, type ParseResult } from './located-base.js'
import { parseFastJson } from './flat-json.js'

export function parseJson(text: string): ParseResult {
  // Parse fast, locate only when asked: the full parse runs for positions on the first locate().
  const fast = parseFastJson(text, MAX_NESTING)
  if (fast === undefined) return parseJsonTree(text)
  let full: ParseResult | undefined
  const locate: LocatedDocument['locate'] = (path, target) => {
    full ??= parseJsonTree(text)
    return full.doc ? full.doc.locate(path, target) : { line: 1, column: 1 }
  }
  return { doc: { value: fast.value, locate }, problems: [] }
}

function parseJsonTree(text: string): ParseResult {
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
