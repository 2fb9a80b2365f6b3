// The safety check: for every package a run selects, what must never reach a user's agent
// (package-scan.ts scans one package). A directory marketplace is scanned on every core
// (threads.ts); a git snapshot on the calling thread, a few packages in flight so git's answers
// overlap the scan.
//
// The detectors (package-scan.ts and what it loads: ≈ 0.2 s of module evaluation) are loaded at
// the first package this thread scans, not with this module: a whole-directory scan lists the
// marketplace and hands the packages to its worker threads first, so the workers scan while this
// thread loads them instead of waiting for it.
import type { Check, CheckContext, CheckResult } from '../check.js'
import type { Finding } from '../../findings/findings.js'
import type { Limits } from '../../config/config.js'
import type { PackageRef } from '../../marketplace/paths.js'
import type { Snapshot } from '../../snapshot/types.js'
import { mapInOrder } from '../../concurrently.js'
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import type * as PackageScanModule from './package-scan.js'
import type { PackageScan } from './package-scan.js'
import { PACKAGES_IN_FLIGHT, defaultThreads, scanInThreads, workerCount, type StartedWorkers } from './threads.js'

export interface SafetyCheckOptions {
  /** Threads to scan a directory marketplace with (default: the cores, at most 8); 1 scans on the calling thread. */
  threads?: number
  /** Workers started ahead (startScanWorkers), used in place of new ones; those not needed are ended. */
  started?: StartedWorkers
}

let detectors: Promise<typeof PackageScanModule> | undefined

/** One package's scan on this thread, the detectors loaded at the first. */
async function scanHere(snapshot: Snapshot, pkg: PackageRef, limits: Limits): Promise<PackageScan> {
  return (await (detectors ??= import('./package-scan.js'))).scanPackageSecrets(snapshot, pkg, limits)
}

export function createSafetyCheck(options: SafetyCheckOptions = {}): Check {
  return {
    id: 'safety',
    async run({ head, selection, config }: CheckContext): Promise<CheckResult> {
      const targets = selection.targets.filter((t) => t.status !== 'deleted').map((t) => t.ref)
      const threads = options.threads ?? defaultThreads()
      const workers = head instanceof DirectorySnapshot ? workerCount(threads, targets.length) : 0
      if (workers === 0) options.started?.release()
      const here = (pkg: PackageRef) => scanHere(head, pkg, config.limits)
      // Results are kept in selection order either way, so the report does not depend on timing.
      const scans: PackageScan[] =
        workers > 0 && head instanceof DirectorySnapshot
          ? await scanInThreads(head, targets, config.limits, workers, here, options.started)
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
