// The safety scan of a directory on every core: the scan is CPU work (regexes, parsers) on files
// the page cache answers in microseconds, so one thread leaves the other cores idle.
//
// With one worker (two threads, the usual runner), the calling thread lists and reads every
// package and the worker scans them (prefetch.ts): the detectors are loaded, interpreted and
// compiled by TurboFan in one isolate instead of two, and the calling thread's system calls run on
// the other core. Reading is about as much work as scanning here, so the two stay even; the
// calling thread reads at most BATCHES_AHEAD batches (and BYTES_AHEAD bytes) ahead of the worker.
//
// With more workers, one reading thread could not keep them busy: every thread then claims the
// next batch from a shared counter (no thread waits for another to hand out work), reads and
// scans it with its own DirectorySnapshot and posts the results.
//
// Either way the caller gets the results in the packages' order, so the report does not depend on
// timing, and a worker that fails leaves its batches to the calling thread.
//
// Only bundled JavaScript can start a worker from its own file (a TypeScript source needs a
// loader); under ts-jest or tsx the scan runs on the calling thread, with the same results.
// Other per-package work (validate) runs on the same pool: `inThreads` with the file of a module
// that calls `serveThreadTask` for its task at its top level.
import { availableParallelism } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import type { Limits } from '../../config/config.js'
import type { PackageRef } from '../../marketplace/paths.js'
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import { mapInOrder } from '../../concurrently.js'
import type * as PackageScanModule from './package-scan.js'
import type { PackageScan } from './package-scan.js'
import { BatchReader, PrefetchedSnapshot, type PrefetchedPackage } from './prefetch.js'

const TASK = 'marketplace-actions/safety-scan'

/** Packages a thread claims at once: small enough to share the tail evenly, large enough that claiming costs nothing. */
export const BATCH = 16

/** Packages scanned at once within a thread: one package's reads overlap another's scan. */
export const PACKAGES_IN_FLIGHT = 8

/** Below this many packages per extra thread, starting a worker (≈ 0.1 s of module loading) does not pay. */
export const MIN_PACKAGES_PER_WORKER = 200

interface Job<T = unknown, D = unknown> {
  task: string
  root: string
  packages: T[]
  data: D
  /** Int32Array[0]: the next batch to claim. */
  claim: SharedArrayBuffer
  /** Folders the caller found to be real directories (the packages it listed): not asked again by a worker that lists and reads. */
  directories?: string[]
  /** The caller reads the packages and posts them (PrefetchedBatches): the worker only scans. */
  prefetched?: true
}

type Message<R = unknown> = { claimed: number } | { batch: number; scans: R[] } | { done: true } | { error: string }

/** What the reading thread posts to the scanning worker: a batch as read, then `end`. */
type PrefetchedMessage = { batch: number; packages: PrefetchedPackage[]; bytes: Uint8Array } | { end: true }

/**
 * Batches the calling thread reads ahead of the scanning worker, at most (1,024 packages): enough
 * that the worker never waits, few enough that reading, the faster side, does not hold the tree.
 */
export const BATCHES_AHEAD = 64

/** Bytes read and not yet scanned, at most, whatever the batches hold (a read budget is 2 MB a package). */
export const BYTES_AHEAD = 32 * 1024 * 1024

/**
 * A scanning worker's young generation, at most: V8 makes it of three semi-spaces, so 2 MB each
 * where Node 20 lets one grow to 16 MB. What a scan allocates per file dies with the file, so a
 * larger young generation only spreads the same work over fresh pages, each a page fault (≈ 18 µs
 * on the VM it was tuned on), and how far it grew depended on the run's timing: the worker took
 * 8,700–13,800 faults a run, 6,100–7,400 capped, and less CPU in 8 of 10 pairs of the whole
 * command (docs/benchmarks.md, Safety scan, nineteenth pass). 1 MB semi-spaces showed no gain:
 * twice the scavenges again cost what the fewer faults saved. On a machine where a fault costs
 * ≈ 2 µs the cap neither helped nor hurt (eight pairs, session 19). The worker's is the one heap a
 * bundle can size: the calling thread's is made before any code of ours runs.
 */
export const SCAN_WORKER_LIMITS = { maxYoungGenerationSizeMb: 6 }

/** The resource limits of a worker started for `task`: the scan's own, none for other tasks (validate). */
function workerLimits(task: string): { resourceLimits?: typeof SCAN_WORKER_LIMITS } {
  return task === TASK ? { resourceLimits: SCAN_WORKER_LIMITS } : {}
}

/**
 * Whether this module can be a worker's entry: it must be JavaScript node loads as it is, and not a
 * bundle's entry file (index.js), whose top level runs a command.
 */
