// The registry build's new files written on a second thread (issue 15, seventh round). A first
// build of 10,000 packages makes some 34,000 files in 24,000 new folders, one `mkdir`, `open`,
// `write` and `close` each: 3-4 s of the main thread's time in the kernel, while the rest of the
// build (rendering, gzip, hashing) waits for it. Here the main thread copies each file's bytes
// into a slot of one shared buffer and goes on; the thread makes the folders and files in the
// order they were handed over and says when a slot is free again.
//
// - Bounded: SLOTS slots of SLOT_BYTES; when every slot is in flight, add() returns a promise the
//   caller awaits, so rendered files never pile up. A file larger than a slot goes alone, copied
//   into its message, and counts as a slot.
// - No fresh memory per file: the slots are one SharedArrayBuffer, reused (on this VM every page
//   touched for the first time is a fault to the host; see docs/benchmarks.md).
// - Only folders this build made, and files in them, are handed over (registry-output.ts): nothing
//   there is read, compared or replaced, so the thread needs no state but the order of its queue.
// - The first error stops the thread's writes (nothing after it is written) and is thrown, with
//   the same message (path and all), by the next add() or drain().
// - The thread is a few lines of plain JavaScript evaluated as they are: the same code runs from a
//   bundle, from tsx and under jest, with no second entry file to ship.
import { Worker } from 'node:worker_threads'
import { ConfigError } from '../core/errors.js'

/** Bytes of one slot: a batch of small files (a first build's files are 1.4 KB on average). */
export const SLOT_BYTES = 256 * 1024
/** Slots in flight at most: 2 MB of files handed over and not yet written. */
export const SLOTS = 8
/** Files in one batch at most, so a batch of tiny files does not hold the thread for long. */
const BATCH_FILES = 128

/**
 * A batch: its files laid out one after another in its slot of the shared buffer, each as the
 * folders to make first (absolute, parents first, joined by NUL), its path, and its bytes, every
 * part after its length (a 32-bit little-endian number). The message says only where the batch is,
 * so handing it over copies nothing and clones no object per file.
 */
interface Batch {
  slot: number
  used: number
  files: number
}

/** A file larger than a slot, alone in its message (copied once, by postMessage). */
interface Large {
  dirs: readonly string[]
  file: string
  bytes: Uint8Array
}

type Answer =
  | { slot: number }
  | { slot: number; error: { message: string; code?: string; errno?: number; syscall?: string; path?: string; config?: true } }

