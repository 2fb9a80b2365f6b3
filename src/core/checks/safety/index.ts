// The safety check: for every package a run selects, what must never reach a user's agent
// (package-scan.ts scans one package). A directory marketplace is scanned on every core
// (threads.ts); a git snapshot on the calling thread, a few packages in flight so git's answers
// overlap the scan.
import type { Check, CheckContext, CheckResult } from '../check.js'
import type { Finding } from '../../findings/findings.js'
import { mapInOrder } from '../../concurrently.js'
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import { scanPackageSecrets, type PackageScan } from './package-scan.js'
import { PACKAGES_IN_FLIGHT, defaultThreads, scanInThreads, workerCount, type StartedWorkers } from './threads.js'

export { scanPackage, scanText, MAX_FINDINGS_PER_RULE_AND_FILE, READ_BUDGET_FACTOR } from './package-scan.js'
export { PACKAGES_IN_FLIGHT } from './threads.js'

export interface SafetyCheckOptions {
  /** Threads to scan a directory marketplace with (default: the cores, at most 8); 1 scans on the calling thread. */
  threads?: number
  /** Workers started ahead (startScanWorkers), used in place of new ones; those not needed are ended. */
  started?: StartedWorkers
}

export function createSafetyCheck(options: SafetyCheckOptions = {}): Check {
  return {
    id: 'safety',
    async run({ head, selection, config }: CheckContext): Promise<CheckResult> {
      const targets = selection.targets.filter((t) => t.status !== 'deleted').map((t) => t.ref)
      const threads = options.threads ?? defaultThreads()
      const workers = head instanceof DirectorySnapshot ? workerCount(threads, targets.length) : 0
      if (workers === 0) options.started?.release()
      const here = (pkg: (typeof targets)[number]) => scanPackageSecrets(head, pkg, config.limits)
      // Results are kept in selection order either way, so the report does not depend on timing.
      const scans: PackageScan[] =
        workers > 0 && head instanceof DirectorySnapshot
          ? await scanInThreads(head.root, targets, config.limits, workers, here, options.started)
          : await mapInOrder(targets, PACKAGES_IN_FLIGHT, here)
      const findings: Finding[] = []
      const secrets: string[] = []
      for (const scan of scans) {
        findings.push(...scan.findings)
        secrets.push(...scan.secrets)
      }
      // The pipeline masks these in every check's findings, not only the safety scan's.
      return { findings, secrets }
    }
  }
}

export const safetyCheck: Check = createSafetyCheck()
