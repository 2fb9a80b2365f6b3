// The compiled JSON Schemas. The schema files are imported as JSON so every bundle embeds them.
import { Ajv2020, type ValidateFunction, type AnySchemaObject } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'
import manifest from '../../../schemas/manifest.schema.json' with { type: 'json' }
import profile from '../../../schemas/profile.schema.json' with { type: 'json' }
import config from '../../../schemas/config.schema.json' with { type: 'json' }
import review from '../../../schemas/review.schema.json' with { type: 'json' }
import registry from '../../../schemas/registry.schema.json' with { type: 'json' }
import stats from '../../../schemas/stats.schema.json' with { type: 'json' }
import scores from '../../../schemas/scores.schema.json' with { type: 'json' }

// ajv-formats is CommonJS; depending on the loader its function is the default export or its `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020

export const SCHEMAS = { manifest, profile, config, review, registry, stats, scores } as const satisfies Record<string, AnySchemaObject>

export type SchemaName = keyof typeof SCHEMAS

let ajv: Ajv2020 | undefined
const compiled = new Map<SchemaName, ValidateFunction>()

function instance(): Ajv2020 {
  if (!ajv) {
    // allErrors: a publisher sees every problem at once. verbose: errors carry the failing
    // sub-schema, whose description becomes the fix hint.
    ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true })
    addFormats(ajv)
  }
  return ajv
}

export function validatorFor(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name)
  if (!fn) {
    fn = instance().compile(SCHEMAS[name])
    compiled.set(name, fn)
  }
  return fn
}

/** Registers another schema (used by checks whose schema lives beside them). */
export function compileSchema(schema: AnySchemaObject): ValidateFunction {
  return instance().compile(schema)
}
