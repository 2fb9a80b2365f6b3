// The check pipeline: every check (validate, safety, version bump, namespace) reads the same
// context and returns findings and facts about packages (the contract is checks/check.ts);
// runChecks turns them into one review.
import type { ReviewedPackage } from '../../generated/schema-types.js'
import type { Check, CheckContext, CheckResult } from '../checks/check.js'
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
  for (const result of await resultsInOrder(checks, ctx)) {
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

/**
 * Every check's result, in the checks' order. A check that mostly waits on git (the release
 * checks: history walks, listings of the base, index shards) starts with the first check rather
 * than after the content checks, so git works on one core while validate and safety use the
 * other, and its git processes start while this process is small (each spawn copies the
 * process's page tables: 15-25 ms once the heap has grown). The others run one after another, as
 * before. Whatever fails, every started check is awaited before the first failure in the checks'
 * order is thrown, so none outlives the snapshots it reads.
 */
async function resultsInOrder(checks: readonly Check[], ctx: CheckContext): Promise<CheckResult[]> {
  type Settled = { ok: true; result: CheckResult } | { ok: false; error: unknown }
  const settle = (check: Check): Promise<Settled> =>
    check.run(ctx).then(
      (result): Settled => ({ ok: true, result }),
      (error: unknown): Settled => ({ ok: false, error })
    )
  const early = checks.map((check) => (check.waitsOnGit ? settle(check) : undefined))
  const settled: Settled[] = []
  for (const [i, check] of checks.entries()) {
    const outcome = await (early[i] ?? settle(check))
    settled.push(outcome)
    if (!outcome.ok) break // as before: no later check starts after a failure
  }
  await Promise.all(early.filter((p) => p !== undefined))
  const results: CheckResult[] = []
  for (const outcome of settled) {
    if (!outcome.ok) throw outcome.error
    results.push(outcome.result)
  }
  return results
}

/** A manifest value can be a secret too (a token pasted as the version): mask every string fact. */
function redactStrings<T extends object>(value: T, secrets: readonly string[]): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? redact(v, secrets) : v])) as T
}
