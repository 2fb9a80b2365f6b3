// `file:line:column`, the one way every reporter (terminal, job summary, PR comment, build
// report) shows where a finding is. The file name comes from the pull request, so it is shown
// through plain(): no raw control character or newline, whatever the name holds.
import type { Finding } from '../core/findings/findings.js'
import { plain } from './plain.js'

/** `file:line:column` (the column defaults to 1), `file` without a line, '' without a file. */
export function formatLocation(at: Pick<Finding, 'file' | 'line' | 'column'>): string {
  if (!at.file) return ''
  return `${plain(at.file)}${at.line ? `:${at.line}:${at.column ?? 1}` : ''}`
}
