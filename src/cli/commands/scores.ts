// marketplace-actions scores --root DIR --stats FILE|URL [--out DIR] [--history-cache FILE] [--token-env NAME] [--strict] [--json FILE]
import path from 'node:path'
import { writeJsonAtomic } from '../../io/write-json.js'
import { STATS_DEFAULTS } from '../../io/stats-defaults.js'
import { formatScoresRun, runScores } from '../../io/run-scores.js'
import { EXIT, UsageError, parse, required, rootOf, type Io } from '../shared.js'

export const SCORES_HELP = `Usage: marketplace-actions scores --stats FILE|URL [--root DIR] [--out DIR] [--history-cache FILE] [--strict]

Computes every package's quality score (docs/scoring.md) from its review, downloads, ratings and
recency, and writes \`downloads\` and \`score\` into registry.json, scores.json (each score by its
components) and features.jsonl (one record per package for a ranking model). Each file is
written atomically and only when its bytes change. When the stats cannot be fetched or do not
match the stats schema, nothing is written and the previous scores stay.

  --stats FILE|URL     the stats document (schemas/stats.schema.json): a file, file:// URL or
                       an http(s) endpoint answering GET
  --root DIR           marketplace root holding registry.json (default: the current directory)
  --out DIR            where scores.json and features.jsonl go (default: the root)
  --history-cache FILE a file kept between runs (outside the marketplace, e.g. in the CI
                       cache): the review history as of a commit, so the next run reads only
                       the commits after it; missing or damaged, the whole history is read
  --token-env NAME     environment variable holding a bearer token for the endpoint
                       (default: MARKETPLACE_STATS_TOKEN; unset means no Authorization header)
  --timeout SECONDS    per attempt (default: ${STATS_DEFAULTS.timeoutMs / 1000})
  --retries N          further attempts on timeouts, 5xx and 429 (default: ${STATS_DEFAULTS.retries})
  --strict             exit 1 when the stats are unusable (default: warn and exit 0)
  --json FILE          also write the run's summary (warnings, files written, scores) as JSON

Exit codes: 0 scored, or stats unusable without --strict (warning above); 1 stats unusable with
--strict (nothing written); 2 usage, configuration or internal error.
`

const OPTIONS = {
  root: { type: 'string' },
  out: { type: 'string' },
  'history-cache': { type: 'string' },
  stats: { type: 'string' },
  'token-env': { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  strict: { type: 'boolean' },
  json: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

function wholeNumber(value: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${option} must be a whole number from ${min} to ${max} (got ${value})`)
  return n
}

export async function scores(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(SCORES_HELP)
    return EXIT.ok
  }
  if (positionals.length) throw new UsageError(`scores takes no positional arguments (got ${positionals.join(' ')})`)
  const stats = required(values.stats, '--stats')
  const tokenEnv = values['token-env'] ?? 'MARKETPLACE_STATS_TOKEN'
  const root = rootOf(values, io)
  const run = await runScores({
    root,
    out: values.out === undefined ? root : path.resolve(io.cwd, values.out),
    stats,
    ...(values['history-cache'] === undefined ? {} : { historyCache: path.resolve(io.cwd, values['history-cache']) }),
    cwd: io.cwd,
    token: io.env[tokenEnv] || undefined,
    timeoutMs: wholeNumber(values.timeout, '--timeout', STATS_DEFAULTS.timeoutMs / 1000, 1, 600) * 1000,
    retries: wholeNumber(values.retries, '--retries', STATS_DEFAULTS.retries, 0, 10)
  })
  if (values.json) {
    const summary = {
      status: run.status,
      warnings: run.warnings,
      written: run.written,
      unknown: run.result?.unknown ?? [],
      missing: run.result?.missing ?? [],
      scores: run.result?.scores.packages.map((p) => ({ id: p.id, score: p.score })) ?? []
    }
    await writeJsonAtomic(path.resolve(io.cwd, values.json), summary)
  }
  const text = formatScoresRun(run)
  // The last stage of the run's timeline (io/run-scores.ts marks the others).
  performance.mark('scores:report formatted')
  if (run.status === 'stats-error') {
    io.stderr.write(`${values.strict ? 'error' : 'warning'}: ${text}`)
    return values.strict ? EXIT.findings : EXIT.ok
  }
  io.stdout.write(text)
  return EXIT.ok
}
