// `npm run bench:re-audit`: a whole-marketplace re-audit split over an Actions matrix, simulated
// on this machine. Builds a realistic marketplace (a couple of KB of SKILL.md prose per package,
// a tool script in a third of them, ten packages per publisher) as one git repository, then runs
// what the jobs of .github re-audit workflow run, each as its own process of the bundled CLI
// (dist/cli/index.js): `review --shard i/N` for every shard (one after another: each is timed on
// its own, as if it had a runner to itself), then `merge`. It also times the process start and the
// fixed cost of a shard at 100,000 packages (listing the whole marketplace, on a second, bare
// repository of that size), and projects the wall time of a 100,000-package re-audit on a 20-job
// matrix. Prints the figures and writes them to docs/benchmarks.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { shardOf } from '../src/core/review/shard.js'
import { median, writeBenchmarkSection } from './bench-common.js'
import { PER_PUBLISHER, gitEnv as env, random as rng } from './bench-packages.js'

const SIZE = Number(process.env.BENCH_SIZE ?? 2000)
const SHARDS = Number(process.env.BENCH_SHARDS ?? 4)
const LISTING_SIZE = Number(process.env.BENCH_LISTING_SIZE ?? 100000)
const TARGET_PACKAGES = 100000
const TARGET_JOBS = 20
/** Stated, not measured here: a hosted runner's job start, checkout of one commit (depth 1) and the action's download. */
const JOB_OVERHEAD_S = Number(process.env.BENCH_JOB_OVERHEAD_S ?? 60)
/** Stated: uploading one report artifact per shard job, downloading all of them in the merge job. */
const ARTIFACT_OVERHEAD_S = Number(process.env.BENCH_ARTIFACT_OVERHEAD_S ?? 15)
const CLI = path.join(process.cwd(), 'dist', 'cli', 'index.js')

const WORDS = (
  'the a skill helps you review change files project tests commit branch release notes summary table data report ' +
  'when before after each every only first then also check write read update format list steps run output input ' +
  'document section heading example user team repository issue pull request label version changelog build lint ' +
  'type error warning message context clear short long plain markdown json yaml field value name date time owner'
).split(' ')

function sentence(r: () => number): string {
  const n = 8 + Math.floor(r() * 12)
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)] as string)
  const s = words.join(' ')
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`
}

/** About 2 KB of instructions: headings, paragraphs, a list and a harmless example. */
function skillMd(name: string, r: () => number, tool: boolean): string {
  const para = () => Array.from({ length: 3 + Math.floor(r() * 3) }, () => sentence(r)).join(' ')
  return [
    '---',
    `name: ${name}`,
    `description: ${sentence(r)} Use it when the user asks about ${name.replace(/-/g, ' ')}.`,
    '---',
    '',
    `# ${name}`,
    '',
    para(),
    '',
    '## When to use it',
    '',
    para(),
    '',
    '## Steps',
    '',
    ...Array.from({ length: 4 }, (_, i) => `${i + 1}. ${sentence(r)}`),
    '',
    '## Example',
    '',
    '```bash',
    tool ? `node scripts/${name}.ts --format json < notes.txt` : 'git log --oneline -5',
    '```',
    '',
    para(),
    ''
  ].join('\n')
}

function toolTs(name: string): string {
  return `// ${name}: turns lines of notes into a small JSON summary.
import { readFileSync } from 'node:fs'

interface Summary {
  lines: number
  words: number
  headings: string[]
}

export function summarise(text: string): Summary {
  const lines = text.split('\\n')
  return {
    lines: lines.length,
    words: text.split(/\\s+/).filter(Boolean).length,
    headings: lines.filter((l) => l.startsWith('#')).map((l) => l.replace(/^#+\\s*/, ''))
  }
}

const format = process.argv.includes('--format') ? process.argv[process.argv.indexOf('--format') + 1] : 'json'
const summary = summarise(readFileSync(0, 'utf8'))
console.log(format === 'json' ? JSON.stringify(summary, null, 2) : \`\${summary.lines} lines\`)
`
}

