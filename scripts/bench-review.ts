// `npm run bench:review`: the pull-request review as a user runs it, a whole `review` process on
// a checked-out marketplace (as actions/checkout leaves it, index included), measured two ways:
// - a PR that changes one package, on marketplaces of BENCH_REVIEW_SIZES packages: the cost must
//   not grow with the marketplace;
// - PRs adding 1, 30 and 300 packages to a 10,000-package marketplace: the cost may grow with the
//   change, but per run, not per package per check (git trees listed once, shared by all checks).
// Packages come from scripts/bench-packages.ts (a couple of KB of prose, a tool script in a
// third, ten per publisher). Prints the figures and writes them to docs/benchmarks.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { median, writeBenchmarkSection } from './bench-common.js'
import { countGitProcesses, currentCli, loadAverage, runProcess } from './bench-process.js'
import { commitCommand, generatePackage, gitEnv, packageCommands } from './bench-packages.js'
import { canonicalBytes } from '../src/core/registry/json.js'
import { publishedIndexFiles } from '../src/core/registry/build/published-index.js'
import { REGISTRY_FILE } from '../src/core/marketplace/paths.js'
import type { Registry, RegistryPackage } from '../src/generated/schema-types.js'

const SIZES = (process.env.BENCH_REVIEW_SIZES ?? '100,10000,100000').split(',').map(Number)
const ADD_BASE = Number(process.env.BENCH_REVIEW_ADD_BASE ?? 10000)
const ADDED = (process.env.BENCH_REVIEW_ADDED ?? '1,30,300').split(',').filter(Boolean).map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const MAINTAINER = 'bench-maintainer'
/** Another checkout (e.g. /work/main) whose dist/cli/index.js is measured as the baseline in the same run. */
const BASELINE = process.env.BENCH_BASELINE
/** Which PRs the baseline reviews too: its cost per added package can be minutes. */
const BASELINE_HEADS = (process.env.BENCH_BASELINE_HEADS ?? 'bump,add-1').split(',')
/** BENCH_REVIEW_INDEX=0: the base has registry.json but no published-versions index (a marketplace built before it). */
const WITH_INDEX = process.env.BENCH_REVIEW_INDEX !== '0'
/**
 * BENCH_REVIEW_REGISTRY=N: registry.json (and the index) describe N packages whatever the tree
 * holds, to measure what the registry alone costs a review at N without building an N-package
 * checkout (which takes an hour on a loaded 2-core machine at 100,000).
 */
const REGISTRY_PACKAGES = process.env.BENCH_REVIEW_REGISTRY === undefined ? undefined : Number(process.env.BENCH_REVIEW_REGISTRY)
/**
 * BENCH_REVIEW_FIXTURES=<dir>: keep the generated marketplaces there and reuse them in later runs
 * (the 100,000-package checkout takes minutes to generate and check out). A fixture is reused only
 * when it was made with the same sizes, added counts, registry size and index setting.
 */
const FIXTURES = process.env.BENCH_REVIEW_FIXTURES

const CONFIG = `maintainers:\n  - ${MAINTAINER}\n`

/**
 * What the marketplace's build commits beside the packages: registry.json (one entry per package,
 * in the shape the build writes: about 1 KB each, 97 MB at 100,000) and the published-versions
 * index the build derives from it (src/core/registry/build/published-index.ts). Written directly
 * from the generated packages: a real build of 100,000 packages takes minutes here.
 */
