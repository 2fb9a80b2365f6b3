// docs/formats/<name>.md per schema and docs/formats/README.md: the reference pages publishers and
// consumers read, derived from the schemas so they cannot say something the validator does not do.
import {
  SCHEMA_BASE_URL,
  isNode,
  newAjv,
  syntaxOf,
  validationErrors,
  type SchemaFile,
  type SchemaNode,
  type Syntax
} from './schema-files.js'
import { code, codeBlock, firstSentence, generatedComment, jsonValue, table, toYaml } from './markdown.js'

export const FORMATS_DIR = 'docs/formats'

/** One line of a page's field table. */
export interface FieldRow {
  path: string
  type: string
  required: string
  constraints: string[]
  description: string
}

// Plain words for the patterns our schemas use. Matched exactly, so a changed pattern falls back to
// showing the regex rather than words that no longer fit it.
const LOGIN = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}'
const NAME = '[a-z0-9]+(-[a-z0-9]+)*'
const SEMVER =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$'
const PATTERN_WORDS: Record<string, string> = {
  [`^${NAME}$`]: 'lowercase letters, digits and single hyphens, not starting or ending with a hyphen',
  [`^${LOGIN}$`]: 'a GitHub login: letters, digits and single hyphens, not starting or ending with a hyphen',
  [`^${LOGIN}/${NAME}$`]: '`<publisher>/<name>`: a GitHub login, a slash and a package name',
  [`^publishers/${LOGIN}/${NAME}$`]: '`publishers/<publisher>/<name>`',
  [SEMVER]: 'a semantic version: `MAJOR.MINOR.PATCH`, optionally with `-prerelease` and `+build`',
  '\\S': 'not blank',
  '^https://': 'starts with `https://`',
  '^sha256:[a-f0-9]{64}$': '`sha256:` and 64 lowercase hex digits',
  '^[a-f0-9]{40}$': '40 lowercase hex digits (a full commit id)',
  '^[a-f0-9]{64}$': '64 lowercase hex digits',
  '^\\d{4}-\\d{2}-\\d{2}$': 'a date, `YYYY-MM-DD`',
  '^[a-z0-9-]+/[a-z0-9-]+$': '`<group>/<name>` in lowercase letters, digits and hyphens',
  '^[A-Za-z0-9-]+/[a-z0-9-]+$': '`<publisher>/<package>`',
  '^[A-Za-z0-9][A-Za-z0-9._-]*$': 'letters, digits, `.`, `_` and `-`, starting with a letter or digit',
  '^[A-Za-z0-9.+() -]+$': 'letters, digits, spaces and `.+()-`',
  '^(?![/\\\\])(?![A-Za-z]:)[^\\\\\\u0000-\\u001f]+$':
    'a relative path with forward slashes: no leading `/`, drive letter, backslash or control character',
  [`^${NAME}/[1-9][0-9]*$`]: '`<id>/<version>`, e.g. `quality/1`'
}

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'a date and time (RFC 3339), e.g. `2026-03-24T00:00:00Z`',
  date: 'a date, `YYYY-MM-DD`',
  email: 'an email address',
  uri: 'an absolute URI',
  'uri-reference': 'a URI or relative reference'
}

export function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? `matches ${code(pattern)}`
}

