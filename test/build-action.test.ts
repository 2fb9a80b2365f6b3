// The build-registry action as the runner runs it: dist/build-registry/index.js in its own node
// process, inputs as INPUT_* variables, a push event, outputs, job summary and annotations read
// back from what the runner reads. The marketplace is a real git repository (the workspace), as
// actions/checkout leaves it. (Build first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAction, pushEvent, type ActionRun } from './helpers/actions-runner.js'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { manifestYaml } from './helpers/marketplace.js'
import { registrySchemaErrors } from './helpers/registry.js'

const ZERO_SHA = '0'.repeat(40)

let tmp: string
let repo: MarketplaceRepo

const run = (inputs: Record<string, string> = {}, before = ZERO_SHA): Promise<ActionRun> =>
  runAction('build-registry', { workspace: repo.dir, tmp, event: pushEvent(before, repo.git(['rev-parse', 'HEAD']).trim()), inputs })

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-build-action-'))
  repo = await exampleMarketplaceRepo()
})

afterAll(async () => {
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('on the example marketplace', () => {
  let first: ActionRun
  let second: ActionRun

  beforeAll(async () => {
    first = await run()
    second = await run()
  })

  it('publishes everything on the first run and says what changed', () => {
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.outputs).toEqual({
      registry: path.join(repo.dir, 'registry.json'),
      marketplace: path.join(repo.dir, '.claude-plugin', 'marketplace.json'),
      site: path.join(repo.dir, 'site'),
      errors: '0',
      added: 'alice/code-review,alice/web-deploy,bob/github-review',
      updated: '',
      removed: '',
      changed: 'true',
      summary: 'Registry: add alice/code-review@1.2.0, alice/web-deploy@1.0.0, bob/github-review@0.3.1'
    })
    expect(registrySchemaErrors(JSON.parse(readFileSync(path.join(repo.dir, 'registry.json'), 'utf8')))).toEqual([])
    expect(existsSync(path.join(repo.dir, 'site/.well-known/agent-skills/index.json'))).toBe(true)
    expect(first.summary).toMatch(/^## Registry build: ✅ published\n/)
    expect(first.summary).toContain('<tr><td><code>alice/web-deploy</code></td><td>added</td><td>1.0.0</td></tr>')
  })

  it('commits nothing on a rebuild: changed is false and the files are untouched', () => {
    expect(second.code).toBe(0)
    expect(second.outputs).toMatchObject({ changed: 'false', added: '', updated: '', removed: '', summary: 'Registry: no changes' })
    expect(repo.git(['status', '--porcelain', '--', 'registry.json', '.claude-plugin'])).toBe('?? .claude-plugin/\n?? registry.json\n')
  })
})

describe('a broken manifest on main', () => {
  let lenient: ActionRun
  let strict: ActionRun

  beforeAll(async () => {
    // Commit what the first run produced, as the example workflow does.
    repo.git(['add', 'registry.json', '.claude-plugin/marketplace.json'])
    repo.commit('registry')
    const webDeploy = repo.git(['show', 'HEAD:publishers/alice/web-deploy/manifest.yaml'])
    repo.write('publishers/alice/web-deploy/manifest.yaml', webDeploy.replace('version: "1.0.0"', 'version: 1.1'))
    repo.write('publishers/alice/code-review/manifest.yaml', manifestYaml('code-review', { version: '"1.3.0"' }))
    repo.commit('break web-deploy, bump code-review')
    lenient = await run()
    // Once more from the same previous registry, failing on errors.
    repo.git(['checkout', '-q', '--', 'registry.json', '.claude-plugin/marketplace.json'])
    strict = await run({ 'fail-on-error': 'true', full: 'true' })
  })

  it('annotates the manifest and keeps web-deploy at 1.0.0 while code-review publishes; the step passes', () => {
    expect(lenient.code).toBe(0)
    expect(lenient.outputs).toMatchObject({
      errors: '2',
      updated: 'alice/code-review',
      changed: 'true',
      summary: 'Registry: update alice/code-review@1.3.0'
    })
    const titles = lenient.annotations.map((a) => `${a.level} ${a.properties.title} ${a.properties.file}:${a.properties.line ?? ''}`)
    expect(titles).toEqual([
      'error registry/manifest-invalid (alice/web-deploy) publishers/alice/web-deploy/manifest.yaml:',
      'error manifest/schema (alice/web-deploy) publishers/alice/web-deploy/manifest.yaml:4'
    ])
    expect(lenient.commands).toContainEqual({
      level: 'warning',
      properties: {},
      message: expect.stringMatching(/^2 error\(s\): 1 package\(s\) kept at their last good version/)
    })
    const registry = JSON.parse(readFileSync(path.join(repo.dir, 'registry.json'), 'utf8')) as {
      packages: { name: string; version: string }[]
    }
    expect(registry.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['code-review@1.3.0', 'web-deploy@1.0.0', 'github-review@0.3.1'])
    expect(lenient.summary).toMatch(/^## Registry build: ⚠️ published with errors\n/)
    expect(lenient.summary).toContain('<td>kept at last good version</td>')
  })

  it('with fail-on-error: true the step fails after writing', () => {
    expect(strict.code).toBe(1)
    expect(strict.commands).toContainEqual({ level: 'error', properties: {}, message: expect.stringMatching(/^2 error\(s\)/) })
    expect(strict.outputs.changed).toBe('true')
  })
})

describe('refusals and configuration errors', () => {
  it('refuses a mass removal without writing, unless forced', async () => {
    repo.git(['add', 'registry.json', '.claude-plugin/marketplace.json'])
    repo.commit('registry again')
    repo.remove('publishers/alice')
    repo.commit('alice leaves with two packages')
    const before = readFileSync(path.join(repo.dir, 'registry.json'))
    const refused = await run()
    expect(refused.code).toBe(1)
    expect(refused.outputs).toMatchObject({ changed: 'false', summary: 'Registry: refused to remove 2 of 3 packages' })
    expect(refused.commands.find((c) => c.level === 'error')?.message).toMatch(
      /^Refused: this build would remove 2 of 3 packages; nothing was written/
    )
    expect(readFileSync(path.join(repo.dir, 'registry.json')).equals(before)).toBe(true)
    const forced = await run({ force: 'true' })
    expect(forced.code).toBe(0)
    expect(forced.outputs.removed).toBe('alice/code-review,alice/web-deploy')
  })

  it('reports a bad input or a site folder on top of the repository as a configuration error', async () => {
    const bad = await run({ full: 'maybe' })
    expect(bad.code).toBe(1)
    expect(bad.commands.find((c) => c.level === 'error')?.message).toBe(
      'Configuration error: input `full` is `maybe`; expected true or false'
    )
    const root = await run({ out: '.' })
    expect(root.commands.find((c) => c.level === 'error')?.message).toMatch(
      /^Configuration error: the site folder .* must not be the marketplace root/
    )
  })
})
