// The GitHub REST calls the comment step makes, over octokit with retries (5xx, network errors)
// and rate-limit handling (429 and secondary limits, honouring retry-after).
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

export type GitHubClient = ReturnType<typeof getOctokit>

export interface ClientOptions {
  token: string
  /** Each request is abandoned after this long: a hanging API must not hang the job. */
  timeoutMs: number
  /** Retries of one request before giving up. */
  retries: number
  log: (message: string) => void
}

export function createClient(options: ClientOptions): GitHubClient {
  const octokit = getOctokit(
    options.token,
    {
      retry: { retries: options.retries },
      throttle: {
        onRateLimit: (after: number, req: { method: string; url: string }, _o: unknown, count: number) => {
          options.log(`Rate limited on ${req.method} ${req.url}; retrying in ${after} s (try ${count + 1}).`)
          return count < options.retries
        },
        onSecondaryRateLimit: (after: number, req: { method: string; url: string }, _o: unknown, count: number) => {
          options.log(`Secondary rate limit on ${req.method} ${req.url}; retrying in ${after} s (try ${count + 1}).`)
          return count < options.retries
        }
      }
    },
    retry,
    throttling
  )
  octokit.hook.before('request', (req) => {
    req.request = { ...req.request, signal: AbortSignal.timeout(options.timeoutMs) }
  })
  return octokit
}

export interface Repo {
  owner: string
  repo: string
}

export interface CommentRef {
  id: number
  url: string
}

/** The comment this tool wrote before on the issue: it carries the marker and is by the bot. */
export async function findComment(
  gh: GitHubClient,
  repo: Repo,
  issue: number,
  marker: string,
  author: string
): Promise<(CommentRef & { body: string }) | undefined> {
  const comments = await gh.paginate(gh.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 })
  const mine = comments.find((c) => c.user?.login === author && (c.body ?? '').includes(marker))
  return mine ? { id: mine.id, url: mine.html_url, body: mine.body ?? '' } : undefined
}

export type UpsertResult = CommentRef & { action: 'created' | 'updated' | 'unchanged' }

export async function upsertComment(
  gh: GitHubClient,
  repo: Repo,
  issue: number,
  body: string,
  marker: string,
  author: string
): Promise<UpsertResult> {
  const existing = await findComment(gh, repo, issue, marker, author)
  if (existing && existing.body === body) return { id: existing.id, url: existing.url, action: 'unchanged' }
  if (existing) {
    const { data } = await gh.rest.issues.updateComment({ ...repo, comment_id: existing.id, body })
    return { id: data.id, url: data.html_url, action: 'updated' }
  }
  const { data } = await gh.rest.issues.createComment({ ...repo, issue_number: issue, body })
  return { id: data.id, url: data.html_url, action: 'created' }
}

/**
 * The open pull requests whose head is this commit, from the API: the trusted way to learn which
 * PR a review belongs to when the number arrived with an untrusted artifact.
 */
export async function pullRequestsForCommit(gh: GitHubClient, repo: Repo, sha: string): Promise<number[]> {
  const { data } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha, per_page: 100 })
  return data.filter((pr) => pr.state === 'open' && pr.head.sha === sha).map((pr) => pr.number)
}

/** The head commit of a pull request, from the API. */
export async function pullRequestHead(gh: GitHubClient, repo: Repo, number: number): Promise<string> {
  const { data } = await gh.rest.pulls.get({ ...repo, pull_number: number })
  return data.head.sha
}
