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
// run, so the two columns compare on the same machine load. The floor is `git cat-file --batch`
// reading every blob of the commit plus SHA-256 over the bytes. Every build's outputs are checked
// to be the same bytes as the full build's.
// BENCH_SCENARIOS picks some of them (say `first` for 100,000 packages, where the others take
// minutes each); the first build always runs, since the others start from its outputs. Each cell
// gives the wall time, the CPU time (user + system, git children included) and the peak RSS, and
// each size the load average around its runs: on a shared machine the CPU time and the ratio to
// the baseline in the same run are what compare.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { buildSync } from 'esbuild'
import path from 'node:path'
import { gitEnv } from './bench-packages.js'
import { buildFixtureRepo, type FixtureRepo } from './registry-fixtures.js'
import { median, writeBenchmarkSection } from './bench-common.js'

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BASELINE = process.env.BENCH_BASELINE_CLI
const ALL_SCENARIOS = ['first', 'full', 'incremental', 'unchanged', 'cache miss'] as const
type Scenario = (typeof ALL_SCENARIOS)[number]
const WANTED = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim())
const SCENARIOS = ALL_SCENARIOS.filter((s) => !WANTED || WANTED.includes(s))

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
  /** user + system seconds of the build and its git children. */
  cpuS: number
  rssMb: number
}

/** A root (a clone sharing the fixture's objects, nothing checked out) with the given previous outputs. */
function prepare(repo: FixtureRepo, from: string | undefined, withSite: boolean): { root: string; site: string } {
  const dir = mkdtempSync(path.join(work, 'run-'))
  const root = path.join(dir, 'root')
  execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', repo.dir, root], { env: gitEnv })
  const site = path.join(dir, 'site')
  if (from) {
    for (const f of ['registry.json', '.claude-plugin']) cpSync(path.join(from, 'root', f), path.join(root, f), { recursive: true })
    if (withSite) cpSync(path.join(from, 'site'), site, { recursive: true })
  }
  return { root, site }
}