/** The thread: makes each batch's folders and files in order, answers with its slot. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const path = require('node:path')
const slots = Buffer.from(workerData.slots)
let failed = false
let counter = 0
function makeDir(dir) {
  try {
    fs.mkdirSync(dir)
  } catch (e) {
    if (e.code !== 'EEXIST') throw e
    if (!fs.lstatSync(dir).isDirectory()) throw Object.assign(new Error(dir + ' is not a folder; the build does not write through links'), { config: true })
  }
}
function makeFile(file, bytes) {
  try {
    fs.writeFileSync(file, bytes, { flag: 'wx' })
  } catch (e) {
    if (e.code !== 'EEXIST') throw e
    // The same path handed over twice: replaced through a temporary file, as the main thread does.
    const tmp = path.join(path.dirname(file), '.' + path.basename(file) + '.' + process.pid + '.w' + ++counter + '.tmp')
    fs.writeFileSync(tmp, bytes, { flag: 'wx' })
    fs.renameSync(tmp, file)
  }
}
function make(dirs, file, bytes) {
  for (const dir of dirs) makeDir(dir)
  makeFile(file, bytes)
}
parentPort.on('message', (batch) => {
  if (failed) return parentPort.postMessage({ slot: batch.slot })
  try {
    if (batch.large) make(batch.large.dirs, batch.large.file, batch.large.bytes)
    else {
      let at = batch.start
      const part = () => {
        const length = slots.readUInt32LE(at)
        at += 4 + length
        return [at - length, at]
      }
      while (at < batch.end) {
        const [d0, d1] = part()
        const [f0, f1] = part()
        const [b0, b1] = part()
        make(d1 > d0 ? slots.toString('utf8', d0, d1).split('\\0') : [], slots.toString('utf8', f0, f1), slots.subarray(b0, b1))
      }
    }
    parentPort.postMessage({ slot: batch.slot })
  } catch (e) {
    failed = true
    const { message, code, errno, syscall, path, config } = e
    parentPort.postMessage({ slot: batch.slot, error: { message, code, errno, syscall, path, config } })
  }
})
`

export class WriteThread {
  private readonly worker: Worker
  private readonly slots = new SharedArrayBuffer(SLOT_BYTES * SLOTS)
  private readonly bytes = Buffer.from(this.slots)
  /** Slots neither being filled nor in flight. */
  private readonly free: number[] = []
  /**
   * The batch being filled, posted when it is full (or by drain()), never sooner: each message
   * wakes the thread, a system call and a switch on both sides (posted at each turn of the event
   * loop, most batches held one or two files and the posts cost the main thread 0.6 s).
   */
  private batch: Batch | undefined
  /** Batches posted and not answered. */
  private inFlight = 0
  /** Large files (each alone in its batch, in no slot) in flight: each counts as a slot taken. */
  private large = 0
  /** Files handed over while there was no room, in order; taken as slots come back. */
  private readonly waiting: {
    dirs: readonly string[]
    file: string
    bytes: Uint8Array
    resolve: () => void
    reject: (e: Error) => void
  }[] = []
  private drained: (() => void)[] = []
  private failure: Error | undefined
  private closed = false

  constructor() {
    for (let i = SLOTS - 1; i >= 0; i--) this.free.push(i)
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { slots: this.slots } })
    this.worker.on('message', (answer: Answer) => this.answered(answer))
    this.worker.on('error', (e) => this.fail(e))
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`internal error: the write thread stopped (exit code ${code})`))
    })
    // Idle, it does not keep the process alive; it is referenced while a batch is in flight.
    this.worker.unref()
  }

  /** Are files handed over and not yet written? */
  get busy(): boolean {
    return this.inFlight > 0 || this.batch !== undefined || this.waiting.length > 0
  }

  /**
   * Hands one file over: `dirs` made first (absent, parents first), then `file` created with O_EXCL.
   * Undefined when the bytes are copied already; else a promise, settled once they are (the
   * caller keeps them until then), when every slot is in flight.
   */
  add(dirs: readonly string[], file: string, bytes: Uint8Array): Promise<void> | undefined {
    if (this.failure) throw this.failure
    if (this.waiting.length === 0 && this.take(dirs, file, bytes)) return undefined
    return new Promise<void>((resolve, reject) => this.waiting.push({ dirs, file, bytes, resolve, reject }))
  }

  /** Waits until every file handed over is written; throws the thread's first error. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure
      this.post()
      if (this.inFlight === 0 && this.waiting.length === 0) return
      await new Promise<void>((resolve) => this.drained.push(resolve))
    }
  }

  /** Stops the thread (after drain(), or to give up: what was not written yet is not). */
  async close(): Promise<void> {
    this.closed = true
    this.batch = undefined
    await this.worker.terminate()
  }

  /** The file placed in a batch now, in order; false when there is no room. */
  private take(dirs: readonly string[], file: string, bytes: Uint8Array): boolean {
    const joined = dirs.join('\0')
    const size = 12 + Buffer.byteLength(joined) + Buffer.byteLength(file) + bytes.byteLength
    const batch = this.batch
    if (batch && batch.used + size <= SLOT_BYTES && batch.files < BATCH_FILES) {
      this.put(batch, joined, file, bytes)
      return true
    }
    // Whatever is in the batch goes before this file.
    this.post()
    if (this.free.length - this.large < 1) return false
    if (size > SLOT_BYTES) {
      this.large++
      this.send(-1, { large: { dirs, file, bytes } satisfies Large })
      return true
    }
    this.batch = { slot: this.free.pop() as number, used: 0, files: 0 }
    this.put(this.batch, joined, file, bytes)
    return true
  }

  private put(batch: Batch, dirs: string, file: string, bytes: Uint8Array): void {
    const out = this.bytes
    let at = batch.slot * SLOT_BYTES + batch.used
    for (const text of [dirs, file]) {
      const length = out.write(text, at + 4, 'utf8')
      out.writeUInt32LE(length, at)
      at += 4 + length
    }
    out.writeUInt32LE(bytes.byteLength, at)
    out.set(bytes, at + 4)
    batch.used = at + 4 + bytes.byteLength - batch.slot * SLOT_BYTES
    batch.files++
  }

  private post(): void {
    const batch = this.batch
    if (!batch) return
    this.batch = undefined
    const start = batch.slot * SLOT_BYTES
    this.send(batch.slot, { start, end: start + batch.used })
  }

  private send(slot: number, message: { start: number; end: number } | { large: Large }): void {
    if (this.inFlight++ === 0) this.worker.ref()
    this.worker.postMessage({ slot, ...message })
  }

  private answered(answer: Answer): void {
    this.inFlight--
    if (answer.slot >= 0) this.free.push(answer.slot)
    else this.large--
    if ('error' in answer) {
      const { message, config, ...rest } = answer.error
      this.fail(config ? new ConfigError(message) : Object.assign(new Error(message), rest))
      return
    }
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as (typeof this.waiting)[number]
      if (!this.take(next.dirs, next.file, next.bytes)) break
      this.waiting.shift()
      next.resolve()
    }
    if (this.inFlight === 0) this.worker.unref()
    this.wakeDrained()
  }

  private fail(e: Error): void {
    this.failure ??= e
    for (const w of this.waiting.splice(0)) w.reject(this.failure)
    this.wakeDrained()
  }

  private wakeDrained(): void {
    const waiting = this.drained
    this.drained = []
    for (const w of waiting) w()
  }
}
