// The registry build's skill archives gzipped on a second thread (issue 15, eighth round). fflate's
// level 9 (archive-gzip.ts) was the largest block left on the main thread of a first build of
// 10,000 packages (2.5 s of 17 s, and the write thread idle 78 % of its life): the archive's bytes
// and digest cannot change, so the same function runs here, on another core, while the publish
// stage reads and renders the next packages (it keeps up to ARCHIVES_AHEAD archives in the making,
// and writes them in the packages' order).
//
// - Nothing is copied on the way: the tar is written into a buffer of its own and transferred, and
//   the gzip comes back transferred, with its SHA-256 (worked out there too).
// - A small build does not start it: the first GZIP_AFTER archives are gzipped on the calling
//   thread (a worker and fflate cost some 30-50 ms to start; an archive about 0.7 ms).
// - This module is the worker's entry: the bundles load it as a chunk of its own (a dynamic
//   import), which imports only fflate's chunk and node's crypto. Only bundled JavaScript can start
//   a worker from its own file (a TypeScript source needs a loader), so under tsx or jest every
//   archive is gzipped on the calling thread unless `entry` names a bundled copy of this module
//   (test/gzip-thread.test.ts builds one).
// - A failure on the thread (an error thrown, the thread gone) rejects the archive it was making
//   and every one after it: the build then fails (skills-index.ts names the archive) and writes no
//   build record.
import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { gzipArchive, type ArchiveGzip, type GzippedArchive } from '../core/registry/build/archive-gzip.js'

const TASK = 'marketplace-actions/archive-gzip'

/** Archives gzipped on the calling thread before the thread is started (a build with fewer never starts it). */
export const GZIP_AFTER = 64

type Request = { id: number; tar: Uint8Array }
type Answer = { id: number; bytes: Uint8Array; sha256: string } | { id: number; error: string }

if (!isMainThread && (workerData as { task?: unknown } | null)?.task === TASK) serve()

/** The thread: each tar's gzip and its SHA-256, in the order asked. */
function serve(): void {
  const port = parentPort
  if (!port) return
  port.on('message', ({ id, tar }: Request) => {
    let answer: Answer
    try {
      const bytes = gzipArchive(tar)
      answer = { id, bytes, sha256: sha256Of(bytes) }
    } catch (error) {
      answer = { id, error: error instanceof Error ? error.message : String(error) }
    }
    port.postMessage(answer, 'bytes' in answer ? [answer.bytes.buffer as ArrayBuffer] : [])
  })
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Whether `entry` is a file node can start as a worker: bundled JavaScript, not a bundle's index.js (whose top level runs a command). */
export function canStartThread(entry: URL): boolean {
  const file = entry.pathname
  return file.endsWith('.js') && !file.endsWith('/index.js')
}

export interface GzipThreadOptions {
  /** Archives gzipped here before the thread starts (GZIP_AFTER). */
  after?: number
  /** The worker's entry: this module's file (default), or a bundled copy of it. */
  entry?: URL
}

export class GzipThread implements ArchiveGzip {
  private worker: Worker | undefined
  private readonly entry: URL
  private here: number
  private nextId = 0
  private readonly pending = new Map<number, { resolve: (a: GzippedArchive) => void; reject: (e: Error) => void }>()
  private failure: Error | undefined
  private closed = false

  constructor(options: GzipThreadOptions = {}) {
    this.entry = options.entry ?? new URL(import.meta.url)
    this.here = canStartThread(this.entry) ? (options.after ?? GZIP_AFTER) : Infinity
  }

  /** Whether the thread was started (a build with few archives, or a source run, never starts it). */
  get started(): boolean {
    return this.worker !== undefined
  }

  gzip(tar: Uint8Array): Promise<GzippedArchive> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.here > 0) {
      this.here--
      const bytes = gzipArchive(tar)
      return Promise.resolve({ bytes, sha256: sha256Of(bytes) })
    }
    const worker = (this.worker ??= this.start())
    const id = this.nextId++
    return new Promise<GzippedArchive>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref()
      this.pending.set(id, { resolve, reject })
      // A tar that shares its memory with other bytes (not one written for this call) is copied, never taken from them.
      const own = tar.byteOffset === 0 && tar.byteLength === tar.buffer.byteLength && !(tar.buffer instanceof SharedArrayBuffer)
      worker.postMessage({ id, tar } satisfies Request, own ? [tar.buffer] : [])
    })
  }

  /** Stops the thread; an archive still in the making is rejected. */
  async close(): Promise<void> {
    this.closed = true
    this.fail(new Error('the gzip thread was closed'))
    await this.worker?.terminate()
  }

  private start(): Worker {
    const worker = new Worker(this.entry, { workerData: { task: TASK } })
    worker.on('message', (answer: Answer) => this.answered(answer))
    worker.on('error', (e) => this.fail(new Error(`the gzip thread failed: ${e.message}`)))
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`internal error: the gzip thread stopped (exit code ${code})`))
    })
    // Idle, it does not keep the process alive; it is referenced while an archive is in the making.
    worker.unref()
    return worker
  }

  private answered(answer: Answer): void {
    const waiting = this.pending.get(answer.id)
    if (!waiting) return
    this.pending.delete(answer.id)
    if (this.pending.size === 0) this.worker?.unref()
    if ('error' in answer) this.fail(new Error(`the gzip thread failed: ${answer.error}`), waiting.reject)
    else waiting.resolve({ bytes: answer.bytes, sha256: answer.sha256 })
  }

  /** Rejects every archive in the making (and `first`, already taken off the list) with the first failure. */
  private fail(error: Error, first?: (e: Error) => void): void {
    this.failure ??= error
    first?.(this.failure)
    for (const { reject } of this.pending.values()) reject(this.failure)
    this.pending.clear()
    this.worker?.unref()
  }
}

/**
 * The gzip thread a build with `threads` (the CLI's --threads; one per core up to two by default)
 * may use, or undefined on one thread.
 */
export function archiveGzip(threads?: number, options: GzipThreadOptions = {}): GzipThread | undefined {
  const n = threads ?? (availableParallelism() > 1 ? 2 : 1)
  return n > 1 ? new GzipThread(options) : undefined
}
