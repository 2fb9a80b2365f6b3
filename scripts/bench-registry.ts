// `npm run bench:registry`: what a registry build costs as a user runs it, as the marketplace
// grows. For each size in BENCH_SIZES it makes a realistic git marketplace (registry-fixtures.ts:
// ten packages per publisher, a couple of KB of SKILL.md prose each, a tool script in a third),
// bundles the CLI with esbuild and runs `marketplace-actions build` as a process, timing the
// whole command and its peak RSS (/usr/bin/time), in five situations:
//   first       no registry.json, empty site folder, at the first commit (a full build)
//   full        `--full` at the second commit (one package bumped), from the first build's outputs
//   incremental the second commit from the first build's outputs (one package read)
//   unchanged   the second commit again from its own outputs (nothing to do)
//   cache miss  the second commit's registry.json with an empty site folder (CI without a cache)
// BENCH_BASELINE_CLI names another bundle (say, main's) to run the same commands with in the same
// run, so the two columns compare on the same machine load. BENCH_SCENARIOS picks some of the
// five (the first build always runs: the others start from its outputs), e.g.
// `BENCH_SIZES=100000 BENCH_RUNS=1 BENCH_SCENARIOS=incremental,unchanged` for the 100,000-package
// figures without two more full builds; BENCH_FIXTURES=<dir> keeps the generated marketplaces
// there and reuses them in later runs (100,000 packages take minutes to generate). Each cell
// has the wall time, the CPU time (user + system, git children included) and the peak RSS; the
// load average is printed beside each size. The floor is `git cat-file --batch`
// reading every blob of the commit plus SHA-256 over the bytes. Every build's outputs are checked
// to be the same bytes as the full build's.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { buildSync } from 'esbuild'
import path from 'node:path'
import { gitEnv } from './bench-packages.js'
import { buildFixtureRepo, type FixtureRepo } from './registry-fixtures.js'
import { median, writeBenchmarkSection } from './bench-common.js'
import { BUILD_STATE_FILE } from '../src/core/registry/build/state.js'
import { BUILD_LEDGER_FILE } from '../src/core/registry/build/ledger.js'

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BASELINE = process.env.BENCH_BASELINE_CLI
const ALL_SCENARIOS = ['first', 'full', 'incremental', 'unchanged', 'cache miss'] as const
type Scenario = (typeof ALL_SCENARIOS)[number]
const PICKED = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim())
const SCENARIOS = ALL_SCENARIOS.filter((s) => s === 'first' || !PICKED || PICKED.includes(s))
const FIXTURES = process.env.BENCH_FIXTURES

