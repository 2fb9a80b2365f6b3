// The `review` of a registry entry: the latest review result, read from the review record the
// marketplace writes beside the package after merge (`publishers/<login>/<package>/review.json`,
// review schema, see review-record.ts). A record that cannot be read, or that is about other
// files, is left out with a warning: the registry never shows a review of something else.
import type { PackageReview, Review } from '../../../generated/schema-types.js'
import { finding, type Finding } from '../../findings/findings.js'
import { parseJson } from '../../parse/located.js'
import { decodeText } from '../../parse/text.js'
import validateReview from '../../../generated/validators/review.js'
import { type PackageRef, REVIEW_RECORD_FILE } from '../../marketplace/paths.js'

const COMMIT = /^[a-f0-9]{40}$/

export type ReviewSummary = { review: PackageReview; findings: [] } | { review?: undefined; findings: Finding[] }

export function summariseReview(bytes: Uint8Array, ref: PackageRef, publishedDigest: string): ReviewSummary {
  const file = `${ref.dir}/${REVIEW_RECORD_FILE}`
  const invalid = (why: string): ReviewSummary => ({
    findings: [
      finding('registry/review-invalid', { package: ref.id, file }, `the review record of ${ref.id} is not shown in the registry: ${why}`)
    ]
  })
  const decoded = decodeText(bytes)
  if (!decoded.ok) return invalid(`it cannot be read (${decoded.reason})`)
  const parsed = parseJson(decoded.text)
  if (!parsed.doc) return invalid(`it is not valid JSON (${parsed.problems[0]?.message ?? 'syntax error'})`)
  if (!validateReview(parsed.doc.value)) return invalid('it does not match the review schema')
  const record = parsed.doc.value as Review
  const reviewed = record.packages.find((p) => p.id === ref.id)
  if (!reviewed) return invalid(`it does not review ${ref.id}`)
  const commit = record.source?.head
  if (commit === undefined || !COMMIT.test(commit)) return invalid('it does not name the reviewed commit (source.head)')
  if (reviewed.digest !== undefined && reviewed.digest !== publishedDigest) {
    return {
      findings: [
        finding(
          'registry/review-stale',
          { package: ref.id, file },
          `the review record of ${ref.id} reviewed files with digest ${reviewed.digest}, but the registry publishes ${publishedDigest}; it is not shown`
        )
      ]
    }
  }
  const counted = record.findings.filter((f) => f.package === ref.id && f.allowed === undefined)
  return {
    // Keys in canonical order, as the registry entry's (registry-json.ts).
    review: {
      commit,
      errors: counted.filter((f) => f.severity === 'error').length,
      verdict: reviewed.verdict,
      warnings: counted.filter((f) => f.severity === 'warning').length
    },
    findings: []
  }
}
