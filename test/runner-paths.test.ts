// The review writes its report where the comment step looks for it, on a runner and outside one
// (RUNNER_TEMP unset: a local run, another CI), because both take the path from runner-paths.ts.
// Proved with the bundled review and comment actions over a real pull request and a GitHub API
// server on 127.0.0.1, neither given the `report`/`review` input.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathOrScratch, scratchDir, REVIEW_REPORT_NAME } from '../src/actions/shared/runner-paths.js'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { pullRequest, write } from './helpers/pull-request.js'
import { runAction, pullRequestEvent, type ActionRun } from './helpers/actions-runner.js'
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js'

describe('the scratch folder', () => {
  it('is $RUNNER_TEMP/marketplace-actions on a runner', () => {
    expect(scratchDir({ RUNNER_TEMP: '/runner/_temp', GITHUB_WORKSPACE: '/work/repo' })).toBe('/runner/_temp/marketplace-actions')
  })

  it('is <workspace>/.tmp/marketplace-actions outside one (RUNNER_TEMP unset or empty)', () => {
    expect(scratchDir({ GITHUB_WORKSPACE: '/work/repo' })).toBe('/work/repo/.tmp/marketplace-actions')
    expect(scratchDir({ GITHUB_WORKSPACE: '/work/repo', RUNNER_TEMP: '' })).toBe('/work/repo/.tmp/marketplace-actions')
    expect(scratchDir({})).toBe(path.join(process.cwd(), '.tmp', 'marketplace-actions'))
  })

  it('gives a path input relative to the workspace, or the default file in the scratch folder', () => {
    const env = { GITHUB_WORKSPACE: '/work/repo' }
    expect(pathOrScratch(env, 'out/review.json', REVIEW_REPORT_NAME)).toBe('/work/repo/out/review.json')
    expect(pathOrScratch(env, '/abs/review.json', REVIEW_REPORT_NAME)).toBe('/abs/review.json')
    expect(pathOrScratch(env, undefined, REVIEW_REPORT_NAME)).toBe('/work/repo/.tmp/marketplace-actions/review.json')
  })
})

describe('review, then comment, with the default paths', () => {
  const WEB = 'publishers/alice/web-deploy'
  let repo: MarketplaceRepo
  let gh: GitHubServer
  let head: string
  let tmp: string

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'mpa-runner-paths-'))
    repo = await exampleMarketplaceRepo()
    const manifest = readFileSync(path.join(repo.dir, WEB, 'manifest.yaml'), 'utf8')
    head = pullRequest(
      repo,
      repo.base,
      'pr',
      'alice',
      write({ [`${WEB}/manifest.yaml`]: manifest.replace('version: "1.0.0"', 'version: "1.0.1"') })
    )
    gh = await startGitHubServer({ owner: 'example', repo: 'marketplace', pulls: [{ number: 42, headSha: head }] })
  })

  afterAll(async () => {
    await gh?.close()
    await repo?.cleanup()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  const event = () => pullRequestEvent(repo.base, head, { number: 42, author: 'alice' })
  const review = (env: Record<string, string | undefined>): Promise<ActionRun> =>
    runAction('review', { workspace: repo.dir, tmp, event: event(), env })
  const comment = (env: Record<string, string | undefined>): Promise<ActionRun> =>
    runAction('comment', {
      workspace: repo.dir,
      tmp,
      event: event(),
      eventName: 'pull_request_target',
      inputs: { token: 'test-token' },
      env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'example/marketplace', ...env }
    })

  it('outside a runner: the report goes to <workspace>/.tmp/marketplace-actions/ and the comment step finds it there', async () => {
    const reviewed = await review({ RUNNER_TEMP: undefined })
    expect(reviewed.code).toBe(0)
    const report = path.join(repo.dir, '.tmp', 'marketplace-actions', 'review.json')
    expect(reviewed.outputs.report).toBe(report)
    expect(existsSync(report)).toBe(true)
    expect(reviewed.outputs.sarif).toBe(path.join(repo.dir, '.tmp', 'marketplace-actions', 'review.sarif'))

    const commented = await comment({ RUNNER_TEMP: undefined })
    expect(commented.commands.map((c) => c.message)).toEqual([])
    expect(commented.code).toBe(0)
    expect(commented.outputs).toMatchObject({ verdict: 'pass', comment: 'created' })
    expect(gh.comments.at(-1)?.body).toContain('Marketplace review passed')
  })

  it('on a runner: both use $RUNNER_TEMP/marketplace-actions/', async () => {
    const runnerTemp = mkdtempSync(path.join(tmp, 'runner-temp-'))
    const reviewed = await review({ RUNNER_TEMP: runnerTemp })
    expect(reviewed.outputs.report).toBe(path.join(runnerTemp, 'marketplace-actions', 'review.json'))
    const commented = await comment({ RUNNER_TEMP: runnerTemp })
    expect(commented.code).toBe(0)
    expect(commented.outputs.verdict).toBe('pass')
    expect(['updated', 'unchanged']).toContain(commented.outputs.comment)
  })
})
