// Human-readable review for a terminal: grouped by package, `file:line:column`, colour only
// when the caller says the output is a terminal.
import type { Review } from '../core/review/review.js'
import type { Finding } from '../core/findings/findings.js'
import { plain, plainLines } from './plain.js'
import { formatLocation } from './location.js'

export interface TextOptions {
  color: boolean
}

const CODES = { red: 31, yellow: 33, blue: 34, green: 32, dim: 2, bold: 1 } as const
type Style = keyof typeof CODES

const SEVERITY_STYLE: Record<Finding['severity'], Style> = { error: 'red', warning: 'yellow', notice: 'blue' }

export function painter(options: TextOptions): (style: Style, s: string) => string {
  return (style, s) => (options.color ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s)
}

/** One finding for a terminal (the review and the build report show findings alike). */
export function findingLines(f: Finding, options: TextOptions): string[] {
  const paint = painter(options)
  const tag = f.allowed !== undefined ? paint('dim', `${f.severity}, allowed`) : paint(SEVERITY_STYLE[f.severity], f.severity)
  const out = [`  ${formatLocation(f) || '(no file)'}  ${tag}  ${paint('dim', plain(f.rule))}`, `    ${plainLines(f.message, '    ')}`]
  if (f.hint) out.push(`    ${paint('dim', 'fix:')} ${plainLines(f.hint, '    ')}`)
  if (f.allowed !== undefined) out.push(`    ${paint('dim', 'allowed by the marketplace config:')} ${plainLines(f.allowed, '    ')}`)
  return out
}

export function formatText(review: Review, options: TextOptions): string {
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
