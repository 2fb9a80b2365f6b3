import type { Severity } from '../../../generated/schema-types.js'

/** One rule: its default severity and the text docs/rules.md is generated from. */
export interface Rule {
  /** Default severity; the marketplace config may change it. */
  severity: Severity
  /** One line: what the rule checks. */
  summary: string
  /** Why it matters to the marketplace's users. */
  why: string
  /** A short example of what the rule reports. */
  example: string
  /** How a publisher fixes it. */
  fix: string
}
