// The schemas are the single source of truth: the generated types and docs must match them, and the
// schemas themselves must be valid, identifiable and documented.
import { describe, expect, test, beforeAll, afterAll } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')
const DIALECT = 'https://json-schema.org/draft/2020-12/schema'
const BASE = 'https://raw.githubusercontent.com/signetai/marketplace-actions/main/schemas/'

// ajv-formats is CommonJS; depending on the loader its function is the default export or its `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020

type Node = { [k: string]: unknown }
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v)

function generate(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [tsxCli, path.join(root, 'scripts', 'generate.ts'), ...args], {
    cwd: root,
    encoding: 'utf8'
  })
  return { status: r.status, output: `${r.stdout}${r.stderr}` }
}

const schemaFiles = readdirSync(path.join(root, 'schemas'))
  .filter((f) => f.endsWith('.schema.json'))
  .sort()
const schemas = schemaFiles.map((file) => ({
  file,
  schema: JSON.parse(readFileSync(path.join(root, 'schemas', file), 'utf8')) as Node
}))

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
  addFormats(ajv)
  return ajv
}

const DATA_KEYWORDS = new Set(['examples', 'default', 'const', 'enum'])
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas'])
// Subschemas that state a condition or a negation rather than define a field.
const CONDITIONS = new Set(['if', 'not'])

/** Calls `visit` on every subschema with its JSON pointer; skips data and conditions. */
function walk(node: unknown, pointer: string, visit: (node: Node, pointer: string) => void): void {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`, visit))
  if (!isNode(node)) return
  visit(node, pointer)
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key) || CONDITIONS.has(key)) continue
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (SCHEMA_MAPS.has(key) && isNode(value)) {
      for (const [name, sub] of Object.entries(value)) walk(sub, `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, visit)
    } else walk(value, at, visit)
  }
}

function resolveRef(schema: Node, ref: string): Node | undefined {
  if (!ref.startsWith('#/')) return undefined
  const target = ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (isNode(at) ? at[key] : undefined), schema)
  return isNode(target) ? target : undefined
}

