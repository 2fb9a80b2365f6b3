/**
 * Validates a review document (a `--json` file or the action's report) against
 * schemas/review.schema.json with ajv in strict 2020-12 mode, as a consumer would.
 *
 *   expect(reviewSchemaErrors(JSON.parse(text))).toEqual([])
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'
import { REPO_ROOT } from './run-node.js'

// ajv-formats is CommonJS; depending on the loader its function is the default export or its `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020

let validate: ValidateFunction | undefined

export function reviewSchemaErrors(doc: unknown): string[] {
  if (!validate) {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'review.schema.json'), 'utf8')) as object
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
    addFormats(ajv)
    validate = ajv.compile(schema)
  }
  if (validate(doc)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
}

/** The review fields the tests read; the schema check above guarantees the rest. */
export interface ReviewDoc {
  verdict: 'pass' | 'fail'
  source?: { kind: 'directory' | 'git'; base?: string; head?: string; author?: string }
  packages: { id: string; status: string; verdict: 'pass' | 'fail'; version?: string }[]
  findings: {
    rule: string
    severity: 'error' | 'warning' | 'notice'
    package?: string
    file?: string
    line?: number
    column?: number
    message: string
    hint?: string
    allowed?: string
  }[]
  counts: { error: number; warning: number; notice: number }
}

/** Counts recomputed from the findings (allowed findings do not count). */
export function countsOf(review: ReviewDoc): ReviewDoc['counts'] {
  const counts = { error: 0, warning: 0, notice: 0 }
  for (const f of review.findings) if (f.allowed === undefined) counts[f.severity]++
  return counts
}
