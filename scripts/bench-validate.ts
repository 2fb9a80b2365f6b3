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
const WHERE_THE_TIME_GOES = `Where the time goes, and what was done about each. Third pass (this session: \`node --cpu-prof\` on an unminified
esbuild bundle of src/cli/index.ts, self time summed from the .cpuprofile's nodes, samples and timeDeltas; \`strace -c -f\` on 1,000
packages; load 3-15 on the shared 2 cores, so shares of the profile rather than its milliseconds):
- **System calls, 27 % of the main thread** (readdir 10 %, open 6 %, lstat 5 %, read 4 %, close 2 %): 14.3 calls per package
  (openat 3.2, close 3.2, statx 2.5, getdents64 2.2, pread64 2.1, newfstatat 1.1); ajv-cli makes about 8. Per package: the
  folder listing (open, fstat, two getdents, close), an lstat per listed file, and open, one read, close for manifest.yaml
  and for SKILL.md (tool files are listed, not read, unless they are the entrypoint; each publisher's profile.json is read
  once). Tried: the directory entry's type instead of lstat for a listed regular file saved about 0.1 s of sys time of
  about 3 s of CPU in the same run; not kept, since a listed file's size, mode and link count are part of every entry
  (the safety scan reads them) and making them lazy was measured as no gain by the previous pass.
- **Garbage collection, 9-14 %.** Tried a bigger young generation (\`--max-semi-space-size=32\`): no change in CPU.
- **One core of two idle.** Now \`validate\` of a directory runs on the safety scan's thread pool
  (src/core/checks/safety/threads.ts, generalised: \`inThreads\` starts workers from the file of a module that serves a task,
  \`serveThreadTask\`; validate's is src/core/checks/validate/package.ts): opt-in (\`--threads N\`; one thread by default, see below), a helper
  only from 2,000 packages per extra thread, results in the selection's order (test/validate-threads.test.ts: the same
  findings, positions and report on one thread and two, alias bombs, binary and oversized files and links included). The
  helper loads its own code and warms up: about 0.5-1 s more CPU at 10,000 packages on this loaded machine. Under load it
  still took wall time back in three pairs run back to back at load 13-16 (9.6 / 13.9 / 17.6 s against 11.4 / 16.0 / 34.8 s
  on one thread: two runnable threads get a larger share of a contended machine). On a quiet machine (load 0.8-1.8, four
  pairs) it gained nothing: 1.65-1.72 s against 1.66-1.71 s on one thread, for 0.5-0.6 s more CPU and 30 MB more memory,
  so the default is one thread and \`--threads N\` asks for helpers. A helper loads 410 KB of code instead of 857 KB: @babel/parser (316 KB) only when a .ts/.js entrypoint is checked,
  the scan's code only in a thread that scans.
- **YAML**: every manifest and SKILL.md frontmatter of the benchmark takes the flat fast path (parseYaml 5 % of the main
  thread; the positional parser runs only to locate a finding). A plain parse by js-yaml for the texts that are not flat
  (block lists, nested maps: yaml's parseDocument costs 300-500 µs each, js-yaml 4 about 30-70 µs) was tried and not
  kept: a differential test against the positional parser over mutated manifests kept finding texts where the two
  differ (multi-line quoted scalars and flow collections, complex keys, compact nested lists, comments in flow), each
  a missed or changed finding. The same test (test/yaml-differential.test.ts) now proves the flat path against the
  positional parser, and found three ways it parted from yaml, fixed: a line of spaces, U+00A0/U+FEFF trimmed away,
  a \`null\` key.
- **Start-up**: module compile 2-5 % of the main thread, 16 % of a helper's (before the lazy imports above).

Not done: the goal. On one thread validate costs about what ajv-cli costs (0.9-1.0× its CPU); reading the files alone
(list each folder, open-read-close two files, decode) costs about 0.5-0.9 s of CPU for 10,000 packages here, so 3× ajv-cli
(≈ 0.63 s on a quiet machine, start included) is beyond one thread, and on two it needs the helper's start-up gone too.

Profiling commands (unminified bundle: esbuild buildSync of src/cli/index.ts, bundle, platform node, format esm, with
scripts/bundle.ts's banner; a marketplace from scripts/bench-packages.ts): \`node --cpu-prof --cpu-prof-dir=prof cli.mjs
validate --root M --no-color --threads 1\` (each thread writes its own profile), \`strace -c -f node cli.mjs validate --root M\`.`

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
    { what: 'marketplace-actions validate, directory (default: one thread)', args: [cli, 'validate', '--root', root, '--no-color'] },
    {
      what: 'marketplace-actions validate --threads 2, directory',
      args: [cli, 'validate', '--root', root, '--no-color', '--threads', '2']
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
  const twoThreads = rows[2] as Row
  const lines = [
    `**Goal (issue 15): ajv-cli ÷ validate ≥ 3 on the directory.** Here: ${x(directory.wallRatio)} wall, ${x(directory.cpuRatio)} CPU: ` +
      (directory.wallRatio >= 3 && directory.cpuRatio >= 3 ? 'met.' : '**not met**.'),
    `On two threads (\`--threads 2\`): ${x(twoThreads.wallRatio)} wall, ${x(twoThreads.cpuRatio)} CPU. The helper thread costs CPU of its own ` +
      `(its code loaded and warmed up again) and gained no wall time on a quiet machine, so one thread is the default.`
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
