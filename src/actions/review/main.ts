// The root action: the whole pull-request review (validate, safety, version bump, namespaces)
// over the pull request's base and head. Besides the shared report, annotations, summary and
// outputs, it writes a SARIF file and the PR comment's body, and after a merge it can record each
// merged package's review beside the package (review.json) for the registry and the scores.
// With `scope: all` it re-audits every package (or, with `shard`, one shard of them); with
// `merge`, it combines the shard reports of such a re-audit instead of reviewing.
import * as core from '@actions/core'
import path from 'node:path'
import { runCheckAction } from '../shared/check-action.js'
import { REVIEW_REPORT_NAME, pathOrScratch } from '../shared/runner-paths.js'
import { writeSarifOutput } from '../shared/sarif-output.js'
import { booleanInput, stringInput } from '../shared/inputs.js'
import { mergeInput, runMergeAction } from '../shared/merge-action.js'
import { plain } from '../../report/plain.js'
import { writeFileAtomic } from '../../io/write-atomic.js'
import { writeJsonAtomic } from '../../io/write-json.js'

export function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  const merge = mergeInput()
  if (merge) return runMergeAction(merge, env)
  return runCheckAction(
    {
      title: 'Marketplace review',
      reportName: REVIEW_REPORT_NAME,
      // After a merge the pusher is whoever merged, not the publisher: ownership was judged on
      // the pull request, so the recorded review leaves the namespace rules out.
      // Version and namespace rules judge a change: a re-audit of every package (scope all) runs
      // the checks of a package at rest.
      async checks() {
        const { RE_AUDIT_CHECKS, REVIEW_CHECKS } = await import('../../core/review/checks.js')
        if (stringInput('scope') === 'all') return RE_AUDIT_CHECKS
        return booleanInput('record-reviews', false) ? REVIEW_CHECKS.filter((c) => c.id !== 'namespace') : REVIEW_CHECKS
      },
      authorInput: () => stringInput('author'),
      shardInput: () => stringInput('shard'),
      async after(review, inputs) {
        const { renderComment } = await import('../../report/comment.js')
        const { reviewRecords } = await import('../../core/review/record.js')
        await writeSarifOutput(env, review, 'review.sarif')
        const comment = pathOrScratch(env, stringInput('comment-body'), 'comment.md')
        await writeFileAtomic(comment, renderComment(review))
        core.setOutput('comment-body', comment)
        if (booleanInput('record-reviews', false)) {
          const records = reviewRecords(review)
          for (const r of records) await writeJsonAtomic(path.join(inputs.root, r.path), r.review)
          core.setOutput('recorded', records.map((r) => r.path).join(','))
          core.info(`Recorded ${records.length} review(s): ${records.map((r) => plain(r.path)).join(', ') || 'none'}`)
        }
      }
    },
    env
  )
}