function registryCommands(size: number, skip: { from: number; to: number }): { commands: Buffer; registryBytes: number } {
  const commit = createHash('sha1').update('bench-publish').digest('hex')
  const at = '2023-11-14T22:13:20Z'
  const packages: RegistryPackage[] = []
  for (let i = 0; packages.length < size; i++) {
    // The packages a pull request adds are not published yet.
    if (i >= skip.from && i < skip.to) continue
    const pkg = generatePackage(i)
    const digest = `sha256:${createHash('sha256').update(JSON.stringify(pkg.files)).digest('hex')}`
    const manifest = pkg.files['manifest.yaml'] ?? ''
    const description = JSON.parse(/^description: (.*)$/m.exec(manifest)?.[1] ?? '""') as string
    const tags = (/^tags: \[(.*)\]$/m.exec(manifest)?.[1] ?? '').split(', ').filter(Boolean)
    packages.push({
      name: pkg.name,
      publisher: pkg.login,
      type: 'skill',
      version: '1.0.0',
      description,
      tags,
      entrypoint: 'SKILL.md',
      license: 'MIT',
      downloads: 0,
      score: null,
      path: pkg.dir,
      digest,
      commit,
      published_at: at,
      updated_at: at,
      versions: [{ version: '1.0.0', digest, commit, published_at: at }]
    })
  }
  packages.sort((a, b) => (`${a.publisher}/${a.name}` < `${b.publisher}/${b.name}` ? -1 : 1))
  const registry: Registry = { version: 2, updated_at: at, commit, generator: { name: 'marketplace-actions', version: 'bench' }, packages }
  const bytes = canonicalBytes(registry)
  const parts: Buffer[] = [Buffer.from(`M 100644 inline ${REGISTRY_FILE}\ndata ${bytes.length}\n`), Buffer.from(bytes), Buffer.from('\n')]
  if (WITH_INDEX) {
    for (const f of publishedIndexFiles(registry, bytes, 'sha1')) {
      const data = Buffer.from(f.bytes ?? new Uint8Array())
      parts.push(Buffer.from(`M 100644 inline ${f.path}\ndata ${data.length}\n`), data, Buffer.from('\n'))
    }
  }
  return { commands: Buffer.concat(parts), registryBytes: bytes.length }
}

/** Writes the fast-import stream in pieces: at 100,000 packages it is ~400 MB, too much for one string. */
class Stream {
  private readonly fd: number
  constructor(readonly file: string) {
    this.fd = openSync(file, 'w')
  }
  write(part: string | Buffer): void {
    writeSync(this.fd, typeof part === 'string' ? Buffer.from(part) : part)
  }
  close(): void {
    closeSync(this.fd)
  }
}

/** Packages `from` .. `to - 1` as file commands, a thousand at a time. */
function writePackages(out: Stream, from: number, to: number): void {
  for (let i = from; i < to; i += 1000) out.write(packageCommands(i, Math.min(to, i + 1000)))
}

interface Marketplace {
  dir: string
  seconds: number
  registryBytes: number
  /** Kept in BENCH_REVIEW_FIXTURES: not removed after the run. */
  kept: boolean
}