const work = mkdtempSync(path.join(tmpdir(), 'mpa-bench-registry-'))
const cli = path.join(work, 'cli', 'index.mjs')
try {
  buildSync({
    entryPoints: ['src/cli/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    outfile: cli,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning'
  })
} catch (e) {
  rmSync(work, { recursive: true, force: true })
  throw e
}

interface Measure {
  ms: number
  /** user + system CPU of the build and its git children */
  cpuMs: number
  rssMb: number
}

/** A root (a clone sharing the fixture's objects, nothing checked out) with the given previous outputs. */
function prepare(repo: FixtureRepo, from: string | undefined, withSite: boolean): { root: string; site: string } {
  const dir = mkdtempSync(path.join(work, 'run-'))
  const root = path.join(dir, 'root')
  execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', repo.dir, root], { env: gitEnv })
  const site = path.join(dir, 'site')
  if (from) {
    // The published-versions index is committed beside registry.json: a one-package rebuild patches its shards.
    for (const f of ['registry.json', '.claude-plugin', '.registry'])
      if (existsSync(path.join(from, 'root', f))) cpSync(path.join(from, 'root', f), path.join(root, f), { recursive: true })
    if (withSite) cpSync(path.join(from, 'site'), site, { recursive: true })
  }
  return { root, site }
}

/** `build` as a process; the peak RSS from /usr/bin/time. */
function runBuild(bundle: string, root: string, site: string, head: string, full: boolean): Measure {
  const args = [
    '-f',
    '%M %U %S',
    process.execPath,
    bundle,
    'build',
    '--root',
    root,
    '--out',
    site,
    '--head',
    head,
    ...(full ? ['--full'] : [])
  ]
  const t0 = performance.now()
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 28 })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`build failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const [kb = 0, user = 0, sys = 0] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
  return { ms, cpuMs: (user + sys) * 1000, rssMb: kb / 1024 }
}

/** Every output file's digest, to check that two builds wrote the same bytes (the build record and the ledger are bookkeeping, not output: an older bundle writes no ledger). */
function outputDigest(root: string, site: string): string {
  const out = spawnSync(
    'sh',
    ['-c', `cd "${site}" && find . -type f ! -path ./${BUILD_STATE_FILE} ! -path ./${BUILD_LEDGER_FILE} | LC_ALL=C sort | xargs sha256sum`],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28
    }
  )
  const h = createHash('sha256').update(out.stdout)
  for (const f of ['registry.json', '.claude-plugin/marketplace.json']) h.update(readFileSync(path.join(root, f)))
  return h.digest('hex')
}

/** The floor: every blob of the commit through one `cat-file --batch`, and SHA-256 over the bytes. */
function floor(repo: FixtureRepo): number {
  const t0 = performance.now()
  const script = `git -C "${repo.dir}" ls-tree -r --format='%(objectname)' ${repo.head} | git -C "${repo.dir}" cat-file --batch | sha256sum >/dev/null`
  execFileSync('sh', ['-c', script])
  return performance.now() - t0
}

type Column = Record<Scenario, Measure> & {
  /** The peak RSS of each first build, in run order (issue 15's memory goal is every run under 1 GB). */
  firstPeaks: number[]
}

/** One bundle's measures, run by run: each scenario's, and the digests of the builds of the second commit. */
interface Series {
  runs: Map<Scenario, Measure[]>
  digests: string[]
}

function series(): Series {
  return { runs: new Map(SCENARIOS.map((s) => [s, []])), digests: [] }
}

/**
 * One run of every scenario with one bundle. Its folders are added to `spent`, not removed: on this
 * machine class's file system (ext4 without a journal) a file or folder made within about 30 s of
 * many deletions costs several times the system time, as the kernel looks past every inode freed
 * in that time for each one it allocates (docs/benchmarks.md, full-build throughput, sixth round),
 * so removing a run's 60,000 files and folders just before the next build charged that build
 * seconds of the kernel's time that were not its own.
 */
function measureOnce(repo: FixtureRepo, bundle: string, into: Series, spent: string[]): void {
  const keep = (s: Scenario, m: Measure) => into.runs.get(s)?.push(m)
  const wanted = (s: Scenario) => SCENARIOS.includes(s)
  const dirs: { root: string }[] = []
  const first = prepare(repo, undefined, false)
  dirs.push(first)
  keep('first', runBuild(bundle, first.root, first.site, repo.base, false))
  const firstOut = path.dirname(first.root)
  // The outputs of a build of the second commit, for the unchanged and cache-miss runs.
  let built: { root: string; site: string } | undefined
  if (wanted('full')) {
    const full = prepare(repo, firstOut, true)
    dirs.push(full)
    keep('full', runBuild(bundle, full.root, full.site, repo.head, true))
    into.digests.push(outputDigest(full.root, full.site))
    built = full
  }
  if (wanted('incremental') || !built) {
    const inc = prepare(repo, firstOut, true)
    dirs.push(inc)
    const m = runBuild(bundle, inc.root, inc.site, repo.head, false)
    if (wanted('incremental')) keep('incremental', m)
    into.digests.push(outputDigest(inc.root, inc.site))
    built = inc
  }
  if (wanted('unchanged')) {
    keep('unchanged', runBuild(bundle, built.root, built.site, repo.head, false))
    into.digests.push(outputDigest(built.root, built.site))
  }
  if (wanted('cache miss')) {
    const miss = prepare(repo, path.dirname(built.root), false)
    dirs.push(miss)
    keep('cache miss', runBuild(bundle, miss.root, miss.site, repo.head, false))
    into.digests.push(outputDigest(miss.root, miss.site))
  }
  for (const d of dirs) spent.push(path.dirname(d.root))
}

/** Medians of each scenario's runs (peak RSS: the largest). */
function columnOf({ runs }: Series): Column {
  return {
    ...Object.fromEntries(
      SCENARIOS.map((s) => {
        const xs = runs.get(s) ?? []
        return [s, { ms: median(xs.map((x) => x.ms)), cpuMs: median(xs.map((x) => x.cpuMs)), rssMb: Math.max(...xs.map((x) => x.rssMb)) }]
      })
    ),
    firstPeaks: (runs.get('first') ?? []).map((x) => x.rssMb)
  } as Column
}

interface Row {
  size: number
  /** load average (1 minute) before and after this size's runs */
  load: string
  mb: number
  floorMs: number
  ours: Column
  baseline?: Column
}

const rows: Row[] = []
try {
  for (const size of SIZES) {
    const repo = fixture(size)
    const loadBefore = loadavg()[0] ?? 0
    try {
      const floorMs = median(Array.from({ length: 3 }, () => floor(repo)))
      // Ours and the baseline's runs alternate, so a change of the machine's load falls on both; every
      // run's folders stay until the size is done (measureOnce says why).
      const withBaseline = BASELINE !== undefined && existsSync(BASELINE)
      const mine = series()
      const theirs = series()
      const spent: string[] = []
      try {
        for (let run = 0; run < RUNS; run++) {
          measureOnce(repo, cli, mine, spent)
          if (withBaseline) measureOnce(repo, BASELINE, theirs, spent)
        }
      } finally {
        for (const dir of spent) rmSync(dir, { recursive: true, force: true })
      }
      if (new Set(mine.digests).size !== 1) throw new Error(`${size} packages: the builds did not all write the same bytes`)
      if (withBaseline && theirs.digests[0] !== mine.digests[0]) throw new Error(`${size} packages: the baseline bundle wrote other bytes`)
      const ours = { column: columnOf(mine) }
      const baseline = withBaseline ? columnOf(theirs) : undefined
      const load = `${loadBefore.toFixed(1)}–${(loadavg()[0] ?? 0).toFixed(1)}`
      rows.push({ size, load, mb: repo.bytes / 1e6, floorMs, ours: ours.column, ...(baseline ? { baseline } : {}) })
      const line = SCENARIOS.map((s) => `${s} ${show(ours.column[s])}${baseline ? ` (baseline ${show(baseline[s])})` : ''}`).join(', ')
      console.log(`${size} packages (${(repo.bytes / 1e6).toFixed(1)} MB, floor ${(floorMs / 1000).toFixed(2)} s, load ${load}): ${line}`)
      console.log(`  first-build peaks, run by run: ${peaks(ours.column)}${baseline ? ` (baseline ${peaks(baseline)})` : ''}`)
    } finally {
      if (!FIXTURES) rmSync(repo.dir, { recursive: true, force: true })
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

/** The marketplace of `size` packages: generated, or the one BENCH_FIXTURES keeps from an earlier run. */
function fixture(size: number): FixtureRepo {
  if (!FIXTURES) return buildFixtureRepo(size)
  const record = path.join(FIXTURES, `${size}.json`)
  if (existsSync(record)) return JSON.parse(readFileSync(record, 'utf8')) as FixtureRepo
  mkdirSync(FIXTURES, { recursive: true })
  const repo = buildFixtureRepo(size)
  writeFileSync(record, JSON.stringify(repo))
  return repo
}

function time(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`
}

