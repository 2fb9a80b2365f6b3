// `npm run bench:registry`: what a registry build costs, full against incremental, as the
// marketplace grows. Builds git marketplaces of BENCH_SIZES packages (one fast-import stream
// each; every tenth package has a tool file, so it is served as an archive), runs the first
// (full) build with an empty site folder, then bumps one package and times an incremental build
// and a full build of that commit from the same previous outputs. Checks that both give the same
// bytes, prints the figures and writes them to docs/benchmarks.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildRegistry } from '../src/core/registry/build/build.js'
import { onGitCommand } from '../src/core/git/git.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import { median, writeBenchmarkSection } from './bench-common.js'

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
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

const manifest = (name: string, version: string, entry: string) =>
  `name: ${name}\ntype: skill\nversion: "${version}"\ndescription: Benchmark package ${name}.\ntags: [bench]\nentrypoint: ${entry}\n`
const skill = (name: string) => `---\nname: ${name}\ndescription: Benchmark skill ${name}.\n---\n\n# ${name}\n\nInstructions.\n`

function inline(path: string, content: string): string[] {
  return [`M 100644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content]
}

/** `size` packages at commit 1; package-0 bumped at commit 2. */
function buildRepo(size: number): { dir: string; head: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `mpa-bench-registry-${size}-`))
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env })
  const first = ['commit refs/heads/main', 'committer b <b@b> 1700000000 +0000', 'data 4', 'base']
  for (let i = 0; i < size; i++) {
    const login = `publisher-${Math.floor(i / PER_PUBLISHER)}`
    const name = `package-${i}`
    const dirName = `publishers/${login}/${name}`
    if (i % PER_PUBLISHER === 0) first.push(...inline(`publishers/${login}/profile.json`, `{"name":"${login}"}`))
    const tool = i % 10 === 5
    first.push(
      ...inline(`${dirName}/manifest.yaml`, manifest(name, '1.0.0', tool ? 'tool.ts' : 'SKILL.md')),
      ...inline(`${dirName}/SKILL.md`, skill(name))
    )
    if (tool) first.push(...inline(`${dirName}/tool.ts`, `export const id = ${i}\n`))
  }
  const second = ['commit refs/heads/main', 'committer b <b@b> 1700000100 +0000', 'data 4', 'bump']
  second.push(...inline('publishers/publisher-0/package-0/manifest.yaml', manifest('package-0', '1.1.0', 'SKILL.md')))
  second.push(...inline('publishers/publisher-0/package-0/SKILL.md', `${skill('package-0')}\nBetter instructions.\n`))
  const stream = `${[...first, ''].join('\n')}\n${second.join('\n')}\n\n`
  const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: stream, env, maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`)
  execFileSync('git', ['-C', dir, 'checkout', '-q', '-f', 'main'], { env })
  return { dir, head: execFileSync('git', ['-C', dir, 'rev-parse', 'main'], { env }).toString().trim() }
}

interface Timed {
  ms: number
  packagesRead: number
  gitCommands: number
  written: number
}

/** One build into copies of the given outputs, so every run starts from the same previous state. */
async function timedBuild(repo: string, outputs: string, full: boolean, head: string): Promise<Timed & { dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-bench-out-'))
  cpSync(outputs, dir, { recursive: true })
  const out = new RegistryOutputs(path.join(dir, 'root'), path.join(dir, 'site'))
  let gitCommands = 0
  const stop = onGitCommand(() => gitCommands++)
  const t0 = performance.now()
  const result = await buildRegistry({ repo, head, full, toolVersion: 'bench', outputs: out })
  const applied = await out.apply(result)
  const ms = performance.now() - t0
  stop()
  if (result.findings.some((f) => f.severity === 'error')) throw new Error(`benchmark build failed: ${JSON.stringify(result.findings[0])}`)
  return { ms, packagesRead: result.packagesRead, gitCommands, written: applied.written.length, dir }
}

interface Row {
  size: number
  first: Timed
  incremental: Timed
  full: Timed
}

const rows: Row[] = []
for (const size of SIZES) {
  const repo = buildRepo(size)
  const base = mkdtempSync(path.join(tmpdir(), 'mpa-bench-base-'))
  try {
    const first = await timedBuild(repo.dir, base, false, 'main~1')
    const previous = first.dir
    const inc: (Timed & { dir: string })[] = []
    const full: (Timed & { dir: string })[] = []
    for (let run = 0; run < RUNS; run++) {
      inc.push(await timedBuild(repo.dir, previous, false, repo.head))
      full.push(await timedBuild(repo.dir, previous, true, repo.head))
    }
    const a = inc[0] as Timed & { dir: string }
    const b = full[0] as Timed & { dir: string }
    const diff = spawnSync('diff', ['-r', '-q', a.dir, b.dir], { encoding: 'utf8' })
    if (diff.status !== 0) throw new Error(`incremental and full builds differ:\n${diff.stdout}`)
    const pick = (xs: Timed[]): Timed => ({ ...(xs[0] as Timed), ms: median(xs.map((x) => x.ms)) })
    rows.push({ size, first, incremental: pick(inc), full: pick(full) })
    console.log(
      `${size} packages: first build ${first.ms.toFixed(0)} ms, incremental ${pick(inc).ms.toFixed(0)} ms, full ${pick(full).ms.toFixed(0)} ms (medians of ${RUNS})`
    )
    for (const d of [previous, ...inc.map((x) => x.dir), ...full.map((x) => x.dir)]) rmSync(d, { recursive: true, force: true })
  } finally {
    rmSync(repo.dir, { recursive: true, force: true })
    rmSync(base, { recursive: true, force: true })
  }
}

const ms = (t: Timed) => `${t.ms >= 1000 ? `${(t.ms / 1000).toFixed(2)} s` : `${t.ms.toFixed(0)} ms`}`
const table = [
  '| packages | first build (empty site) | incremental, 1 package changed | full, same commit | incremental / full | packages read (incr. / full) | git commands (incr. / full) | files written (incr.) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.size.toLocaleString('en')} | ${ms(r.first)} | ${ms(r.incremental)} | ${ms(r.full)} | ${(r.incremental.ms / r.full.ms).toFixed(2)} | ${r.incremental.packagesRead} / ${r.full.packagesRead.toLocaleString('en')} | ${r.incremental.gitCommands} / ${r.full.gitCommands.toLocaleString('en')} | ${r.incremental.written} |`
  )
].join('\n')

const HEADING = '## Registry build: incremental against full'
const section = `${HEADING}

Measured by \`npm run bench:registry\` (scripts/bench-registry.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, median of ${RUNS} runs.
Each marketplace is a real git repository (10 packages per publisher, every tenth with a tool
file, so served as a .tar.gz); the second commit bumps one package. The first build starts
without registry.json or a site folder; the incremental and full builds of the second commit
start from its outputs, and are checked to write the same bytes.

${table}

The incremental build reads only the changed package from git (one \`git diff-tree\`, one
\`ls-tree\` of the package, one \`git log\` for its publish date); the full build lists every
package with one \`ls-tree -r\` and reads every file through one \`cat-file --batch\`, so its cost
is the bytes it reads, not the number of git commands. What still grows with the marketplace in
an incremental build is local file work: parsing and checking the previous registry.json,
verifying the SHA-256 of every unchanged artifact before reusing it, and comparing the indexes
before writing them. The first build also writes every file of the site.
`

writeBenchmarkSection(HEADING, section)
console.log(`\n${table}\n\nwritten to docs/benchmarks.md`)