/** Resolves a local `$ref` (siblings such as a more specific description win) and merges `allOf`. */
export function resolve(node: SchemaNode, root: SchemaNode, seen: ReadonlySet<string> = new Set()): SchemaNode {
  let out = node
  const ref = out.$ref
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported in the docs, found ${ref}`)
    if (seen.has(ref)) return { description: `(recursive: see ${ref})` }
    const target = ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((at, key) => (isNode(at) ? at[key] : undefined), root)
    if (!isNode(target)) throw new Error(`$ref ${ref} does not resolve`)
    const { $ref: _ref, ...siblings } = out
    out = { ...resolve(target, root, new Set([...seen, ref])), ...siblings }
  }
  if (Array.isArray(out.allOf)) {
    const { allOf, ...rest } = out
    let merged: SchemaNode = rest
    for (const part of allOf) {
      if (!isNode(part)) continue
      const p = resolve(part, root, seen)
      merged = {
        ...p,
        ...merged,
        properties: { ...(isNode(p.properties) ? p.properties : {}), ...(isNode(merged.properties) ? merged.properties : {}) },
        required: [...asStrings(p.required), ...asStrings(merged.required)]
      }
    }
    out = merged
  }
  return out
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function valueType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function variants(node: SchemaNode, root: SchemaNode): SchemaNode[] {
  const list = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : []
  return list.filter(isNode).map((v) => resolve(v, root))
}

function isObjectLike(node: SchemaNode): boolean {
  return node.type === 'object' || isNode(node.properties) || isNode(node.patternProperties) || isNode(node.additionalProperties)
}

export function typeOf(node: SchemaNode, root: SchemaNode): string {
  const vs = variants(node, root)
  if (vs.length) return [...new Set(vs.map((v) => typeOf(v, root)))].join(' or ')
  if (Array.isArray(node.type)) return node.type.join(' or ')
  if (node.type === 'array' || (node.type === undefined && node.items !== undefined)) {
    return isNode(node.items) ? `array of ${typeOf(resolve(node.items, root), root)}` : 'array'
  }
  if (typeof node.type === 'string') return node.type
  if ('const' in node) return valueType(node.const)
  if (Array.isArray(node.enum)) return [...new Set(node.enum.map(valueType))].join(' or ')
  if (isObjectLike(node)) return 'object'
  return 'any'
}

function range(min: unknown, max: unknown, unit: string): string | undefined {
  const lo = typeof min === 'number' ? min : undefined
  const hi = typeof max === 'number' ? max : undefined
  const units = (n: number) => `${unit}${n === 1 ? '' : 's'}`
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${hi} ${units(hi)}` : `${lo}-${hi} ${units(hi)}`
  if (lo !== undefined) return lo === 0 ? undefined : `at least ${lo} ${units(lo)}`
  if (hi !== undefined) return `at most ${hi} ${units(hi)}`
  return undefined
}

export function constraintsOf(node: SchemaNode): string[] {
  const out: string[] = []
  if ('const' in node) out.push(`always ${code(jsonValue(node.const))}`)
  if (Array.isArray(node.enum)) out.push(`one of ${node.enum.map((v) => code(jsonValue(v))).join(', ')}`)
  const chars = range(node.minLength, node.maxLength, 'character')
  if (chars) out.push(chars)
  if (typeof node.pattern === 'string') out.push(patternWords(node.pattern))
  if (typeof node.format === 'string') out.push(FORMAT_WORDS[node.format] ?? `format ${code(node.format)}`)
  const lo =
    typeof node.exclusiveMinimum === 'number' ? `> ${node.exclusiveMinimum}` : typeof node.minimum === 'number' ? node.minimum : undefined
  const hi =
    typeof node.exclusiveMaximum === 'number' ? `< ${node.exclusiveMaximum}` : typeof node.maximum === 'number' ? node.maximum : undefined
  if (typeof lo === 'number' && typeof hi === 'number') out.push(`${lo} to ${hi}`)
  else {
    if (lo !== undefined) out.push(typeof lo === 'number' ? `≥ ${lo}` : lo)
    if (hi !== undefined) out.push(typeof hi === 'number' ? `≤ ${hi}` : hi)
  }
  if (typeof node.multipleOf === 'number') out.push(`a multiple of ${node.multipleOf}`)
  const items = range(node.minItems, node.maxItems, 'item')
  if (items) out.push(items)
  if (node.uniqueItems === true) out.push('no duplicates')
  const props = range(node.minProperties, node.maxProperties, 'key')
  if (props) out.push(props)
  if (isNode(node.propertyNames)) {
    const names = node.propertyNames
    const words = [
      range(names.minLength, names.maxLength, 'character'),
      typeof names.pattern === 'string' ? patternWords(names.pattern) : undefined
    ].filter((w): w is string => w !== undefined)
    if (Array.isArray(names.enum)) words.push(`one of ${names.enum.map((v) => code(jsonValue(v))).join(', ')}`)
    if (words.length) out.push(`keys: ${words.join(', ')}`)
  }
  if ('default' in node) out.push(`default ${code(jsonValue(node.default))}`)
  if (node.deprecated === true) out.push('deprecated')
  return [...new Set(out)]
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key
}

