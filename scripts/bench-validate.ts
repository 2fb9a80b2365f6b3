// `npm run bench:validate`: `marketplace-actions validate` of BENCH_VALIDATE_SIZE packages
// against ajv-cli on the same manifests, each a whole process (start-up included), in the same
// run. ajv-cli only checks manifest.yaml against the schema; validate also parses and checks every
// profile, SKILL.md frontmatter and entrypoint, with located findings. Measured on a directory and
// on the same files as a git commit (`--head`, read from git objects). Prints the figures and the
// ratio ajv-cli ÷ validate, and writes them to docs/benchmarks.md.
//
// Environment:
//   BENCH_VALIDATE_SIZE  packages (default 10000)
//   BENCH_RUNS           rounds (default 3); each round runs every command once, one after the
//                        other, so load that comes and goes weighs on all of them alike
//   BENCH_BASELINE       another checkout: its dist/cli/index.js gets rows of its own
//   BENCH_BASELINE_GIT=0 leaves out the baseline's git row (an old git mode can take many minutes)
//   BENCH_GIT=0          leaves out the git rows altogether
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { median, writeBenchmarkSection } from './bench-common.js'
import { currentCli, loadAverage, runProcess } from './bench-process.js'
import { gitEnv, writePackages } from './bench-packages.js'

