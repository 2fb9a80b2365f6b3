// The rule catalog: every rule id the toolkit can report, with its default severity and the text
// docs/rules.md is generated from. Each check's rules live in rules/<area>.ts; a check refers to
// a rule by id, and nothing else defines one.
import type { Rule } from './rules/rule.js'
import { VALIDATE_RULES } from './rules/validate.js'
import { RELEASE_RULES } from './rules/release.js'
import { REGISTRY_RULES } from './rules/registry.js'
import { SAFETY_RULES } from './rules/safety.js'

export type { Rule }

export const RULES = {
  ...VALIDATE_RULES,
  ...RELEASE_RULES,
  ...REGISTRY_RULES,
  ...SAFETY_RULES
} as const satisfies Record<string, Rule>

export type RuleId = keyof typeof RULES

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id)
}
