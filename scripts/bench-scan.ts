// `npm run bench:scan`: `marketplace-actions scan` against secretlint's CLI, each a whole process
// on the same tree, in the same run.
//
//   BENCH_SCAN_MB=50 BENCH_RUNS=3 npm run bench:scan
//
// The tree is BENCH_SCAN_MB megabytes of realistic packages from scripts/bench-packages.ts (a
// couple of KB of SKILL.md prose each, a tool script in a third), written to a temp directory with
// a .secretlintrc.json that enables @secretlint/secretlint-rule-preset-recommend. secretlint 13
// (the devDependency) runs as its CLI does with `secretlint "**/*"` in that directory; ours is
// dist/cli/index.js `scan --root <dir>` (rebuilt first when stale), which runs every safety family
// (links, sizes, content types, hidden Unicode, secrets, injection, dangerous code, MCP configs),
// not only secrets. The two alternate, BENCH_RUNS times each, timed by GNU time: wall, CPU
// (user + sys) and peak RSS, medians. Then, in this process, the cost of each family of ours on
// the same files (each family's functions timed over every file, median of BENCH_RUNS), so the
// price of each is visible. BENCH_BASELINE=<another checkout> adds its dist/cli/index.js as a
// third command, run after ours in odd runs and before it in even ones. BENCH_SCAN_TREE=<dir> keeps the tree there and uses it again in the next run
// (the same size gives the same bytes; a tree of another size is written afresh). The figures go
// to the "Safety scan against secretlint's CLI" section of docs/benchmarks.md.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { median, writeBenchmarkSection } from './bench-common.js'
import { currentCli, loadAverage } from './bench-process.js'
import { generatePackage, writePackages } from './bench-packages.js'
import { scanFamilies } from './bench-scan-families.js'

const TARGET_MB = Number(process.env.BENCH_SCAN_MB ?? 50)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BASELINE = process.env.BENCH_BASELINE
const HEADING = "## Safety scan against secretlint's CLI"

interface Sample {
  wall: number
  cpu: number
  user: number
  sys: number
  rssMb: number
}
interface Row {
  what: string
  samples: Sample[]
  load: string[]
  /** The command's last line of output (our summary: packages checked, errors). */
  summary?: string
}

