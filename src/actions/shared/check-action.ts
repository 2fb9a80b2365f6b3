// The flow every checking action shares (validate-manifest, safety-scan, version-bump-check and
// the root review): inputs -> checks over the event's commits -> report file, annotations, job
// summary, outputs. An action entry only names its checks.
import * as core from '@actions/core'
import path from 'node:path'
import type { Check } from '../../core/checks/check.js'
import type { Review } from '../../core/review/review.js'
import type { Source } from '../../core/review/source.js'
import { TOOL_VERSION } from '../../version.js'
import { writeJsonAtomic } from '../../io/write-json.js'
import { booleanInput, choiceInput, integerInput, stringInput } from './inputs.js'
import { readEventRange } from './event.js'
import { annotate } from './annotate.js'
import { writeJobSummary } from './write-summary.js'
import { pathOrScratch, workspaceOf } from './runner-paths.js'
import { renderReviewSummary } from '../../report/job-summary.js'
import { failStep } from './failure.js'
import { ConfigError } from '../../core/errors.js'
import { parseShard, type Shard } from '../../core/review/shard.js'

export interface CheckActionSpec {
  /** Shown in the job summary's heading. */
  title: string
  /** Report file name in the scratch folder (runner-paths.ts) when the `report` input is empty. */
  reportName: string
  /**
   * Loads the checks (choosing them from the action's inputs if need be). A loader, so an action
   * that fails on its inputs answers before the checks' code is even read.
   */
  checks: () => Promise<readonly Check[]>
  /** The `scope` values the action accepts (default: changed and all). */
  scopes?: readonly CheckActionInputs['scope'][]
  /**
   * Reads the action's own `author` input, for actions that declare one (the namespace rules);
   * when it returns nothing, the event's author (pull-request opener or pusher) is used.
   */
  authorInput?: () => string | undefined
  /** Reads the action's own `shard` input (`i/n`), for actions that declare one (a re-audit split over jobs). */
  shardInput?: () => string | undefined
  /** Extra outputs and files written from the review (a SARIF file, a comment body...). */
  after?: (review: Review, inputs: CheckActionInputs) => Promise<void>
}

export interface CheckActionInputs {
  root: string
  scope: 'changed' | 'all'
  base?: string
  head: string
  /** The trusted commit the config is read from: the base, whatever the scope. */
  configRef?: string
  author?: string
  /** With scope all: only this shard of every package. */
  shard?: Shard
  config?: string
  report: string
  failOnError: boolean
  maxAnnotations: number
}

export function getCheckInputs(
  spec: Pick<CheckActionSpec, 'reportName' | 'scopes' | 'authorInput' | 'shardInput'>,
  env: Record<string, string | undefined>
): CheckActionInputs {
  const workspace = workspaceOf(env)
  const event = readEventRange(env)
  const scope = choiceInput('scope', spec.scopes ?? (['changed', 'all'] as const), 'changed')
  const base = stringInput('base') ?? event.base
  const inputs: CheckActionInputs = {
    root: path.resolve(workspace, stringInput('root') ?? '.'),
    scope,
    head: stringInput('head') ?? event.head ?? 'HEAD',
    report: pathOrScratch(env, stringInput('report'), spec.reportName),
    failOnError: booleanInput('fail-on-error', true),
    maxAnnotations: integerInput('max-annotations', 50, 0, 1000)
  }
  if (base) inputs.configRef = base
  const author = spec.authorInput?.() ?? event.author
  if (author) inputs.author = author
  if (scope === 'changed') {
    if (base) inputs.base = base
    else core.notice('No base commit in the event or the `base` input: checking every package.')
  }
  const config = stringInput('config')
  if (config) inputs.config = config
  const shard = spec.shardInput?.()
  if (shard !== undefined) {
    if (scope !== 'all') throw new ConfigError('input `shard` splits a re-audit of every package over jobs: set `scope: all` with it')
    inputs.shard = parseShard(shard)
  }
  return inputs
}

export async function runCheckAction(spec: CheckActionSpec, env: Record<string, string | undefined> = process.env): Promise<void> {
  let summary: string | undefined
  try {
    const inputs = getCheckInputs(spec, env)
    const source: Source = { kind: 'git', repo: inputs.root, head: inputs.head }
    if (inputs.base) source.base = inputs.base
    if (inputs.configRef) source.configRef = inputs.configRef
    if (inputs.author) source.author = inputs.author
    const checks = await spec.checks()
    const { runOnSource } = await import('../../core/review/source.js')
    const review = await runOnSource(source, checks, {
      configFile: inputs.config,
      toolVersion: TOOL_VERSION,
      ...(inputs.shard ? { shard: inputs.shard } : {})
    })

    await writeJsonAtomic(inputs.report, review)
    annotate(review.findings, inputs.maxAnnotations)
    summary = renderReviewSummary(spec.title, review)
    core.setOutput('verdict', review.verdict)
    core.setOutput('errors', review.counts.error)
    core.setOutput('warnings', review.counts.warning)
    core.setOutput('notices', review.counts.notice)
    core.setOutput('packages', review.packages.length)
    core.setOutput('report', inputs.report)
    await spec.after?.(review, inputs)
    core.info(
      `${review.packages.length} package(s) checked: ${review.counts.error} error(s), ${review.counts.warning} warning(s). Report: ${inputs.report}`
    )
    if (review.verdict === 'fail' && inputs.failOnError) {
      const where = inputs.base ? 'in the changed packages' : 'in the packages'
      core.setFailed(`${review.counts.error} error(s) found ${where}; see the annotations and the job summary.`)
    }
  } catch (e) {
    // Configuration mistakes and internal errors are not findings: no verdict, just the reason.
    core.setOutput('verdict', 'error')
    failStep(e)
  } finally {
    await writeJobSummary(summary)
  }
}