export function canStartWorkers(entry: string = import.meta.url): boolean {
  const file = new URL(entry).pathname
  return file.endsWith('.js') && !file.endsWith('/index.js')
}

/** How many worker threads (besides the calling one) `threads` and this many packages call for. */
export function workerCount(
  threads: number,
  packages: number,
  entry: string = import.meta.url,
  perWorker = MIN_PACKAGES_PER_WORKER
): number {
  if (!canStartWorkers(entry)) return 0
  return Math.max(0, Math.min(threads - 1, Math.floor(packages / perWorker)))
}

/**
 * Every package of a directory marketplace scanned on this thread and `workers` worker threads;
 * results in the order of `packages`. `here` scans on the calling thread (its snapshot is the run's,
 * `snapshot`, which listed the packages).
 */
export function scanInThreads(
  snapshot: DirectorySnapshot,
  packages: readonly PackageRef[],
  limits: Limits,
  workers: number,
  here: (pkg: PackageRef) => Promise<PackageScan>,
  started?: StartedWorkers
): Promise<PackageScan[]> {
  if (workers === 1) return readHereScanThere(snapshot, packages, limits, here, started)
  const directories = packages.map((p) => p.dir)
  return inThreads(import.meta.url, TASK, snapshot.root, packages, limits, workers, here, started, directories)
}

/**
 * One worker scans every package, which this thread lists and reads (prefetch.ts) a batch at a time
 * and posts with its bytes. Should the worker fail, the batches it has not answered are scanned here.
 */
async function readHereScanThere(
  snapshot: DirectorySnapshot,
  packages: readonly PackageRef[],
  limits: Limits,
  here: (pkg: PackageRef) => Promise<PackageScan>,
  started: StartedWorkers | undefined
): Promise<PackageScan[]> {
  const root = snapshot.root
  const results = new Array<PackageScan>(packages.length)
  const batches = Math.ceil(packages.length / BATCH)
  const answered = new Set<number>()
  const posted = new Map<number, number>() // batch -> its bytes, posted and not answered
  let ahead = 0
  let failed = false
  let wake: (() => void) | undefined
  const changed = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  const ready = started?.entry === import.meta.url && started.task === TASK ? started.take() : undefined
  started?.release()
  const job: Job<PackageRef, Limits> = {
    task: TASK,
    root,
    packages: [],
    data: limits,
    claim: new SharedArrayBuffer(4),
    // No `directories`: the worker lists and reads nothing itself unless a read here failed (its
    // fallback snapshot then asks the file system about the folders above that one file). The list
    // of 15,754 folders cost the worker ≈ 0.05–0.15 s before its first package (cloned, then a
    // Set of every folder and its parents), on the path every batch waits behind.
    prefetched: true
  }
  let worker: Worker | undefined
  try {
    worker = ready && !ready.gone ? ready.worker : new Worker(new URL(import.meta.url), { workerData: job, ...workerLimits(TASK) })
  } catch {
    failed = true // no worker: everything is scanned here
  }
  if (worker) {
    worker.on('message', (m: Message<PackageScan>) => {
      if ('scans' in m) {
        m.scans.forEach((s, i) => (results[m.batch * BATCH + i] = s))
        answered.add(m.batch)
        ahead -= posted.get(m.batch) ?? 0
        posted.delete(m.batch)
      } else if ('error' in m) failed = true // scanned again here, which reports the same failure
      changed()
    })
    const gone = () => {
      failed = true
      changed()
    }
    worker.on('error', gone)
    worker.on('exit', gone)
    if (ready) {
      worker.ref()
      worker.postMessage(job)
    }
  }
  // The run's own snapshot reads: it listed the packages, so it knows their folders are real
  // directories already (a snapshot of its own was told them anew, ≈ 50,000 Set entries, before the
  // first batch, which the worker waits for).
  const reader = new BatchReader(snapshot, limits)
  const settled = () => new Promise<void>((resolve) => (wake = resolve))
  try {
    for (let b = 0; b < batches && !failed; b++) {
      while (!failed && (posted.size >= BATCHES_AHEAD || ahead > BYTES_AHEAD)) await settled()
      if (failed) break
      const from = b * BATCH
      const batch = await reader.read(packages.slice(from, from + BATCH))
      posted.set(b, batch.bytes.length)
      ahead += batch.bytes.length
      worker?.postMessage({ batch: b, ...batch } satisfies PrefetchedMessage, [batch.bytes.buffer])
    }
    while (!failed && answered.size < batches) await settled()
  } catch (e) {
    void worker?.terminate() // the worker must not keep the process alive
    throw e
  }
  if (failed) void worker?.terminate()
  else worker?.postMessage({ end: true } satisfies PrefetchedMessage)
  for (let b = 0; b < batches; b++) {
    if (answered.has(b)) continue
    const from = b * BATCH
    const scans = await mapInOrder(packages.slice(from, from + BATCH), PACKAGES_IN_FLIGHT, here)
    scans.forEach((s, i) => (results[from + i] = s))
  }
  return results
}