/** main: `size` packages, then the registry commit; bump: package 0 at 1.1.0 with new prose; add-K: K new packages. */
function buildMarketplace(size: number, added: number[], dir: string): Omit<Marketplace, 'kept'> {
  const t0 = performance.now()
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: gitEnv })
  const streamFile = path.join(dir, '.git', 'bench-fast-import')
  const out = new Stream(streamFile)
  let registryBytes: number
  try {
    const config = `M 100644 inline marketplace.config.yaml\ndata ${Buffer.byteLength(CONFIG)}\n${CONFIG}\n`
    out.write(`commit refs/heads/main\ncommitter b <b@b> 1700000000 +0000\ndata 11\nmarketplace\n${config}`)
    writePackages(out, 0, size)
    out.write('\n')
    const registry = registryCommands(REGISTRY_PACKAGES ?? size, { from: size, to: size + Math.max(0, ...added) })
    registryBytes = registry.registryBytes
    const message = 'build the registry'
    out.write(`commit refs/heads/main\ncommitter b <b@b> 1700000050 +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`)
    out.write(registry.commands)
    out.write('\n')
    const bumped = generatePackage(0, '1.1.0')
    const skill = `${bumped.files['SKILL.md']}\nOne more paragraph of instructions.\n`
    const bump = [
      `M 100644 inline ${bumped.dir}/manifest.yaml\ndata ${Buffer.byteLength(bumped.files['manifest.yaml'] ?? '')}\n${bumped.files['manifest.yaml']}\n`,
      `M 100644 inline ${bumped.dir}/SKILL.md\ndata ${Buffer.byteLength(skill)}\n${skill}\n`
    ].join('')
    out.write(commitCommand('bump', 1700000100, 'bump one package', bump, 'refs/heads/main'))
    for (const k of added) {
      const message = `add ${k} packages`
      out.write(
        `commit refs/heads/add-${k}\ncommitter b <b@b> 1700000200 +0000\ndata ${Buffer.byteLength(message)}\n${message}\nfrom refs/heads/main\n`
      )
      writePackages(out, size, size + k)
      out.write('\n')
    }
  } finally {
    out.close()
  }
  const input = openSync(streamFile, 'r')
  try {
    const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { stdio: [input, 'pipe', 'pipe'], env: gitEnv })
    if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr.toString()}`)
  } finally {
    closeSync(input)
    rmSync(streamFile, { force: true })
  }
  // A checkout, as in a workflow: a real index and work tree next to the objects.
  execFileSync('git', ['-C', dir, 'checkout', '-q', '-f', 'main'], { env: gitEnv })
  return { dir, seconds: (performance.now() - t0) / 1000, registryBytes }
}

/** The marketplace of `size` packages: generated, or the one BENCH_REVIEW_FIXTURES keeps from an earlier run. */
function marketplace(size: number, added: number[]): Marketplace {
  const key = `review-${size}-add-${added.join('_') || 'none'}-registry-${REGISTRY_PACKAGES ?? 'same'}-${WITH_INDEX ? 'index' : 'noindex'}`
  if (!FIXTURES) {
    const dir = path.join(tmpdir(), `mpa-bench-review-${size}-${process.pid}-${Date.now()}`)
    return { ...buildMarketplace(size, added, dir), kept: false }
  }
  const dir = path.join(path.resolve(FIXTURES), key)
  const record = path.join(FIXTURES, `${key}.json`)
  if (existsSync(record) && existsSync(dir)) {
    const kept = JSON.parse(readFileSync(record, 'utf8')) as { registryBytes: number }
    return { dir, seconds: 0, registryBytes: kept.registryBytes, kept: true }
  }
  mkdirSync(FIXTURES, { recursive: true })
  rmSync(dir, { recursive: true, force: true })
  const built = buildMarketplace(size, added, dir)
  writeFileSync(record, JSON.stringify({ registryBytes: built.registryBytes }))
  return { ...built, kept: true }
}

interface Figure {
  label: string
  ms: number
  /** User + system CPU of the review and its git children. */
  cpuMs: number
  rssMb: number
  gitProcesses: number
  packages: number
  verdict: string
}

function reviewArgs(cli: string, dir: string, head: string, json: string): string[] {
  return [cli, 'review', '--root', dir, '--base', 'main', '--head', head, '--author', MAINTAINER, '--json', json, '--no-color']
}

/** One review process: its times, or why it failed (the baseline may fail where this checkout does not). */
function runOnce(cli: string, dir: string, head: string): { ms: number; cpuMs: number; rssMb: number; verdict: string; packages: number } {
  const json = path.join(dir, '.git', 'bench-review.json')
  const r = runProcess(process.execPath, reviewArgs(cli, dir, head, json), { cwd: dir })
  if (r.status !== 0) throw new Error(`review exited ${r.status}: ${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`)
  const review = JSON.parse(readFileSync(json, 'utf8')) as { verdict: string; packages: unknown[] }
  rmSync(json, { force: true })
  return { ms: r.ms, cpuMs: r.cpuMs, rssMb: r.maxRssMb, verdict: review.verdict, packages: review.packages.length }
}

/** What one review (a CLI on a fixture's head) measured over the rounds. */
class Measurement {
  readonly times: number[] = []
  readonly cpu: number[] = []
  readonly rss: number[] = []
  verdict = ''
  packages = 0
  failure: string | undefined

  constructor(
    readonly cli: string,
    readonly dir: string,
    readonly head: string,
    readonly label: string
  ) {}

  run(): void {
    if (this.failure !== undefined) return
    try {
      const r = runOnce(this.cli, this.dir, this.head)
      this.times.push(r.ms)
      this.cpu.push(r.cpuMs)
      this.rss.push(r.rssMb)
      this.verdict = r.verdict
      this.packages = r.packages
    } catch (e) {
      const why =
        /registry\.json[^\n]*?(?:bytes, more than the \d+ read|cannot be read[^\n]*)/.exec(String(e))?.[0] ?? String(e).split('\n')[0]
      this.failure = why ?? 'failed'
      console.log(`${this.label}: failed: ${this.failure}`)
    }
  }

  figure(): Figure {
    if (this.failure !== undefined || this.times.length === 0)
      return {
        label: this.label,
        ms: Number.NaN,
        cpuMs: Number.NaN,
        rssMb: Number.NaN,
        gitProcesses: 0,
        packages: 0,
        verdict: `failed: ${this.failure}`
      }
    const json = path.join(this.dir, '.git', 'bench-review.json')
    const gitProcesses = countGitProcesses(process.execPath, reviewArgs(this.cli, this.dir, this.head, json), { cwd: this.dir })
    rmSync(json, { force: true })
    const figure = {
      label: this.label,
      ms: median(this.times),
      cpuMs: median(this.cpu),
      rssMb: median(this.rss),
      gitProcesses,
      packages: this.packages,
      verdict: this.verdict
    }
    console.log(
      `${this.label}: ${figure.ms.toFixed(0)} ms wall, ${figure.cpuMs.toFixed(0)} ms CPU (medians of ${this.times.length}), ${figure.rssMb.toFixed(0)} MB, ${gitProcesses} git processes, ${figure.packages} packages, ${figure.verdict}`
    )
    return figure
  }
}

const bySize: (Figure & { size: number; registryBytes: number; before?: Figure })[] = []
const byAdded: (Figure & { added: number; before?: Figure })[] = []
const cli = { file: await currentCli() }
const baseline = BASELINE === undefined ? undefined : { file: path.join(BASELINE, 'dist', 'cli', 'index.js') }
const sizes = [...new Set([...SIZES, ...(ADDED.length ? [ADD_BASE] : [])])].sort((a, b) => a - b)
const repos = new Map<number, Marketplace>()
const loads: string[] = []
try {
  for (const size of sizes) {
    const repo = marketplace(size, size === ADD_BASE ? ADDED : [])
    repos.set(size, repo)
    console.log(
      repo.seconds
        ? `${size} packages: repository built and checked out in ${repo.seconds.toFixed(1)} s (load ${loadAverage()})`
        : `${size} packages: kept in ${repo.dir}`
    )
  }
  // Every review is measured once per round, all sizes in turn: on shared cores the load moves
  // during a run, and interleaving gives each size the same share of it, so ratios stay fair.
  const bump = new Map<number, { now: Measurement; before?: Measurement }>()
  const adds = new Map<number, { now: Measurement; before?: Measurement }>()
  const pair = (dir: string, head: string, label: string) => ({
    now: new Measurement(cli.file, dir, head, label),
    ...(baseline && BASELINE_HEADS.includes(head) ? { before: new Measurement(baseline.file, dir, head, `baseline: ${label}`) } : {})
  })
  for (const size of sizes) {
    const dir = (repos.get(size) as Marketplace).dir
    if (SIZES.includes(size)) bump.set(size, pair(dir, 'bump', `${size} packages, 1 changed`))
    if (size === ADD_BASE) for (const k of ADDED) adds.set(k, pair(dir, `add-${k}`, `${size} packages, ${k} added`))
  }
  const all = [...bump.values(), ...adds.values()].flatMap((m) => (m.before ? [m.now, m.before] : [m.now]))
  for (let round = 0; round < RUNS; round++) {
    for (const m of all) m.run()
    loads.push(loadAverage())
    console.log(`round ${round + 1} of ${RUNS} done, load ${loadAverage()}`)
  }
  for (const [size, m] of bump) {
    const repo = repos.get(size) as Marketplace
    bySize.push({ ...m.now.figure(), size, registryBytes: repo.registryBytes, ...(m.before ? { before: m.before.figure() } : {}) })
  }
  for (const [k, m] of adds) byAdded.push({ ...m.now.figure(), added: k, ...(m.before ? { before: m.before.figure() } : {}) })
} finally {
  for (const repo of repos.values()) if (!repo.kept) rmSync(repo.dir, { recursive: true, force: true })
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)
const first = bySize[0]
const was = (f: { before?: Figure }) =>
  f.before
    ? Number.isNaN(f.before.ms)
      ? `${f.before.verdict} | `
      : `${fmt(f.before.ms)}, ${fmt(f.before.cpuMs)} CPU (${f.before.gitProcesses} git) | `
    : baseline
      ? '- | '
      : ''
const wasHead = baseline ? ' baseline (same run) |' : ''
const wasRule = baseline ? ' ---: |' : ''
const sizeTable = [
  `| packages | registry.json | review of a 1-package PR (median wall) | vs smallest | CPU (user + sys) | CPU vs smallest | peak RSS | git processes | verdict |${wasHead}`,
  `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |${wasRule}`,
  ...bySize.map((f) =>
    `| ${f.size.toLocaleString('en')} | ${(f.registryBytes / 1e6).toFixed(1)} MB | ${fmt(f.ms)} | ${first ? (f.ms / first.ms).toFixed(2) : '1.00'}× | ${fmt(f.cpuMs)} | ${first ? (f.cpuMs / first.cpuMs).toFixed(2) : '1.00'}× | ${f.rssMb.toFixed(0)} MB | ${f.gitProcesses} | ${f.verdict} | ${was(f)}`.trimEnd()
  )
].join('\n')
const addTable = [
  `| packages added (to ${ADD_BASE.toLocaleString('en')}) | review (median wall) | CPU (user + sys) | per added package (wall) | peak RSS | git processes | packages reviewed | verdict |${wasHead}`,
  `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |${wasRule}`,
  ...byAdded.map((f) =>
    `| ${f.added} | ${fmt(f.ms)} | ${fmt(f.cpuMs)} | ${fmt(f.ms / f.added)} | ${f.rssMb.toFixed(0)} MB | ${f.gitProcesses} | ${f.packages} | ${f.verdict} | ${was(f)}`.trimEnd()
  )
].join('\n')

const section = `## Pull-request review, end to end

Measured by \`npm run bench:review\` (scripts/bench-review.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, median of ${RUNS} runs
(interleaved: each round runs every review once), load average after each round ${loads.join(' / ')} (2 shared cores: read the ratios and the CPU time). Each figure is a whole
\`marketplace-actions review --base main --head <branch> --author <maintainer>\` process (dist/cli/index.js:
process start, module loading and schema set-up included) on a real git repository checked
out as a workflow leaves it (index and work tree). Packages are scripts/bench-packages.ts's: a couple of KB of
SKILL.md prose, a tool script in a third, ten per publisher.${baseline ? ` The baseline column is the same benchmark on \`${BASELINE}/dist/cli/index.js\`, in the same run.` : ''}
The base commit holds what the build commits beside the packages: registry.json (about 1 KB per package, in the
build's shape${REGISTRY_PACKAGES === undefined ? '' : `, here describing ${REGISTRY_PACKAGES.toLocaleString('en')} packages whatever the tree holds (BENCH_REVIEW_REGISTRY)`})${WITH_INDEX ? ' and its published-versions index (.registry/)' : ', without the published-versions index (BENCH_REVIEW_INDEX=0)'}.

${sizeTable}

${addTable}

Where the time went (\`node --cpu-prof\` of the review process, \`GIT_TRACE\` for the git processes, on a 10,000-package
marketplace before this work), and what was done about each:
- **One git process per publisher per added package.** The duplicate-content search (version-bump) listed the
  base's \`publishers/\` and then ran \`ls-tree\` on \`publishers/<each login>/<added name>\`: 1,010 of the 1,017 git
  processes of a 1-package PR (1 min 47 s on the loaded machine); 30 added packages ran more than 5 minutes and were
  stopped. Now one \`ls-tree -r -d publishers/\` per run lists every package folder, and only the folders with the
  added names are read.
- **Each check listed each package again.** validate, safety and version-bump each ran \`ls-tree -r\` on the same
  package, and the change computation ran its own \`ls-tree\` per commit. Now \`GitSnapshot.prefetch\` lists all
  changed package folders (and the publishers' profiles) in one \`ls-tree -r -t\` per commit, at most 500 paths per
  command, and keeps the listing for the run: every later \`walk\`, \`list\` and \`stat\` inside it is answered from
  memory (a binary search in the sorted listing), checked against git's own answers by test/git-snapshot.test.ts.
- **One \`git log\` per added package** (has this package published this version before?). Now one walk of the
  base's history for all added packages (\`--full-history -m\`, a superset) says which ones ever had a manifest;
  only those get the per-package \`git log\`, so the answer is unchanged.
- **Idle waiting on \`git cat-file\`: 32 % idle plus 16 % in pipe writes** for 300 added packages: each file was
  asked for and awaited before the next. Now requests made in one tick go to git in one write, and the first read
  in a listed folder asks for all its small files at once (at most 2 MiB per folder, 32 MiB held per commit;
  a dropped file is read again).
- **\`git diff-tree\` reads the index** of the checkout before comparing two trees, though it never uses it: 66 ms
  against 23 ms with an empty index on the 10,000-package checkout (\`hyperfine\`), and 30 MB at 100,000. It now
  runs with \`GIT_INDEX_FILE\` naming a file that does not exist (an empty index).

What memory grows with is the change, not the marketplace (peak RSS column): the listing of the changed folders,
the findings, and at most 32 MiB of read-ahead per commit.

Where a one-package review still grew with the marketplace (issue 15, second pass; \`GIT_TRACE2_PERF\` for the
git commands, each command's CPU time over 10 runs at 100 and 100,000 packages, \`strace -f -c\`, and
\`node --cpu-prof\` of the review process at 100 and 10,000 packages), and what was done about each:
- **Listing every publisher for the namespace check.** \`ls-tree publishers/\` (1,000 entries, 86 KB at 10,000
  packages; 10,000 at 100,000) to learn whether the touched namespaces exist and to find case twins. Now each
  namespace is a path lookup answered from the listing the review already made (\`ls-tree -t\` prints the folders
  on the way to a listed path, and the snapshot keeps them); publishers/ is listed only when a PR creates a
  namespace, to look for a spelling that differs only in case.
- **Reading ahead in the published-versions index.** Reading one shard made the snapshot ask git for every small
  file beside it: ~200 of the 256 shards (2 MB) at 10,000 packages; garbage collection was 238 ms at 100
  packages and 610 ms at 10,000 in loaded-machine profiles (287 and 485 ms after). Read-ahead is now only inside
  package folders.
- **Listing the whole index folder.** \`ls-tree -r .registry\` lists 512 shards at any size past a few thousand
  packages (15 KB of output at 100, 45 KB at 10,000, and git looks up each shard's size). Now the base listing
  names registry.json, the index head and only the shards of the changed packages; the digest shards' folder is
  listed when the duplicate-content search first asks about a digest (PRs that add packages).
- **One \`ls-tree\` per thing read.** The changed packages, the publishers' profiles, the config and
  registry.json each had their own \`ls-tree\` at the base (and two at the head); each one walks the root and the
  \`publishers\` tree again (10,000 entries at 100,000 packages: ~8 ms of git CPU per command there). Now one
  \`ls-tree -r -t\` per commit lists all of them: a one-package PR runs 8 git processes instead of 13
  (test/review-git-commands.test.ts checks the count and that neither publishers/ nor .registry is listed whole).
- **One pipe write per package** for 300 added packages: \`git cat-file\` was asked for each package's files
  when the first check reached that package (0.9 s of a 27 s profile at load 17 in pipe writes, each one
  waking git). The first read now asks for the small files of the other listed packages too, at most 4 MiB per
  request and 32 MiB held.

Where a PR adding 300 packages spent its time (issue 15, third pass: \`node --cpu-prof\` of an unminified bundle of
src/cli/index.ts, \`strace\` of its pipe writes and process starts, \`GIT_TRACE2_EVENT\` for when each git process
ran, on the 10,000-package fixture at load 7-15), and what was done about each:
- **The release checks ran after the content checks.** version-bump and namespace mostly wait on git (index shards,
  one walk of the base's history, a listing of every package folder, the new namespaces), yet they started only
  once validate and safety had finished: their git processes ran while this process sat idle (19-20 % of the
  profile), and were started with the heap at its largest (each spawn ~70 ms of the main thread at load 8, 15-25 ms
  on a quiet machine, most of it waiting for the child to exec). A check now says \`waitsOnGit\`, and runChecks
  starts such checks with the first check (review/pipeline.ts): the results are still applied, and a failure still
  thrown, in the checks' order, after every started check has finished (test/review-pipeline.test.ts). The history
  walk and the package-folder listing start as soon as version-bump knows the PR adds packages, not after the first
  digest.
- **One round trip per digest shard.** version-bump checked one package after another, and each added package's
  duplicate-content lookup read its digest shard from the base and waited: 183 single-object writes to
  \`git cat-file\` for 300 packages (\`writeUtf8String\`, 6 % of the profile, each write waking git). Packages are
  now checked side by side (mapInOrder, 32 in flight; results in order), so their shard reads go in one write per
  round (66 ms instead of 586 ms of pipe writes in two profiles at the same load).
- **Two git processes for what the base listing could say.** The digest shards' folder was listed by an
  \`ls-tree\` of its own when the first digest was asked about, and 300 packages' published shards (180 paths) made
  the base listing go past 500 paths and split in two. The base listing now names the digest shards' folder when a
  changed package may be new, and the published shards' folder (256 entries at most) instead of more than 32 shard
  paths: 12 git processes instead of 14 for 300 added, 12 instead of 13 for 1 or 30; a one-package bump is
  unchanged (8, test/review-git-commands.test.ts). Checks running side by side that ask for the same folder share
  one listing (GitSnapshot.prefetch; test/git-snapshot.test.ts).
- **Each manifest parsed twice with positions.** validate and version-bump each ran checkManifest (the positional
  YAML parser and the schema) on every changed manifest. validate/manifest-once.ts shares one result per package
  (at most 256 kept; test/manifest-once.test.ts). YAML parsing was still 8-12 % of the main thread's profile after
  it (in src/core/parse, the validate helper's: a plain parse that locates only on an error is theirs to land).
- **Left as it is:** the safety scan (8-20 % of the profile; its prefilter automaton is built once per process,
  ~31 ms on a quiet machine) stays on this thread: its worker threads (checks/safety/threads.ts) scan a directory
  with a DirectorySnapshot per thread, and a review reads the head from git objects, which a worker cannot share
  without changing that module. Garbage collection (7-8 %): a larger young generation (\`--max-semi-space-size\` 16
  or 64) did not lower the CPU time in three runs each.
- **What is left:** \`git diff-tree\` and the two \`ls-tree\` still read the \`publishers\` tree object of each
  commit (one 400 KB object at 100,000 packages: ~8 ms of git CPU each), and the index shards grow with the
  marketplace (256 per kind: ~100 KB each at 100,000 packages); a PR that adds packages still lists every package
  folder once (\`ls-tree -r -d publishers/\`, for packages of the same name under another publisher), which is
  O(packages) in git though one process.

Rerun (a baseline is any checkout with a built dist/cli/index.js; the fixtures are kept and reused; the 100,000-package
one takes ~16 min to generate the first time):

\`\`\`sh
npm run bundle -- cli
git worktree add --detach /tmp/mpa-review-base main   # the baseline: dist/ is committed
BENCH_REVIEW_FIXTURES=/tmp/mpa-review-fixtures BENCH_RUNS=5 BENCH_REVIEW_SIZES=100,10000,100000 \\
  BENCH_BASELINE=/tmp/mpa-review-base BENCH_BASELINE_HEADS=bump,add-300 npm run bench:review
\`\`\`
`

writeBenchmarkSection('## Pull-request review, end to end', section)
writeFileSync(process.stdout.fd, `\n${sizeTable}\n\n${addTable}\n\nwritten to docs/benchmarks.md\n`)
