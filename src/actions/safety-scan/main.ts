// safety-scan: what must never reach a user's agent, in the changed packages. Besides the shared
// report, annotations and summary, it writes a SARIF file for github/codeql-action/upload-sarif.
import { runCheckAction } from '../shared/check-action.js'
import { writeSarifOutput } from '../shared/sarif-output.js'
import { stringInput } from '../shared/inputs.js'

export function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  return runCheckAction(
    {
      title: 'Safety scan',
      reportName: 'safety-report.json',
      checks: async () => [(await import('../../core/checks/safety/check.js')).safetyCheck],
      shardInput: () => stringInput('shard'),
      after: (review) => writeSarifOutput(env, review, 'safety.sarif')
    },
    env
  )
}
