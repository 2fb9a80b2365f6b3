// `npm run bench:startup`: how long each bundle takes to answer when it has nothing to do: the CLI
// printing `--version` and each action failing on a bad input. That is the floor of every run a user
// makes, paid once per command or workflow step. Figures are the median wall time of interleaved runs,
// beside `node -e 0` (Node's own start-up) measured in the same loop.
//
//   BEFORE_DIST=/path/to/old/dist npm run bench:startup    also times an older set of bundles
//   RUNS=N                                                   runs per command (default 21)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { median, writeBenchmarkSection } from './bench-common.js'

const RUNS = Number(process.env.RUNS ?? 21)
const root = process.cwd()

interface Case {
  name: string
  args: (dist: string) => string[]
  env?: Record<string, string>
}

// A value `integerInput` refuses: the checking actions stop while reading their inputs.
const BAD_INPUT = { 'INPUT_MAX-ANNOTATIONS': 'lots' }

const CASES: Case[] = [
  { name: 'cli --version', args: (d) => [path.join(d, 'cli/index.js'), '--version'] },
  { name: 'cli --help', args: (d) => [path.join(d, 'cli/index.js'), '--help'] },
  { name: 'cli validate --bad-flag', args: (d) => [path.join(d, 'cli/index.js'), 'validate', '--bad-flag'] },
  ...['review', 'validate-manifest', 'safety-scan', 'version-bump-check', 'build-registry'].map((name) => ({
    name: `${name} (bad input)`,
    args: (d: string) => [path.join(d, name, 'index.js')],
    env: BAD_INPUT
  })),
  { name: 'comment (no token)', args: (d) => [path.join(d, 'comment/index.js')] },
  { name: 'aggregate-scores (no stats input)', args: (d) => [path.join(d, 'aggregate-scores/index.js')] }
]

function timeOnce(args: string[], env: Record<string, string>, cwd: string): number {
  const start = performance.now()
  const r = spawnSync(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' })
  const ms = performance.now() - start
  if (r.error) throw r.error
  return ms
}

function main(): void {
  const dists: Record<string, string> = { now: path.join(root, 'dist') }
  if (process.env.BEFORE_DIST) dists.before = path.resolve(process.env.BEFORE_DIST)
  // An empty folder as the working directory and workspace: nothing to read, nothing written.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'))
  const env = { GITHUB_WORKSPACE: cwd, RUNNER_TEMP: cwd }
  try {
    const samples = new Map<string, number[]>()
    const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms])
    for (let i = 0; i < RUNS; i++) {
      add('node -e 0', timeOnce(['-e', '0'], env, cwd))
      for (const c of CASES)
        for (const [label, dist] of Object.entries(dists)) add(`${label}\0${c.name}`, timeOnce(c.args(dist), { ...env, ...c.env }, cwd))
    }
    const node = median(samples.get('node -e 0') ?? [])
    const labels = Object.keys(dists)
    const header = `| command | ${labels.map((l) => `${l} (ms)`).join(' | ')} | now minus \`node -e 0\` |`
    const rows = CASES.map((c) => {
      const figures = labels.map((l) => median(samples.get(`${l}\0${c.name}`) ?? []))
      const now = figures[0] as number
      return `| ${c.name} | ${figures.map((f) => f.toFixed(0)).join(' | ')} | ${(now - node).toFixed(0)} |`
    })
    const table = [
      header,
      `| --- |${labels.map(() => ' ---: |').join('')} ---: |`,
      `| \`node -e 0\` | ${labels.map(() => node.toFixed(0)).join(' | ')} | 0 |`,
      ...rows
    ].join('\n')
    console.log(table)
    const section = [
      '## Cold start (`npm run bench:startup`)',
      '',
      `Median wall time of ${RUNS} interleaved runs of each bundle with nothing to do (the CLI's \`--version\`, \`--help\` and a`,
      'usage error; each action failing on a bad input), beside `node -e 0` in the same loop. Goal: at most 150 ms each.',
      process.env.BEFORE_DIST ? `"before" is the bundles in \`${process.env.BEFORE_DIST}\`.` : '',
      '',
      table,
      '',
      'Where the time went before (`node --cpu-prof` of the ncc bundles of cd9ce37): every bundle evaluated all of its ~240',
      'modules at start; `@actions/core` alone pulled in undici (400 KB) through its OIDC client, ~130 ms of CPU;',
      "and each review compiled its JSON Schemas with ajv (110-145 ms). Now each command and each action's engine",
      'is a dynamic import made after the options or inputs are read, the OIDC client is left out of the bundles,',
      'and the schemas are compiled at generate time into one module per schema (`src/generated/validators/`, ajv standalone code).',
      ''
    ].join('\n')
    writeBenchmarkSection('## Cold start', section)
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
}

main()
