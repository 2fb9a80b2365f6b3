// The commits a run is about, from the workflow event: a pull request's base and head, or a
// push's before and after.
import { readFileSync } from 'node:fs'

export interface EventRange {
  base?: string
  head?: string
  /** Who opened the pull request or pushed. */
  author?: string
  /** Pull-request number, when the event is one. */
  pullRequest?: number
  /** A workflow_run event: the commit the first workflow ran on. */
  workflowRunHead?: string
}

const ZERO_SHA = /^0+$/

interface Payload {
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string }; user?: { login?: string } }
  before?: string
  after?: string
  pusher?: { name?: string }
  sender?: { login?: string }
  workflow_run?: { head_sha?: string }
}

export function readEventRange(env: Record<string, string | undefined>): EventRange {
  const file = env.GITHUB_EVENT_PATH
  let payload: Payload = {}
  if (file) {
    try {
      payload = JSON.parse(readFileSync(file, 'utf8')) as Payload
    } catch {
      payload = {}
    }
  }
  const pr = payload.pull_request
  if (pr) {
    return { base: pr.base?.sha, head: pr.head?.sha, author: pr.user?.login, pullRequest: pr.number }
  }
  if (payload.workflow_run) return { workflowRunHead: payload.workflow_run.head_sha }
  const range: EventRange = { head: payload.after ?? env.GITHUB_SHA, author: payload.sender?.login }
  // A push that created a branch has no "before": there is nothing to diff against.
  if (payload.before && !ZERO_SHA.test(payload.before)) range.base = payload.before
  return range
}
