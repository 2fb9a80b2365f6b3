// What a registry build did, for people: one line for the commit message, text for a terminal,
// and a JSON summary (`--json`). The build's job summary is in job-summary.ts, with the others.
import type { BuildResult, ChangeLine } from '../core/registry/build/build.js'
import type { AppliedOutputs } from '../io/registry-output.js'
import { countFindings } from '../core/findings/findings.js'
import { plain } from './plain.js'
import { findingLines, painter } from './text.js'

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
    packages: result.packageCount,
    packages_read: result.packagesRead,
    written: applied?.written ?? [],
    deleted: applied?.deleted ?? [],
    findings: result.findings,
    counts: countFindings(result.findings)
  }
}

export function formatBuildText(result: BuildResult, applied: AppliedOutputs | undefined, options: { color: boolean }): string {
  const paint = painter(options)
  const how = buildHow(result)
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
      `${result.packageCount} package(s) published; ${applied?.written.length ?? 0} file(s) written, ${applied?.deleted.length ?? 0} deleted`
    )
  }
  return `${lines.join('\n')}\n`
}

export { idsOf }

/** How the build went about it, in a few words: why it was full, or how little it read. */
export function buildHow(result: BuildResult): string {
  if (result.mode === 'full') return `full build: ${result.reason}`
  if (result.mode === 'unchanged') return 'unchanged: no package, profile or config changed since the last build; nothing read'
  return `incremental: ${result.packagesRead} package(s) read`
}
