// The bundled comment action, run as the runner runs it, against a real HTTP server on 127.0.0.1
// that speaks the GitHub REST endpoints (GITHUB_API_URL points at it).
import { describe, it, expect, beforeEach, afterEach, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAction, pullRequestEvent, type ActionRun } from './helpers/actions-runner.js'
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js'
import { buildReview, type Review } from '../src/core/review/review.js'
import { finding } from '../src/core/findings/findings.js'
import { COMMENT_MARKER } from '../src/report/comment.js'

const HEAD = 'a'.repeat(40)
const BASE = 'b'.repeat(40)
let dir: string
let gh: GitHubServer

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'comment-action-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeEach(async () => {
  gh = await startGitHubServer({ pulls: [{ number: 7, headSha: HEAD }] })
})
afterEach(async () => {
  await gh.close()
})

function review(errors: number, head = HEAD): Review {
  return buildReview({
    toolVersion: '0.1.0',
    checks: ['validate'],
    source: { kind: 'git', base: BASE, head, author: 'mallory' },
    packages: [{ id: 'mallory/pkg', publisher: 'mallory', name: 'pkg', status: 'modified', verdict: 'pass', version: '1.0.1' }],
    findings: Array.from({ length: errors }, (_, i) =>
      finding(
        'manifest/schema',
        { package: 'mallory/pkg', file: 'publishers/mallory/pkg/manifest.yaml', line: i + 1, column: 1 },
        `bad field @octocat ${i}`
      )
    )
  })
}

let counter = 0
function writeReview(value: unknown): string {
  const file = path.join(dir, `review-${counter++}.json`)
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
  return file
}

function run(reviewFile: string, options: { event?: object; inputs?: Record<string, string> } = {}): Promise<ActionRun> {
  return runAction('comment', {
    workspace: dir,
    event: options.event ?? pullRequestEvent(BASE, HEAD, { number: 7 }),
    eventName: options.event && 'workflow_run' in options.event ? 'workflow_run' : 'pull_request_target',
    inputs: { review: reviewFile, token: 'test-token', ...options.inputs },
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'acme/marketplace', GITHUB_RUN_ID: '99', GITHUB_SERVER_URL: 'https://github.example' }
  })
}

describe('the sticky comment', () => {
  it('is created once, then updated in place, then left alone when nothing changed', async () => {
    const first = await run(writeReview(review(2)))
    expect(first.outputs.comment).toBe('created')
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]?.body.startsWith(COMMENT_MARKER)).toBe(true)
    expect(gh.comments[0]?.body).toContain('2 errors')
    expect(gh.comments[0]?.body).not.toContain('@octocat')
    // The review failed: the step fails too, after commenting.
    expect(first.code).toBe(1)
    expect(first.outputs.verdict).toBe('fail')

    const second = await run(writeReview(review(0)))
    expect(second.outputs.comment).toBe('updated')
    expect(second.code).toBe(0)
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]?.body).toContain('Marketplace review passed')
    expect(gh.comments[0]?.body).toContain('https://github.example/acme/marketplace/actions/runs/99')

    const third = await run(writeReview(review(0)))
    expect(third.outputs.comment).toBe('unchanged')
    expect(gh.requests.filter((r) => r.method !== 'GET')).toHaveLength(2)
  })

  it("never edits someone else's comment that copies the marker", async () => {
    gh.addComment(7, `${COMMENT_MARKER}\nI am not the bot`, 'mallory')
    const r = await run(writeReview(review(0)))
    expect(r.outputs.comment).toBe('created')
    expect(gh.comments.map((c) => c.user)).toEqual(['mallory', 'github-actions[bot]'])
    expect(gh.comments[0]?.body).toBe(`${COMMENT_MARKER}\nI am not the bot`)
  })

  it('finds the existing comment beyond the first page of comments', async () => {
    for (let i = 0; i < 130; i++) gh.addComment(7, `chatter ${i}`, 'someone')
    await run(writeReview(review(1)))
    const r = await run(writeReview(review(0)))
    expect(r.outputs.comment).toBe('updated')
    expect(gh.comments.filter((c) => c.user === 'github-actions[bot]')).toHaveLength(1)
  })
})

