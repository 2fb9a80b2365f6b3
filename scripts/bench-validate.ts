// `npm run bench:validate`: `marketplace-actions validate` of BENCH_VALIDATE_SIZE packages
// against ajv-cli on the same manifests, each a whole process, in the same run. ajv-cli only checks
// manifest.yaml against the schema; validate also parses and checks every profile, SKILL.md
// frontmatter and entrypoint, with located findings. Measured on a directory and on the same
// files as a git commit (`--head`, read from git objects). Prints the figures and writes them to
// docs/benchmarks.md. BENCH_BASELINE=<another checkout> adds its dist/cli/index.js as a column.
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

const root = mkdtempSync(path.join(tmpdir(), 'mpa-bench-validate-'))
interface Row {
  what: string
  ms: number
  rssMb: number
}
const rows: Row[] = []

function time(what: string, args: string[], expectStatus = 0): Row {
  const times: number[] = []
  const rss: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const r = runProcess(process.execPath, args, { cwd: root })
    if (r.status !== expectStatus) throw new Error(`${what} exited ${r.status}: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`)
    times.push(r.ms)
    rss.push(r.maxRssMb)
  }
  const row = { what, ms: median(times), rssMb: median(rss) }
  console.log(`${what}: ${(row.ms / 1000).toFixed(2)} s (median of ${RUNS}), ${row.rssMb.toFixed(0)} MB`)
  rows.push(row)
  return row
}

try {
  const bytes = writePackages(root, 0, SIZE)
  execFileSync('git', ['init', '-q', '-b', 'main', root], { env: gitEnv })
  execFileSync('git', ['-C', root, 'add', '-A'], { env: gitEnv })
  execFileSync('git', ['-C', root, 'commit', '-q', '-m', 'marketplace'], { env: gitEnv })
  console.log(`${SIZE} packages, ${(bytes / 1e6).toFixed(1)} MB of package files`)
  const cli = await currentCli()
  const ajv = path.join(process.cwd(), 'node_modules', 'ajv-cli', 'dist', 'index.js')
  const schema = path.join(process.cwd(), 'schemas', 'manifest.schema.json')
  const ajvRow = time('ajv-cli validate (manifest.yaml against the schema only)', [
    ajv,
    'validate',
    '--spec=draft2020',
    '-c',
    'ajv-formats',
    '--strict=false',
    '-s',
    schema,
    '-d',
    'publishers/*/*/manifest.yaml'
  ])
  const dirRow = time('marketplace-actions validate, directory', [cli, 'validate', '--root', root, '--no-color'])
  const gitRow = time('marketplace-actions validate --head HEAD, git objects', [
    cli,
    'validate',
    '--root',
    root,
    '--head',
    'HEAD',
    '--no-color'
  ])
  const base = BASELINE === undefined ? undefined : path.join(BASELINE, 'dist', 'cli', 'index.js')
  const baseDir = base ? time(`baseline (${BASELINE}) validate, directory`, [base, 'validate', '--root', root, '--no-color']) : undefined
  const baseGit = base
    ? time(`baseline (${BASELINE}) validate --head HEAD`, [base, 'validate', '--root', root, '--head', 'HEAD', '--no-color'])
    : undefined

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const table = [
    '| command (whole process) | wall (median) | peak RSS | ajv-cli ÷ this |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.what} | ${s(r.ms)} | ${r.rssMb.toFixed(0)} MB | ${(ajvRow.ms / r.ms).toFixed(2)}× |`)
  ].join('\n')
  const section = `## Validate against ajv-cli

Measured by \`npm run bench:validate\` (scripts/bench-validate.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, median of ${RUNS} runs,
load average ${loadAverage()} at the end (2 shared cores: read the ratios). ${SIZE.toLocaleString('en')} packages from
scripts/bench-packages.ts (${(bytes / 1e6).toFixed(1)} MB of files), on disk and committed to git. ajv-cli 5 checks each
manifest.yaml against schemas/manifest.schema.json and nothing else; \`validate\` also checks every profile.json, SKILL.md
frontmatter and entrypoint, the layout and the names, and locates each finding.

${table}

Where the time went (\`node --cpu-prof\` of \`validate\` on 1,000 of these packages in a directory, \`strace -c\`), and
what was done about each:
- **40 % idle**: every file is opened, checked and read one await after another on libuv's thread pool, one
  package after another. Not changed yet: reading a package's files concurrently is the next step.
- **20 % in \`lstat\`**: the directory snapshot checked every folder above a path for links on every list, stat
  and read (15 calls per package; 150,000 for 10,000). It now checks each folder once per run: 6,983 \`statx\`
  calls for 1,000 packages.
- **~7 % YAML parsing with positions** (the \`yaml\` document API, for located findings). Not changed: parsing
  fast and locating only when a schema error needs a position is still to do (src/core/parse/located.ts).
- **~10 % loading modules and compiling schemas**: the lead's esbuild bundles and build-time validators.
- **Git objects (\`--head\`)** ran one \`ls-tree\` per package (98 s for 10,000 in issue 15): now one listing of
  \`publishers/\` for the run, answered from memory per package, and each folder's files asked of \`git cat-file\`
  in one round trip.
${baseDir && baseGit ? `\nAgainst the baseline in the same run: directory ${(baseDir.ms / dirRow.ms).toFixed(2)}× faster, git objects ${(baseGit.ms / gitRow.ms).toFixed(2)}× faster.\n` : ''}`
  writeBenchmarkSection('## Validate against ajv-cli', section)
  console.log(`\n${table}\n\nwritten to docs/benchmarks.md`)
} finally {
  rmSync(root, { recursive: true, force: true })
}
