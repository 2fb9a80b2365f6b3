// The merge job of a re-audit (the root action with a `merge` input): the shard reports that the
// matrix jobs uploaded, combined into one review, one SARIF file, one job summary and the body
// of the tracking issue. The reports are artifacts of other jobs: each is size-capped and
// schema-checked, and a set with a missing or duplicate shard is refused (io/read-review.ts,
// core/review/merge.ts).
import * as core from '@actions/core'
import path from 'node:path'
import { writeJsonAtomic } from '../../io/write-json.js'
import { writeFileAtomic } from '../../io/write-atomic.js'
import { REVIEW_REPORT_NAME, pathOrScratch, workspaceOf, type Env } from './runner-paths.js'
import { booleanInput, integerInput, stringInput } from './inputs.js'
import { writeSarifOutput } from './sarif-output.js'
import { annotate } from './annotate.js'
import { failStep } from './failure.js'
import { writeJobSummary } from './write-summary.js'

/** The `merge` input: one path per line (or comma-separated), relative to the workspace. */
export function mergeInput(): string[] | undefined {
  const given = stringInput('merge')
  if (given === undefined) return undefined
  return given
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

export async function runMergeAction(paths: readonly string[], env: Env): Promise<void> {
  let summary: string | undefined
  try {
    // Loaded only for a merge: a review or a failing input answers without them.
    const { mergeShardReviews } = await import('../../core/review/merge.js')
    const { MAX_SHARD_REPORT_BYTES, readReview, reportFiles } = await import('../../io/read-review.js')
    const { failingPackages, renderReAuditIssue, renderReAuditSummary } = await import('../../report/re-audit.js')
    const workspace = workspaceOf(env)
    const files = await reportFiles(paths.map((p) => path.resolve(workspace, p)))
    const reports = []
    for (const file of files)
      reports.push({ label: path.relative(workspace, file) || file, review: await readReview(file, MAX_SHARD_REPORT_BYTES) })
    const review = mergeShardReviews(reports)
    const report = pathOrScratch(env, stringInput('report'), REVIEW_REPORT_NAME)
    await writeJsonAtomic(report, review)
    await writeSarifOutput(env, review, 'review.sarif')
    annotate(review.findings, integerInput('max-annotations', 50, 0, 1000))
    summary = renderReAuditSummary(review)
    const issueBody = pathOrScratch(env, undefined, 're-audit-issue.md')
    const runUrl =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined
    await writeFileAtomic(issueBody, renderReAuditIssue(review, runUrl ? { runUrl } : {}))
    const failing = failingPackages(review)
    core.setOutput('verdict', review.verdict)
    core.setOutput('errors', review.counts.error)
    core.setOutput('warnings', review.counts.warning)
    core.setOutput('notices', review.counts.notice)
    core.setOutput('packages', review.packages.length)
    core.setOutput('report', report)
    core.setOutput('failing', failing.length)
    core.setOutput('issue-body', issueBody)
    core.info(
      `Merged ${reports.length} shard report(s): ${review.packages.length} package(s), ${failing.length} failing, ${review.counts.error} error(s). Report: ${report}`
    )
    if (review.verdict === 'fail' && booleanInput('fail-on-error', true)) {
      core.setFailed(`${review.counts.error} error(s) found in ${failing.length} package(s); see the job summary and the tracking issue.`)
    }
  } catch (e) {
    core.setOutput('verdict', 'error')
    failStep(e)
  } finally {
    await writeJobSummary(summary)
  }
}
