// The schema check of registry.json in a scores run, on a thread of its own. A run rewrites only
// `downloads` and `score`, and must never write a registry that fails the schema: the file read
// has to be valid as a whole, which costs a strict UTF-8 decode, JSON.parse and the compiled
// schema over 13 MB at 10,000 packages. The formula needs none of that (registry-splice.ts scans
// what it reads), so the check runs beside it, while the stats are read and the scores computed,
// and the run waits for its verdict before it writes anything. The check is the reader's own
// (parsePreviousRegistry): the same rule, the same error, in one place.
//
// Only bundled JavaScript can start a worker from its own file (a TypeScript source needs a
// loader); under ts-jest or tsx, and when a worker cannot start or fails, the check runs on the
// calling thread when its verdict is asked for, with the same result.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { ConfigError } from '../core/errors.js'
import { parsePreviousRegistry } from '../core/registry/build/registry-json.js'

const TASK = 'marketplace-actions/registry-check'

type Verdict = { ok: true } | { ok: false; message: string }

interface Job {
  task: typeof TASK
  bytes: Uint8Array
}

export interface RegistryCheck {
  /** Resolves when the bytes are a valid registry.json; rejects with the reader's ConfigError otherwise. */
  verdict(): Promise<void>
  /** Stops a check whose verdict is no longer needed. */
  cancel(): void
}

/** Whether this module can be a worker's entry: JavaScript node loads as it is, not a bundle's index.js. */
function canStartWorker(): boolean {
  const file = new URL(import.meta.url).pathname
  return file.endsWith('.js') && !file.endsWith('/index.js')
}

/** The check of `bytes` (the registry.json a scores run read), started now on another thread where it can be. */
export function checkRegistryAside(bytes: Uint8Array): RegistryCheck {
  const here = async (): Promise<void> => {
    parsePreviousRegistry(bytes)
  }
  if (!canStartWorker()) return { verdict: here, cancel: () => {} }
  let worker: Worker | undefined
  const answer = new Promise<Verdict | undefined>((resolve) => {
    try {
      worker = new Worker(new URL(import.meta.url), { workerData: { task: TASK, bytes } satisfies Job })
    } catch {
      resolve(undefined)
      return
    }
    worker.on('message', (m: Verdict) => resolve(m))
    // A worker that failed or died (out of memory, killed) gave no verdict: this thread checks.
    worker.on('error', () => resolve(undefined))
    worker.on('exit', () => resolve(undefined))
  })
  return {
    verdict: async () => {
      const v = await answer
      if (v === undefined) return here()
      if (!v.ok) throw new ConfigError(v.message)
    },
    cancel: () => void worker?.terminate()
  }
}

function work(job: Job): void {
  let verdict: Verdict
  try {
    parsePreviousRegistry(job.bytes)
    verdict = { ok: true }
  } catch (e) {
    // Anything but the reader's own refusal is left to the calling thread, which throws it with its stack.
    if (!(e instanceof ConfigError)) throw e
    verdict = { ok: false, message: e.message }
  }
  parentPort?.postMessage(verdict)
}

if (!isMainThread && (workerData as Job | undefined)?.task === TASK) work(workerData as Job)
