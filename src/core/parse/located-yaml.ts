// The positional YAML parse: every value with its range, every error located. Loaded only when a
// text leaves the flat path (flat-yaml.ts): the `yaml` library is most of a validate run's modules
// and most manifests never need it. Nothing here builds objects from tags, expands unbounded
// aliases or lets `__proto__` reach a prototype.
import { parseDocument, isAlias, isMap, isSeq, isScalar, isPair, visit, type Node, type Document } from 'yaml'
import { LineIndex, type Position } from './text.js'
import { tooDeep, type JsonPath, type ParseProblem, type ParseResult } from './located-base.js'

export interface YamlOptions {
  /** Most anchors plus aliases allowed. */
  maxAliases: number
  /** Lines before the text in its file. */
  lineOffset?: number
}

/** The positional parse: every value with its range, and every error located. */
export function parseYamlDocument(text: string, options: YamlOptions): ParseResult {
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

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '')
}