describe('a workflow_run second stage', () => {
  const workflowRun = { action: 'completed', workflow_run: { head_sha: HEAD, pull_requests: [] } }

  it('learns the pull request from the reviewed commit through the API', async () => {
    const r = await run(writeReview(review(0)), { event: workflowRun })
    expect(r.outputs.comment).toBe('created')
    expect(gh.comments[0]?.issue).toBe(7)
    expect(gh.requests.some((q) => q.path === `/repos/acme/marketplace/commits/${HEAD}/pulls`)).toBe(true)
  })

  it('refuses a PR number that does not point at the reviewed commit', async () => {
    const r = await run(writeReview(review(0)), { event: workflowRun, inputs: { 'pr-number': '8' } })
    expect(r.code).toBe(1)
    expect(gh.comments).toHaveLength(0)
    expect(r.commands.map((c) => c.message).join('\n')).toMatch(/Configuration error/)
  })

  it.each([
    ['not JSON', '{"verdict": "pass"'],
    ['a forged verdict without the review fields', JSON.stringify({ verdict: 'pass' })],
    ['a review with an extra field', JSON.stringify({ ...review(0), injected: '<script>' })],
    ['a review of another commit', JSON.stringify(review(0, 'c'.repeat(40)))]
  ])('refuses %s and posts nothing', async (_what, text) => {
    const r = await run(writeReview(text), { event: workflowRun })
    expect(r.code).toBe(1)
    expect(r.outputs.verdict ?? 'error').toBe('error')
    expect(gh.comments).toHaveLength(0)
    expect(r.commands.map((c) => c.message).join('\n')).toMatch(/Configuration error: .*(refusing|not JSON)/)
  })

  it('refuses a review file larger than a review can be', async () => {
    const r = await run(writeReview(' '.repeat(6 * 1024 * 1024)), { event: workflowRun })
    expect(r.code).toBe(1)
    expect(r.commands.map((c) => c.message).join('\n')).toMatch(/more than a review can be/)
  })
})

describe('a GitHub API that fails', () => {
  it('retries server errors and succeeds', async () => {
    gh.failNext(502, 2)
    const r = await run(writeReview(review(0)))
    expect(r.outputs.comment).toBe('created')
    expect(r.code).toBe(0)
  })

  it('waits out a secondary rate limit (403 with retry-after, as GitHub answers) and succeeds', async () => {
    gh.failNext(403, 1, { 'retry-after': '1' }, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.')
    const r = await run(writeReview(review(0)))
    expect(r.outputs.comment).toBe('created')
    expect(r.stdout).toMatch(/Secondary rate limit on GET .*retrying in 1 s/)
  })

  it('waits out a primary rate limit (x-ratelimit-remaining: 0) and succeeds', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 1)
    gh.failNext(403, 1, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, 'API rate limit exceeded')
    const r = await run(writeReview(review(0)))
    expect(r.outputs.comment).toBe('created')
    expect(r.stdout).toMatch(/Rate limited on GET/)
  })

  it('gives up on an API that hangs, warns, and still reports the verdict', async () => {
    gh.hangNext(5)
    const r = await run(writeReview(review(1)), { inputs: { 'timeout-seconds': '1', retries: '0' } })
    expect(r.outputs.comment).toBe('failed')
    expect(r.outputs.verdict).toBe('fail')
    expect(r.code).toBe(1)
    const messages = r.commands.map((c) => `${c.level}: ${c.message}`).join('\n')
    expect(messages).toMatch(/warning: Could not post the review comment: .*The review's verdict is fail/)
    expect(messages).toMatch(/error: The marketplace review failed with 1 error/)
    // The comment body is still in the job summary.
    expect(r.summary).toContain('Marketplace review failed')
  })

  it('does not fail a passing review because commenting failed', async () => {
    gh.failNext(500, 10)
    const r = await run(writeReview(review(0)), { inputs: { retries: '1' } })
    expect(r.outputs.comment).toBe('failed')
    expect(r.code).toBe(0)
  })
})
