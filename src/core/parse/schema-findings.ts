// Schema errors as findings, for the files publishers write. Apart from schema-check.ts because a
// finding carries its rule's severity and fix from the rule catalog: a reader that only reports
// configuration errors (the registry, the config, the client's caches) need not load the catalog.
import type { ValidateFunction } from 'ajv'
import { finding, type Finding } from '../findings/findings.js'
import { schemaProblems, type SchemaCheckTarget } from './schema-check.js'

/** Schema errors as findings of the target's rule, for the files publishers write. */
export function schemaFindings(validate: ValidateFunction, target: SchemaCheckTarget): Finding[] {
  return schemaProblems(validate, target).map(({ message, hint, ...pos }) => finding(target.rule, { ...target.at, ...pos }, message, hint))
}