/** Every field of a schema, depth first in schema order, paths written `a.b[].c`. */
export function fieldRows(schema: SchemaNode): FieldRow[] {
  const rows: FieldRow[] = []
  const seenPaths = new Set<string>()
  const push = (row: FieldRow) => {
    if (seenPaths.has(row.path)) return
    seenPaths.add(row.path)
    rows.push(row)
  }

  const children = (node: SchemaNode, prefix: string, refs: ReadonlySet<string>): void => {
    const required = new Set(asStrings(node.required))
    if (isNode(node.properties)) {
      for (const [key, sub] of Object.entries(node.properties)) {
        if (isNode(sub)) field(sub, join(prefix, key), required.has(key) ? 'yes' : 'no', refs)
      }
    }
    if (isNode(node.patternProperties)) {
      for (const [pattern, sub] of Object.entries(node.patternProperties)) {
        if (isNode(sub)) field(sub, join(prefix, `/${pattern}/`), 'no', refs)
      }
    }
    if (isNode(node.additionalProperties)) {
      const names = isNode(node.propertyNames) ? node.propertyNames : {}
      const key = `<${typeof names.title === 'string' ? names.title : 'key'}>`
      field(node.additionalProperties, join(prefix, key), 'no', refs)
    }
    for (const v of Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : []) {
      if (isNode(v)) children(resolve(v, schema, refs), prefix, refs)
    }
  }

  const field = (raw: SchemaNode, path: string, required: string, refs: ReadonlySet<string>): void => {
    const nextRefs = typeof raw.$ref === 'string' ? new Set([...refs, raw.$ref]) : refs
    const node = resolve(raw, schema, refs)
    push({
      path,
      type: typeOf(node, schema),
      required,
      constraints: constraintsOf(node),
      description: typeof node.description === 'string' ? node.description : ''
    })
    if (typeof raw.$ref === 'string' && refs.has(raw.$ref)) return
    children(node, path, nextRefs)
    if (isNode(node.items)) {
      const items = resolve(node.items, schema, nextRefs)
      if (isObjectLike(items)) children(items, `${path}[]`, nextRefs)
      else {
        const constraints = constraintsOf(items)
        const description = typeof items.description === 'string' ? items.description : ''
        if (constraints.length || description) {
          push({ path: `${path}[]`, type: typeOf(items, schema), required: '—', constraints, description })
        }
      }
    }
  }

  children(resolve(schema, schema), '', new Set())
  return rows
}

/**
 * An example document assembled from the `examples` keywords: a node's own first example wins,
 * otherwise objects and arrays are built from their parts, and a required field without example
 * falls back to its const, default or first enum value.
 */
export function buildExample(node: SchemaNode, root: SchemaNode, refs: ReadonlySet<string> = new Set()): unknown {
  if (typeof node.$ref === 'string' && refs.has(node.$ref)) return undefined
  const nextRefs = typeof node.$ref === 'string' ? new Set([...refs, node.$ref]) : refs
  const n = resolve(node, root, refs)
  if (Array.isArray(n.examples) && n.examples.length) return n.examples[0]
  if ('const' in n) return n.const
  if (isNode(n.properties)) {
    const required = new Set(asStrings(n.required))
    const out: Record<string, unknown> = {}
    for (const [key, sub] of Object.entries(n.properties)) {
      if (!isNode(sub)) continue
      let value = buildExample(sub, root, nextRefs)
      if (value === undefined && required.has(key)) value = fallback(resolve(sub, root, nextRefs))
      if (value !== undefined) out[key] = value
    }
    return Object.keys(out).length ? out : undefined
  }
  if (isNode(n.items)) {
    const item = buildExample(n.items, root, nextRefs)
    return item === undefined ? undefined : [item]
  }
  return undefined
}

function fallback(node: SchemaNode): unknown {
  if ('default' in node) return node.default
  if (Array.isArray(node.enum) && node.enum.length) return node.enum[0]
  if (node.type === 'array') return []
  return undefined
}

function renderExample(syntax: Syntax, example: unknown, id: string): string {
  if (syntax === 'json') return codeBlock('json', JSON.stringify(example, null, 2))
  const yaml = toYaml(example)
  if (syntax === 'frontmatter') return codeBlock('markdown', `---\n${yaml}---\n\n# Instructions for the agent…`)
  return codeBlock('yaml', `# yaml-language-server: $schema=${id}\n${yaml}`)
}

function editorSection(syntax: Syntax, schema: SchemaNode, id: string, fileLabel: string): string[] {
  if (syntax === 'yaml') {
    return [
      '## Editor completion',
      '',
      `Make this the first line of ${fileLabel}:`,
      '',
      codeBlock('yaml', `# yaml-language-server: $schema=${id}`),
      '',
      'Editors that use yaml-language-server (VS Code with the Red Hat YAML extension, Neovim, Helix, Zed and others) ' +
        'then complete field names, show these descriptions on hover and mark invalid values as you type. ' +
        'The line is a YAML comment, so it does not change the document.',
      ''
    ]
  }
  if (syntax === 'json' && isNode(schema.properties) && '$schema' in schema.properties) {
    return [
      '## Editor completion',
      '',
      `Add this key to ${fileLabel} and editors with JSON Schema support (VS Code and others) complete and check the fields as you type:`,
      '',
      codeBlock('json', `"$schema": ${JSON.stringify(id)}`),
      ''
    ]
  }
  return []
}

