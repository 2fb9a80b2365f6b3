// formatText as it was before it stopped making an array per package (src/report/text.ts): every
// package and every finding's package a group, all the keys sorted. Kept as the reference the fast
// version is held to (test/report-text-fast.test.ts).
import type { Review } from '../../src/core/review/review.js'
import type { Finding } from '../../src/core/findings/findings.js'
import { findingLines, painter, type TextOptions } from '../../src/report/text.js'
import { plain } from '../../src/report/plain.js'

export function referenceFormatText(review: Review, options: TextOptions): string {
  const paint = painter(options)
  const lines: string[] = []

  // Maps, not searches: a review of 10,000 packages spent half a second here finding each one.
  const groups = new Map<string, Finding[]>()
  const byId = new Map(review.packages.map((p) => [p.id, p]))
  for (const p of review.packages) groups.set(p.id, [])
  for (const f of review.findings) {
    const key = f.package ?? ''
    const group = groups.get(key)
    if (group) group.push(f)
    else groups.set(key, [f])
  }

  const ordered = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0))
  for (const key of ordered) {
    const findings = groups.get(key) ?? []
    const pkg = byId.get(key)
    if (key === '') {
      if (!findings.length) continue
      lines.push(paint('bold', 'marketplace'))
    } else {
      const verdict = pkg?.verdict === 'fail' ? paint('red', 'fail') : paint('green', 'pass')
      const details = [pkg?.version, pkg?.status && pkg.status !== 'checked' ? pkg.status : undefined].filter(Boolean).join(', ')
      lines.push(`${paint('bold', plain(key))} ${verdict}${details ? paint('dim', ` (${plain(details)})`) : ''}`)
    }
    for (const f of findings) lines.push(...findingLines(f, options))
  }

  const c = review.counts
  const total = review.packages.length
  const summary = `${total} package${total === 1 ? '' : 's'} checked: ${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}`
  lines.push('', `${review.verdict === 'pass' ? paint('green', 'PASS') : paint('red', 'FAIL')} ${summary}`)
  return `${lines.join('\n')}\n`
}
