// After merge, the marketplace records the review of each merged package version beside the
// package, as `publishers/<login>/<package>/review.json` (review schema, that package only). The
// registry build and the scores job read it; publishers cannot write it (the namespace check
// rejects PRs that touch it), so the record cannot be forged by a PR author.
import { countFindings, verdictOf } from '../findings/findings.js'
import type { Review } from './review.js'
import { REVIEW_RECORD_FILE } from '../marketplace/paths.js'

export interface ReviewRecord {
  /** Repository-relative path of the record file. */
  path: string
  review: Review
}

/** One record per reviewed package that still exists; deterministic (no clock is read). */
export function reviewRecords(review: Review): ReviewRecord[] {
  return review.packages
    .filter((p) => p.status !== 'deleted' && p.path !== undefined)
    .map((p) => {
      const findings = review.findings.filter((f) => f.package === p.id)
      const record: Review = {
        ...review,
        verdict: verdictOf(findings),
        packages: [{ ...p, verdict: verdictOf(findings) }],
        findings,
        counts: countFindings(findings)
      }
      return { path: `${p.path}/${REVIEW_RECORD_FILE}`, review: record }
    })
}
