// The safety scan of a directory on every core: the scan is CPU work (regexes, parsers) on files
// the page cache answers in microseconds, so one thread leaves the other cores idle. Worker threads
// load this module's own file and scan packages from the same list: each thread claims the next
// batch from a shared counter (no thread waits for another to hand out work), scans it with its own
// DirectorySnapshot and posts the results; the caller gets them in the packages' order, so the
// report does not depend on timing. Each thread holds only the batch it is scanning.
//
// Only bundled JavaScript can start a worker from its own file (a TypeScript source needs a
// loader); under ts-jest or tsx the scan runs on the calling thread, with the same results.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { Limits } from '../../config/config.js'
import type { PackageRef } from '../../marketplace/paths.js'
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import { mapInOrder } from '../../concurrently.js'
import { scanPackageSecrets, type PackageScan } from './package-scan.js'

const TASK = 'marketplace-actions/safety-scan'

/** Packages a thread claims at once: small enough to share the tail evenly, large enough that claiming costs nothing. */
export const BATCH = 16

/** Packages scanned at once within a thread: one package's reads overlap another's scan. */
export const PACKAGES_IN_FLIGHT = 8

/** Below this many packages per extra thread, starting a worker (≈ 0.1 s of module loading) does not pay. */
export const MIN_PACKAGES_PER_WORKER = 200

interface Job {
  task: typeof TASK
  root: string
  packages: PackageRef[]
  limits: Limits
  /** Int32Array[0]: the next batch to claim. */
  claim: SharedArrayBuffer
}

type Message = { claimed: number } | { batch: number; scans: PackageScan[] } | { done: true } | { error: string }

/**
 * Whether this module can be a worker's entry: it must be JavaScript node loads as it is, and not a
 * bundle's entry file (index.js), whose top level runs a command.
 */
export function canStartWorkers(): boolean {
  const file = new URL(import.meta.url).pathname
  return file.endsWith('.js') && !file.endsWith('/index.js')
}

/** How many worker threads (besides the calling one) `threads` and this many packages call for. */
export function workerCount(threads: number, packages: number): number {
  if (!canStartWorkers()) return 0
  return Math.max(0, Math.min(threads - 1, Math.floor(packages / MIN_PACKAGES_PER_WORKER)))
}

/**
 * Every package of a directory marketplace scanned on this thread and `workers` worker threads;
 * results in the order of `packages`. `here` scans on the calling thread (its snapshot is the run's).
 */
export async function scanInThreads(
  root: string,
  packages: readonly PackageRef[],
  limits: Limits,
  workers: number,
  here: (pkg: PackageRef) => Promise<PackageScan>
): Promise<PackageScan[]> {
  const results = new Array<PackageScan>(packages.length)
  const claim = new SharedArrayBuffer(4)
  const next = new Int32Array(claim)
  const batches = Math.ceil(packages.length / BATCH)
  const scanBatch = async (b: number, scan: (pkg: PackageRef) => Promise<PackageScan>) => {
    const from = b * BATCH
    const scans = await mapInOrder(packages.slice(from, from + BATCH), PACKAGES_IN_FLIGHT, scan)
    scans.forEach((s, i) => (results[from + i] = s))
  }
  const job: Job = { task: TASK, root, packages: [...packages], limits, claim }
  const started = Array.from({ length: workers }, () =>
    runWorker(job, (batch, scans) => scans.forEach((s, i) => (results[batch * BATCH + i] = s)))
  )
  let failure: unknown
  try {
    for (let b = Atomics.add(next, 0, 1); b < batches; b = Atomics.add(next, 0, 1)) await scanBatch(b, here)
  } catch (e) {
    failure = e
    Atomics.store(next, 0, batches) // the workers stop after their current batch
  }
  // A worker that died (out of memory, killed) leaves the batches it had claimed: they are scanned
  // here, so a result is never missing; a failure of the scan itself fails here the same way.
  const leftovers = await Promise.all(started)
  if (failure !== undefined) throw failure
  for (const b of leftovers.flat()) await scanBatch(b, here)
  return results
}

/** Runs one worker to the end; resolves with the batches it claimed but did not deliver. */
function runWorker(job: Job, deliver: (batch: number, scans: PackageScan[]) => void): Promise<number[]> {
  return new Promise((resolve) => {
    const open = new Set<number>()
    let settled = false
    const finish = () => {
      if (settled) return
      settled = true
      resolve([...open])
    }
    let worker: Worker
    try {
      worker = new Worker(new URL(import.meta.url), { workerData: job })
    } catch {
      finish() // no worker: this thread scans what it would have
      return
    }
    worker.on('message', (m: Message) => {
      if ('claimed' in m) open.add(m.claimed)
      else if ('scans' in m) {
        deliver(m.batch, m.scans)
        open.delete(m.batch)
      } else if ('error' in m) {
        // Scanning failed in the worker: the batch stays open and is scanned again on the calling
        // thread, which reports the same failure with its own stack.
        finish()
        void worker.terminate()
      } else finish()
    })
    worker.on('error', finish)
    worker.on('exit', finish)
  })
}

async function work(job: Job): Promise<void> {
  const port = parentPort
  if (!port) return
  const next = new Int32Array(job.claim)
  const batches = Math.ceil(job.packages.length / BATCH)
  const snapshot = new DirectorySnapshot(job.root)
  try {
    for (let b = Atomics.add(next, 0, 1); b < batches; b = Atomics.add(next, 0, 1)) {
      port.postMessage({ claimed: b } satisfies Message)
      const from = b * BATCH
      const scans = await mapInOrder(job.packages.slice(from, from + BATCH), PACKAGES_IN_FLIGHT, (pkg) =>
        scanPackageSecrets(snapshot, pkg, job.limits)
      )
      port.postMessage({ batch: b, scans } satisfies Message)
    }
    port.postMessage({ done: true } satisfies Message)
  } catch (e) {
    port.postMessage({ error: String(e) } satisfies Message)
  } finally {
    await snapshot.close()
  }
}

// A worker started by scanInThreads loads this file: its job is in workerData.
if (!isMainThread && (workerData as Partial<Job> | null)?.task === TASK) void work(workerData as Job)