/** The file the format describes, as its description names it first (e.g. `manifest.yaml`). */
function fileLabelOf(description: string, fallbackName: string): string {
  const m = /^`([^`]+)`/.exec(description)
  const named = m?.[1]
  if (!named) return `the ${fallbackName} file`
  return code(named.split('/').pop() ?? named)
}

function titleOf(schema: SchemaNode, name: string): string {
  return typeof schema.title === 'string' ? schema.title : name
}

function otherKeys(schema: SchemaNode): string | undefined {
  if (schema.additionalProperties !== false) return undefined
  const patterns = isNode(schema.patternProperties) ? Object.keys(schema.patternProperties) : []
  if (!patterns.length) return 'Other keys are not allowed.'
  return `Other keys are not allowed, except keys matching ${patterns.map((p) => code(p)).join(' or ')}.`
}

export function renderFormatPage(entry: SchemaFile): string {
  const { file, name, schema } = entry
  const id = typeof schema.$id === 'string' ? schema.$id : ''
  const description = typeof schema.description === 'string' ? schema.description : ''
  const syntax = syntaxOf(file)
  const rows = fieldRows(schema)
  const example = buildExample(schema, schema)
  if (example === undefined) {
    throw new Error(`schemas/${file}: no example can be built; add \`examples\` to its fields or to the schema itself.`)
  }
  const errors = validationErrors(newAjv(), schema, example)
  if (errors.length) {
    // A docs example that the validator rejects would teach publishers the wrong thing.
    throw new Error(
      `schemas/${file}: the example assembled from its \`examples\` does not validate (${errors.join('; ')}). ` +
        "Fix the examples, or add a complete example to the schema's top-level `examples`."
    )
  }

  const lines = [
    generatedComment(`schemas/${file}`),
    '',
    `# ${titleOf(schema, name)}`,
    '',
    description,
    '',
    `- Schema: [${code(`schemas/${file}`)}](../../schemas/${file}) (JSON Schema 2020-12)`,
    `- ${code('$id')}: ${code(id)}`
  ]
  const others = otherKeys(schema)
  if (others) lines.push(`- ${others}`)
  lines.push(
    '',
    '## Fields',
    '',
    'Nested fields are written `parent.child`; `list[]` is each item of a list, `<key>` any key of a map.',
    '',
    table(
      ['Field', 'Type', 'Required', 'Constraints', 'Description'],
      rows.map((r) => [code(r.path), r.type, r.required, r.constraints.join('; '), r.description])
    ),
    '',
    '## Example',
    '',
    renderExample(syntax, example, id),
    '',
    ...editorSection(syntax, schema, id, fileLabelOf(description, name))
  )
  return lines.join('\n').replace(/\n+$/, '\n')
}

export function renderFormatsIndex(schemas: readonly SchemaFile[]): string {
  const rows = schemas.map(({ file, name, schema }) => {
    const description = typeof schema.description === 'string' ? schema.description : ''
    return [`[${titleOf(schema, name)}](${name}.md)`, `[${code(file)}](../../schemas/${file})`, firstSentence(description)]
  })
  return [
    generatedComment('schemas/*.schema.json'),
    '',
    '# File formats',
    '',
    'Every file the toolkit reads or writes is defined by a JSON Schema (2020-12) in [`schemas/`](../../schemas). ' +
      'The validator, the TypeScript types and these pages are all generated from those schemas, and a test fails when they drift apart.',
    '',
    'Each schema is published at its `$id`, ' + code(`${SCHEMA_BASE_URL}<name>.schema.json`) + ', for editors and other tools.',
    '',
    table(['Format', 'Schema', 'What it is'], rows),
    '',
    'The rules a review reports, and how a marketplace changes their severity, are listed in [rules.md](../rules.md).',
    ''
  ].join('\n')
}

export function renderFormatDocs(schemas: readonly SchemaFile[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of schemas) out[`${FORMATS_DIR}/${entry.name}.md`] = renderFormatPage(entry)
  out[`${FORMATS_DIR}/README.md`] = renderFormatsIndex(schemas)
  return out
}