describe('generated files', () => {
  test('types and docs are up to date with schemas/ and src/core/findings/rules.ts (npm run generate)', () => {
    const { status, output } = generate('--check')
    expect(output).toBe('')
    expect(status).toBe(0)
  })

  describe('--check fails on drift', () => {
    let dir: string
    beforeAll(() => {
      // A copy of exactly what the generator reads and writes, so the real checkout is never touched.
      dir = mkdtempSync(path.join(os.tmpdir(), 'generated-'))
      cpSync(path.join(root, 'schemas'), path.join(dir, 'schemas'), { recursive: true })
      cpSync(path.join(root, 'docs', 'formats'), path.join(dir, 'docs', 'formats'), { recursive: true })
      cpSync(path.join(root, 'docs', 'rules.md'), path.join(dir, 'docs', 'rules.md'))
      mkdirSync(path.join(dir, 'src', 'core', 'findings'), { recursive: true })
      mkdirSync(path.join(dir, 'src', 'generated'), { recursive: true })
      cpSync(path.join(root, 'src', 'core', 'findings', 'rules.ts'), path.join(dir, 'src', 'core', 'findings', 'rules.ts'))
      cpSync(path.join(root, 'src', 'core', 'findings', 'rules'), path.join(dir, 'src', 'core', 'findings', 'rules'), { recursive: true })
      cpSync(path.join(root, 'src', 'generated', 'schema-types.ts'), path.join(dir, 'src', 'generated', 'schema-types.ts'))
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    test('the copy is current once generated', () => {
      // Written first, so this test does not depend on the checkout being current (the test above covers that).
      expect(generate('--root', dir).status).toBe(0)
      expect(generate('--check', '--root', dir)).toEqual({ status: 0, output: '' })
    })

    test('a changed schema description makes the derived files stale, and generate fixes them', () => {
      const file = path.join(dir, 'schemas', 'manifest.schema.json')
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: { name: { description: string } } }
      schema.properties.name.description = 'A description changed by the drift test.'
      writeFileSync(file, JSON.stringify(schema, null, 2))

      const stale = generate('--check', '--root', dir)
      expect(stale.status).toBe(1)
      expect(stale.output).toContain('stale: docs/formats/manifest.md')
      expect(stale.output).toContain('stale: src/generated/schema-types.ts')
      expect(stale.output).not.toContain('docs/formats/profile.md')

      const written = generate('--root', dir)
      expect(written.status).toBe(0)
      expect(written.output).toContain('wrote docs/formats/manifest.md')
      expect(readFileSync(path.join(dir, 'docs', 'formats', 'manifest.md'), 'utf8')).toContain('A description changed by the drift test.')
      expect(generate('--check', '--root', dir)).toEqual({ status: 0, output: '' })
    })

    test('a page whose schema is gone is reported as orphaned', () => {
      rmSync(path.join(dir, 'schemas', 'stats.schema.json'))
      const result = generate('--check', '--root', dir)
      expect(result.status).toBe(1)
      expect(result.output).toContain('orphaned: docs/formats/stats.md')
      expect(result.output).toContain('stale: docs/formats/README.md')
    })

    test('two schemas that define the same type name fail loudly', () => {
      const file = path.join(dir, 'schemas', 'registry.schema.json')
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { $defs: Record<string, unknown> }
      // review.schema.json already defines `severity`, rendered as the type `Severity`.
      schema.$defs.severity = { enum: ['low', 'high'], description: 'Clashes with the review schema.' }
      writeFileSync(file, JSON.stringify(schema, null, 2))
      const result = generate('--check', '--root', dir)
      expect(result.status).toBe(2)
      expect(result.output).toMatch(
        /type name clash: (registry|review)\.schema\.json and (registry|review)\.schema\.json both define `Severity`/
      )
    })
  })
})

describe.each(schemas)('schemas/$file', ({ file, schema }) => {
  test('is a JSON Schema 2020-12 with its $id under the published base URL', () => {
    expect(schema.$schema).toBe(DIALECT)
    expect(schema.$id).toBe(`${BASE}${file}`)
  })

  test('compiles under ajv 2020 in strict mode', () => {
    expect(() => newAjv().compile(schema)).not.toThrow()
  })

  test('describes every property (the docs and editor hovers show these)', () => {
    const missing: string[] = []
    walk(schema, '#', (node, pointer) => {
      for (const kw of ['properties', 'patternProperties'] as const) {
        const map = node[kw]
        if (!isNode(map)) continue
        for (const [name, sub] of Object.entries(map)) {
          if (!isNode(sub)) continue
          const target = typeof sub.$ref === 'string' ? resolveRef(schema, sub.$ref) : undefined
          if (typeof sub.description !== 'string' && typeof target?.description !== 'string') {
            missing.push(`${pointer}/${kw}/${name}`)
          }
        }
      }
    })
    expect(missing).toEqual([])
  })

  test('every `examples` value validates against its own subschema', () => {
    const ajv = newAjv()
    ajv.addSchema(schema)
    const invalid: string[] = []
    walk(schema, '#', (node, pointer) => {
      if (!Array.isArray(node.examples)) return
      const validate = ajv.getSchema(`${schema.$id as string}${pointer}`)
      if (!validate) return invalid.push(`${pointer}: cannot be addressed`)
      node.examples.forEach((example, i) => {
        if (!validate(example)) invalid.push(`${pointer}/examples/${i}: ${ajv.errorsText(validate.errors)}`)
      })
    })
    expect(invalid).toEqual([])
  })
})

test('schema $ids are unique', () => {
  const ajv = newAjv()
  expect(() => schemas.forEach(({ schema }) => ajv.addSchema(schema))).not.toThrow()
})
