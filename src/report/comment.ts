// The PR comment: one sticky comment, found again by its hidden marker and updated in place.
// Rendered from a review (never from text an earlier step produced), with everything that came
// from the pull request escaped.
import type { Review } from '../core/review/review.js'
import type { Finding } from '../core/findings/findings.js'
import { escapeHtml } from './html.js'
import { formatLocation } from './location.js'

/** The hidden marker that finds the comment again. Never derived from PR content. */
export const COMMENT_MARKER = '<!-- marketplace-actions:review -->'

/** GitHub refuses comment bodies over 65,536 characters; stay under with room for the footer. */
export const MAX_COMMENT_CHARS = 60000

export interface CommentOptions {
  /** Findings shown per package before the rest are summarised. */
  maxFindingsPerPackage?: number
  /** A link to the workflow run, for the full report. Built from trusted context only. */
  runUrl?: string
}

const ICON = { error: '❌', warning: '⚠️', notice: 'ℹ️' } as const

export function renderComment(review: Review, options: CommentOptions = {}): string {
  const perPackage = options.maxFindingsPerPackage ?? 30
  const c = review.counts
  const head =
    review.verdict === 'pass'
      ? `## ✅ Marketplace review passed`
      : `## ❌ Marketplace review failed: ${c.error} error${c.error === 1 ? '' : 's'}`
  const parts: string[] = [COMMENT_MARKER, head, '']
  parts.push(
    `${review.packages.length} package${review.packages.length === 1 ? '' : 's'} reviewed, ${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}${c.notice ? `, ${c.notice} notice${c.notice === 1 ? '' : 's'}` : ''}.`,
    ''
  )

  if (review.packages.length) {
    parts.push('<table><tr><th>Package</th><th>Version</th><th>Change</th><th>Result</th></tr>')
    for (const p of review.packages) {
      const version = p.previous_version && p.version ? `${p.previous_version} → ${p.version}` : (p.version ?? '')
      const change = p.renamed_from ? `${p.status} (from ${p.renamed_from})` : p.status
      parts.push(
        `<tr><td><code>${escapeHtml(p.id)}</code></td><td>${escapeHtml(version)}</td><td>${escapeHtml(change)}</td><td>${p.verdict === 'pass' ? '✅ pass' : '❌ fail'}</td></tr>`
      )
    }
    parts.push('</table>', '')
  }

  const groups = new Map<string, Finding[]>()
  for (const f of review.findings) groups.set(f.package ?? '', [...(groups.get(f.package ?? '') ?? []), f])
  for (const [pkg, findings] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const errors = findings.filter((f) => f.severity === 'error' && f.allowed === undefined).length
    const title = pkg ? `<code>${escapeHtml(pkg)}</code>` : 'Marketplace'
    // Open the packages that block the merge; collapse the ones that only inform.
    parts.push(
      `<details${errors ? ' open' : ''}><summary>${title}: ${findings.length} finding${findings.length === 1 ? '' : 's'}${errors ? `, ${errors} blocking` : ''}</summary>`,
      ''
    )
    for (const f of findings.slice(0, perPackage)) parts.push(renderFinding(f))
    if (findings.length > perPackage) parts.push('', `…and ${findings.length - perPackage} more in the job summary and the review report.`)
    parts.push('', '</details>', '')
  }

  let body = parts.join('\n')
  const footer = `\n---\n<sub>marketplace-actions ${escapeHtml(review.tool.version)}${options.runUrl ? ` · <a href="${encodeURI(options.runUrl)}">workflow run</a>` : ''} · rules and fixes: docs/rules.md</sub>\n`
  if (body.length + footer.length > MAX_COMMENT_CHARS) {
    // Cut between findings, never inside markup, then close what was open.
    const cut = body.lastIndexOf('\n- ', MAX_COMMENT_CHARS - footer.length - 200)
    body = `${body.slice(0, cut > 0 ? cut : MAX_COMMENT_CHARS / 2)}\n\n…the comment is cut here to fit GitHub's size limit; see the job summary and the review report.\n\n</details>\n`
  }
  return body + footer
}

function renderFinding(f: Finding): string {
  const where = formatLocation(f)
  const allowed = f.allowed !== undefined ? ` (allowed by the marketplace config: ${escapeHtml(f.allowed)})` : ''
  const lines = [
    `- ${ICON[f.severity]} <b>${escapeHtml(f.rule)}</b>${where ? ` at <code>${escapeHtml(where)}</code>` : ''}${allowed}<br>${escapeHtml(f.message)}`
  ]
  if (f.hint) lines.push(`  <br><i>Fix:</i> ${escapeHtml(f.hint)}`)
  return lines.join('\n')
}
