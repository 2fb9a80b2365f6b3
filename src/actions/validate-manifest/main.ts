// validate-manifest: inputs -> core validate -> report file, annotations, job summary, outputs.
import * as core from '@actions/core'
import path from 'node:path'
import { ConfigError } from '../../core/errors.js'
import { validateSource, type Source } from '../../core/source.js'
import type { Review } from '../../core/review.js'
import { TOOL_VERSION } from '../../version.js'
import { writeFileAtomic } from '../../io/write-atomic.js'
import { booleanInput, choiceInput, integerInput, stringInput } from '../shared/inputs.js'
import { readEventRange } from '../shared/event.js'
import { annotate } from '../shared/annotate.js'
import { renderSummary, writeSummary } from '../shared/summary.js'

interface Inputs {
  root: string
  scope: 'changed' | 'all'
  base?: string
  head: string
  /** The trusted commit the config is read from: the base, whatever the scope. */
  configRef?: string
  author?: string
  config?: string
  report: string
  failOnError: boolean
  maxAnnotations: number
}

function getInputs(env: Record<string, string | undefined>): Inputs {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const event = readEventRange(env)
  const scope = choiceInput('scope', ['changed', 'all'] as const, 'changed')
  const base = stringInput('base') ?? event.base
  const tmp = env.RUNNER_TEMP ?? path.join(workspace, '.tmp')
  const inputs: Inputs = {
    root: path.resolve(workspace, stringInput('root') ?? '.'),
    scope,
    head: stringInput('head') ?? event.head ?? 'HEAD',
    report: path.resolve(workspace, stringInput('report') ?? path.join(tmp, 'marketplace-actions', 'validate-report.json')),
    failOnError: booleanInput('fail-on-error', true),
    maxAnnotations: integerInput('max-annotations', 50, 0, 1000)
  }
  if (base) inputs.configRef = base
  if (event.author) inputs.author = event.author
  if (scope === 'changed') {
    if (base) inputs.base = base
    else core.notice('No base commit in the event or the `base` input: checking every package.')
  }
  const config = stringInput('config')
  if (config) inputs.config = config
  return inputs
}

export async function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  let summary: string | undefined
  try {
    const inputs = getInputs(env)
    const source: Source = { kind: 'git', repo: inputs.root, head: inputs.head }
    if (inputs.base) source.base = inputs.base
    if (inputs.configRef) source.configRef = inputs.configRef
    if (inputs.author) source.author = inputs.author
    const review: Review = await validateSource(source, { configFile: inputs.config, toolVersion: TOOL_VERSION })

    await writeFileAtomic(inputs.report, `${JSON.stringify(review, null, 2)}\n`)
    annotate(review.findings, inputs.maxAnnotations)
    summary = renderSummary('Manifest validation', review)
    core.setOutput('verdict', review.verdict)
    core.setOutput('errors', review.counts.error)
    core.setOutput('warnings', review.counts.warning)
    core.setOutput('notices', review.counts.notice)
    core.setOutput('packages', review.packages.length)
    core.setOutput('report', inputs.report)
    core.info(`${review.packages.length} package(s) checked: ${review.counts.error} error(s), ${review.counts.warning} warning(s). Report: ${inputs.report}`)
    if (review.verdict === 'fail' && inputs.failOnError) {
      core.setFailed(`${review.counts.error} error(s) found in the changed packages; see the annotations and the job summary.`)
    }
  } catch (e) {
    // Configuration mistakes and internal errors are not findings: no verdict, just the reason.
    core.setOutput('verdict', 'error')
    if (e instanceof ConfigError) core.setFailed(`Configuration error: ${e.message}`)
    else core.setFailed(`Internal error: ${(e as Error).stack ?? String(e)}`)
  } finally {
    if (summary) await writeSummary(summary)
  }
}
