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

type ReviewedPackage = Review['packages'][number]

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
  // Findings are grouped by package, packages are not: a whole-marketplace scan has ~16,000 packages
  // and a few findings, and an empty array per package (with a [key, value] pair per package for
  // the map by id) was most of the ≈ 0.1 s this took at the end of the run, on one thread.
  const groups = new Map<string, Finding[]>()
  for (const f of review.findings) {
    const key = f.package ?? ''
    const group = groups.get(key)
    if (group) group.push(f)
    else groups.set(key, [f])
  }
  const byId = new Map<string, ReviewedPackage>()
  for (const p of review.packages) byId.set(p.id, p)
  const ordered = [...byId.keys()]
  for (const key of groups.keys()) if (!byId.has(key)) ordered.push(key)
  // The review lists its packages sorted already: checked in one pass, sorted only when not.
  if (!ascending(ordered)) ordered.sort(byKey)

  for (const key of ordered) {
    const findings = groups.get(key)
    if (key === '') {
      if (!findings) continue
      lines.push(paint('bold', 'marketplace'))
    } else {
      const pkg = byId.get(key)
      const verdict = pkg?.verdict === 'fail' ? paint('red', 'fail') : paint('green', 'pass')
      const details = detailsOf(pkg)
      lines.push(`${paint('bold', plain(key))} ${verdict}${details ? paint('dim', ` (${plain(details)})`) : ''}`)
    }
    if (findings) for (const f of findings) lines.push(...findingLines(f, options))
  }

  const c = review.counts
  const total = review.packages.length
  const summary = `${total} package${total === 1 ? '' : 's'} checked: ${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}`
  lines.push('', `${review.verdict === 'pass' ? paint('green', 'PASS') : paint('red', 'FAIL')} ${summary}`)
  return `${lines.join('\n')}\n`
}

/** The marketplace's own findings ('') first, then packages by id. */
function byKey(a: string, b: string): number {
  return a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0
}

function ascending(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (byKey(keys[i - 1] as string, keys[i] as string) >= 0) return false
  return true
}

/** A package's version and, unless plainly checked, its status: "1.2.0, skipped". */
function detailsOf(pkg: ReviewedPackage | undefined): string {
  const version = pkg?.version
  const status = pkg?.status && pkg.status !== 'checked' ? pkg.status : undefined
  return version && status ? `${version}, ${status}` : version || status || ''
}