function peaks(c: Column): string {
  return `${c.firstPeaks.map((mb) => mb.toFixed(0)).join(' / ')} MB`
}

function show(m: Measure): string {
  return `${time(m.ms)} (cpu ${time(m.cpuMs)}), ${m.rssMb.toFixed(0)} MB`
}

const header = `| packages (MB of files), load | floor | ${SCENARIOS.join(' | ')} |`
const table = [
  header,
  `| ---: | ---: | ${SCENARIOS.map(() => '---:').join(' | ')} |`,
  ...rows.flatMap((r) => [
    `| ${r.size.toLocaleString('en')} (${r.mb.toFixed(0)} MB), load ${r.load} | ${(r.floorMs / 1000).toFixed(2)} s | ${SCENARIOS.map((s) => show(r.ours[s])).join(' | ')} |`,
    ...(r.baseline ? [`| before (same run) | | ${SCENARIOS.map((s) => show((r.baseline as Column)[s])).join(' | ')} |`] : [])
  ]),
  '',
  ...rows.map(
    (r) =>
      `First-build peak RSS run by run, ${r.size.toLocaleString('en')} packages: ${peaks(r.ours)}${r.baseline ? ` (before: ${peaks(r.baseline)})` : ''}.`
  )
].join('\n')

const HEADING = '## Registry build: as a user runs it'
const section = `${HEADING}

Measured by \`npm run bench:registry\` (scripts/bench-registry.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, median of ${RUNS} runs
(peak RSS: the largest of the runs). Each cell is \`marketplace-actions build\` run as a process
(the CLI bundled with esbuild), from process start to exit: wall time, CPU time (user + system,
git children included; on a shared machine the figure to compare) and peak resident memory. The
load average (1 minute, before and after the size's runs) is beside each size.
The marketplaces are real git repositories made by scripts/registry-fixtures.ts: ten packages per
publisher, a manifest, a SKILL.md of 2-3 KB of prose, and a tool script in a third of them (served
as .tar.gz). The second commit bumps one package. "floor" is \`git cat-file --batch\` reading every
blob of the commit piped into \`sha256sum\`: reading and hashing the same bytes, nothing else.
${BASELINE ? 'The "before" rows are the same commands run with the bundle of the code before this work, in the same run, each run of it right after the same run of ours.\n' : ''}Every run's folders are removed only after the size's last run: a build made just after tens of thousands of files were deleted pays the kernel seconds more (full-build throughput, sixth round).

- first: no registry.json, empty site folder, at the first commit (a full build writing everything);
- full: \`--full\` at the second commit, from the first build's outputs;
- incremental: the second commit from the first build's outputs (one package changed);
- unchanged: the same commit again (nothing changed since the last build; answered from the build record);
- cache miss: the last registry.json but an empty site folder (a CI job without a cached site; a full build).

Every build of the second commit is checked to leave byte-identical outputs.

${table}

Against the goals of issue 15: a rebuild with nothing changed answers from the build record (≤ 0.5 s at any size),
and a cache miss costs a full build, not more. A full build of 10,000 packages in ≤ 3 s and ≤ 300 MB, 100,000 in
≤ 30 s and ≤ 1 GB, and an incremental rebuild at 100,000 in ≤ 1.5 s are **not met**: the sections below say where
the time goes.

`

writeBenchmarkSection(HEADING, section)
console.log(`\n${table}\n\nwritten to docs/benchmarks.md`)