/** One whole process under GNU time: wall, user and sys seconds, peak RSS. */
function timed(args: string[], cwd: string, okStatus: readonly number[]): Sample & { summary: string; digest: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-bench-scan-time-'))
  try {
    const timeFile = path.join(dir, 'time')
    const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, ...args], { cwd, maxBuffer: 1 << 30 })
    if (!okStatus.includes(r.status ?? -1))
      throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stdout.toString().slice(-1500)}${r.stderr.toString().slice(-1500)}`)
    const [wall = NaN, user = NaN, sys = NaN, kb = NaN] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '')
      .split(' ')
      .map(Number)
    const summary = r.stdout.toString().trim().split('\n').pop() ?? ''
    return { wall, user, sys, cpu: user + sys, rssMb: kb / 1024, summary, digest: createHash('sha256').update(r.stdout).digest('hex') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const KEPT = process.env.BENCH_SCAN_TREE
/** Written last into a kept tree: the size it was made for and what it holds. */
const TREE_STAMP = '.bench-scan-tree.json'

const root = KEPT ? path.resolve(KEPT) : mkdtempSync(path.join(tmpdir(), 'mpa-bench-scan-'))
try {
  // ---- the tree ---------------------------------------------------------------------------------
  let packages = 0
  let bytes = 0
  const stamp = path.join(root, TREE_STAMP)
  const kept =
    KEPT && existsSync(stamp) ? (JSON.parse(readFileSync(stamp, 'utf8')) as { mb: number; packages: number; bytes: number }) : undefined
  if (kept && kept.mb === TARGET_MB) {
    ;({ packages, bytes } = kept)
  } else {
    if (KEPT) {
      rmSync(root, { recursive: true, force: true })
      mkdirSync(root, { recursive: true })
    }
    const batch = 1000
    while (bytes < TARGET_MB * 1e6) {
      // Whole batches, then single packages near the target: the same size gives the same tree.
      const step = bytes + batch * 3000 < TARGET_MB * 1e6 ? batch : 1
      bytes += writePackages(root, packages, packages + step)
      packages += step
    }
  }
  const files = Array.from({ length: packages }, (_, i) => Object.keys(generatePackage(i).files).length).reduce((a, b) => a + b, 0)
  writeFileSync(path.join(root, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }))
  if (KEPT) writeFileSync(stamp, JSON.stringify({ mb: TARGET_MB, packages, bytes }))
  const mb = bytes / 1e6
  console.log(`${packages} packages, ${files} package files, ${mb.toFixed(1)} MB (profiles aside), in ${root}`)

  // ---- whole processes, alternating -------------------------------------------------------------
  const cli = await currentCli()
  const secretlintBin = path.join(process.cwd(), 'node_modules', 'secretlint', 'bin', 'secretlint.js')
  const commands: { what: string; args: string[]; ok: number[] }[] = [
    { what: 'secretlint "**/*" (recommended preset)', args: [secretlintBin, '**/*'], ok: [0] },
    // 1: random prose now and then says something like "never tell user" (injection/concealment);
    // both bundles report the same, and the summary line is printed with the figures.
    { what: 'marketplace-actions scan (every family)', args: [cli, 'scan', '--root', root, '--no-color'], ok: [0, 1] }
  ]
  if (BASELINE)
    commands.push({
      what: `baseline scan (${BASELINE})`,
      args: [path.join(BASELINE, 'dist', 'cli', 'index.js'), 'scan', '--root', root, '--no-color'],
      ok: [0, 1]
    })
  const rows: Row[] = commands.map((c) => ({ what: c.what, samples: [], load: [] }))
  for (let run = 0; run < RUNS; run++) {
    const reports = new Set<string>()
    // This branch and the baseline swap places every other run: on a loaded machine the second of
    // two back-to-back commands tends to run faster, and a fixed order made identical bundles 1.05×.
    const order = [...commands.entries()]
    if (run % 2 === 1 && order.length === 3) order.push(...order.splice(1, 1))
    for (const [i, c] of order) {
      const row = rows[i] as Row
      row.load.push(loadAverage().split(',')[0] as string)
      const s = timed(c.args, root, c.ok)
      row.samples.push(s)
      row.summary = s.summary
      if (i > 0) reports.add(s.digest)
      console.log(
        `run ${run + 1} ${c.what}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s CPU, ${s.rssMb.toFixed(0)} MB (load ${row.load.at(-1)})`
      )
    }
    // This branch's report and the baseline's must be the same bytes, run after run.
    if (reports.size > 1) throw new Error(`run ${run + 1}: the scan's report differs from the baseline's`)
  }
  const med = (row: Row, key: keyof Sample) => median(row.samples.map((s) => s[key]))
  const secretlintRow = rows[0] as Row
  const ratio = (key: keyof Sample, row: Row) => (med(secretlintRow, key) / med(row, key)).toFixed(2)

  // Ours against the baseline run by run (each pair back to back, so under the same load): the
  // ratio that says whether a change helped on a shared machine, where one command's CPU time
  // moves by a tenth from run to run.
  const baselineRow = BASELINE ? rows[2] : undefined
  const pairs = baselineRow
    ? (['cpu', 'wall'] as const).map((key) => {
        const ratios = (rows[1] as Row).samples.map((s, i) => s[key] / ((baselineRow.samples[i] as Sample)[key] || NaN))
        const lower = ratios.filter((r) => r < 1).length
        return `${key === 'cpu' ? 'CPU' : 'wall'} ${median(ratios).toFixed(2)}× the baseline's (median of ${ratios.length} back-to-back pairs; lower in ${lower})`
      })
    : []
  const pairLine = pairs.length ? `\nThis branch against the baseline, pair by pair: ${pairs.join('; ')}.\n` : ''
  if (pairs.length) console.log(pairLine.trim())

  // ---- per family, in this process ---------------------------------------------------------------
  const families = await scanFamilies(root, RUNS)
  const familyTotal = families.reduce((n, f) => n + f.ms, 0)

  const table = [
    '| command (whole process, same tree) | wall | CPU (user + sys) | peak RSS | secretlint ÷ this, wall | secretlint ÷ this, CPU | load (1 min) during runs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${med(r, 'wall').toFixed(2)} s | ${med(r, 'cpu').toFixed(2)} s (${med(r, 'user').toFixed(2)} + ${med(r, 'sys').toFixed(2)}) | ${med(r, 'rssMb').toFixed(0)} MB | ${ratio('wall', r)}× | ${ratio('cpu', r)}× | ${r.load.join(', ')} |`
    )
  ].join('\n')
  const summaries = rows
    .filter((r) => r.summary)
    .map((r) => `- ${r.what}: \`${r.summary}\``)
    .join('\n')
  const familyTable = [
    '| family (in process, same files) | CPU time | share | MB/s |',
    '| --- | ---: | ---: | ---: |',
    ...families.map(
      (f) => `| ${f.name} | ${f.ms.toFixed(0)} ms | ${((100 * f.ms) / familyTotal).toFixed(1)} % | ${(mb / (f.ms / 1000)).toFixed(0)} |`
    ),
    `| all of the above | ${familyTotal.toFixed(0)} ms | 100 % | ${(mb / (familyTotal / 1000)).toFixed(0)} |`
  ].join('\n')
  const today = new Date().toISOString().slice(0, 10)
  const section = `${HEADING}

Measured by \`npm run bench:scan\` (scripts/bench-scan.ts) on ${today}, Node ${process.version}, median of ${RUNS}
alternating runs (this bundle and the baseline's swap places every other run), load average ${loadAverage()} at the end (2 shared cores: read the ratios, taken in one run,
and CPU time). The tree: ${packages.toLocaleString('en')} packages from scripts/bench-packages.ts
(${files.toLocaleString('en')} files, ${mb.toFixed(1)} MB) in a directory, with a \`.secretlintrc.json\` enabling
\`@secretlint/secretlint-rule-preset-recommend\`. secretlint 13 runs as \`secretlint "**/*"\` in that
directory and looks for secrets only; \`marketplace-actions scan --root <dir>\` (dist/cli/index.js) runs every
safety family: names, links, sizes and content types, hidden Unicode and mixed scripts, secrets, references,
prompt injection, dangerous code, install hooks and MCP configs, on every core (worker threads; \`--threads 1\`
for one). Rerun on a quiet machine with
\`BENCH_SCAN_MB=${TARGET_MB} BENCH_RUNS=${RUNS}${BASELINE ? ' BENCH_BASELINE=<a worktree of main>' : ''} BENCH_SCAN_TREE=/tmp/mpa-scan-tree npm run bench:scan\`.

${table}
${pairLine}
What each command printed last (the random prose of a few packages happens to say "never tell user",
which injection/concealment reports; secretlint prints nothing when it finds nothing):
${summaries}

What each family of ours costs, in one process over the same files already in memory (the CPU time
of each family's functions over every file, median of ${RUNS} after a warm-up pass; process start,
listing and reading are in the whole-process figures above, not here; each family here reads a file
for its anchors itself, where the scan reads it once for all of them):

${familyTable}
`
  console.log(`\n${table}\n\n${familyTable}`)
  writeBenchmarkSection(HEADING, section + (readSinks() ?? ''))
  console.log('written to docs/benchmarks.md')
} finally {
  if (!KEPT) rmSync(root, { recursive: true, force: true })
}

/** The hand-written part of the section (profile and what was done), kept across runs. */
function readSinks(): string | undefined {
  try {
    const doc = readFileSync(path.join(process.cwd(), 'docs', 'benchmarks.md'), 'utf8')
    const start = doc.indexOf(HEADING)
    if (start < 0) return undefined
    const end = doc.indexOf('\n## ', start + 1)
    const body = doc.slice(start, end < 0 ? undefined : end + 1)
    const at = body.indexOf('\nWhere the time went')
    return at < 0 ? undefined : body.slice(at)
  } catch {
    return undefined
  }
}
