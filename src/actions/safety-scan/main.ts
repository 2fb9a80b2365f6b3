// safety-scan: what must never reach a user's agent, in the changed packages. Besides the shared
// report, annotations and summary, it writes a SARIF file for github/codeql-action/upload-sarif.
import * as core from '@actions/core'
import path from 'node:path'
import { runCheckAction } from '../shared/check-action.js'
import { stringInput } from '../shared/inputs.js'
import { safetyCheck } from '../../core/checks/safety/index.js'
import { toSarif } from '../../report/sarif.js'
import { writeJsonAtomic } from '../../io/write-json.js'

export function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  return runCheckAction(
    {
      title: 'Safety scan',
      reportName: 'safety-report.json',
      checks: [safetyCheck],
      async after(review, inputs) {
        const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
        const file = path.resolve(workspace, stringInput('sarif') ?? path.join(inputs.outDir, 'safety.sarif'))
        await writeJsonAtomic(file, toSarif(review))
        core.setOutput('sarif', file)
      }
    },
    env
  )
}