function manifest(name: string, description: string): string {
  return `name: ${name}\ntype: skill\nversion: "1.0.0"\ndescription: ${JSON.stringify(description)}\ntags: [notes, review]\nentrypoint: SKILL.md\n`
}

function inline(p: string, content: string): string[] {
  return [`M 100644 inline ${p}`, `data ${Buffer.byteLength(content)}`, content]
}

/** A marketplace of `size` packages in one commit; `realistic` false writes tiny packages (listing cost only). */
function buildRepo(size: number, realistic: boolean): { dir: string; bytes: number; seconds: number } {
  const started = performance.now()
  const dir = mkdtempSync(path.join(tmpdir(), `mpa-bench-re-audit-${size}-`))
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env })
  const r = rng(size)
  const lines = ['commit refs/heads/main', 'committer b <b@b> 1700000000 +0000', 'data 11', 'marketplace']
  let bytes = 0
  for (let i = 0; i < size; i++) {
    const login = `publisher-${Math.floor(i / PER_PUBLISHER)}`
    const name = `package-${i}`
    const dirName = `publishers/${login}/${name}`
    if (i % PER_PUBLISHER === 0)
      lines.push(...inline(`publishers/${login}/profile.json`, JSON.stringify({ name: `Publisher ${login}`, login })))
    const tool = i % 3 === 0
    const files: [string, string][] = realistic
      ? [
          ['manifest.yaml', manifest(name, `Helps with ${name}: notes, summaries and checks.`)],
          ['SKILL.md', skillMd(name, r, tool)],
          ...(tool ? ([[`scripts/${name}.ts`, toolTs(name)]] as [string, string][]) : [])
        ]
      : [
          ['manifest.yaml', manifest(name, `Package ${name}.`)],
          ['SKILL.md', `---\nname: ${name}\ndescription: Package ${name}.\n---\n\n# ${name}\n`]
        ]
    for (const [file, content] of files) {
      lines.push(...inline(`${dirName}/${file}`, content))
      bytes += Buffer.byteLength(content)
    }
  }
  const res = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: `${lines.join('\n')}\n\n`, env, maxBuffer: 1 << 30 })
  if (res.status !== 0) throw new Error(`fast-import failed: ${res.stderr}`)
  return { dir, bytes, seconds: (performance.now() - started) / 1000 }
}

interface Run {
  seconds: number
  code: number | null
  stdout: string
  stderr: string
}

