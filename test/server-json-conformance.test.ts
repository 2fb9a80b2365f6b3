// Our server.json check against the MCP project's own JSON Schema (2025-12-11), which is test data
// only: it is read here at test time and never shipped. Both must agree on which documents are
// valid, except where the difference is deliberate and written down with its reason.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'
import { checkServerJson } from '../src/core/checks/validate/server-json.js'
import type { Finding } from '../src/core/findings/findings.js'

const REFERENCE = path.join(process.cwd(), '..', 'shared', 'reference', 'mcp-server.schema.2025-12-11.json')

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020

interface RefSchema {
  definitions: Record<string, RefNode>
}
interface RefNode {
  properties?: Record<string, RefNode>
  allOf?: RefNode[]
  example?: unknown
  examples?: unknown[]
}

let reference: RefSchema
let referenceValid: ValidateFunction

beforeAll(() => {
  reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as RefSchema
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  // The reference declares draft-07; its keywords mean the same under the 2020 vocabulary here
  // (`definitions` and `$ref` resolve as JSON pointers), so only the meta-schema must be known.
  const require = createRequire(import.meta.url)
  const draft7 = JSON.parse(readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8')) as AnySchemaObject
  ajv.addMetaSchema(draft7, undefined, false)
  referenceValid = ajv.compile(reference as unknown as AnySchemaObject)
})

function ours(doc: unknown): Finding[] {
  // Conformance is about the format: who may use an io.github.<login>/ name depends on the
  // publisher, not the schema (server-json/name-not-owned, tested in safety-issue10-rules).
  return checkServerJson(JSON.stringify(doc, null, 2), { package: 'alice/weather', file: 'publishers/alice/weather/server.json' }).filter(
    (f) => f.rule !== 'server-json/name-not-owned'
  )
}

function errorsOf(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error')
}

const BASE = { name: 'io.github.alice/weather', description: 'Weather forecasts and alerts', version: '1.0.2' }
const NPM = { registryType: 'npm', identifier: '@alice/weather-mcp', version: '1.0.2', transport: { type: 'stdio' } }

interface Case {
  name: string
  doc: unknown
  /** Our verdict. */
  valid: boolean
  /** Rules we must report (errors). */
  rules?: string[]
  /** Set when the reference schema legitimately says the opposite; the reason is the value. */
  referenceDiffers?: string
}

const RANGE_REASON =
  'The MCP schema has no keyword for ranges (its description says "Version ranges are rejected"); the MCP registry rejects them in its semantic validation (looksLikeVersionRange), and so do we.'
const HTTPS_REASON =
  'The MCP schema only asks for `format: uri`; the MCP registry requires https for websiteUrl and icon src in its semantic validation, and FORMATS.md lists the same rule.'

const CASES: Case[] = [
  { name: 'minimal', doc: BASE, valid: true },
  {
    name: 'everything',
    doc: {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      ...BASE,
      title: 'Weather',
      websiteUrl: 'https://example.com',
      repository: { url: 'https://github.com/alice/weather', source: 'github', id: '42', subfolder: 'srv' },
      icons: [{ src: 'https://example.com/i.svg', mimeType: 'image/svg+xml', sizes: ['any'], theme: 'light' }],
      packages: [
        {
          ...NPM,
          runtimeHint: 'npx',
          runtimeArguments: [{ type: 'named', name: '--yes', isRepeated: false }],
          packageArguments: [{ type: 'positional', valueHint: 'city', default: 'Paris', choices: ['Paris', 'Oslo'] }],
          environmentVariables: [{ name: 'KEY', isSecret: true, variables: { x: { description: 'x' } } }]
        }
      ],
      remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/{t}', variables: { t: { isRequired: true } } }],
      _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { tool: 'cli' } }
    },
    valid: true
  },
  {
    name: 'oci package over sse, mcpb with a hash',
    doc: {
      ...BASE,
      packages: [
        { registryType: 'oci', identifier: 'ghcr.io/alice/weather:1.0.2', transport: { type: 'sse', url: 'http://localhost:8080/sse' } },
        { registryType: 'mcpb', identifier: 'https://example.com/w.mcpb', fileSha256: 'a'.repeat(64), transport: { type: 'stdio' } }
      ]
    },
    valid: true
  },
  { name: 'unknown extra field (a warning only)', doc: { ...BASE, websiteURL: 'https://example.com' }, valid: true },
  { name: 'missing name', doc: { description: BASE.description, version: BASE.version }, valid: false, rules: ['server-json/schema'] },
  { name: 'missing description', doc: { name: BASE.name, version: BASE.version }, valid: false, rules: ['server-json/schema'] },
  { name: 'missing version', doc: { name: BASE.name, description: BASE.description }, valid: false, rules: ['server-json/schema'] },
  { name: 'not an object', doc: [BASE], valid: false, rules: ['server-json/schema'] },
  { name: 'name without namespace', doc: { ...BASE, name: 'weather' }, valid: false, rules: ['server-json/schema'] },
  { name: 'name with two slashes', doc: { ...BASE, name: 'io.github.alice/weather/x' }, valid: false, rules: ['server-json/schema'] },
  { name: 'name with a space', doc: { ...BASE, name: 'io.github.alice/my weather' }, valid: false, rules: ['server-json/schema'] },
  {
    name: 'name over 200 characters',
    doc: { ...BASE, name: `io.github.alice/${'w'.repeat(185)}` },
    valid: false,
    rules: ['server-json/schema']
  },
  { name: 'description over 100 characters', doc: { ...BASE, description: 'd'.repeat(101) }, valid: false, rules: ['server-json/schema'] },
  { name: 'empty description', doc: { ...BASE, description: '' }, valid: false, rules: ['server-json/schema'] },
  {
    name: 'version over 255 characters',
    doc: { ...BASE, version: `1.0.0-${'a'.repeat(250)}` },
    valid: false,
    rules: ['server-json/schema']
  },
  { name: 'version is a number', doc: { ...BASE, version: 1 }, valid: false, rules: ['server-json/schema'] },
  {
    name: 'caret range version',
    doc: { ...BASE, version: '^1.2.3' },
    valid: false,
    rules: ['server-json/version-range'],
    referenceDiffers: RANGE_REASON
  },
  {
    name: 'version latest',
    doc: { ...BASE, version: 'latest' },
    valid: false,
    rules: ['server-json/version-range'],
    referenceDiffers: RANGE_REASON
  },
  {
    name: 'wildcard version 1.x',
    doc: { ...BASE, version: '1.x' },
    valid: false,
    rules: ['server-json/version-range'],
    referenceDiffers: RANGE_REASON
  },
  {
    name: 'empty version',
    doc: { ...BASE, version: '' },
    valid: false,
    rules: ['server-json/schema'],
    referenceDiffers:
      'The MCP schema sets no minimum length for the top-level version; an empty string names no version, so we require one character.'
  },
  {
    name: 'package version latest',
    doc: { ...BASE, packages: [{ ...NPM, version: 'latest' }] },
    valid: false,
    rules: ['server-json/version-range']
  },
  {
    name: 'package version range',
    doc: { ...BASE, packages: [{ ...NPM, version: '>=1.0.0' }] },
    valid: false,
    rules: ['server-json/version-range'],
    referenceDiffers: RANGE_REASON
  },
  {
    name: 'streamable-http transport without url',
    doc: { ...BASE, packages: [{ ...NPM, transport: { type: 'streamable-http' } }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'sse transport without url',
    doc: { ...BASE, packages: [{ ...NPM, transport: { type: 'sse' } }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'transport url without scheme',
    doc: { ...BASE, packages: [{ ...NPM, transport: { type: 'sse', url: 'localhost:8080' } }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'unknown transport type',
    doc: { ...BASE, packages: [{ ...NPM, transport: { type: 'http' } }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'package without transport',
    doc: { ...BASE, packages: [{ registryType: 'npm', identifier: 'x' }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'package without identifier',
    doc: { ...BASE, packages: [{ registryType: 'npm', transport: { type: 'stdio' } }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'remote with stdio',
    doc: { ...BASE, remotes: [{ type: 'stdio', url: 'https://x.example.com' }] },
    valid: false,
    rules: ['server-json/schema']
  },
  { name: 'remote without url', doc: { ...BASE, remotes: [{ type: 'sse' }] }, valid: false, rules: ['server-json/schema'] },
  {
    name: 'uppercase sha',
    doc: { ...BASE, packages: [{ ...NPM, fileSha256: 'A'.repeat(64) }] },
    valid: false,
    rules: ['server-json/schema']
  },
  { name: 'short sha', doc: { ...BASE, packages: [{ ...NPM, fileSha256: 'abc123' }] }, valid: false, rules: ['server-json/schema'] },
  {
    name: 'http websiteUrl',
    doc: { ...BASE, websiteUrl: 'http://example.com' },
    valid: false,
    rules: ['server-json/schema'],
    referenceDiffers: HTTPS_REASON
  },
  {
    name: 'http icon',
    doc: { ...BASE, icons: [{ src: 'http://example.com/i.png' }] },
    valid: false,
    rules: ['server-json/schema'],
    referenceDiffers: HTTPS_REASON
  },
  { name: 'websiteUrl not a URI', doc: { ...BASE, websiteUrl: 'example.com' }, valid: false, rules: ['server-json/schema'] },
  {
    name: 'icon with gif type',
    doc: { ...BASE, icons: [{ src: 'https://e.com/i.gif', mimeType: 'image/gif' }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'icon bad size',
    doc: { ...BASE, icons: [{ src: 'https://e.com/i.png', sizes: ['48'] }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'repository without source',
    doc: { ...BASE, repository: { url: 'https://github.com/a/b' } },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'named argument without name',
    doc: { ...BASE, packages: [{ ...NPM, packageArguments: [{ type: 'named' }] }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'positional argument without value or valueHint',
    doc: { ...BASE, packages: [{ ...NPM, packageArguments: [{ type: 'positional' }] }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'positional argument with a fixed value',
    doc: { ...BASE, packages: [{ ...NPM, packageArguments: [{ type: 'positional', value: 'serve' }] }] },
    valid: true
  },
  {
    name: 'environment variable without name',
    doc: { ...BASE, packages: [{ ...NPM, environmentVariables: [{ description: 'x' }] }] },
    valid: false,
    rules: ['server-json/schema']
  },
  {
    name: 'input with bad format',
    doc: { ...BASE, packages: [{ ...NPM, environmentVariables: [{ name: 'X', format: 'int' }] }] },
    valid: false,
    rules: ['server-json/schema']
  },
  { name: '_meta that is not an object', doc: { ...BASE, _meta: 'x' }, valid: false, rules: ['server-json/schema'] }
]

describe('server.json: our check and the MCP reference schema agree', () => {
  it('has a table of at least 15 examples, valid and invalid', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15)
    expect(CASES.some((c) => c.valid)).toBe(true)
    expect(CASES.some((c) => !c.valid)).toBe(true)
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const findings = ours(c.doc)
    const errors = errorsOf(findings)
    expect({ valid: errors.length === 0, findings }).toMatchObject({ valid: c.valid })
    for (const rule of c.rules ?? []) expect(errors.map((f) => f.rule)).toContain(rule)

    const refValid = referenceValid(c.doc)
    if (c.referenceDiffers) {
      // Documented, deliberate difference: we are stricter than the reference schema.
      expect(c.valid).toBe(false)
      expect(refValid).toBe(true)
    } else {
      expect({ referenceValid: refValid, errors: referenceValid.errors }).toMatchObject({ referenceValid: c.valid })
    }
  })
})

/**
 * The reference gives an `example` or `examples` for many fields. Each is put in its field's place
 * in an otherwise valid document, which both schemas must then accept.
 */
describe('every example value in the reference schema passes our check', () => {
  type Place = (path: string[], value: unknown) => unknown

  const nest = (path: string[], value: unknown): Record<string, unknown> => {
    const [head, ...rest] = path
    return { [head as string]: rest.length ? nest(rest, value) : value }
  }
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a }
    for (const [k, v] of Object.entries(b)) {
      const cur = out[k]
      out[k] = isPlain(cur) && isPlain(v) ? merge(cur, v) : v
    }
    return out
  }
  const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
  const inPackage =
    (extra: (p: string[], v: unknown) => Record<string, unknown>): Place =>
    (p, v) => ({ ...BASE, packages: [merge(NPM, extra(p, v))] })

  // Where an object of each reference definition sits in a document.
  const PLACES: Record<string, Place> = {
    ServerDetail: (p, v) => merge(BASE, nest(p, v)),
    Package: inPackage((p, v) => nest(p, v)),
    Icon: (p, v) => ({ ...BASE, icons: [merge({ src: 'https://example.com/i.png' }, nest(p, v))] }),
    Repository: (p, v) => ({ ...BASE, repository: merge({ url: 'https://github.com/a/b', source: 'github' }, nest(p, v)) }),
    StdioTransport: inPackage((p, v) => ({ transport: merge({ type: 'stdio' }, nest(p, v)) })),
    StreamableHttpTransport: inPackage((p, v) => ({ transport: merge({ type: 'streamable-http', url: 'https://e.com/mcp' }, nest(p, v)) })),
    SseTransport: inPackage((p, v) => ({ transport: merge({ type: 'sse', url: 'https://e.com/sse' }, nest(p, v)) })),
    RemoteTransport: (p, v) => ({ ...BASE, remotes: [merge({ type: 'sse', url: 'https://e.com/sse' }, nest(p, v))] }),
    Input: inPackage((p, v) => ({ environmentVariables: [merge({ name: 'X' }, nest(p, v))] })),
    InputWithVariables: inPackage((p, v) => ({ environmentVariables: [merge({ name: 'X' }, nest(p, v))] })),
    KeyValueInput: inPackage((p, v) => ({ environmentVariables: [merge({ name: 'X' }, nest(p, v))] })),
    NamedArgument: inPackage((p, v) => ({ packageArguments: [merge({ type: 'named', name: '--x' }, nest(p, v))] })),
    PositionalArgument: inPackage((p, v) => ({ packageArguments: [merge({ type: 'positional', valueHint: 'x' }, nest(p, v))] }))
  }

  interface Example {
    def: string
    path: string[]
    value: unknown
  }

  function collect(def: string, node: RefNode, path: string[], out: Example[]): void {
    for (const part of node.allOf ?? []) collect(def, part, path, out)
    for (const [key, sub] of Object.entries(node.properties ?? {})) {
      const p = [...path, key]
      const values = [...(sub.example !== undefined ? [sub.example] : []), ...(sub.examples ?? [])]
      for (const value of values) out.push({ def, path: p, value })
      collect(def, sub, p, out)
    }
  }

  function examples(): Example[] {
    const out: Example[] = []
    for (const [def, node] of Object.entries(reference.definitions)) collect(def, node, [], out)
    return out
  }

  it('finds examples, and a place for every definition that has them', () => {
    const found = examples()
    expect(found.length).toBeGreaterThan(20)
    const unplaced = [...new Set(found.map((e) => e.def))].filter((d) => !PLACES[d])
    expect(unplaced).toEqual([])
  })

  it('accepts each example in its place, as the reference does', () => {
    const rejected: string[] = []
    for (const e of examples()) {
      const place = PLACES[e.def] as Place
      const doc = place(e.path, e.value)
      const label = `${e.def}.${e.path.join('.')} = ${JSON.stringify(e.value)}`
      expect({ label, referenceValid: referenceValid(doc) }).toEqual({ label, referenceValid: true })
      const errors = errorsOf(ours(doc))
      if (errors.length) rejected.push(`${label}: ${errors.map((f) => f.message).join('; ')}`)
    }
    expect(rejected).toEqual([])
  })

  it('accepts every whole-document example the reference gives (none in 2025-12-11)', () => {
    const whole = [reference as unknown as RefNode, reference.definitions.ServerDetail ?? {}].flatMap((n) => [
      ...(n.example !== undefined ? [n.example] : []),
      ...(n.examples ?? [])
    ])
    for (const doc of whole) {
      expect(referenceValid(doc)).toBe(true)
      expect(errorsOf(ours(doc))).toEqual([])
    }
  })

  it('accepts the examples of our own schema', async () => {
    const { default: schema } = await import('../schemas/server-json.schema.json', { with: { type: 'json' } })
    for (const doc of schema.examples) expect(errorsOf(ours(doc))).toEqual([])
  })
})
