// The version-bump-check action as the runner runs it: dist/version-bump-check/index.js in its own
// node process, inputs as INPUT_* variables, a real pull_request event payload naming the author,
// and the outputs, annotations, job summary and report read back. The marketplace is a real git
// repository with pull-request branches by different authors. (Build first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAction, pullRequestEvent, pushEvent, type ActionRun, type ActionRunOptions } from './helpers/actions-runner.js'
import { countsOf, reviewSchemaErrors, type ReviewDoc } from './helpers/review-schema.js'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { pullRequest, write } from './helpers/pull-request.js'

const WEB = 'publishers/alice/web-deploy'
const ZERO_SHA = '0'.repeat(40)

let tmp: string
let repo: MarketplaceRepo
const heads = { release: '', hijack: '' }

const run = (options: Omit<ActionRunOptions, 'workspace' | 'tmp'>): Promise<ActionRun> =>
  runAction('version-bump-check', { workspace: repo.dir, tmp, ...options })
const reportOf = (r: ActionRun): ReviewDoc & { checks: string[] } =>
  JSON.parse(readFileSync(r.outputs.report as string, 'utf8')) as ReviewDoc & { checks: string[] }

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-version-action-'))
  repo = await exampleMarketplaceRepo()
  const manifest = repo.git(['show', `${repo.base}:${WEB}/manifest.yaml`])
  const skill = repo.git(['show', `${repo.base}:${WEB}/SKILL.md`])
  heads.release = pullRequest(
    repo,
    repo.base,
    'release',
    'alice',
    write({ [`${WEB}/SKILL.md`]: `${skill}\nMore.\n`, [`${WEB}/manifest.yaml`]: manifest.replace('version: "1.0.0"', 'version: "1.0.1"') })
  )
  heads.hijack = pullRequest(
    repo,
    repo.base,
    'hijack',
    'mallory',
    write({ [`${WEB}/SKILL.md`]: `${skill}\nPwned.\n`, '.github/workflows/review.yml': 'on: pull_request\n' })
  )
})

afterAll(async () => {
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('a pull request by the namespace owner with a version bump', () => {
  let r: ActionRun
  beforeAll(async () => {
    r = await run({ event: pullRequestEvent(repo.base, heads.release, { author: 'Alice' }) })
  })

  it('passes with the outputs set', () => {
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.outputs).toEqual({
      verdict: 'pass',
      errors: '0',
      warnings: '0',
      notices: '0',
      packages: '1',
      report: path.join(r.runnerTemp, 'marketplace-actions', 'version-bump-report.json')
    })
    expect(r.annotations).toEqual([])
  })

  it('writes a report with both versions, the author from the event, and these checks only', () => {
    const report = reportOf(r)
    expect(reviewSchemaErrors(report)).toEqual([])
    expect(report.checks).toEqual(['version-bump', 'namespace'])
    expect(report.source).toEqual({ kind: 'git', base: repo.base, head: heads.release, author: 'Alice' })
    expect(report.packages).toEqual([
      expect.objectContaining({ id: 'alice/web-deploy', status: 'modified', version: '1.0.1', previous_version: '1.0.0', verdict: 'pass' })
    ])
    expect(r.summary).toMatch(/^## Versions and namespaces: ✅ pass\n/)
    expect(r.summary).toContain('<tr><td><code>alice/web-deploy</code></td><td>1.0.1</td><td>modified</td><td>✅</td></tr>')
  })
})

describe('a pull request by someone else without a bump', () => {
  let r: ActionRun
  beforeAll(async () => {
    r = await run({ event: pullRequestEvent(repo.base, heads.hijack, { author: 'mallory' }) })
  })

  it('fails the step and annotates each finding where it is', () => {
    expect(r.code).toBe(1)
    expect(r.outputs).toMatchObject({ verdict: 'fail', errors: '3', warnings: '0', notices: '0', packages: '1' })
    expect(r.annotations.map((a) => [a.level, a.properties.title, a.properties.file, a.properties.line ?? null])).toEqual([
      ['error', 'namespace/maintainers-only', '.github/workflows/review.yml', null],
      ['error', 'namespace/not-owner (alice/web-deploy)', `${WEB}/SKILL.md`, null],
      ['error', 'version/not-bumped (alice/web-deploy)', `${WEB}/manifest.yaml`, '4']
    ])
    expect(r.annotations[1]?.message).toMatch(
      /^mallory may not change `publishers\/alice\/web-deploy\/SKILL\.md`: it is in publishers\/alice\/, which belongs to alice\nFix: Undo it on your branch: git checkout [0-9a-f]{12} -- /
    )
    expect(r.commands).toContainEqual({
      level: 'error',
      properties: {},
      message: '3 error(s) found in the changed packages; see the annotations and the job summary.'
    })
  })

  it('writes a report that matches the schema and the outputs', () => {
    const report = reportOf(r)
    expect(reviewSchemaErrors(report)).toEqual([])
    expect(report.counts).toEqual(countsOf(report))
    expect(report.source?.author).toBe('mallory')
    expect(r.summary).toMatch(/^## Versions and namespaces: ❌ fail\n/)
  })

  it("judges the login given in the `author` input instead of the event's", async () => {
    const asMaintainer = await run({
      event: pullRequestEvent(repo.base, heads.hijack, { author: 'mallory' }),
      inputs: { author: 'octocat' }
    })
    expect(asMaintainer.code).toBe(1) // the version rule holds for maintainers too
    expect(asMaintainer.outputs).toMatchObject({ verdict: 'fail', errors: '1', notices: '1' })
    expect(reportOf(asMaintainer).source?.author).toBe('octocat')
  })
})

describe('configuration errors', () => {
  it('a push without a base (a new branch) cannot be checked', async () => {
    const r = await run({ event: pushEvent(ZERO_SHA, heads.release) })
    expect(r.code).toBe(1)
    expect(r.outputs).toEqual({ verdict: 'error' })
    expect(r.commands).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/^Configuration error: the version-bump check needs base and head commits/)
      })
    )
  })

  it('scope `all` is refused', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.release, { author: 'alice' }), inputs: { scope: 'all' } })
    expect(r.code).toBe(1)
    expect(r.outputs).toEqual({ verdict: 'error' })
    expect(r.commands).toContainEqual({
      level: 'error',
      properties: {},
      message: 'Configuration error: input `scope` is `all`; expected one of: changed'
    })
  })
})