function cli(args: string[], cwd: string): Run {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 })
  return { seconds: (performance.now() - t0) / 1000, code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function ok(run: Run, what: string): Run {
  if (run.code !== 0 && run.code !== 1) throw new Error(`${what} failed (exit ${run.code}): ${run.stderr}`)
  return run
}

const s = (x: number) => `${x.toFixed(2)} s`
const load = () => loadavg()[0]?.toFixed(1) ?? '?'
const loadBefore = load()

// Process start: what every job pays before any work.
const startup = median(Array.from({ length: 5 }, () => ok(cli(['--version'], process.cwd()), '--version').seconds))

const repo = buildRepo(SIZE, true)
const out = mkdtempSync(path.join(tmpdir(), 'mpa-bench-re-audit-out-'))
const listing = LISTING_SIZE > 0 ? buildRepo(LISTING_SIZE, false) : undefined
try {
  console.log(`${SIZE} packages (${(repo.bytes / 1e6).toFixed(1)} MB of package files) built in ${s(repo.seconds)}`)
  const shards: { index: number; packages: number; seconds: number; findings: number }[] = []
  for (let i = 1; i <= SHARDS; i++) {
    const file = path.join(out, `shard-${i}.json`)
    const run = ok(cli(['review', '--shard', `${i}/${SHARDS}`, '--json', file, '--no-color'], repo.dir), `shard ${i}`)
    const review = JSON.parse(readFileSync(file, 'utf8')) as { packages: unknown[]; findings: unknown[] }
    shards.push({ index: i, packages: review.packages.length, seconds: run.seconds, findings: review.findings.length })
    console.log(`shard ${i}/${SHARDS}: ${review.packages.length} packages in ${s(run.seconds)}, ${review.findings.length} findings`)
  }
  const merge = ok(
    cli(['merge', out, '--json', path.join(out, 'merged.json'), '--sarif', path.join(out, 'merged.sarif'), '--no-color'], out),
    'merge'
  )
  const merged = JSON.parse(readFileSync(path.join(out, 'merged.json'), 'utf8')) as {
    packages: unknown[]
    findings: unknown[]
    verdict: string
  }
  console.log(`merge of ${SHARDS} reports: ${merged.packages.length} packages, ${merged.findings.length} findings in ${s(merge.seconds)}`)
  // A tiny shard at the same size: the fixed cost of any shard (start, list every package, config).
  const tiny = ok(cli(['review', '--shard', '1/1000', '--json', path.join(out, 'tiny.json'), '--no-color'], repo.dir), 'tiny shard')
  const tinyPackages = (JSON.parse(readFileSync(path.join(out, 'tiny.json'), 'utf8')) as { packages: unknown[] }).packages.length
  // One job over every package, for comparison (BENCH_WHOLE=1; it costs as much as all shards together).
  const whole =
    process.env.BENCH_WHOLE === '1'
      ? ok(cli(['review', '--all', '--json', path.join(out, 'whole.json'), '--no-color'], repo.dir), 'whole')
      : undefined
  console.log(`a shard of ${tinyPackages} packages: ${s(tiny.seconds)}${whole ? `; one job over all ${SIZE}: ${s(whole.seconds)}` : ''}`)

  const checked = shards.reduce((n, x) => n + x.packages, 0)
  const shardSeconds = shards.reduce((n, x) => n + x.seconds, 0)
  const perPackage = (shardSeconds - SHARDS * tiny.seconds) / (checked - SHARDS * tinyPackages)
  const fixedHere = tiny.seconds - tinyPackages * perPackage

  // The fixed cost at 100,000 packages, measured on a bare repository of that size.
  let fixedAtTarget: number
  let fixedHow: string
  if (listing) {
    const big = ok(cli(['review', '--shard', '1/1000', '--json', path.join(out, 'big.json'), '--no-color'], listing.dir), 'listing shard')
    const bigPackages = (JSON.parse(readFileSync(path.join(out, 'big.json'), 'utf8')) as { packages: unknown[] }).packages.length
    fixedAtTarget = big.seconds - bigPackages * perPackage
    fixedHow = `measured: \`review --shard 1/1000\` on a ${LISTING_SIZE.toLocaleString('en')}-package repository took ${s(big.seconds)} for ${bigPackages} packages`
    console.log(`a shard of ${bigPackages} packages in a ${LISTING_SIZE}-package marketplace: ${s(big.seconds)}`)
  } else {
    fixedAtTarget = fixedHere * (TARGET_PACKAGES / SIZE)
    fixedHow = `extrapolated linearly from ${SIZE.toLocaleString('en')} packages`
  }

  // The largest of the 20 shards of 100,000 real ids decides the matrix's wall time.
  const counts = new Array<number>(TARGET_JOBS + 1).fill(0)
  for (let i = 0; i < TARGET_PACKAGES; i++) {
    const k = shardOf(`publisher-${Math.floor(i / PER_PUBLISHER)}/package-${i}`, TARGET_JOBS)
    counts[k] = (counts[k] ?? 0) + 1
  }
  const largest = Math.max(...counts)
  const shardAtTarget = fixedAtTarget + perPackage * largest
  // Merging is a process start plus work linear in the packages and findings of the reports.
  const mergeAtTarget = startup + Math.max(0, merge.seconds - startup) * (TARGET_PACKAGES / SIZE)
  const total = JOB_OVERHEAD_S + shardAtTarget + ARTIFACT_OVERHEAD_S + JOB_OVERHEAD_S + mergeAtTarget
  const verdict = total <= 600 ? 'within' : 'over'

  const table = [
    '| step | packages | wall time |',
    '| --- | ---: | ---: |',
    `| process start (\`--version\`, median of 5) | — | ${s(startup)} |`,
    ...shards.map((x) => `| \`review --shard ${x.index}/${SHARDS}\` | ${x.packages.toLocaleString('en')} | ${s(x.seconds)} |`),
    `| \`merge\` of the ${SHARDS} reports | ${merged.packages.length.toLocaleString('en')} | ${s(merge.seconds)} |`,
    ...(whole ? [`| one job, \`review --all\` | ${SIZE.toLocaleString('en')} | ${s(whole.seconds)} |`] : []),
    `| \`review --shard 1/1000\` (fixed cost of a shard) | ${tinyPackages} | ${s(tiny.seconds)} |`
  ].join('\n')
  const projection = [
    '| term | how | seconds |',
    '| --- | --- | ---: |',
    `| per-package cost | (sum of shard times − ${SHARDS} × the fixed cost) / packages checked | ${(perPackage * 1000).toFixed(2)} ms |`,
    `| fixed cost of a shard at ${TARGET_PACKAGES.toLocaleString('en')} | start, config, listing every package (${fixedHow}) | ${fixedAtTarget.toFixed(1)} |`,
    `| largest of ${TARGET_JOBS} shards | SHA-256 partition of ${TARGET_PACKAGES.toLocaleString('en')} ids: ${largest.toLocaleString('en')} packages (mean ${(TARGET_PACKAGES / TARGET_JOBS).toLocaleString('en')}) × per-package cost + fixed cost | ${shardAtTarget.toFixed(1)} |`,
    `| merge | process start + (measured merge − start) × ${TARGET_PACKAGES.toLocaleString('en')} / ${SIZE.toLocaleString('en')} (linear in packages and findings) | ${mergeAtTarget.toFixed(1)} |`,
    `| job overhead, twice (shard job, then merge job) | stated, not measured: runner start, checkout of one commit, action download | ${(2 * JOB_OVERHEAD_S).toFixed(0)} |`,
    `| artifacts | stated: upload per shard, download in the merge job | ${ARTIFACT_OVERHEAD_S.toFixed(0)} |`,
    `| **re-audit of ${TARGET_PACKAGES.toLocaleString('en')} packages on ${TARGET_JOBS} jobs** | sum | **${total.toFixed(0)} s (${(total / 60).toFixed(1)} min)** |`
  ].join('\n')

  const section = `## Re-audit on an Actions matrix

Measured by \`npm run bench:re-audit\` (scripts/bench-re-audit.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.
A marketplace of ${SIZE.toLocaleString('en')} packages in one git commit (${(repo.bytes / 1e6).toFixed(1)} MB of package files: ~2 KB of
SKILL.md prose each, a TypeScript tool script in a third, ten packages per publisher), re-audited
as the jobs of \`examples/workflows/re-audit.yml\` do: each shard is its own process of the bundled
CLI (\`review --shard i/${SHARDS}\`: manifests, profiles, entrypoints and the safety scan), run one after
another so each is timed alone, then \`merge\` of their reports. The merged review has
${merged.packages.length.toLocaleString('en')} packages and ${merged.findings.length} findings (verdict ${merged.verdict}). The machine is
shared: its 1-minute load average was ${loadBefore} at the start and ${load()} at the end, on 2 cores, so
absolute times here are inflated by that factor compared with a runner of its own.

${table}

Projection for ${TARGET_PACKAGES.toLocaleString('en')} packages on a ${TARGET_JOBS}-job matrix (jobs run in parallel, so the
wall time is one shard job plus the merge job):

${projection}

Goal ≤ 10 minutes: **${verdict}**. Every shard lists the whole marketplace (a package's shard is a
function of its id, so the listing cannot be split); that fixed cost does not shrink with more
jobs, while the per-package work does. The job overhead is an assumption about hosted runners,
not a figure from this machine.
`
  writeBenchmarkSection('## Re-audit on an Actions matrix', section)
  console.log(`\n${table}\n\n${projection}\n\nwritten to docs/benchmarks.md`)
} finally {
  rmSync(repo.dir, { recursive: true, force: true })
  rmSync(out, { recursive: true, force: true })
  if (listing) rmSync(listing.dir, { recursive: true, force: true })
}
