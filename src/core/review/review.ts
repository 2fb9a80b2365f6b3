// Assembling a review document (review schema) from what the checks found.
import type { Review, ReviewedPackage } from '../../generated/schema-types.js'
import { countFindings, sortFindings, verdictOf, type Finding } from '../findings/findings.js'

export type { Review, ReviewedPackage }

export interface ReviewInput {
  toolVersion: string
  checks: Review['checks']
  source?: Review['source']
  packages: ReviewedPackage[]
  findings: Finding[]
}

export function buildReview(input: ReviewInput): Review {
  const findings = sortFindings([...input.findings])
  // Grouped once: filtering every finding for every package is quadratic in a whole-marketplace run.
  const byPackage = new Map<string, Finding[]>()
  for (const f of findings) {
    if (f.package === undefined) continue
    const group = byPackage.get(f.package)
    if (group) group.push(f)
    else byPackage.set(f.package, [f])
  }
  const packages = [...input.packages]
    .map((p) => ({ ...p, verdict: verdictOf(byPackage.get(p.id) ?? []) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const review: Review = {
    version: 1,
    tool: { name: 'marketplace-actions', version: input.toolVersion },
    verdict: verdictOf(findings),
    checks: input.checks,
    packages,
    findings,
    counts: countFindings(findings)
  }
  if (input.source) review.source = input.source
  return review
}