/**
 * Worker threads started before their job is known, so that their start-up (loading and compiling
 * the scan's modules, ≈ 0.1–0.3 s each) overlaps what the caller does first (reading the config,
 * listing the marketplace). inThreads takes them in place of new ones and ends those it does not
 * need; `release` ends them all when there is no job for them (a git snapshot, an error). They do
 * not keep the process alive until a job is posted to them.
 */
export class StartedWorkers {
  private readonly pending: PendingWorker[] = []

  constructor(
    readonly entry: string,
    readonly task: string,
    count: number
  ) {
    for (let i = 0; i < count; i++) {
      let worker: Worker
      try {
        worker = new Worker(new URL(entry), { workerData: { task, pending: true } satisfies PendingData, ...workerLimits(task) })
      } catch {
        break // no workers here: inThreads starts what it needs, or scans on the calling thread
      }
      const p: PendingWorker = { worker, gone: false }
      const gone = () => (p.gone = true)
      worker.on('error', gone)
      worker.on('exit', gone)
      worker.unref()
      this.pending.push(p)
    }
  }

  /** How many are still waiting for a job. */
  get count(): number {
    return this.pending.length
  }

  /** One waiting worker, or undefined when none is left. */
  take(): PendingWorker | undefined {
    return this.pending.shift()
  }

  /** Ends every worker not taken. */
  release(): void {
    for (const p of this.pending.splice(0)) void p.worker.terminate()
  }
}

interface PendingWorker {
  worker: Worker
  /** It exited or failed before it was given a job. */
  gone: boolean
}

interface PendingData {
  task: string
  pending: true
}

/** More threads than this gain little: reading the tree and merging the results stay on one. */
export const MAX_THREADS = 8

/** The threads a scan uses by default: one per core, at most MAX_THREADS. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), MAX_THREADS)
}

/** The workers a scan on `threads` threads (default: defaultThreads()) starts, started now; pass them to createSafetyCheck. */
export function startScanWorkers(threads: number = defaultThreads()): StartedWorkers {
  return new StartedWorkers(import.meta.url, TASK, canStartWorkers() ? Math.max(0, threads - 1) : 0)
}

/**
 * `here` applied to every item on this thread and `workers` worker threads started from `entry`
 * (the file of a module that serves `task`); results in the order of `packages`. `started`: workers
 * already started for this entry and task, used first (the rest are ended). `directories`: folders
 * the caller found to be real directories, which the workers' snapshots need not check again.
 */
export async function inThreads<T, R, D>(
  entry: string,
  task: string,
  root: string,
  packages: readonly T[],
  data: D,
  workers: number,
  here: (pkg: T) => Promise<R>,
  started?: StartedWorkers,
  directories?: string[]
): Promise<R[]> {
  const results = new Array<R>(packages.length)
  const claim = new SharedArrayBuffer(4)
  const next = new Int32Array(claim)
  const batches = Math.ceil(packages.length / BATCH)
  const scanBatch = async (b: number, scan: (pkg: T) => Promise<R>) => {
    const from = b * BATCH
    const scans = await mapInOrder(packages.slice(from, from + BATCH), PACKAGES_IN_FLIGHT, scan)
    scans.forEach((s, i) => (results[from + i] = s))
  }
  const job: Job<T, D> = { task, root, packages: [...packages], data, claim, ...(directories ? { directories } : {}) }
  const ready = started?.entry === entry && started.task === task ? started : undefined
  const running = Array.from({ length: workers }, () =>
    runWorker<R>(entry, job, (batch, scans) => scans.forEach((s, i) => (results[batch * BATCH + i] = s)), ready?.take())
  )
  started?.release()
  let failure: unknown
  try {
    for (let b = Atomics.add(next, 0, 1); b < batches; b = Atomics.add(next, 0, 1)) await scanBatch(b, here)
  } catch (e) {
    failure = e
    Atomics.store(next, 0, batches) // the workers stop after their current batch
  }
  // A worker that died (out of memory, killed) leaves the batches it had claimed: they are scanned
  // here, so a result is never missing; a failure of the scan itself fails here the same way.
  const leftovers = await Promise.all(running)
  if (failure !== undefined) throw failure
  for (const b of leftovers.flat()) await scanBatch(b, here)
  return results
}

