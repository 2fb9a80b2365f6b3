// End to end, as a marketplace runs it: the bundled root review action on real pull_request
// events over a real git repository (a failing PR and a passing one), then the bundled comment
// action against a GitHub API server on 127.0.0.1 (the comment is created, then updated in
// place), then the post-merge run that records each merged package's review.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { pullRequest, write } from './helpers/pull-request.js'
import { runAction, pullRequestEvent, pushEvent, type ActionRun } from './helpers/actions-runner.js'
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js'
import { reviewSchemaErrors } from './helpers/review-schema.js'
import { COMMENT_MARKER } from '../src/report/comment.js'
import type { Review } from '../src/core/review/review.js'

const WEB = 'publishers/alice/web-deploy'
let repo: MarketplaceRepo
let gh: GitHubServer
const heads = { failing: '', passing: '' }

beforeAll(async () => {
  repo = await exampleMarketplaceRepo()
  const manifest = readFileSync(path.join(repo.dir, WEB, 'manifest.yaml'), 'utf8')
  // mallory edits alice's package without a version bump and leaks a token into it.
  heads.failing = pullRequest(
    repo,
    repo.base,
    'pr-failing',
    'mallory',
    write({ [`${WEB}/tool.ts`]: `export const token = '${'ghp_'}${'R4nd0mT0k3nV4lu3Th4tL00ksR34l'}${'x9'}'\n` })
  )
  // alice fixes her own package properly: new content, bumped version.
  heads.passing = pullRequest(
    repo,
    repo.base,
    'pr-passing',
    'alice',
    write({
      [`${WEB}/manifest.yaml`]: manifest.replace('version: "1.0.0"', 'version: "1.0.1"'),
      [`${WEB}/SKILL.md`]: `${readFileSync(path.join(repo.dir, WEB, 'SKILL.md'), 'utf8')}\nDeploy previews first.\n`
    })
  )
  gh = await startGitHubServer({ owner: 'example', repo: 'marketplace', pulls: [{ number: 42, headSha: heads.passing }] })
})

afterAll(async () => {
  await gh.close()
  await repo.cleanup()
})

const review = (run: ActionRun): Review => JSON.parse(readFileSync(run.outputs.report as string, 'utf8')) as Review

function comment(reviewFile: string, head: string): Promise<ActionRun> {
  return runAction('comment', {
    workspace: repo.dir,
    event: pullRequestEvent(repo.base, head, { number: 42, author: 'alice' }),
    eventName: 'pull_request_target',
    inputs: { review: reviewFile, token: 'test-token' },
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'example/marketplace' }
  })
}

describe('a pull request through review and comment', () => {
  let failing: ActionRun
  let passing: ActionRun

  beforeAll(async () => {
    ;[failing, passing] = await Promise.all([
      runAction('review', { workspace: repo.dir, event: pullRequestEvent(repo.base, heads.failing, { number: 42, author: 'mallory' }) }),
      runAction('review', { workspace: repo.dir, event: pullRequestEvent(repo.base, heads.passing, { number: 42, author: 'alice' }) })
    ])
  })

  it('fails the failing PR with every check, writes the review, SARIF and comment body', () => {
    expect(failing.code).toBe(1)
    expect(failing.outputs.verdict).toBe('fail')
    const r = review(failing)
    expect(reviewSchemaErrors(r)).toEqual([])
    expect(r.checks).toEqual(['validate', 'safety', 'version-bump', 'namespace'])
    const rules = new Set(r.findings.map((f) => f.rule))
    expect(rules.has('version/not-bumped')).toBe(true)
    expect(rules.has('namespace/not-owner')).toBe(true)
    expect([...rules].some((id) => id.startsWith('secret/'))).toBe(true)
    // The token is masked everywhere it is written.
    const written = [
      readFileSync(failing.outputs.report as string, 'utf8'),
      readFileSync(failing.outputs.sarif as string, 'utf8'),
      readFileSync(failing.outputs['comment-body'] as string, 'utf8'),
      failing.stdout,
      failing.summary
    ]
    for (const text of written) expect(text).not.toContain('R4nd0mT0k3nV4lu3Th4tL00ksR34l')
    const sarif = JSON.parse(readFileSync(failing.outputs.sarif as string, 'utf8')) as { version: string; runs: { results: unknown[] }[] }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]?.results.length).toBe(r.findings.length)
    expect(failing.annotations.some((a) => a.properties.file === `${WEB}/tool.ts`)).toBe(true)
  })

  it('passes the passing PR', () => {
    expect(passing.code).toBe(0)
    const r = review(passing)
    expect(reviewSchemaErrors(r)).toEqual([])
    expect(r.verdict).toBe('pass')
    expect(r.packages.map((p) => [p.id, p.previous_version, p.version])).toEqual([['alice/web-deploy', '1.0.0', '1.0.1']])
  })

  it('comments once on the PR and updates that comment when the PR is fixed', async () => {
    const first = await comment(failing.outputs.report as string, heads.failing)
    expect(first.outputs.comment).toBe('created')
    expect(first.code).toBe(1) // the verdict is not hidden by a successful comment
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]?.body).toContain(COMMENT_MARKER)
    expect(gh.comments[0]?.body).toContain('Marketplace review failed')
    expect(gh.comments[0]?.body).not.toContain('R4nd0mT0k3nV4lu3Th4tL00ksR34l')

    const second = await comment(passing.outputs.report as string, heads.passing)
    expect(second.outputs.comment).toBe('updated')
    expect(second.code).toBe(0)
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]?.body).toContain('Marketplace review passed')
  })
})

describe('after merge', () => {
  it('records the review of each merged package beside it, for the registry build', async () => {
    repo.git(['checkout', '-q', '-B', 'main', heads.passing])
    const run = await runAction('review', {
      workspace: repo.dir,
      event: pushEvent(repo.base, heads.passing),
      inputs: { 'record-reviews': 'true', author: 'alice' }
    })
    expect(run.code).toBe(0)
    expect(run.outputs.recorded).toBe(`${WEB}/review.json`)
    const file = path.join(repo.dir, WEB, 'review.json')
    expect(existsSync(file)).toBe(true)
    const record = JSON.parse(readFileSync(file, 'utf8')) as Review
    expect(reviewSchemaErrors(record)).toEqual([])
    expect(record.packages.map((p) => [p.id, p.version, p.verdict])).toEqual([['alice/web-deploy', '1.0.1', 'pass']])
    expect(record.source?.head).toBe(heads.passing)
  })
})
