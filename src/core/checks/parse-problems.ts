// Parse problems (YAML/JSON syntax, duplicate keys, alias bombs, custom tags) become findings in
// one place, so every check that parses a file reports them the same way.
import type { ParseProblem } from '../parse/located.js'
import { finding, type Finding, type Location } from '../findings/findings.js'

export function problemsToFindings(problems: readonly ParseProblem[], at: Pick<Location, 'package' | 'file'>): Finding[] {
  // A parser that recovers may report one mistake several times at the same spot (jsonc-parser
  // reports a trailing comma as both "property name expected" and "value expected"); the first
  // says it, the rest are noise.
  const seen = new Set<string>()
  const out: Finding[] = []
  for (const p of problems) {
    const key = `${p.rule}:${p.position.line}:${p.position.column}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(finding(p.rule, { ...at, ...p.position }, p.message, p.hint))
  }
  return out
}
