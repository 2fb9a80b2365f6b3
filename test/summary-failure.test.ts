// The job summary is a courtesy: when it cannot be written, the step warns and its verdict,
// outputs and exit code stay exactly what they would have been. (Before, the checking actions
// and build-registry let the error escape their `finally` as an unhandled rejection, failing a
// passing step, and the comment action swallowed it without a word.) The bundled actions run as
// the runner runs them, with GITHUB_STEP_SUMMARY pointing at a folder, which cannot be written.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { pullRequest, write } from './helpers/pull-request.js'
import { runAction, pullRequestEvent, pushEvent, type ActionRun } from './helpers/actions-runner.js'
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js'

const WEB = 'publishers/alice/web-deploy'
let repo: MarketplaceRepo
let gh: GitHubServer
let tmp: string
let unwritable: string
const heads = { passing: '', failing: '' }

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-summary-failure-'))
  unwritable = path.join(tmp, 'step-summary-is-a-folder')
  mkdirSync(unwritable)
  repo = await exampleMarketplaceRepo()
  const manifest = readFileSync(path.join(repo.dir, WEB, 'manifest.yaml'), 'utf8')
  heads.passing = pullRequest(
    repo,
    repo.base,
    'pr-pass',
    'alice',
    write({ [`${WEB}/manifest.yaml`]: manifest.replace('version: "1.0.0"', 'version: "1.0.1"') })
  )
  // mallory edits alice's package without a version bump: namespace and version errors.
  heads.failing = pullRequest(repo, repo.base, 'pr-fail', 'mallory', write({ [`${WEB}/notes.md`]: 'mine now\n' }))
  gh = await startGitHubServer({ owner: 'example', repo: 'marketplace', pulls: [{ number: 42, headSha: heads.passing }] })
})

afterAll(async () => {
  await gh?.close()
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

const review = (head: string, author: string, summary?: string): Promise<ActionRun> =>
  runAction('review', {
    workspace: repo.dir,
    tmp,
    event: pullRequestEvent(repo.base, head, { number: 42, author }),
    ...(summary ? { env: { GITHUB_STEP_SUMMARY: summary } } : {})
  })

const summaryWarnings = (run: ActionRun) => run.commands.filter((c) => c.level === 'warning' && /job summary/.test(c.message))

describe('a checking action (the root review)', () => {
  it('passes a passing PR, with a warning, when the summary cannot be written', async () => {
    const [ok, broken] = await Promise.all([review(heads.passing, 'alice'), review(heads.passing, 'alice', unwritable)])
    expect(ok.code).toBe(0)
    expect(broken.code).toBe(0)
    expect(broken.stderr).toBe('')
    expect(broken.outputs).toEqual({
      ...ok.outputs,
      report: broken.outputs.report,
      sarif: broken.outputs.sarif,
      'comment-body': broken.outputs['comment-body']
    })
    expect(broken.outputs.verdict).toBe('pass')
    expect(summaryWarnings(broken)).toEqual([
      { level: 'warning', properties: {}, message: expect.stringMatching(/^Could not write the job summary: .*EISDIR/) }
    ])
    expect(summaryWarnings(ok)).toEqual([])
  })

  it('still fails a failing PR with its own message, and warns about the summary', async () => {
    const [ok, broken] = await Promise.all([review(heads.failing, 'mallory'), review(heads.failing, 'mallory', unwritable)])
    expect(ok.code).toBe(1)
    expect(broken.code).toBe(1)
    expect(broken.outputs.verdict).toBe('fail')
    expect(broken.outputs.errors).toBe(ok.outputs.errors)
    const failure = (r: ActionRun) => r.commands.filter((c) => c.level === 'error').map((c) => c.message)
    expect(failure(broken)).toEqual(failure(ok))
    expect(failure(broken)[0]).toMatch(/error\(s\) found in the changed packages/)
    expect(summaryWarnings(broken)).toHaveLength(1)
  })
})

describe('the comment action', () => {
  it('posts the comment and keeps the verdict, and says (no longer silently) that the summary failed', async () => {
    const reviewed = await review(heads.passing, 'alice')
    const run = await runAction('comment', {
      workspace: repo.dir,
      tmp,
      event: pullRequestEvent(repo.base, heads.passing, { number: 42, author: 'alice' }),
      eventName: 'pull_request_target',
      inputs: { review: reviewed.outputs.report as string, token: 'test-token' },
      env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'example/marketplace', GITHUB_STEP_SUMMARY: unwritable }
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ verdict: 'pass', comment: 'created' })
    expect(summaryWarnings(run)).toHaveLength(1)
  })
})

describe('build-registry', () => {
  it('publishes and succeeds, with a warning, when the summary cannot be written', async () => {
    repo.git(['checkout', '-q', 'main'])
    const run = await runAction('build-registry', {
      workspace: repo.dir,
      tmp,
      event: pushEvent('0'.repeat(40), repo.git(['rev-parse', 'HEAD']).trim()),
      env: { GITHUB_STEP_SUMMARY: unwritable }
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.changed).toBe('true')
    expect(summaryWarnings(run)).toHaveLength(1)
  })
})