/** `build` as a process; the peak RSS from /usr/bin/time. */
function runBuild(bundle: string, root: string, site: string, head: string, full: boolean): Measure {
  const args = [
    '-f',
    '%U %S %M',
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
  const [user, sys, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
  return { ms, cpuS: (user ?? NaN) + (sys ?? NaN), rssMb: (kb ?? NaN) / 1024 }
}

/** Every output file's digest, to check that two builds wrote the same bytes. */
function outputDigest(root: string, site: string): string {
  const out = spawnSync('sh', ['-c', `cd "${site}" && find . -type f | LC_ALL=C sort | xargs sha256sum`], {
    encoding: 'utf8',
    maxBuffer: 1 << 28
  })
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

type Column = Record<Scenario, Measure>

/** Each scenario RUNS times with one bundle; medians. Leaves the outputs of the last full and incremental builds for the byte check. */
function measure(repo: FixtureRepo, bundle: string): { column: Column; digests: string[] } {
  const runs = new Map<Scenario, Measure[]>(SCENARIOS.map((s) => [s, []]))
  const digests: string[] = []
  let firstDigest = ''
  const keep = (s: Scenario, m: Measure) => runs.get(s)?.push(m)
  const wanted = (s: Scenario) => runs.has(s)
  for (let run = 0; run < RUNS; run++) {
    const first = prepare(repo, undefined, false)
    keep('first', runBuild(bundle, first.root, first.site, repo.base, false))
    firstDigest = outputDigest(first.root, first.site)
    const firstOut = path.dirname(first.root)
    const dirs = [first]
    if (wanted('full')) {
      const full = prepare(repo, firstOut, true)
      dirs.push(full)
      keep('full', runBuild(bundle, full.root, full.site, repo.head, true))
      digests.push(outputDigest(full.root, full.site))
    }
    if (wanted('incremental') || wanted('unchanged') || wanted('cache miss')) {
      const inc = prepare(repo, firstOut, true)
      dirs.push(inc)
      keep('incremental', runBuild(bundle, inc.root, inc.site, repo.head, false))
      digests.push(outputDigest(inc.root, inc.site))
      if (wanted('unchanged')) {
        keep('unchanged', runBuild(bundle, inc.root, inc.site, repo.head, false))
        digests.push(outputDigest(inc.root, inc.site))
      }
      if (wanted('cache miss')) {
        const miss = prepare(repo, path.dirname(inc.root), false)
        dirs.push(miss)
        keep('cache miss', runBuild(bundle, miss.root, miss.site, repo.head, false))
        digests.push(outputDigest(miss.root, miss.site))
      }
    }
    for (const d of dirs) rmSync(path.dirname(d.root), { recursive: true, force: true })
  }
  const column = Object.fromEntries(
    SCENARIOS.map((s) => {
      const xs = runs.get(s) ?? []
      return [s, { ms: median(xs.map((x) => x.ms)), cpuS: median(xs.map((x) => x.cpuS)), rssMb: Math.max(...xs.map((x) => x.rssMb)) }]
    })
  ) as Column
  return { column, digests: [firstDigest, ...digests] }
}

interface Row {
  size: number
  mb: number
  floorMs: number
  /** 1-minute load averages before and after this size's runs. */
  load: [number, number]
  ours: Column
  baseline?: Column
}

const rows: Row[] = []
try {
  for (const size of SIZES) {
    const repo = buildFixtureRepo(size)
    try {
      const loadBefore = loadavg()[0] as number
      const floorMs = median(Array.from({ length: 3 }, () => floor(repo)))
      const ours = measure(repo, cli)
      // [0] is the first build's (the first commit); the rest built the second commit.
      if (new Set(ours.digests.slice(1)).size > 1) throw new Error(`${size} packages: the builds did not all write the same bytes`)
      let baseline: Column | undefined
      if (BASELINE && existsSync(BASELINE)) {
        const b = measure(repo, BASELINE)
        if (b.digests.some((d, i) => d !== ours.digests[i])) throw new Error(`${size} packages: the baseline bundle wrote other bytes`)
        baseline = b.column
      }
      const load: [number, number] = [loadBefore, loadavg()[0] as number]
      rows.push({ size, mb: repo.bytes / 1e6, floorMs, load, ours: ours.column, ...(baseline ? { baseline } : {}) })
      const line = SCENARIOS.map((s) => `${s} ${show(ours.column[s])}${baseline ? ` (baseline ${show(baseline[s])})` : ''}`).join(', ')
      console.log(
        `${size} packages (${(repo.bytes / 1e6).toFixed(1)} MB, floor ${(floorMs / 1000).toFixed(2)} s, load ${showLoad(load)}): ${line}`
      )
    } finally {
      rmSync(repo.dir, { recursive: true, force: true })
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

function show(m: Measure): string {
  const t = m.ms >= 1000 ? `${(m.ms / 1000).toFixed(2)} s` : `${m.ms.toFixed(0)} ms`
  return `${t} (${m.cpuS.toFixed(2)} s CPU), ${m.rssMb.toFixed(0)} MB`
}

function showLoad([a, b]: [number, number]): string {
  return `${a.toFixed(1)}→${b.toFixed(1)}`
}

const header = `| packages (MB of files) | load | floor | ${SCENARIOS.join(' | ')} |`
const table = [
  header,
  `| ---: | ---: | ---: | ${SCENARIOS.map(() => '---:').join(' | ')} |`,
  ...rows.flatMap((r) => [
    `| ${r.size.toLocaleString('en')} (${r.mb.toFixed(0)} MB) | ${showLoad(r.load)} | ${(r.floorMs / 1000).toFixed(2)} s | ${SCENARIOS.map((s) => show(r.ours[s])).join(' | ')} |`,
    ...(r.baseline
      ? [
          `| before (same run) | | | ${SCENARIOS.map((s) => show((r.baseline as Column)[s])).join(' | ')} |`,
          `| CPU after / before | | | ${SCENARIOS.map((s) => `${(r.ours[s].cpuS / (r.baseline as Column)[s].cpuS).toFixed(2)}×`).join(' | ')} |`
        ]
      : [])
  ])
].join('\n')

const HEADING = '## Registry build: as a user runs it'
const section = `${HEADING}

Measured by \`npm run bench:registry\` (scripts/bench-registry.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, median of ${RUNS} runs
(peak RSS: the largest of the runs). Each cell is \`marketplace-actions build\` run as a process
(the CLI bundled with esbuild), from process start to exit: wall time, CPU time (user + system,
git children included) and peak resident memory. "load" is the 1-minute load average before and
after the size's runs (2 cores): above 2 the wall times are inflated, the CPU times less so.
The marketplaces are real git repositories made by scripts/registry-fixtures.ts: ten packages per
publisher, a manifest, a SKILL.md of 2-3 KB of prose, and a tool script in a third of them (served
as .tar.gz). The second commit bumps one package. "floor" is \`git cat-file --batch\` reading every
blob of the commit piped into \`sha256sum\`: reading and hashing the same bytes, nothing else.
${BASELINE ? 'The "before" rows are the same commands run with the bundle of the code before this work, in the same run.\n' : ''}
- first: no registry.json, empty site folder, at the first commit (a full build writing everything);
- full: \`--full\` at the second commit, from the first build's outputs;
- incremental: the second commit from the first build's outputs (one package changed);
- unchanged: the same commit again (nothing changed since the last build);
- cache miss: the last registry.json but an empty site folder (a CI job without a cached site).

Every build of the second commit is checked to leave byte-identical outputs.

${table}
`

writeBenchmarkSection(HEADING, section)
console.log(`\n${table}\n\nwritten to docs/benchmarks.md`)
