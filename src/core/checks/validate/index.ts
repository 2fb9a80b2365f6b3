// The validate check: publishers' profiles, and for each package its manifest and entrypoint.
// Packages are read several at a time (checks/in-order.ts); findings come out in the order of the
// selection all the same: every profile, then each package's manifest and entrypoint findings.
import type { Check, CheckContext, CheckResult, PackageFacts } from '../check.js'
import type { Finding } from '../../findings/findings.js'
import type { Target } from '../selection.js'
import { IN_FLIGHT, mapInOrder } from '../../concurrently.js'
import { manifestOnce } from './manifest-once.js'
import { checkEntrypoint } from './entrypoint.js'
import { checkProfile } from './profile.js'

export const validateCheck: Check = {
  id: 'validate',
  async run(ctx: CheckContext): Promise<CheckResult> {
    const { head, selection, config } = ctx
    const findings: Finding[] = []
    const packages: Record<string, PackageFacts> = {}
    for (const found of await mapInOrder(selection.publishers, IN_FLIGHT, (login) => checkProfile(head, login, config))) {
      findings.push(...found)
    }
    const checked = await mapInOrder(selection.targets, IN_FLIGHT, (target) => checkPackage(ctx, target))
    for (const result of checked) {
      if (!result) continue
      findings.push(...result.findings)
      packages[result.id] = result.facts
    }
    return { findings, packages }
  }
}

async function checkPackage(
  { head, config }: CheckContext,
  target: Target
): Promise<{ id: string; findings: Finding[]; facts: PackageFacts } | undefined> {
  if (target.status === 'deleted') return undefined
  const files = await head.walk(target.ref.dir)
  const result = await manifestOnce(head, target.ref, files, config)
  const findings = result.findings
  const m = result.manifest
  const facts: PackageFacts = {}
  if (typeof m?.version === 'string') facts.version = m.version
  if (m?.type === 'skill' || m?.type === 'mcp-server') facts.type = m.type
  if (m && result.fieldAt) findings.push(...(await checkEntrypoint(head, target.ref, files, m, result.fieldAt, config)))
  return { id: target.ref.id, findings, facts }
}
