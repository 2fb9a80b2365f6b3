// `npm run bench`: what a review of one changed package costs as the marketplace grows.
// Builds git marketplaces of 10 to 100,000 packages (one fast-import stream each), changes one
// package in a second commit, and times `validate --base --head` over it. Prints the figures and
// writes them to docs/benchmarks.md. Ratios within one run are what to read: machines are noisy.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { validateSource } from '../src/core/review/source.js'
import { onGitCommand } from '../src/core/git/git.js'
import { median, writeBenchmarkSection } from './bench-common.js'

const SIZES = (process.env.BENCH_SIZES ?? '10,1000,10000,100000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const PER_PUBLISHER = 10

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b'
}

function manifest(name: string, version: string): string {
  return `name: ${name}\ntype: skill\nversion: "${version}"\ndescription: Benchmark package ${name}.\nentrypoint: SKILL.md\n`
}

function skill(name: string): string {
  return `---\nname: ${name}\ndescription: Benchmark skill ${name}.\n---\n\n# ${name}\n`
}

/** A repository with `size` packages at commit 1 and one of them bumped at commit 2. */
function buildRepo(size: number): { dir: string; base: string; head: string; seconds: number } {
  const started = performance.now()
  const dir = mkdtempSync(path.join(tmpdir(), `mpa-bench-${size}-`))
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env })
  const parts: string[] = ['commit refs/heads/main', 'committer b <b@b> 1700000000 +0000', 'data 4', 'base']
  const files: string[] = []
  for (let i = 0; i < size; i++) {
    const login = `publisher-${Math.floor(i / PER_PUBLISHER)}`
    const name = `package-${i}`
    const dirName = `publishers/${login}/${name}`
    if (i % PER_PUBLISHER === 0)
      files.push(
        `M 100644 inline publishers/${login}/profile.json`,
        `data ${Buffer.byteLength(`{"name":"${login}"}`)}`,
        `{"name":"${login}"}`
      )
    for (const [file, content] of [
      ['manifest.yaml', manifest(name, '1.0.0')],
      ['SKILL.md', skill(name)]
    ] as const) {
      files.push(`M 100644 inline ${dirName}/${file}`, `data ${Buffer.byteLength(content)}`, content)
    }
  }
  const changed = `publishers/publisher-0/package-0`
  const second = ['commit refs/heads/main', 'committer b <b@b> 1700000100 +0000', 'data 4', 'bump']
  const bumped = manifest('package-0', '1.1.0')
  second.push(`M 100644 inline ${changed}/manifest.yaml`, `data ${Buffer.byteLength(bumped)}`, bumped)
  const stream = `${[...parts, ...files, ''].join('\n')}\n${second.join('\n')}\n\n`
  const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: stream, env, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`)
  const head = execFileSync('git', ['-C', dir, 'rev-parse', 'main'], { env }).toString().trim()
  const base = execFileSync('git', ['-C', dir, 'rev-parse', 'main^'], { env }).toString().trim()
  return { dir, base, head, seconds: (performance.now() - started) / 1000 }
}

interface Row {
  size: number
  files: number
  buildSeconds: number
  medianMs: number
  gitCommands: number
  pathsListed: number
  packagesReviewed: number
}

const rows: Row[] = []
for (const size of SIZES) {
  const repo = buildRepo(size)
  try {
    const times: number[] = []
    let commands = 0
    let packagesReviewed = 0
    const listed = new Set<string>()
    for (let run = 0; run < RUNS; run++) {
      const seen: string[][] = []
      const stop = onGitCommand((c) => seen.push([...c.args]))
      const t0 = performance.now()
      const review = await validateSource({ kind: 'git', repo: repo.dir, base: repo.base, head: repo.head }, { toolVersion: 'bench' })
      times.push(performance.now() - t0)
      stop()
      if (review.verdict !== 'pass') throw new Error(`benchmark review failed: ${JSON.stringify(review.findings[0])}`)
      commands = seen.length
      packagesReviewed = review.packages.length
      // Every path argument given to ls-tree: what the review asked git to list.
      for (const args of seen) if (args.includes('ls-tree')) for (const a of args.slice(args.indexOf('--') + 1)) listed.add(a)
    }
    rows.push({
      size,
      files: size * 2 + Math.ceil(size / PER_PUBLISHER),
      buildSeconds: repo.seconds,
      medianMs: median(times),
      gitCommands: commands,
      pathsListed: listed.size,
      packagesReviewed
    })
    console.log(
      `${size} packages: review of 1 changed package ${median(times).toFixed(1)} ms (median of ${RUNS}), ${commands} git commands`
    )
  } finally {
    rmSync(repo.dir, { recursive: true, force: true })
  }
}

const first = rows[0] as Row
const table = [
  '| packages | files | review of 1 changed package (median) | vs smallest | git commands | paths given to ls-tree | packages reviewed |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.size.toLocaleString('en')} | ${r.files.toLocaleString('en')} | ${r.medianMs.toFixed(1)} ms | ${(r.medianMs / first.medianMs).toFixed(2)}× | ${r.gitCommands} | ${r.pathsListed} | ${r.packagesReviewed} |`
  )
].join('\n')

const section = `## Review cost against marketplace size

Measured by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${RUNS} runs per size.
Each marketplace is a real git repository; the second commit bumps one package's version. The
review is \`validate --base <first> --head <second>\` read from git objects, **in process** (the core's
validateSource, called from the benchmark: no process start, no module loading). What a user waits
for, the whole \`review\` command as a process, is in "Pull-request review, end to end" below.

${table}

The review runs the same git commands at every size (one diff-tree, ls-tree of the changed
package and its publisher's profile only), so its cost does not grow with the marketplace: the
ratio column stays near 1×, and what moves it is git's own object lookup in a larger pack.
`

writeBenchmarkSection('## Review cost against marketplace size', section)
console.log(`\n${table}\n\nwritten to docs/benchmarks.md`)
