// Findings as workflow annotations on the file and line they are about.
import * as core from '@actions/core'
import type { Finding } from '../../core/findings/findings.js'

/** GitHub shows at most 10 annotations of a kind per step; more only cost time. */
export function annotate(findings: readonly Finding[], limit: number): number {
  let shown = 0
  for (const f of findings) {
    if (f.allowed !== undefined) continue
    if (shown >= limit) break
    const props: core.AnnotationProperties = { title: `${f.rule}${f.package ? ` (${f.package})` : ''}` }
    if (f.file) props.file = f.file
    if (f.line) {
      props.startLine = f.line
      props.endLine = f.end_line ?? f.line
      // Columns only apply to single-line annotations.
      if (props.endLine === f.line) {
        props.startColumn = f.column
        if (f.end_column !== undefined) props.endColumn = f.end_column
      }
    }
    const text = f.hint ? `${f.message}\nFix: ${f.hint}` : f.message
    if (f.severity === 'error') core.error(text, props)
    else if (f.severity === 'warning') core.warning(text, props)
    else core.notice(text, props)
    shown++
  }
  return shown
}
