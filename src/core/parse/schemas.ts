// The JSON Schemas and their validators. The validators are compiled from schemas/*.schema.json by
// `npm run generate` (src/generated/validators.js, ajv standalone code), so no run compiles a schema.
import type { ValidateFunction, AnySchemaObject } from 'ajv'
import { VALIDATORS } from '../../generated/validators.js'
import manifest from '../../../schemas/manifest.schema.json' with { type: 'json' }
import profile from '../../../schemas/profile.schema.json' with { type: 'json' }
import config from '../../../schemas/config.schema.json' with { type: 'json' }
import review from '../../../schemas/review.schema.json' with { type: 'json' }
import registry from '../../../schemas/registry.schema.json' with { type: 'json' }
import stats from '../../../schemas/stats.schema.json' with { type: 'json' }
import scores from '../../../schemas/scores.schema.json' with { type: 'json' }

/** The schemas whose content the code reads (a pattern, a property list), besides validating with them. */
export const SCHEMAS = { manifest, profile, config, review, registry, stats, scores } as const satisfies Record<string, AnySchemaObject>

/** A schema file's name without `.schema.json`. */
export type SchemaName = keyof typeof VALIDATORS

export function validatorFor(name: SchemaName): ValidateFunction {
  return VALIDATORS[name]
}
