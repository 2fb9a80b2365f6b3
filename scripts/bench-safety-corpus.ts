// `npm run bench:safety-corpus`: the safety scan on the regression corpus (test/fixtures/
// safety-corpus), as the whole `scan` command in a process, before and after a change.
//
//   BEFORE_DIST=/path/to/old/dist npm run bench:safety-corpus
//
// 1. Precision and recall: every corpus case reviewed as in test/safety-corpus.test.ts.
// 2. Throughput: one marketplace holding every honest and hostile package COPIES times (plus the
//    older honest fixtures), scanned by `node <dist>/cli/index.js scan --root <dir>` for the
//    current bundle (dist/, run `npm run bundle` first) and, when BEFORE_DIST names one, an
//    earlier bundle, alternately, RUNS times each; the median wall time per MB of package files.
//    The two are compared as a ratio within one run (the machine is shared).
// The figures go to the "Safety corpus" section of docs/benchmarks.md.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { median, writeBenchmarkSection } from './bench-common.js'
import { CORPUS_ROOT, listCases, runCase, summarise, type CaseResult } from '../test/helpers/safety-corpus.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const COPIES = Number(process.env.BENCH_COPIES ?? 12)
const BEFORE = process.env.BEFORE_DIST
const AFTER = path.resolve('dist')

// ---- 1. precision and recall --------------------------------------------------------------------
const results: CaseResult[] = []
for (const side of ['honest', 'hostile'] as const) for (const name of listCases(side)) results.push(await runCase(side, name))
const s = summarise(results)
const pct = (x: number) => `${(100 * x).toFixed(1)} %`

// ---- 2. throughput ------------------------------------------------------------------------------
const root = mkdtempSync(path.join(tmpdir(), 'mpa-bench-corpus-'))
let bytes = 0
let packages = 0
const sizeOf = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? sizeOf(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
    0
  )
try {
  for (let copy = 0; copy < COPIES; copy++) {
    const login = `bench${copy}`
    mkdirSync(path.join(root, 'publishers', login), { recursive: true })
    writeFileSync(path.join(root, 'publishers', login, 'profile.json'), JSON.stringify({ name: login, login }))
    for (const side of ['honest', 'hostile'] as const) {
      for (const name of listCases(side)) {
        const src = path.join(CORPUS_ROOT, side, name, 'package')
        const dest = path.join(root, 'publishers', login, name)
        cpSync(src, dest, { recursive: true })
        bytes += sizeOf(src)
        packages++
      }
    }
  }
  const mb = bytes / 1e6
  const time = (dist: string): number => {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, [path.join(dist, 'cli', 'index.js'), 'scan', '--root', root, '--no-color'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024
    })
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (r.status !== 0 && r.status !== 1) throw new Error(`scan failed (${r.status}): ${r.stderr}`)
    return ms
  }
  const after: number[] = []
  const before: number[] = []
  time(AFTER) // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    after.push(time(AFTER))
    if (BEFORE) before.push(time(BEFORE))
  }
  const msPerMb = (ms: number[]) => median(ms) / mb
  const today = new Date().toISOString().slice(0, 10)
  const familyRows = Object.entries(s.byFamily)
    .sort()
    .map(([family, f]) => `| ${family} | ${f.caught}/${f.total} |`)
    .join('\n')
  const throughput = BEFORE
    ? `| bundle | median wall time | per MB | MB/s |
| --- | ---: | ---: | ---: |
| before (\`${process.env.BEFORE_LABEL ?? BEFORE}\`) | ${median(before).toFixed(0)} ms | ${msPerMb(before).toFixed(0)} ms | ${(mb / (median(before) / 1000)).toFixed(2)} |
| after (dist/) | ${median(after).toFixed(0)} ms | ${msPerMb(after).toFixed(0)} ms | ${(mb / (median(after) / 1000)).toFixed(2)} |

Per-MB cost after / before: **${(msPerMb(after) / msPerMb(before)).toFixed(2)}×** (the issue allows at most 1.5×).`
    : `| bundle | median wall time | per MB |
| --- | ---: | ---: |
| dist/ | ${median(after).toFixed(0)} ms | ${msPerMb(after).toFixed(0)} ms |`
  const section = `## Safety corpus: precision, recall and throughput

Measured by \`npm run bench:safety-corpus\` (scripts/bench-safety-corpus.ts) on ${today}, Node ${process.version}.

The corpus is test/fixtures/safety-corpus: ${s.honest} honest packages in real-world shapes (vendor
SDK skills, security references, scientific skills, MCP servers and client configs) and ${s.hostile}
hostile ones, one attack class each (see its README). Each case is reviewed alone, as
test/safety-corpus.test.ts does.

| | |
| --- | ---: |
| honest packages blocked (any error) | ${s.honestBlocked}/${s.honest} (${pct(s.honestBlocked / Math.max(1, s.honest))}) |
| hostile cases reported by their rule | ${s.hostileCaught}/${s.hostile} |
| hostile cases failed by any rule | ${s.hostileBlocked}/${s.hostile} |
| precision (blocked packages that are hostile) | ${pct(s.precision)} |
| recall (hostile cases reported by their rule) | ${pct(s.recall)} |

| attack family | caught |
| --- | ---: |
${familyRows}

Throughput: the whole \`scan\` command as a process on one marketplace holding every corpus package
${COPIES} times (${packages} packages, ${mb.toFixed(2)} MB of package files), median of ${RUNS} runs,
the two bundles alternating in the same run.

${throughput}
`
  console.log(section)
  writeBenchmarkSection('## Safety corpus: precision, recall and throughput', section)
  console.log('written to docs/benchmarks.md')
} finally {
  rmSync(root, { recursive: true, force: true })
}
