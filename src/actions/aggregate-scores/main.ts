// aggregate-scores: on a schedule, fetch the private stats, score every package and write
// `downloads` and `score` into registry.json, scores.json and features.jsonl. Not a check: when
// the stats are unusable nothing is written, the previous scores stay and the step warns (or
// fails, with `fail-on-stats-error`), so a flaky endpoint never erases a score.
import * as core from '@actions/core'
import path from 'node:path'
import { ConfigError } from '../../core/errors.js'
import { STATS_DEFAULTS } from '../../io/stats-defaults.js'
import { booleanInput, integerInput, stringInput } from '../shared/inputs.js'
import { writeJobSummary } from '../shared/write-summary.js'
import { renderScoresSummary } from '../../report/job-summary.js'
import { failStep } from '../shared/failure.js'
import { workspaceOf } from '../shared/runner-paths.js'

export async function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  let summary: string | undefined
  try {
    const workspace = workspaceOf(env)
    const root = path.resolve(workspace, stringInput('root') ?? '.')
    const stats = stringInput('stats')
    if (stats === undefined) throw new ConfigError('input `stats` is required: the URL or file of the stats document')
    const token = stringInput('token')
    // Masked in every later log line, in case an error message ever echoes it.
    if (token) core.setSecret(token)
    const failOnStatsError = booleanInput('fail-on-stats-error', false)
    const timeoutSeconds = integerInput('timeout-seconds', STATS_DEFAULTS.timeoutMs / 1000, 1, 600)
    const retries = integerInput('retries', STATS_DEFAULTS.retries, 0, 10)
    const historyCache = stringInput('history-cache')
    const { formatScoresRun, runScores } = await import('../../io/run-scores.js')
    const result = await runScores({
      root,
      stats,
      cwd: workspace,
      timeoutMs: timeoutSeconds * 1000,
      retries,
      ...(token ? { token } : {}),
      ...(historyCache ? { historyCache: path.resolve(workspace, historyCache) } : {})
    })
    const text = formatScoresRun(result)
    summary = renderScoresSummary(text)
    core.setOutput('changed', String(result.written.length > 0))
    core.setOutput('scores', result.scoresFile)
    core.setOutput('features', result.featuresFile)
    core.setOutput('warnings', String(result.warnings.length))
    core.info(text.trimEnd())
    for (const w of result.warnings) if (w !== result.error) core.warning(w)
    if (result.status === 'stats-error') {
      const message = result.error ?? 'stats unavailable'
      if (failOnStatsError) core.setFailed(message)
      else core.warning(message)
    }
  } catch (e) {
    failStep(e)
  } finally {
    await writeJobSummary(summary)
  }
}
