// version-bump-check: every changed package carries a higher version (published versions never
// change), and the pull request changes only the namespaces its author owns.
import { runCheckAction } from '../shared/check-action.js'
import { stringInput } from '../shared/inputs.js'

export function run(env: Record<string, string | undefined> = process.env): Promise<void> {
  return runCheckAction(
    {
      title: 'Versions and namespaces',
      reportName: 'version-bump-report.json',
      checks: async () => [
        (await import('../../core/checks/release/version-bump.js')).versionBumpCheck,
        (await import('../../core/checks/release/namespace.js')).namespaceCheck
      ],
      // Both rules compare the base with the head: there is no "every package" mode.
      scopes: ['changed'],
      authorInput: () => stringInput('author')
    },
    env
  )
}
