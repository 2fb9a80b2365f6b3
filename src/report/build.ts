// What a registry build did, for people: one line for the commit message, text for a terminal,
// a job summary, and a JSON summary (`--json`). Package ids and messages come from pull requests,
// so the markdown is escaped like every other GitHub-rendered report.
import type { BuildResult, ChangeLine } from '../core/registry/build/build.js'
import type { AppliedOutputs } from '../io/registry-output.js'
import { countFindings } from '../core/findings/findings.js'
import { escapeHtml } from './html.js'
import { plain } from './plain.js'
import { findingLines, painter } from './text.js'
import { formatLocation } from './location.js'

const LISTED = 5

function list(lines: readonly ChangeLine[], show: (l: ChangeLine) => string): string {
  const shown = lines.slice(0, LISTED).map(show).join(', ')
  return lines.length > LISTED ? `${shown} and ${lines.length - LISTED} more` : shown
}

/** One line, usable as the commit message of the files the build wrote. */
export function summaryLine(result: BuildResult, applied?: AppliedOutputs): string {
  if (result.refused) return `Registry: refused to remove ${result.refused.removed} of ${result.refused.previous} packages`
  const parts: string[] = []
  if (result.added.length) parts.push(`add ${list(result.added, (l) => `${l.id}@${l.version}`)}`)
  if (result.updated.length) parts.push(`update ${list(result.updated, (l) => `${l.id}@${l.version}`)}`)
  if (result.removed.length) parts.push(`remove ${list(result.removed, (l) => l.id)}`)
  if (parts.length) return `Registry: ${parts.join('; ')}`
  const changed = applied ? applied.written.length + applied.deleted.length > 0 : true
  return changed ? 'Registry: rebuild the indexes (no package changed)' : 'Registry: no changes'
}

const idsOf = (lines: readonly ChangeLine[]) => lines.map((l) => l.id)

export function buildJson(result: BuildResult, applied: AppliedOutputs | undefined) {
  return {
    head: result.head,
    mode: result.mode,
    reason: result.reason,
    refused: result.refused ?? null,
    summary: summaryLine(result, applied),
    added: result.added,
    updated: result.updated,
    removed: result.removed,
    withheld: result.withheld,
    packages: result.registry.packages.length,
    packages_read: result.packagesRead,
    written: applied?.written ?? [],
    deleted: applied?.deleted ?? [],
    findings: result.findings,
    counts: countFindings(result.findings)
  }
}

export function formatBuildText(result: BuildResult, applied: AppliedOutputs | undefined, options: { color: boolean }): string {
  const paint = painter(options)
  const how = result.mode === 'full' ? `full build: ${result.reason}` : `incremental: ${result.packagesRead} package(s) read`
  const lines = [`${paint('bold', `build ${result.head.slice(0, 12)}`)} ${paint('dim', `(${how})`)}`]
  for (const l of result.added) lines.push(`  ${paint('green', '+')} ${plain(l.id)} ${plain(l.version ?? '')}`)
  for (const l of result.updated)
    lines.push(`  ${paint('yellow', '~')} ${plain(l.id)} ${plain(l.previousVersion ?? '')} -> ${plain(l.version ?? '')}`)
  for (const l of result.removed) lines.push(`  ${paint('red', '-')} ${plain(l.id)} ${plain(l.previousVersion ?? '')}`)
  for (const id of result.withheld) lines.push(`  ${paint('red', '!')} ${plain(id)} kept at its last good version`)
  for (const f of result.findings) lines.push(...findingLines(f, options))
  lines.push('')
  if (result.refused) {
    lines.push(
      paint('red', `REFUSED: nothing written. ${result.findings.find((f) => f.rule === 'registry/too-many-removed')?.message ?? ''}`)
    )
    lines.push('Run again with --force if the removals are intended.')
  } else {
    lines.push(`${summaryLine(result, applied)}`)
    lines.push(
      `${result.registry.packages.length} package(s) published; ${applied?.written.length ?? 0} file(s) written, ${applied?.deleted.length ?? 0} deleted`
    )
  }
  return `${lines.join('\n')}\n`
}

const MAX_ROWS = 300
const MAX_SUMMARY_BYTES = 900 * 1024

/** The job summary: what changed, then every finding. */
export function renderBuildSummary(result: BuildResult, applied: AppliedOutputs | undefined): string {
  const c = countFindings(result.findings)
  const status = result.refused ? '❌ refused' : c.error ? '⚠️ published with errors' : '✅ published'
  const out = [
    `## Registry build: ${status}`,
    '',
    `${escapeHtml(summaryLine(result, applied))}. Commit \`${result.head.slice(0, 12)}\`, ${result.mode === 'full' ? `full build (${escapeHtml(result.reason)})` : `incremental (${result.packagesRead} package(s) read)`}; ${result.registry.packages.length} package(s) in the registry.`,
    ''
  ]
  const rows: string[] = []
  const row = (id: string, change: string, version: string) =>
    rows.push(`<tr><td><code>${escapeHtml(id)}</code></td><td>${change}</td><td>${escapeHtml(version)}</td></tr>`)
  for (const l of result.added) row(l.id, 'added', l.version ?? '')
  for (const l of result.updated) row(l.id, 'updated', `${l.previousVersion ?? ''} → ${l.version ?? ''}`)
  for (const l of result.removed) row(l.id, 'removed', l.previousVersion ?? '')
  for (const id of result.withheld)
    row(id, 'kept at last good version', result.registry.packages.find((p) => `${p.publisher}/${p.name}` === id)?.version ?? '')
  if (rows.length) out.push('<table><tr><th>Package</th><th>Change</th><th>Version</th></tr>', ...rows.slice(0, MAX_ROWS), '</table>', '')
  if (result.findings.length) {
    out.push('<table><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th><th>Fix</th></tr>')
    for (const f of result.findings.slice(0, MAX_ROWS)) {
      const where = formatLocation(f)
      out.push(
        `<tr><td>${f.severity}</td><td><code>${escapeHtml(f.rule)}</code></td><td><code>${escapeHtml(where)}</code></td><td>${escapeHtml(f.message)}</td><td>${escapeHtml(f.hint ?? '')}</td></tr>`
      )
    }
    out.push('</table>')
    if (result.findings.length > MAX_ROWS) out.push('', `…and ${result.findings.length - MAX_ROWS} more findings.`)
  }
  const text = `${out.join('\n')}\n`
  return Buffer.byteLength(text) <= MAX_SUMMARY_BYTES
    ? text
    : `${out.slice(0, 4).join('\n')}\n_The tables are too large for a job summary; run \`marketplace-actions build --json\` for the details._\n`
}

export { idsOf }
