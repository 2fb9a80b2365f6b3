// validate-manifest: manifests, publisher profiles and entrypoints of the changed packages.
import { runCheckAction } from '../shared/check-action.js'

export function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  return runCheckAction(
    {
      title: 'Manifest validation',
      reportName: 'validate-report.json',
      checks: async () => [(await import('../../core/checks/validate/index.js')).validateCheck]
    },
    env
  )
}
