// Merging the shard reports of a re-audit (review/shard.ts) into the one review a single job
// would have written: the same packages, findings, counts and verdict, without `shard`.
//
// A merge that silently lacked a shard would report a clean marketplace where nobody looked, so
// the set must be exactly shards 1..n of one split, one commit, one toolkit version and one list
// of checks; anything else is refused with the reports that disagree named.
import type { Review } from './review.js'
import { buildReview } from './review.js'
import { ConfigError } from '../errors.js'
import { shardOf } from './shard.js'

export interface ShardReport {
  /** Where the report came from (a file path), for the error messages. */
  label: string
  review: Review
}

export function mergeShardReviews(reports: readonly ShardReport[]): Review {
  const [first, ...rest] = reports
  if (!first) throw new ConfigError('no shard reports to merge: give the review file of every shard (scan/review --shard i/n --json FILE)')
  const shardOfReport = (r: ShardReport): NonNullable<Review['shard']> => {
    if (r.review.shard) return r.review.shard
    throw new ConfigError(`${r.label} is not a shard report (it has no \`shard\`): write each with \`--shard i/n --json FILE\``)
  }
  const split = shardOfReport(first)
  const same = (what: string, value: (r: ShardReport) => unknown, fix: string) => {
    const expected = JSON.stringify(value(first))
    for (const r of rest) {
      const got = JSON.stringify(value(r))
      if (got !== expected) throw new ConfigError(`${r.label} has ${what} ${got} but ${first.label} has ${expected}: ${fix}`)
    }
  }
  for (const r of rest) shardOfReport(r)
  same('shard count', (r) => r.review.shard?.count, 'merge the reports of one split only (the same n in every --shard i/n)')
  same('commit', (r) => r.review.source ?? null, 'run every shard on the same commit (pin it, e.g. github.sha) and merge that run only')
  same('toolkit version', (r) => r.review.tool.version, 'run every shard with the same marketplace-actions release')
  same('checks', (r) => r.review.checks, 'run every shard with the same command (all scan, or all review)')
  same('marketplace size', (r) => r.review.shard?.marketplace_packages, 'run every shard on the same commit')

  const byIndex = new Map<number, string>()
  for (const r of reports) {
    const { index } = shardOfReport(r)
    const seen = byIndex.get(index)
    if (seen !== undefined)
      throw new ConfigError(`shard ${index}/${split.count} is given twice: ${seen} and ${r.label}; give each shard's report once`)
    byIndex.set(index, r.label)
  }
  const missing = Array.from({ length: split.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i))
  if (missing.length) {
    const shown = missing.length > 20 ? `${missing.slice(0, 20).join(', ')} and ${missing.length - 20} more` : missing.join(', ')
    throw new ConfigError(
      `shard${missing.length > 1 ? 's' : ''} ${shown} of ${split.count} missing: only ${reports.length} report(s) given; re-run the missing shard job(s) or download every shard's artifact`
    )
  }

  const packages = new Map<string, string>()
  for (const r of reports) {
    const { index, count } = shardOfReport(r)
    for (const p of r.review.packages) {
      if (shardOf(p.id, count) !== index) {
        throw new ConfigError(
          `${r.label} (shard ${index}/${count}) lists package ${p.id}, which belongs to shard ${shardOf(p.id, count)}: the report is not what --shard ${index}/${count} writes`
        )
      }
      const other = packages.get(p.id)
      if (other !== undefined) throw new ConfigError(`package ${p.id} is in both ${other} and ${r.label}`)
      packages.set(p.id, r.label)
    }
  }
  if (packages.size !== split.marketplace_packages) {
    throw new ConfigError(
      `the shards list ${packages.size} package(s) but the marketplace has ${split.marketplace_packages} at that commit: a report is incomplete`
    )
  }

  const merged = buildReview({
    toolVersion: first.review.tool.version,
    checks: first.review.checks,
    packages: reports.flatMap((r) => r.review.packages),
    findings: reports.flatMap((r) => r.review.findings)
  })
  if (first.review.source) merged.source = first.review.source
  return merged
}
