// The review as SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`) and
// any other SARIF viewer. Findings keep their rule, level, message (with the fix) and location;
// a finding the marketplace config allows is a result with an external suppression that carries
// the maintainers' reason. Paths are relative to the repository root (%SRCROOT%), as
// upload-sarif expects; columns count UTF-16 code units, as the review does.
import { createHash } from 'node:crypto'
import type { Finding, Severity } from '../core/findings/findings.js'
import type { Review } from '../core/review/review.js'
import { RULES, isRuleId, type Rule } from '../core/findings/rules.js'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
export const PROJECT_URL = 'https://github.com/signetai/marketplace-actions'
const RULES_DOC_URL = `${PROJECT_URL}/blob/main/docs/rules.md`
const FINGERPRINT = 'marketplaceActionsFinding/v1'

type Level = 'error' | 'warning' | 'note'
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', notice: 'note' }

/** Rule groups whose findings are security problems (GitHub shows them as security alerts). */
const SECURITY_GROUPS = new Set(['escape', 'name', 'size', 'type', 'unicode', 'secret', 'injection', 'code', 'mcp'])

export interface SarifLog {
  $schema: string
  version: '2.1.0'
  runs: SarifRun[]
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } }
  automationDetails: { id: string }
  columnKind: 'utf16CodeUnits'
  results: SarifResult[]
}

export interface SarifRule {
  id: string
  name: string
  shortDescription: { text: string }
  fullDescription: { text: string }
  help: { text: string; markdown: string }
  helpUri: string
  defaultConfiguration: { level: Level }
  properties: {
    tags: string[]
    precision: 'high' | 'medium'
    'problem.severity': 'error' | 'warning' | 'recommendation'
    'security-severity'?: string
  }
}

export interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: Level
  message: { text: string }
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' }
      region?: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number }
    }
  }[]
  partialFingerprints: Record<string, string>
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[]
}

/** GitHub's heading anchor for `### group/name` in docs/rules.md (the same rule scripts/markdown.ts applies). */
export function ruleAnchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

export function toSarif(review: Review): SarifLog {
  const ids = [...new Set(review.findings.map((f) => f.rule))].sort()
  const index = new Map(ids.map((id, i) => [id, i]))
  const seen = new Map<string, number>()
  const results = review.findings.map((f) => {
    const result = toResult(f, index.get(f.rule) ?? 0)
    // Identical findings in one file (the same token twice) stay distinct alerts.
    const key = fingerprint(f)
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    result.partialFingerprints = { [FINGERPRINT]: `${key}:${n}` }
    return result
  })
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: review.tool.name,
            version: review.tool.version,
            semanticVersion: review.tool.version,
            informationUri: PROJECT_URL,
            rules: ids.map((id) => toRule(id))
          }
        },
        automationDetails: { id: `${review.tool.name}/${review.checks.join('+')}/` },
        columnKind: 'utf16CodeUnits',
        results
      }
    ]
  }
}

function toRule(id: string): SarifRule {
  const rule: Rule = isRuleId(id) ? RULES[id] : { severity: 'error', summary: id, why: id, example: '-', fix: '-' }
  const group = id.slice(0, id.indexOf('/'))
  const security = SECURITY_GROUPS.has(group)
  const helpUri = `${RULES_DOC_URL}#${ruleAnchor(id)}`
  const out: SarifRule = {
    id,
    name: id.replace(/(^|[/-])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.why },
    help: {
      text: `${rule.summary}\n\nWhy: ${rule.why}\nExample: ${rule.example}\nHow to fix: ${rule.fix}\n\n${helpUri}`,
      markdown: `${rule.summary}\n\n- **Why:** ${rule.why}\n- **Example:** ${rule.example}\n- **How to fix:** ${rule.fix}\n\n[Rule documentation](${helpUri})`
    },
    helpUri,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: security ? ['security', group] : ['correctness', group],
      precision: rule.severity === 'error' ? 'high' : 'medium',
      'problem.severity': rule.severity === 'notice' ? 'recommendation' : rule.severity
    }
  }
  // GitHub ranks security alerts by this CVSS-like score: critical >= 9, high >= 7, medium >= 4.
  if (security) out.properties['security-severity'] = rule.severity === 'error' ? '8.0' : rule.severity === 'warning' ? '5.0' : '2.0'
  return out
}

function toResult(f: Finding, ruleIndex: number): SarifResult {
  const uri = sarifUri(f.file ?? (f.package ? `publishers/${f.package}` : 'publishers'))
  const region = f.line !== undefined && f.line >= 1 ? regionOf(f) : undefined
  const result: SarifResult = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.hint ? `${f.message}\nFix: ${f.hint}` : f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, ...(region ? { region } : {}) } }],
    partialFingerprints: {}
  }
  if (f.allowed !== undefined) result.suppressions = [{ kind: 'external', status: 'accepted', justification: f.allowed }]
  return result
}

function regionOf(f: Finding): NonNullable<SarifResult['locations'][number]['physicalLocation']['region']> {
  const region: NonNullable<SarifResult['locations'][number]['physicalLocation']['region']> = { startLine: f.line as number }
  if (f.column !== undefined && f.column >= 1) region.startColumn = f.column
  if (f.end_line !== undefined && f.end_line >= region.startLine) {
    region.endLine = f.end_line
    // SARIF's endColumn is the column after the last character, as the review's is.
    if (
      f.end_column !== undefined &&
      region.startColumn !== undefined &&
      (f.end_line > region.startLine || f.end_column >= region.startColumn)
    )
      region.endColumn = f.end_column
  }
  return region
}

/** A relative URI reference: each path segment percent-encoded, so any file name stays one path. */
export function sarifUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

/** Stable across runs and line moves: the rule, the file and the (already masked) message. */
function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update(`${f.rule}\0${f.file ?? ''}\0${f.message}`)
    .digest('hex')
    .slice(0, 32)
}