/** Runs one worker (`pending`'s, else a new one) to the end; resolves with the batches it claimed but did not deliver. */
function runWorker<R>(entry: string, job: Job, deliver: (batch: number, scans: R[]) => void, pending?: PendingWorker): Promise<number[]> {
  return new Promise((resolve) => {
    const open = new Set<number>()
    let settled = false
    const finish = () => {
      if (settled) return
      settled = true
      resolve([...open])
    }
    let worker: Worker
    if (pending?.gone) {
      finish() // it died waiting: this thread scans what it would have
      return
    }
    try {
      worker = pending?.worker ?? new Worker(new URL(entry), { workerData: job, ...workerLimits(job.task) })
    } catch {
      finish() // no worker: this thread scans what it would have
      return
    }
    worker.on('message', (m: Message<R>) => {
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
    if (pending) {
      worker.ref()
      worker.postMessage(job)
    }
  })
}

/** In the worker: scans each batch the calling thread read and posted, in turn, until `end`. */
function scanPrefetched(job: Job<PackageRef, Limits>): void {
  const port = parentPort
  if (!port) return
  const snapshot = new PrefetchedSnapshot(new DirectorySnapshot(job.root, job.directories))
  let queue = Promise.resolve()
  let failed = false
  // Listening from the start: batches posted while the scan's modules load wait in the queue.
  const onMessage = (m: PrefetchedMessage) => {
    if ('end' in m) {
      port.off('message', onMessage)
      void queue.then(() => snapshot.close())
      return
    }
    queue = queue.then(async () => {
      if (failed) return
      try {
        const { scanPackageSecrets } = await loadScan()
        const scans: PackageScan[] = []
        for (const p of m.packages) {
          snapshot.use(p, m.bytes)
          scans.push(await scanPackageSecrets(snapshot, p.pkg, job.data))
        }
        port.postMessage({ batch: m.batch, scans } satisfies Message<PackageScan>)
      } catch (e) {
        failed = true
        port.postMessage({ error: String(e) } satisfies Message)
      }
    })
  }
  port.on('message', onMessage)
}

async function work<T, R, D>(job: Job<T, D>, perPackage: (snapshot: DirectorySnapshot, pkg: T, data: D) => Promise<R>): Promise<void> {
  const port = parentPort
  if (!port) return
  if (job.prefetched) return scanPrefetched(job as unknown as Job<PackageRef, Limits>)
  const next = new Int32Array(job.claim)
  const batches = Math.ceil(job.packages.length / BATCH)
  const snapshot = new DirectorySnapshot(job.root, job.directories)
  try {
    for (let b = Atomics.add(next, 0, 1); b < batches; b = Atomics.add(next, 0, 1)) {
      port.postMessage({ claimed: b } satisfies Message)
      const from = b * BATCH
      const scans = await mapInOrder(job.packages.slice(from, from + BATCH), PACKAGES_IN_FLIGHT, (pkg) =>
        perPackage(snapshot, pkg, job.data)
      )
      port.postMessage({ batch: b, scans } satisfies Message<R>)
    }
    port.postMessage({ done: true } satisfies Message)
  } catch (e) {
    port.postMessage({ error: String(e) } satisfies Message)
  } finally {
    await snapshot.close()
  }
}

/**
 * At the top level of a worker's entry module: when this thread was started for `task`, do its part.
 * `prepare` loads what the task needs, run at once by a worker started before its job is known.
 */
export function serveThreadTask<T, R, D>(
  task: string,
  perPackage: (snapshot: DirectorySnapshot, pkg: T, data: D) => Promise<R>,
  prepare?: () => Promise<unknown>
): void {
  const data = workerData as Partial<Job & PendingData> | null
  if (isMainThread || data?.task !== task) return
  if (!data.pending) {
    void work(data as Job<T, D>, perPackage)
    return
  }
  // A failure here is met again, and reported, by the first package's scan.
  prepare?.().catch(() => undefined)
  parentPort?.once('message', (job: Job<T, D>) => void work(job, perPackage))
}

// A worker started by scanInThreads loads this file: its job is in workerData.
// The scan is loaded by a thread that scans, not by one other work (validate) started from this pool.
// Its module is asked for once: an `import()` per package, though answered from the module map, went
// through the loader each time (resolve, module job, a promise: ≈ 2 % of a worker's CPU).
let scanModule: Promise<typeof PackageScanModule> | undefined
const loadScan = () => (scanModule ??= import('./package-scan.js'))
serveThreadTask(
  TASK,
  async (snapshot, pkg: PackageRef, limits: Limits) => (await loadScan()).scanPackageSecrets(snapshot, pkg, limits),
  loadScan
)
