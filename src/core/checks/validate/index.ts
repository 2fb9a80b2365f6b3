// The validate check: publishers' profiles, and for each package its manifest and entrypoint.
// Findings come out in the order of the selection all the same: every profile, then each package's
// manifest and entrypoint findings. A directory marketplace can be validated on several threads
// (--threads N: the safety scan's thread pool, safety/threads.ts); git snapshots a few packages in flight on this thread, so
// git's answers overlap the checks.
import type { Check, CheckContext, CheckResult, PackageFacts } from '../check.js'
import type { Finding } from '../../findings/findings.js'
import { IN_FLIGHT, mapInOrder } from '../../concurrently.js'
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import { inThreads, workerCount } from '../safety/threads.js'
import { checkProfile, profileSteps } from './profile.js'
import { checkPackage, checkPackageNow, VALIDATE_TASK, VALIDATE_TASK_FILE, type PackageResult } from './package.js'
import { runNow } from '../steps.js'

/**
 * Below this many packages per extra thread, a worker does not pay: it loads its code and warms up
 * (≈ 0.2 s of CPU) where validating a package on one thread costs ≈ 0.2 ms.
 */
export const MIN_PACKAGES_PER_VALIDATE_WORKER = 2000

export interface ValidateCheckOptions {
  /**
   * Threads to validate a directory marketplace with (default 1: the calling thread). On a quiet machine a helper
   * gained no wall time at 10,000 packages (its start-up eats the second core's share) for 0.5 s more CPU.
   */
  threads?: number
}

export function createValidateCheck(options: ValidateCheckOptions = {}): Check {
  return {
    id: 'validate',
    async run(ctx: CheckContext): Promise<CheckResult> {
      const { head, selection, config } = ctx
      const targets = selection.targets
      const threads = options.threads ?? 1
      const directory = head instanceof DirectorySnapshot ? head : undefined
      const workers = directory ? workerCount(threads, targets.length, VALIDATE_TASK_FILE, MIN_PACKAGES_PER_VALIDATE_WORKER) : 0
      const here = async (target: (typeof targets)[number]) =>
        directory ? checkPackageNow(directory, config, target) : checkPackage(head, config, target, ctx.base !== undefined)
      // Started before the profiles are read, so the helpers load their code meanwhile.
      const checking =
        directory && workers > 0 ? inThreads(VALIDATE_TASK_FILE, VALIDATE_TASK, directory.root, targets, config, workers, here) : undefined
      checking?.catch(() => undefined) // seen below, after the profiles
      if (directory && workers === 0) return checkDirectory(directory, ctx)
      const findings: Finding[] = []
      const packages: Record<string, PackageFacts> = {}
      for (const found of await mapInOrder(selection.publishers, IN_FLIGHT, (login) => checkProfile(head, login, config))) {
        findings.push(...found)
      }
      for (const result of await (checking ?? mapInOrder(targets, IN_FLIGHT, here))) {
        if (!result) continue
        findings.push(...result.findings)
        packages[result.id] = result.facts
      }
      return { findings, packages }
    }
  }
}

/**
 * A work tree on one thread: the same checks, run synchronously one package after another (no
 * promise, no batch of packages in flight), each package's findings added only when it has some.
 */
async function checkDirectory(directory: DirectorySnapshot, { selection, config }: CheckContext): Promise<CheckResult> {
  const findings: Finding[] = []
  const packages: Record<string, PackageFacts> = {}
  for (const login of selection.publishers) {
    const found = runNow(directory, profileSteps(login, config))
    const list = found instanceof Promise ? await found : found
    if (list.length) findings.push(...list)
  }
  for (const target of selection.targets) {
    const now = checkPackageNow(directory, config, target)
    const result: PackageResult | undefined = now instanceof Promise ? await now : now
    if (!result) continue
    if (result.findings.length) findings.push(...result.findings)
    packages[result.id] = result.facts
  }
  return { findings, packages }
}

export const validateCheck: Check = createValidateCheck()
