// A whole file read on the thread pool while this thread computes. The promise API reads in
// 512 KB pieces, and each next piece is asked for only when this thread is free: a run busy in
// long synchronous steps (scanning registry.json) gets nothing read meanwhile. Here the file is
// opened and sized at once and one read of its whole size is handed to the pool, so the copy
// and the page faults of megabytes happen on another core; only a short read (which regular
// files do not give) asks again.
//
// `touched`: on this machine class (a Firecracker VM) the first touch of a page costs some 17 µs
// twice over: once when it is first written, and once more the first time it is used from the
// other side of the kernel boundary. Filled by read(2), every page then costs this thread that
// second touch when it first reads it (60-100 ms for a 13 MB file, measured). Written first on
// the pool (`crypto.randomFill`, the one Node call that writes a buffer from there), then read
// into, the bytes cost this thread nothing more to read: the pool pays both touches, on the
// other core (docs/benchmarks.md, Scores, seventh pass).
import { randomFill } from 'node:crypto'
import { closeSync, fstatSync, openSync, read } from 'node:fs'

export type WholeRead =
  | { ok: true; bytes: Buffer }
  /** `size`: the file is larger than the limit given. */
  | { ok: false; code: string; size?: number }

/**
 * Starts reading `file` (at most `maxBytes`); the result says ENOENT and the like instead of throwing.
 * `room`: the fraction of the size to leave free after the bytes, in the same ArrayBuffer, for a
 * caller that rewrites them in place (registry-splice.ts); pages never written cost nothing.
 * `touched`: the pages are written on the thread pool before the file is read into them (above),
 * for a caller that reads every byte on this thread.
 */
export function readWholeInBackground(file: string, maxBytes = Infinity, room = 0, touched = false): Promise<WholeRead> {
  let fd: number
  let size: number
  try {
    fd = openSync(file, 'r')
  } catch (e) {
    return Promise.resolve({ ok: false, code: codeOf(e) })
  }
  try {
    size = fstatSync(fd).size
  } catch (e) {
    closeSync(fd)
    return Promise.resolve({ ok: false, code: codeOf(e) })
  }
  if (size > maxBytes) {
    closeSync(fd)
    return Promise.resolve({ ok: false, code: 'too large', size })
  }
  const whole = Buffer.allocUnsafeSlow(size + Math.ceil(size * room))
  const bytes = room > 0 ? whole.subarray(0, size) : whole
  // A large file in a few parts read side by side: while this thread waits, both cores work.
  const parts = Math.max(1, Math.min(MAX_PARTS, Math.floor(size / PART_BYTES)))
  return new Promise((resolve) => {
    let pending = parts
    let failed: string | undefined
    /** Where the file ended, when it shrank while read: the bytes up to there are what is there. */
    let shortAt = size
    const finish = (): void => {
      if (--pending > 0) return
      closeSync(fd)
      if (failed !== undefined) resolve({ ok: false, code: failed })
      else resolve({ ok: true, bytes: shortAt < size ? bytes.subarray(0, shortAt) : bytes })
    }
    const part = (from: number, to: number): void => {
      const next = (at: number): void => {
        if (at >= to || failed !== undefined) return finish()
        read(fd, bytes, at, to - at, at, (e, n) => {
          if (e) {
            failed ??= codeOf(e)
            return finish()
          }
          if (n === 0) {
            shortAt = Math.min(shortAt, at)
            return finish()
          }
          next(at + n)
        })
      }
      // The random bytes are all overwritten by the file's (a short read returns only what was read).
      if (touched && to > from) randomFill(bytes, from, to - from, () => next(from))
      else next(from)
    }
    for (let k = 0; k < parts; k++) part(Math.floor((size * k) / parts), Math.floor((size * (k + 1)) / parts))
  })
}

/**
 * A buffer of `size` bytes whose pages the thread pool has written (random bytes), for a caller
 * that will write into it on this thread (the outputs of a scores run: core/scores/encode-into.ts)
 * without a first touch of each page here. In up to four parts side by side, like a read.
 */
export function touchedInBackground(size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafeSlow(size)
  const parts = Math.max(1, Math.min(MAX_PARTS, Math.floor(size / PART_BYTES)))
  let pending = parts
  return new Promise((resolve, reject) => {
    for (let k = 0; k < parts; k++) {
      const from = Math.floor((size * k) / parts)
      const to = Math.floor((size * (k + 1)) / parts)
      if (to <= from) {
        if (--pending === 0) resolve(bytes)
        continue
      }
      randomFill(bytes, from, to - from, (e) => {
        if (e) reject(e)
        else if (--pending === 0) resolve(bytes)
      })
    }
  })
}

/** Parts of at least this size, at most MAX_PARTS of them (the thread pool has four threads). */
const PART_BYTES = 4 << 20
const MAX_PARTS = 4

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message
