// build-registry: after a merge to the default branch, rebuild registry.json,
// .claude-plugin/marketplace.json and the Agent Skills site from the checked-out commit. Not a
// check: a package that cannot be published is annotated and kept at its last good version while
// the rest publish, so the step succeeds unless `fail-on-error` says otherwise. Only the removal
// guard (and configuration or internal errors) stops it, before anything is written.
import * as core from '@actions/core'
import path from 'node:path'
import { countFindings } from '../../core/findings/findings.js'
import { buildHow, idsOf, summaryLine } from '../../report/build.js'
import { renderBuildSummary } from '../../report/job-summary.js'
import { TOOL_VERSION } from '../../version.js'
import { annotate } from '../shared/annotate.js'
import { booleanInput, integerInput, stringInput } from '../shared/inputs.js'
import { writeJobSummary } from '../shared/write-summary.js'
import { failStep } from '../shared/failure.js'
import { workspaceOf } from '../shared/runner-paths.js'
import { boundHeapGrowth } from '../../io/heap-growth.js'
import { CLAUDE_MARKETPLACE_FILE, REGISTRY_FILE } from '../../core/marketplace/paths.js'

export async function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  let summary: string | undefined
  try {
    const workspace = workspaceOf(env)
    const root = path.resolve(workspace, stringInput('root') ?? '.')
    const site = path.resolve(root, stringInput('out') ?? 'site')
    const full = booleanInput('full', false)
    const force = booleanInput('force', false)
    const failOnError = booleanInput('fail-on-error', false)
    const maxAnnotations = integerInput('max-annotations', 50, 0, 1000)
    // Before the build allocates (io/heap-growth.ts).
    boundHeapGrowth()
    const { buildRegistry } = await import('../../core/registry/build/build.js')
    const { RegistryOutputs } = await import('../../io/registry-output.js')
    const { archiveGzip } = await import('../../io/gzip-thread.js')
    const outputs = new RegistryOutputs(root, site)
    const gzip = archiveGzip()
    const result = await buildRegistry({
      repo: root,
      configFile: stringInput('config'),
      full,
      force,
      toolVersion: TOOL_VERSION,
      outputs,
      ...(gzip ? { gzip } : {})
    }).finally(() => gzip?.close())
    annotate(result.findings, maxAnnotations)
    const counts = countFindings(result.findings)
    core.setOutput('registry', path.join(root, REGISTRY_FILE))
    core.setOutput('marketplace', path.join(root, CLAUDE_MARKETPLACE_FILE))
    core.setOutput('site', site)
    core.setOutput('errors', counts.error)
    if (result.refused) {
      summary = renderBuildSummary(result, undefined)
      core.setOutput('changed', 'false')
      core.setOutput('summary', summaryLine(result))
      core.setFailed(
        `Refused: this build would remove ${result.refused.removed} of ${result.refused.previous} packages; nothing was written. ` +
          'If the removals are intended, run it with `force: true` (or raise registry.max_removed_share in the config).'
      )
      return
    }
    const applied = await outputs.apply(result)
    summary = renderBuildSummary(result, applied)
    const line = summaryLine(result, applied)
    core.setOutput('added', idsOf(result.added).join(','))
    core.setOutput('updated', idsOf(result.updated).join(','))
    core.setOutput('removed', idsOf(result.removed).join(','))
    core.setOutput('changed', String(applied.written.length + applied.deleted.length > 0))
    core.setOutput('summary', line)
    const how = buildHow(result)
    core.info(`${line} (${how}; ${applied.written.length} file(s) written, ${applied.deleted.length} deleted)`)
    if (counts.error > 0) {
      const message = `${counts.error} error(s): ${result.withheld.length} package(s) kept at their last good version, the rest published; see the annotations.`
      if (failOnError) core.setFailed(message)
      else core.warning(message)
    }
  } catch (e) {
    failStep(e)
  } finally {
    await writeJobSummary(summary)
  }
}