const SIZE = Number(process.env.BENCH_VALIDATE_SIZE ?? 10000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BASELINE = process.env.BENCH_BASELINE
const GIT = process.env.BENCH_GIT !== '0'
const BASELINE_GIT = GIT && process.env.BENCH_BASELINE_GIT !== '0'

interface Command {
  what: string
  args: string[]
}
interface Row {
  what: string
  ms: number
  cpuMs: number
  rssMb: number
  /** ajv-cli ÷ this, wall and CPU, medians of the per-round ratios. */
  wallRatio: number
  cpuRatio: number
}

function validateSection(measured: string, table: string, verdict: string): string {
  return `## Validate against ajv-cli

${measured} ajv-cli 5 checks each manifest.yaml against schemas/manifest.schema.json and nothing else; \`validate\` also
checks every profile.json, SKILL.md frontmatter and entrypoint, the layout and the names, and locates each finding.

${table}

${verdict}

${WHERE_THE_TIME_GOES}
`
}

// Kept here so that a rerun rewrites the figures and keeps the analysis (update it with the code).
const WHERE_THE_TIME_GOES = `Where the time went, and what was done about each. Second pass (\`node --cpu-prof --cpu-prof-interval 250\` on an
unminified bundle of the CLI, samples counted rather than timed because the load stretches the intervals; CPU per thread
from /proc/self/task at exit; \`strace -c -f\` on 1,000 packages):
- **System calls, a third of the main thread's samples** (readdir 13 %, read 10 %, open 8 %, close 3 %) and about 30 % of
  the CPU as sys time: 16.7 calls per package. Each read was open, fstat, read, close; now it is open, one bounded read
  into a reused 64 KiB buffer, close, and fstat only when that read comes back empty, full or failed, so a FIFO, a
  device, a folder or a file over the limit is refused with the same located error as before (the directory-snapshot,
  safety-bounds and validate tests are unchanged and green); folder listings take names as strings (raw bytes only for
  a folder with a name that is not UTF-8). Tried and dropped: lstat'ing a listed file only when its mode or size is read
  (getters on each entry) took 2.3 more calls per package away (12.2 left) and 2.0 s → 1.37 s of CPU for a warm pass in
  one process, but in a whole run it saved no measurable CPU and cost 33 MB of peak memory. About 14.5 calls per package
  remain; ajv-cli makes about 8.
- **Garbage collection, 14 % of the main thread**, and about 1 s of CPU in V8's background threads (parallel scavenges,
  concurrent compiles: four threads of 0.14-0.35 s each): 33 scavenges promoting 2-3 MB each (the results of 10,000
  packages and the report). Not changed.
- **Warm-up**: the first pass over 10,000 packages costs about 1 s of CPU more than a warm one (interpreted code, then
  compiles). A whole process pays it once; every thread pays it again.
- **The second core**: tried on the branch \`validate-speed\` (helper threads taking chunks of 128 packages, results in
  the selection's order) and not merged: on this shared machine each helper warmed up and collected on its own (about
  1.5-2.3 s more CPU at 10,000 packages) and the wall time did not drop; with \`--head\` it more than doubled the CPU
  (\`git cat-file\` already runs on another core). The safety scan's thread pool (src/core/checks/safety/threads.ts)
  is the one to reuse when validate tries the second core again, on a quiet machine.
- **Start-up**: compiling the loaded modules is 3-5 % of the samples; not changed here (the cold-start work of issue 15).

Not done: 5 of the calls per package list the package folder (open, fstat, two getdents, close). Opening manifest.yaml
and SKILL.md directly and listing only on a miss would save them, but on a case-insensitive file system (macOS) an open
of \`SKILL.md\` succeeds for \`skill.md\`, and the rule that reports it would go quiet; left alone.

First pass (previous session, same tools): directory reads on fs/promises (a thread-pool round trip each, 53 % idle) became
synchronous calls; \`git cat-file\` requests went 32 packages at a time; YAML located only for a finding; profile.json on a
\`JSON.parse\` fast path; the report and the review grouped by package instead of searching.

Profiling commands (from a checkout with the bundle built, on a marketplace made by scripts/bench-packages.ts):
\`node --cpu-prof --cpu-prof-interval 250 --cpu-prof-dir=prof dist/cli/index.js validate --root M --no-color\` (and \`--head HEAD\`),
\`strace -c -f node dist/cli/index.js validate --root M --no-color\`.`

const root = mkdtempSync(path.join(tmpdir(), 'mpa-bench-validate-'))

try {
  const bytes = writePackages(root, 0, SIZE)
  execFileSync('git', ['init', '-q', '-b', 'main', root], { env: gitEnv })
  execFileSync('git', ['-C', root, 'add', '-A'], { env: gitEnv })
  execFileSync('git', ['-C', root, 'commit', '-q', '-m', 'marketplace'], { env: gitEnv })
  console.log(`${SIZE} packages, ${(bytes / 1e6).toFixed(1)} MB of package files`)
  const cli = await currentCli()
  const ajv = path.join(process.cwd(), 'node_modules', 'ajv-cli', 'dist', 'index.js')
  const schema = path.join(process.cwd(), 'schemas', 'manifest.schema.json')
  const glob = 'publishers/*/*/manifest.yaml'
  const commands: Command[] = [
    {
      what: 'ajv-cli validate (manifest.yaml against the schema only)',
      args: [ajv, 'validate', '--spec=draft2020', '-c', 'ajv-formats', '--strict=false', '-s', schema, '-d', glob]
    },
    { what: 'marketplace-actions validate, directory (one thread per core)', args: [cli, 'validate', '--root', root, '--no-color'] },
    {
      what: 'marketplace-actions validate --threads 1, directory',
      args: [cli, 'validate', '--root', root, '--no-color', '--threads', '1']
    }
  ]
  if (GIT) {
    commands.push({
      what: 'marketplace-actions validate --head HEAD, git objects',
      args: [cli, 'validate', '--root', root, '--head', 'HEAD', '--no-color']
    })
  }
  if (BASELINE !== undefined) {
    const base = path.join(BASELINE, 'dist', 'cli', 'index.js')
    commands.push({ what: `baseline (${BASELINE}) validate, directory`, args: [base, 'validate', '--root', root, '--no-color'] })
    if (BASELINE_GIT) {
      commands.push({
        what: `baseline (${BASELINE}) validate --head HEAD`,
        args: [base, 'validate', '--root', root, '--head', 'HEAD', '--no-color']
      })
    }
  }

  const runs = commands.map(() => [] as { ms: number; cpuMs: number; rssMb: number }[])
  const loads: string[] = [loadAverage()]
  for (let round = 0; round < RUNS; round++) {
    commands.forEach((command, k) => {
      const r = runProcess(process.execPath, command.args, { cwd: root })
      if (r.status !== 0) throw new Error(`${command.what} exited ${r.status}: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`)
      runs[k]?.push({ ms: r.ms, cpuMs: r.cpuMs, rssMb: r.maxRssMb })
      console.log(`round ${round + 1}: ${command.what}: ${(r.ms / 1000).toFixed(2)} s wall, ${(r.cpuMs / 1000).toFixed(2)} s CPU`)
    })
    loads.push(loadAverage())
  }
  const ajvRuns = runs[0] ?? []
  const rows: Row[] = commands.map((command, k) => {
    const mine = runs[k] ?? []
    return {
      what: command.what,
      ms: median(mine.map((r) => r.ms)),
      cpuMs: median(mine.map((r) => r.cpuMs)),
      rssMb: Math.max(...mine.map((r) => r.rssMb)),
      wallRatio: median(mine.map((r, i) => (ajvRuns[i]?.ms ?? NaN) / r.ms)),
      cpuRatio: median(mine.map((r, i) => (ajvRuns[i]?.cpuMs ?? NaN) / r.cpuMs))
    }
  })

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const table = [
    '| command (whole process) | wall (median) | CPU user+sys (median) | peak RSS | ajv-cli ÷ this, wall | ajv-cli ÷ this, CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${s(r.ms)} | ${s(r.cpuMs)} | ${r.rssMb.toFixed(0)} MB | ${r.wallRatio.toFixed(2)}× | ${r.cpuRatio.toFixed(2)}× |`
    )
  ].join('\n')
  const command = [
    `BENCH_VALIDATE_SIZE=${SIZE}`,
    `BENCH_RUNS=${RUNS}`,
    ...(BASELINE === undefined ? [] : [`BENCH_BASELINE=${BASELINE}`]),
    ...(BASELINE !== undefined && !BASELINE_GIT && GIT ? ['BENCH_BASELINE_GIT=0'] : []),
    ...(GIT ? [] : ['BENCH_GIT=0']),
    'npm run bench:validate'
  ].join(' ')
  const measured = `Measured by \`${command}\` (scripts/bench-validate.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version},
${RUNS} rounds, each running every command once in turn; medians, and the ratios are medians of each round's ratio. Load
average (1, 5, 15 min) before and after each round: ${loads.join(' → ')} (2 cores). ${SIZE.toLocaleString('en')} packages from
scripts/bench-packages.ts (${(bytes / 1e6).toFixed(1)} MB of files), on disk and committed to git.`
  const x = (n: number) => `${n.toFixed(2)}×`
  const directory = rows[1] as Row
  const oneThread = rows[2] as Row
  const lines = [
    `**Goal (issue 15): ajv-cli ÷ validate ≥ 3 on the directory.** Here: ${x(directory.wallRatio)} wall, ${x(directory.cpuRatio)} CPU: ` +
      (directory.wallRatio >= 3 && directory.cpuRatio >= 3 ? 'met.' : '**not met**.'),
    `On one thread (\`--threads 1\`): ${x(oneThread.wallRatio)} wall, ${x(oneThread.cpuRatio)} CPU. The helper thread costs CPU of its own ` +
      `(its code loaded and warmed up again): it gains wall time only when a core is idle, so on a loaded machine the one-thread row can be as fast.`
  ]
  // Each baseline row against the row of this checkout in the same mode, round by round.
  const gitRow = commands.findIndex((c) => !c.what.startsWith('baseline') && c.args.includes('--head'))
  commands.forEach((command, k) => {
    if (!command.what.startsWith('baseline')) return
    const mode = command.args.includes('--head') ? gitRow : 1
    const ours = runs[mode] ?? []
    const base = runs[k] ?? []
    const cpu = median(base.map((r, i) => r.cpuMs / (ours[i]?.cpuMs ?? NaN)))
    const wall = median(base.map((r, i) => r.ms / (ours[i]?.ms ?? NaN)))
    lines.push(`Against the baseline, ${mode === gitRow ? 'git objects' : 'directory'}: ${x(cpu)} less CPU, ${x(wall)} less wall time.`)
  })
  const verdict = lines.join('\n')
  writeBenchmarkSection('## Validate against ajv-cli', validateSection(measured, table, verdict))
  console.log(`\n${table}\n\n${verdict}\n\nwritten to docs/benchmarks.md`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
