// How a merged re-audit reads: the job summary (the usual review summary, failing packages
// first) and the body of the one tracking issue that lists the packages that now fail. Package
// ids, rules and messages come from publishers' files, so everything is escaped (html.ts).
import type { Review } from '../core/review/review.js'
import { escapeHtml } from './html.js'
import { formatLocation } from './location.js'
import { renderReviewSummary } from './job-summary.js'

/** GitHub refuses issue bodies over 65,536 characters; stay under it with room for the tail. */
export const MAX_ISSUE_CHARS = 60_000

/** The hidden marker that finds the tracking issue again (the workflow searches for it). */
export const RE_AUDIT_MARKER = '<!-- marketplace-actions:re-audit -->'

export interface FailingPackage {
  id: string
  errors: number
  rules: string[]
  /** Where its first error is. */
  first: string
}

/** Packages with at least one error that counts (allowed findings do not), sorted by id. */
export function failingPackages(review: Review): FailingPackage[] {
  const byId = new Map<string, FailingPackage>()
  for (const f of review.findings) {
    if (f.severity !== 'error' || f.allowed !== undefined || f.package === undefined) continue
    const p = byId.get(f.package) ?? { id: f.package, errors: 0, rules: [], first: formatLocation(f) }
    p.errors++
    if (!p.rules.includes(f.rule)) p.rules.push(f.rule)
    byId.set(f.package, p)
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The job summary of a merged re-audit: failing packages listed first. */
export function renderReAuditSummary(review: Review): string {
  const failing = new Set(failingPackages(review).map((p) => p.id))
  const packages = [...review.packages.filter((p) => failing.has(p.id)), ...review.packages.filter((p) => !failing.has(p.id))]
  return renderReviewSummary('Marketplace re-audit', { ...review, packages })
}

/** The tracking issue's body: the commit, the counts, then one line per failing package. */
export function renderReAuditIssue(review: Review, options: { runUrl?: string } = {}): string {
  const failing = failingPackages(review)
  const errorsOutsidePackages = review.findings.filter((f) => f.severity === 'error' && f.allowed === undefined && f.package === undefined)
  const head = review.source?.head
  const lines = [
    RE_AUDIT_MARKER,
    `The re-audit of every package${head ? ` at \`${escapeHtml(head)}\`` : ''} with marketplace-actions ${escapeHtml(review.tool.version)} found **${failing.length}** failing package(s) of ${review.packages.length}${errorsOutsidePackages.length ? ` and ${errorsOutsidePackages.length} error(s) outside any package` : ''}.`,
    ...(options.runUrl ? ['', `Details: the run's job summary and code scanning alerts (${options.runUrl}).`] : []),
    '',
    'This issue is updated by every re-audit run and closed when nothing fails.',
    ''
  ]
  let used = lines.join('\n').length
  let shown = 0
  for (const p of failing) {
    const line = `- [ ] <code>${escapeHtml(p.id)}</code>: ${p.errors} error(s), ${p.rules.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ')}; first at <code>${escapeHtml(p.first)}</code>`
    if (used + line.length + 1 > MAX_ISSUE_CHARS) break
    lines.push(line)
    used += line.length + 1
    shown++
  }
  if (shown < failing.length) lines.push('', `…and ${failing.length - shown} more failing package(s): see the merged review file.`)
  return `${lines.join('\n')}\n`
}
