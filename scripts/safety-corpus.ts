// `npm run corpus:safety`: runs the safety regression corpus (test/fixtures/safety-corpus) through
// the review and prints, per case, what the review did with it, then precision and recall.
//
//   honest  ok    claude-code-keys
//   honest  FAIL  azure-identity-python   secret/generic …/SKILL.md:14
//   hostile ok    eval-alias              code/dynamic-code
//   hostile MISS  eval-comma              wanted code/dynamic-code (error); got: code/process-spawn (warning)
//
// Precision: of the packages the review blocks, the share that are hostile. Recall: of the hostile
// cases, the share their named rule reports at its severity. `--only honest|hostile` limits the
// run; `--json <file>` writes every case's findings for comparison between two runs.
import { writeFileSync } from 'node:fs'
import { listCases, runCase, summarise, type CaseResult, type Side } from '../test/helpers/safety-corpus.js'

const args = process.argv.slice(2)
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] as Side) : undefined
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined

const results: CaseResult[] = []
for (const side of ['honest', 'hostile'] as const) {
  if (only && only !== side) continue
  for (const name of listCases(side)) {
    const r = await runCase(side, name)
    results.push(r)
    const label = side === 'honest' ? (r.ok ? 'ok  ' : 'FAIL') : r.ok ? 'ok  ' : 'MISS'
    let detail = ''
    if (side === 'honest' && !r.ok) detail = r.errors.join('; ')
    if (side === 'hostile') {
      const got = [...new Set(r.findings.map((f) => `${f.rule} (${f.severity})`))].join(', ') || 'nothing'
      detail = r.ok
        ? `${r.expect.rule}`
        : `wanted ${r.expect.rule} (${r.expect.severity ?? 'error'}${r.expect.max ? `, max ${JSON.stringify(r.expect.max)}` : ''}); got: ${got}`
    }
    console.log(`${side.padEnd(7)} ${label}  ${name.padEnd(34)} ${detail}`)
  }
}

const s = summarise(results)
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
console.log('')
if (s.hostile) {
  console.log('attack family        caught')
  for (const [family, f] of Object.entries(s.byFamily).sort()) console.log(`${family.padEnd(20)} ${f.caught}/${f.total}`)
  console.log('')
}
console.log(`honest packages blocked: ${s.honestBlocked}/${s.honest}${s.honest ? ` (${pct(s.honestBlocked / s.honest)})` : ''}`)
console.log(`hostile cases caught by their rule: ${s.hostileCaught}/${s.hostile}; failed by any rule: ${s.hostileBlocked}/${s.hostile}`)
console.log(`precision ${pct(s.precision)}  recall ${pct(s.recall)}`)
if (jsonOut) {
  writeFileSync(
    jsonOut,
    `${JSON.stringify(
      results.map((r) => ({
        side: r.side,
        name: r.name,
        ok: r.ok,
        errors: r.errors,
        rules: r.findings.map((f) => `${f.rule}:${f.severity}`)
      })),
      null,
      2
    )}\n`
  )
}
