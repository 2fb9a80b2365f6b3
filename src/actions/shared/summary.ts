// The job summary: built in one place as one document, size-guarded, written once.
import * as core from '@actions/core'
import type { Review } from '../../core/review/review.js'
import { escapeHtml } from '../../report/html.js'
import { formatLocation } from '../../report/location.js'

/** GitHub refuses step summaries over 1 MiB; stay well under it. */
const MAX_SUMMARY_BYTES = 900 * 1024
const MAX_ROWS = 300

export function renderSummary(title: string, review: Review): string {
  const c = review.counts
  const verdict = review.verdict === 'pass' ? '✅ pass' : '❌ fail'
  const out: string[] = [
    `## ${escapeHtml(title)}: ${verdict}`,
    '',
    `${review.packages.length} package(s) checked: **${c.error}** error(s), **${c.warning}** warning(s), **${c.notice}** notice(s).`,
    ''
  ]
  if (review.packages.length) {
    out.push('<table><tr><th>Package</th><th>Version</th><th>Change</th><th>Result</th></tr>')
    for (const p of review.packages) {
      out.push(
        `<tr><td><code>${escapeHtml(p.id)}</code></td><td>${escapeHtml(p.version ?? '')}</td><td>${escapeHtml(p.status)}</td><td>${p.verdict === 'pass' ? '✅' : '❌'}</td></tr>`
      )
    }
    out.push('</table>', '')
  }
  const findings = review.findings
  if (findings.length) {
    out.push('<table><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th><th>Fix</th></tr>')
    for (const f of findings.slice(0, MAX_ROWS)) {
      const where = formatLocation(f)
      const severity = f.allowed !== undefined ? `${f.severity} (allowed: ${escapeHtml(f.allowed)})` : f.severity
      out.push(
        `<tr><td>${severity}</td><td><code>${escapeHtml(f.rule)}</code></td><td><code>${escapeHtml(where)}</code></td><td>${escapeHtml(f.message)}</td><td>${escapeHtml(f.hint ?? '')}</td></tr>`
      )
    }
    out.push('</table>')
    if (findings.length > MAX_ROWS) out.push('', `…and ${findings.length - MAX_ROWS} more findings; see the JSON report.`)
  }
  const text = `${out.join('\n')}\n`
  if (Buffer.byteLength(text) <= MAX_SUMMARY_BYTES) return text
  // Cutting inside the HTML would break the page; drop the findings table as a whole instead.
  return `${out.slice(0, out.indexOf('<table><tr><th>Severity</th>')).join('\n')}\n_The findings table is too large for a job summary; see the JSON report._\n`
}

export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(markdown).write()
}
