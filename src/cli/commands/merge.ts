// marketplace-actions merge REPORT...: the shard reports of a re-audit (scan/review --shard I/N
// --json FILE) combined into one review, as one job would have written it, plus its SARIF, job
// summary and tracking-issue body. A set with a missing or duplicate shard, or shards of
// different splits, commits, toolkit versions or checks, is refused (exit 2).
import path from 'node:path'
import { mergeShardReviews } from '../../core/review/merge.js'
import { MAX_SHARD_REPORT_BYTES, readReview, reportFiles } from '../../io/read-review.js'
import { writeFileAtomic } from '../../io/write-atomic.js'
import { renderReAuditIssue, renderReAuditSummary } from '../../report/re-audit.js'
import { EXIT, REPORT_OPTIONS, SARIF_OPTIONS, UsageError, parse, type Io } from '../shared.js'
import { report } from '../report.js'

export const MERGE_HELP = `Usage: marketplace-actions merge [--json FILE] [--sarif FILE] [--summary FILE] [--issue-body FILE] REPORT...

Combines the --json reports of shards 1..N of a re-audit ('scan --shard I/N' or 'review --shard
I/N', one per job of a matrix) into one review: the same packages, findings and verdict one job
checking every package would give. Each REPORT is a report file, or a folder whose .json files
are all reports (as actions/download-artifact lays them out). Refuses, naming the reports, a set
with a shard missing or given twice, or reports of different N, commits, toolkit versions or
checks.

  --json FILE        write the merged review (review schema) to FILE
  --sarif FILE       write its findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --summary FILE     write the job summary (markdown, failing packages first) to FILE
  --issue-body FILE  write the tracking issue's body (markdown: the packages that fail) to FILE
  --run-url URL      a link to the run, for the issue body
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 no errors, 1 errors found, 2 a refused set, usage or internal error.
`

export async function merge(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...REPORT_OPTIONS,
    ...SARIF_OPTIONS,
    summary: { type: 'string' },
    'issue-body': { type: 'string' },
    'run-url': { type: 'string' }
  })
  if (values.help) {
    io.stdout.write(MERGE_HELP)
    return EXIT.ok
  }
  if (values.root !== undefined || values.config !== undefined)
    throw new UsageError('merge reads only the shard reports: --root and --config do not apply')
  if (!positionals.length) throw new UsageError('give the shard reports to merge (files, or folders of .json files)')
  const files = await reportFiles(positionals.map((p) => path.resolve(io.cwd, p)))
  const reports = []
  for (const file of files)
    reports.push({ label: path.relative(io.cwd, file) || file, review: await readReview(file, MAX_SHARD_REPORT_BYTES) })
  const merged = mergeShardReviews(reports)
  if (values.summary) await writeFileAtomic(path.resolve(io.cwd, values.summary), renderReAuditSummary(merged))
  if (values['issue-body']) {
    const runUrl = values['run-url']
    await writeFileAtomic(path.resolve(io.cwd, values['issue-body']), renderReAuditIssue(merged, runUrl ? { runUrl } : {}))
  }
  return report(merged, values, io)
}
