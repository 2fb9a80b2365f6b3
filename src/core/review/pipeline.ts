// The check pipeline: every check (validate, safety, version bump, namespace) reads the same
// context and returns findings and facts about packages (the contract is checks/check.ts);
// runChecks turns them into one review.
import type { ReviewedPackage } from '../../generated/schema-types.js'
import type { Check, CheckContext } from '../checks/check.js'
import { applyPolicy, type Finding } from '../findings/findings.js'
import { buildReview, type Review } from './review.js'

import { redact, redactFinding } from '../findings/redact.js'

export async function runChecks(
  checks: readonly Check[],
  ctx: CheckContext,
  meta: { toolVersion: string; source?: Review['source'] }
): Promise<Review> {
  const findings: Finding[] = [...ctx.selection.findings]
  const packages = new Map<string, ReviewedPackage>()
  for (const t of ctx.selection.targets) {
    const p: ReviewedPackage = {
      id: t.ref.id,
      publisher: t.ref.publisher,
      name: t.ref.name,
      path: t.ref.dir,
      status: t.status,
      verdict: 'pass'
    }
    if (t.renamedFrom) p.renamed_from = t.renamedFrom.id
    packages.set(p.id, p)
  }
  const secrets: string[] = []
  for (const check of checks) {
    const result = await check.run(ctx)
    findings.push(...result.findings)
    secrets.push(...(result.secrets ?? []))
    for (const [id, facts] of Object.entries(result.packages ?? {})) {
      const p = packages.get(id)
      if (p) Object.assign(p, facts)
    }
  }
  return buildReview({
    toolVersion: meta.toolVersion,
    checks: checks.map((c) => c.id),
    source: meta.source,
    packages: [...packages.values()].map((p) => (secrets.length ? redactStrings(p, secrets) : p)),
    findings: applyPolicy(secrets.length ? findings.map((f) => redactFinding(f, secrets)) : findings, ctx.config)
  })
}

/** A manifest value can be a secret too (a token pasted as the version): mask every string fact. */
function redactStrings<T extends object>(value: T, secrets: readonly string[]): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? redact(v, secrets) : v])) as T
}
