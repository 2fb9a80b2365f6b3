// The schema files every derived file is generated from, and what the generator needs to know about
// each one that the schema itself cannot say (its TypeScript name, how its documents are written).
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'
export const SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/signetai/marketplace-actions/main/schemas/'

/** A JSON Schema node, loosely typed: the generator reads whatever keywords a schema uses. */
export type SchemaNode = { [keyword: string]: unknown }

export interface SchemaFile {
  /** File name in schemas/, e.g. `manifest.schema.json`. */
  file: string
  /** Short name used for docs pages, e.g. `manifest`. */
  name: string
  schema: SchemaNode
}

/**
 * Schema file -> the root type's name. Explicit, because these names are imported all over src/ and
 * must not change when someone edits a schema's title.
 */
export const ROOT_NAMES: Record<string, string> = {
  'manifest.schema.json': 'Manifest',
  'profile.schema.json': 'Profile',
  'config.schema.json': 'MarketplaceConfig',
  'registry.schema.json': 'Registry',
  'review.schema.json': 'Review',
  'stats.schema.json': 'Stats',
  'stats-columns.schema.json': 'StatsColumns',
  'scores.schema.json': 'Scores',
  'installed.schema.json': 'InstalledPackages',
  'server-json.schema.json': 'McpServerJson',
  'skill-md-frontmatter.schema.json': 'SkillFrontmatter',
  'stats-install-request.schema.json': 'StatsInstallRequest',
  'stats-install-response.schema.json': 'StatsInstallResponse',
  'stats-rating-request.schema.json': 'StatsRatingRequest',
  'stats-rating-response.schema.json': 'StatsRatingResponse',
  'stats-error.schema.json': 'StatsError',
  'catalog-search-index.schema.json': 'CatalogSearchIndex',
  'catalog-search-shard.schema.json': 'CatalogSearchShard',
  'catalog-search-docs.schema.json': 'CatalogSearchDocs',
  'published-index.schema.json': 'PublishedIndex',
  'published-shard.schema.json': 'PublishedShard',
  'digest-shard.schema.json': 'DigestShard'
}

/** How documents of a format are written, so the docs show examples the way publishers write them. */
export type Syntax = 'json' | 'yaml' | 'frontmatter'

const SYNTAX: Record<string, Syntax> = {
  'manifest.schema.json': 'yaml',
  'config.schema.json': 'yaml',
  'skill-md-frontmatter.schema.json': 'frontmatter'
}

export function syntaxOf(file: string): Syntax {
  return SYNTAX[file] ?? 'json'
}

export async function listSchemas(root: string): Promise<SchemaFile[]> {
  const dir = path.join(root, 'schemas')
  const files = (await readdir(dir)).filter((f) => f.endsWith('.schema.json')).sort()
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8')
      let schema: unknown
      try {
        schema = JSON.parse(text)
      } catch (err) {
        throw new Error(`schemas/${file}: not valid JSON: ${(err as Error).message}`, { cause: err })
      }
      if (!isNode(schema)) throw new Error(`schemas/${file}: the top level must be an object`)
      return { file, name: file.replace(/\.schema\.json$/, ''), schema }
    })
  )
}

export function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// ajv-formats is CommonJS; depending on the loader its function is the default export or its `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020

/** The same ajv settings as the compiled validators (scripts/schema-validators.ts), so what the docs promise is what the toolkit checks. */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
  addFormats(ajv)
  return ajv
}

/** Validates `value` against a schema; returns readable errors, empty when it is valid. */
export function validationErrors(ajv: Ajv2020, schema: SchemaNode, value: unknown): string[] {
  const id = typeof schema.$id === 'string' ? schema.$id : undefined
  const validate = (id && ajv.getSchema(id)) || ajv.compile(schema)
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
}
