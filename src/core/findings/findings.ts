// Findings: what every check returns, and the one place where the marketplace config's rule
// severities and allowances are applied to them.
import type { Finding, Severity, MarketplaceConfig } from '../../generated/schema-types.js'
import { RULES, type RuleId } from './rules.js'

export type { Finding, Severity }

/** Where a finding points. Positions are 1-based. */
export interface Location {
  package?: string
  file?: string
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
}

type FindingObserver = (rule: RuleId) => void
const observers = new Set<FindingObserver>()

/**
 * Calls `observer` with the rule of every finding made from now on, until the returned function
 * is called. The test suite uses it to know which rules its fixtures really emit (a rule id that
 * only appears in a test's text proves nothing).
 */
export function observeFindings(observer: FindingObserver): () => void {
  observers.add(observer)
  return () => observers.delete(observer)
}

export function finding(rule: RuleId, at: Location, message: string, hint?: string): Finding {
  for (const observe of observers) observe(rule)
  const f: Finding = { rule, severity: RULES[rule].severity, message }
  if (at.package !== undefined) f.package = at.package
  if (at.file !== undefined) f.file = at.file
  if (at.line !== undefined) {
    f.line = at.line
    f.column = at.column ?? 1
    if (at.endLine !== undefined) f.end_line = at.endLine
    if (at.endColumn !== undefined) f.end_column = at.endColumn
  }
  f.hint = hint ?? RULES[rule].fix
  return f
}

export interface Counts {
  error: number
  warning: number
  notice: number
}

/** Counts only findings that are not allowed by the config. */
export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, notice: 0 }
  for (const f of findings) if (f.allowed === undefined) counts[f.severity]++
  return counts
}

export function verdictOf(findings: readonly Finding[]): 'pass' | 'fail' {
  return countFindings(findings).error > 0 ? 'fail' : 'pass'
}

/**
 * Applies the marketplace config: a rule set to `off` is dropped, other severities replace the
 * default, and an `allow` entry marks matching findings as accepted (they stay visible).
 */
export function applyPolicy(findings: readonly Finding[], config: MarketplaceConfig): Finding[] {
  const out: Finding[] = []
  for (const f of findings) {
    const severity = config.rules?.[f.rule]
    if (severity === 'off') continue
    const next: Finding = severity ? { ...f, severity } : { ...f }
    const allowance = config.allow?.find((a) => a.rule === f.rule && a.package === f.package && matchesFile(a.file, f))
    if (allowance) next.allowed = allowance.reason
    out.push(next)
  }
  return sortFindings(out)
}

function matchesFile(file: string | undefined, f: Finding): boolean {
  if (file === undefined) return true
  if (f.file === undefined || f.package === undefined) return false
  return f.file.endsWith(`/${f.package}/${file}`)
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 }

/** A total order, so that reports are deterministic. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.package ?? '', b.package ?? '') ||
      cmp(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      cmp(a.rule, b.rule) ||
      cmp(a.message, b.message)
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
