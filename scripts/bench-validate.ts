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
const WHERE_THE_TIME_GOES = `Where the time went, and what was done about each (\`node --cpu-prof\` on the bundled CLI and \`strace -c -f\`,
1,000 and 10,000 packages, directory and \`--head\`; commands in the list below the table):
- **Directory mode, 53 % idle (60 % at 1,000) and most of the CPU in fs/promises** (10,000 packages, before): every list, stat
  and read was an fs/promises call (a thread-pool round trip, a promise, a FileHandle for each file), one await
  after another, package after package: 18 s of CPU for 10,000 packages. The directory snapshot now makes the
  same system calls synchronously behind its async interface (the files are small and in the page cache; a run
  reads one file at a time either way) and skips \`lstat\` for entries the directory listing already types as
  folders. About 16 system calls per package remain (\`strace -c -f\` on 1,000 packages: open, fstat, two
  getdents and close to list the folder, an \`lstat\` per file, open/fstat/read/close for manifest.yaml and
  SKILL.md); ajv-cli makes about 6 (it never lists a package folder and reads one file).
- **Git mode (\`--head\`), 26 % idle and 22 % writing requests to \`git cat-file\`** (35 % and 27 % at 1,000): packages were read one
  after another, so each package cost a round trip to git and a write to its stdin. Packages are now read 32 at
  a time (src/core/checks/in-order.ts, results kept by position so findings come out in the selection's order
  whatever finishes first), so git always has a queue and the requests of many packages go in one write.
- **YAML parsed twice**: the flat YAML fast path (parse/flat-yaml.ts) was already used for manifests and SKILL.md
  frontmatter, but the entrypoint check asked for the position of \`entrypoint\` and \`type\` before knowing whether
  it had anything to report, and asking parses the whole document with positions. Positions are now asked for
  only when a finding is made.
- **profile.json through jsonc-parser's positional tree** (~150 µs each, more than a manifest): JSON now takes a
  fast path too (parse/flat-json.ts: \`JSON.parse\` plus one scan that sends duplicate keys and deep nesting to
  the full parser, so they keep their located findings), positions parsed only when a finding asks.
- **Quadratic report and review** (half a second at 10,000 packages): the text report searched the package list
  for each package, and the review filtered every finding for each package. Both group once by package now.
- **Start-up** (~0.4 s of CPU above \`node -e 0\` here, loading the bundle's modules): not changed by this work;
  it is the cold-start goal of issue 15.

What is left: the file system calls above are now most of the time; validate reads a second file (SKILL.md) and
lists every package folder, which ajv-cli does not. Beyond this, the remaining levers are fewer calls per package
(sizes from the open descriptor instead of an \`lstat\` per file) and using the second core.

Profiling commands (from a checkout with the bundle built, on a marketplace made by scripts/bench-packages.ts):
\`node --cpu-prof --cpu-prof-dir=prof dist/cli/index.js validate --root M --no-color\` (and \`--head HEAD\`),
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
    { what: 'marketplace-actions validate, directory', args: [cli, 'validate', '--root', root, '--no-color'] }
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
  const lines = [
    `**Goal (issue 15): ajv-cli ÷ validate ≥ 3 on the directory.** Here: ${x(directory.wallRatio)} wall, ${x(directory.cpuRatio)} CPU: ` +
      (directory.wallRatio >= 3 && directory.cpuRatio >= 3 ? 'met.' : '**not met**.')
  ]
  // Each baseline row against the row of this checkout in the same mode, round by round.
  commands.forEach((command, k) => {
    if (!command.what.startsWith('baseline')) return
    const mode = command.args.includes('--head') ? 2 : 1
    const ours = runs[mode] ?? []
    const base = runs[k] ?? []
    const cpu = median(base.map((r, i) => r.cpuMs / (ours[i]?.cpuMs ?? NaN)))
    const wall = median(base.map((r, i) => r.ms / (ours[i]?.ms ?? NaN)))
    lines.push(`Against the baseline, ${mode === 2 ? 'git objects' : 'directory'}: ${x(cpu)} less CPU, ${x(wall)} less wall time.`)
  })
  const verdict = lines.join('\n')
  writeBenchmarkSection('## Validate against ajv-cli', validateSection(measured, table, verdict))
  console.log(`\n${table}\n\n${verdict}\n\nwritten to docs/benchmarks.md`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
