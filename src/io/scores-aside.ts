// The parts of a scores run that the formula does not wait on first, on a thread of their own: the
// review history (git log and cat-file of every review record, parsed) and the schema check of
// registry.json. The main thread meanwhile scans registry.json for the fields the formula reads
// (registry-splice.ts), reads the previous scores and the stats; it takes the history when it
// scores and the check's verdict before it says or writes anything. Git then never waits on a main
// thread busy with a scan to be handed its next command, and the parsing of its output and the
// 13 MB decode, parse and schema check are off the main thread.
//
// A run rewrites only `downloads` and `score`, and must never write a registry that fails the
// schema: the file read must be valid as a whole. The check is the reader's own
// (parsePreviousRegistry): the same rule and the same error, in one place. The history comes
// first on this thread (the formula needs it earlier, and git's pipe would stall behind the check).
//
// Only bundled JavaScript can start a worker from its own file (a TypeScript source needs a
// loader); under ts-jest or tsx, and when a worker cannot start or fails, the calling thread reads
// the history and checks the file itself, with the same results.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { ConfigError } from '../core/errors.js'
import { parsePreviousRegistry } from '../core/registry/build/registry-json.js'
import { reviewHistory, type RecordedVerdict } from '../core/git/review-history.js'

const TASK = 'marketplace-actions/scores-aside'

type History = Map<string, RecordedVerdict[]>
type Message = { history: History } | { verdict: { ok: true } | { ok: false; message: string } }

interface Job {
  task: typeof TASK
  root: string
  /** registry.json's bytes to check, when the caller did not parse and check them itself. */
  bytes?: Uint8Array
}

export interface Aside {
  /** Review verdicts by package id, oldest first (core/git/review-history.ts). */
  history(): Promise<History>
  /** Resolves when the bytes are a valid registry.json; rejects with the reader's ConfigError otherwise. */
  verdict(): Promise<void>
}

/** Whether this module can be a worker's entry: JavaScript node loads as it is, not a bundle's index.js. */
function canStartWorker(): boolean {
  const file = new URL(import.meta.url).pathname
  return file.endsWith('.js') && !file.endsWith('/index.js')
}

/** Starts reading the review history of `root` and checking `bytes` (when given) where it can, now. */
export function startAside(root: string, bytes?: Uint8Array): Aside {
  const here = (): Aside => {
    let history: Promise<History> | undefined
    return {
      history: () => (history ??= reviewHistory(root)),
      verdict: async () => {
        if (bytes) parsePreviousRegistry(bytes)
      }
    }
  }
  if (!canStartWorker()) {
    const aside = here()
    // git starts now, while this thread reads the stats; awaited by the caller (a stats error returns before that).
    aside.history().catch(() => {})
    return aside
  }
  let fallback: Aside | undefined
  const onHere = () => (fallback ??= here())
  let resolveHistory: (h: History | undefined) => void = () => {}
  let resolveVerdict: (v: Extract<Message, { verdict: unknown }>['verdict'] | undefined) => void = () => {}
  const history = new Promise<History | undefined>((r) => (resolveHistory = r))
  const verdict = new Promise<Extract<Message, { verdict: unknown }>['verdict'] | undefined>((r) => (resolveVerdict = r))
  try {
    const worker = new Worker(new URL(import.meta.url), { workerData: { task: TASK, root, ...(bytes ? { bytes } : {}) } satisfies Job })
    worker.on('message', (m: Message) => {
      if ('history' in m) resolveHistory(m.history)
      else resolveVerdict(m.verdict)
    })
    // A worker that failed or died (out of memory, killed) leaves what it did not answer to this thread.
    const gone = () => {
      resolveHistory(undefined)
      resolveVerdict(undefined)
    }
    worker.on('error', gone)
    worker.on('exit', gone)
  } catch {
    const aside = here()
    aside.history().catch(() => {})
    return aside
  }
  return {
    history: async () => (await history) ?? onHere().history(),
    verdict: async () => {
      if (!bytes) return
      const v = await verdict
      if (v === undefined) return onHere().verdict()
      if (!v.ok) throw new ConfigError(v.message)
    }
  }
}

async function work(job: Job): Promise<void> {
  const port = parentPort
  if (!port) return
  port.postMessage({ history: await reviewHistory(job.root) } satisfies Message)
  if (!job.bytes) return
  try {
    parsePreviousRegistry(job.bytes)
    port.postMessage({ verdict: { ok: true } } satisfies Message)
  } catch (e) {
    // Anything but the reader's own refusal is left to the calling thread, which throws it with its stack.
    if (!(e instanceof ConfigError)) throw e
    port.postMessage({ verdict: { ok: false, message: e.message } } satisfies Message)
  }
}

// A failure rejects unhandled: the worker reports 'error' and the calling thread does the rest.
if (!isMainThread && (workerData as Job | undefined)?.task === TASK) void work(workerData as Job)
