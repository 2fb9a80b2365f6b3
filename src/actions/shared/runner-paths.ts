// Where the actions read and write, in one place: the workspace (the checkout) and the scratch
// folder the steps of a job share. On a runner that folder is $RUNNER_TEMP/marketplace-actions;
// outside one (a local run, another CI) RUNNER_TEMP is unset and it is
// <workspace>/.tmp/marketplace-actions. The review writing its report and the comment step
// reading it both ask here, so they agree in either case.
import path from 'node:path'

export type Env = Record<string, string | undefined>

/** The review's report: written by the root review action, read by the comment action. */
export const REVIEW_REPORT_NAME = 'review.json'

export function workspaceOf(env: Env): string {
  return env.GITHUB_WORKSPACE || process.cwd()
}

export function scratchDir(env: Env): string {
  return path.join(env.RUNNER_TEMP || path.join(workspaceOf(env), '.tmp'), 'marketplace-actions')
}

/** A path input as given (relative to the workspace), or by default `name` in the scratch folder. */
export function pathOrScratch(env: Env, given: string | undefined, name: string): string {
  return path.resolve(workspaceOf(env), given ?? path.join(scratchDir(env), name))
}
