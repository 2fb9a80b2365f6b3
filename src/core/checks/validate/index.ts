// The validate check: publishers' profiles, and for each package its manifest and entrypoint.
import type { Check, CheckContext, CheckResult, PackageFacts } from '../check.js'
import type { Finding } from '../../findings/findings.js'
import { checkManifest } from './manifest.js'
import { checkEntrypoint } from './entrypoint.js'
import { checkProfile } from './profile.js'

export const validateCheck: Check = {
  id: 'validate',
  async run({ head, selection, config }: CheckContext): Promise<CheckResult> {
    const findings: Finding[] = []
    const packages: Record<string, PackageFacts> = {}
    for (const login of selection.publishers) findings.push(...(await checkProfile(head, login, config)))
    for (const target of selection.targets) {
      if (target.status === 'deleted') continue
      const files = await head.walk(target.ref.dir)
      const result = await checkManifest(head, target.ref, files, config)
      findings.push(...result.findings)
      const m = result.manifest
      const facts: PackageFacts = {}
      if (typeof m?.version === 'string') facts.version = m.version
      if (m?.type === 'skill' || m?.type === 'mcp-server') facts.type = m.type
      packages[target.ref.id] = facts
      if (m && result.fieldAt) findings.push(...(await checkEntrypoint(head, target.ref, files, m, result.fieldAt, config)))
    }
    return { findings, packages }
  }
}
