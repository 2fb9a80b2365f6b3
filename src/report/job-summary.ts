// The job summary of every action, built here as one markdown document and size-guarded, then
// written once by the action (actions/shared/write-summary.ts, in a `finally`). Everything that
// came from a pull request or a stats endpoint is escaped (html.ts, location.ts).
import type { Finding } from '../core/findings/findings.js'
import { countFindings } from '../core/findings/findings.js'
import type { Review } from '../core/review/review.js'
import type { BuildResult } from '../core/registry/build/build.js'
import type { AppliedOutputs } from '../io/registry-output.js'
import { escapeHtml } from './html.js'
import { formatLocation } from './location.js'
import { buildHow, summaryLine } from './build.js'

/** GitHub refuses step summaries over 1 MiB; stay well under it. */
export const MAX_SUMMARY_BYTES = 900 * 1024
/** Rows per table: more is not read, and the JSON report has them all. */
export const MAX_ROWS = 300

/**
 * A part of the document. A part with `dropNote` is a table that may be too large: when the whole
 * does not fit, such parts are replaced by their note, the last first (the findings before the
 * packages), because cutting inside the HTML would break the page.
 */
interface Part {
  lines: string[]
  dropNote?: string
}

function fit(parts: Part[]): string {
  const shown = parts.map((p) => p.lines)
  const text = () => `${shown.flat().join('\n')}\n`
  for (let i = parts.length - 1; i >= 0 && Buffer.byteLength(text()) > MAX_SUMMARY_BYTES; i--) {
    const note = parts[i]?.dropNote
    if (note !== undefined) shown[i] = [note]
  }
  // Only a heading too long for a summary is left; no caller makes one.
  return Buffer.byteLength(text()) <= MAX_SUMMARY_BYTES ? text() : `${shown[0]?.[0]?.slice(0, 200) ?? ''}\n`
}

/** The findings as a table, at most MAX_ROWS rows; `more` says where the rest are. */
function findingsTable(findings: readonly Finding[], more: string): Part {
  if (!findings.length) return { lines: [] }
  const lines = ['<table><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th><th>Fix</th></tr>']
  for (const f of findings.slice(0, MAX_ROWS)) {
    const severity = f.allowed !== undefined ? `${f.severity} (allowed: ${escapeHtml(f.allowed)})` : f.severity
    lines.push(
      `<tr><td>${severity}</td><td><code>${escapeHtml(f.rule)}</code></td><td><code>${escapeHtml(formatLocation(f))}</code></td><td>${escapeHtml(f.message)}</td><td>${escapeHtml(f.hint ?? '')}</td></tr>`
    )
  }
  lines.push('</table>')
  if (findings.length > MAX_ROWS) lines.push('', `…and ${findings.length - MAX_ROWS} more findings; ${more}.`)
  return { lines, dropNote: `_The findings table is too large for a job summary; ${more}._` }
}

/** A table of plain rows (cells already escaped), at most MAX_ROWS of them. */
function table(headings: readonly string[], rows: readonly string[][], more: string): Part {
  if (!rows.length) return { lines: [] }
  const lines = [`<table><tr>${headings.map((h) => `<th>${h}</th>`).join('')}</tr>`]
  for (const cells of rows.slice(0, MAX_ROWS)) lines.push(`<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`)
  lines.push('</table>', '')
  if (rows.length > MAX_ROWS) lines.splice(lines.length - 1, 0, '', `…and ${rows.length - MAX_ROWS} more; ${more}.`)
  return { lines, dropNote: `_The table is too large for a job summary; ${more}._\n` }
}

/** A checking action's review (validate-manifest, safety-scan, version-bump-check, the root review). */
export function renderReviewSummary(title: string, review: Review): string {
  const c = review.counts
  const verdict = review.verdict === 'pass' ? '✅ pass' : '❌ fail'
  const more = 'see the JSON report'
  return fit([
    {
      lines: [
        `## ${escapeHtml(title)}: ${verdict}`,
        '',
        `${review.packages.length} package(s) checked: **${c.error}** error(s), **${c.warning}** warning(s), **${c.notice}** notice(s).`,
        ''
      ]
    },
    table(
      ['Package', 'Version', 'Change', 'Result'],
      review.packages.map((p) => [
        `<code>${escapeHtml(p.id)}</code>`,
        escapeHtml(p.version ?? ''),
        escapeHtml(p.status),
        p.verdict === 'pass' ? '✅' : '❌'
      ]),
      more
    ),
    findingsTable(review.findings, more)
  ])
}

/** build-registry: what changed, then every finding. */
export function renderBuildSummary(result: BuildResult, applied: AppliedOutputs | undefined): string {
  const c = countFindings(result.findings)
  const status = result.refused ? '❌ refused' : c.error ? '⚠️ published with errors' : '✅ published'
  const how = escapeHtml(buildHow(result))
  const version = (id: string) => result.registry?.packages.find((p) => `${p.publisher}/${p.name}` === id)?.version ?? ''
  const row = (id: string, change: string, v: string) => [`<code>${escapeHtml(id)}</code>`, change, escapeHtml(v)]
  const more = 'run `marketplace-actions build --json` for the details'
  return fit([
    {
      lines: [
        `## Registry build: ${status}`,
        '',
        `${escapeHtml(summaryLine(result, applied))}. Commit \`${result.head.slice(0, 12)}\`, ${how}; ${result.packageCount} package(s) in the registry.`,
        ''
      ]
    },
    table(
      ['Package', 'Change', 'Version'],
      [
        ...result.added.map((l) => row(l.id, 'added', l.version ?? '')),
        ...result.updated.map((l) => row(l.id, 'updated', `${l.previousVersion ?? ''} → ${l.version ?? ''}`)),
        ...result.removed.map((l) => row(l.id, 'removed', l.previousVersion ?? '')),
        ...result.withheld.map((id) => row(id, 'kept at last good version', version(id)))
      ],
      more
    ),
    findingsTable(result.findings, more)
  ])
}

/** aggregate-scores: the run's text report (package ids are schema-checked; the text is fenced). */
export function renderScoresSummary(text: string): string {
  // A fence longer than any run of backticks in the text, so the text cannot close it.
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)))
  return fit([
    { lines: ['## Package scores', ''] },
    { lines: [fence, text.trimEnd(), fence], dropNote: '_The scores are too many for a job summary; see scores.json._' }
  ])
}
