// comment: posts the review as one sticky PR comment, updated in place on every run.
// The review file may come from an untrusted first stage (a fork's pull_request workflow), so it
// is size-capped and schema-checked, the comment is rendered here from its data (never posted as
// text that stage wrote), and the PR number is learned from GitHub, not from the file.
import * as core from '@actions/core'
import { ConfigError } from '../../core/errors.js'
import type { Review } from '../../core/review/review.js'
import { readReview } from '../../io/read-review.js'
import { COMMENT_MARKER, renderComment } from '../../report/comment.js'
import { booleanInput, integerInput, stringInput } from '../shared/inputs.js'
import { readEventRange } from '../shared/event.js'
import type { Repo } from './github.js'
import { failStep } from '../shared/failure.js'
import { REVIEW_REPORT_NAME, pathOrScratch } from '../shared/runner-paths.js'
import { writeJobSummary } from '../shared/write-summary.js'

function repoOf(env: Record<string, string | undefined>): Repo {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || rest.length) throw new ConfigError('GITHUB_REPOSITORY is not set to owner/repo')
  return { owner, repo }
}

/** A 404 answers the question ("no such pull request"); other errors are failures to ask. */
function notFoundAsUndefined(e: unknown): undefined {
  if ((e as { status?: number }).status === 404) return undefined
  throw e
}

export async function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  let review: Review | undefined
  let summary: string | undefined
  try {
    const reviewFile = pathOrScratch(env, stringInput('review'), REVIEW_REPORT_NAME)
    const failOnError = booleanInput('fail-on-error', true)
    const maxFindings = integerInput('max-findings', 30, 1, 500)
    const timeoutMs = integerInput('timeout-seconds', 30, 1, 600) * 1000
    const retries = integerInput('retries', 3, 0, 10)
    const author = stringInput('comment-author') ?? 'github-actions[bot]'
    const token = stringInput('token')
    if (!token) throw new ConfigError('input `token` is empty; pass `${{ github.token }}` with pull-requests: write')
    const event = readEventRange(env)
    const headSha = stringInput('head-sha') ?? event.workflowRunHead ?? event.head

    review = await readReview(reviewFile)
    if (headSha && review.source?.head && review.source.head !== headSha) {
      throw new ConfigError(`the review is of commit ${review.source.head}, not of the pull request's head ${headSha}; refusing it`)
    }
    core.setOutput('verdict', review.verdict)

    const repo = repoOf(env)
    const { createClient, pullRequestHead, pullRequestsForCommit, upsertComment } = await import('./github.js')
    const gh = createClient({ token, timeoutMs, retries, log: (m) => core.info(m) })
    const runUrl = env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo.owner}/${repo.repo}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined
    const body = renderComment(review, { maxFindingsPerPackage: maxFindings, runUrl })

    try {
      let numbers: number[]
      const given = stringInput('pr-number')
      if (given !== undefined) {
        const n = Number(given)
        if (!Number.isInteger(n) || n < 1) throw new ConfigError(`input \`pr-number\` is \`${given}\`; expected a pull-request number`)
        // A number from an artifact is a claim: it must name a PR whose head is the reviewed commit.
        if (headSha && (await pullRequestHead(gh, repo, n).catch(notFoundAsUndefined)) !== headSha) {
          throw new ConfigError(`pull request #${n} is not at the reviewed commit ${headSha}; refusing to comment on it`)
        }
        numbers = [n]
      } else if (event.pullRequest !== undefined) {
        numbers = [event.pullRequest]
      } else if (headSha) {
        numbers = await pullRequestsForCommit(gh, repo, headSha)
      } else {
        throw new ConfigError(
          'no pull request to comment on: not a pull_request or workflow_run event, and no `pr-number` or `head-sha` input'
        )
      }
      if (!numbers.length) core.notice(`No open pull request has ${headSha} as its head; nothing to comment on.`)
      for (const n of numbers) {
        const result = await upsertComment(gh, repo, n, body, COMMENT_MARKER, author)
        core.info(`Comment ${result.action} on #${n}: ${result.url}`)
        core.setOutput('comment', result.action)
        core.setOutput('comment-id', result.id)
        core.setOutput('comment-url', result.url)
      }
    } catch (e) {
      if (e instanceof ConfigError) throw e
      // Posting failed after retries: say so, but the review's verdict still decides the step.
      core.setOutput('comment', 'failed')
      core.warning(`Could not post the review comment: ${(e as Error).message}. The review's verdict is ${review.verdict}.`)
    }
    summary = body
    if (review.verdict === 'fail' && failOnError)
      core.setFailed(`The marketplace review failed with ${review.counts.error} error(s); see the PR comment.`)
  } catch (e) {
    if (!review) core.setOutput('verdict', 'error')
    failStep(e)
  } finally {
    await writeJobSummary(summary)
  }
}
