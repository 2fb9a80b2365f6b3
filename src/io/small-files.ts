// Many small files read one after another on this thread, each into one buffer the reader keeps
// (the published-versions index's 512 shards, 6.6 MB at 10,000 packages, checked by every scores
// run). Three system calls a file (open, read to the end, close) and no allocation: with every
// step on the thread pool instead (open, fstat, a new buffer, read, close), the callbacks and
// promises cost this thread twice what the calls do, and the process four times (docs/benchmarks.md,
// Scores, twelfth pass). For files the page cache holds; a read is never waited on for long.
import { closeSync, constants, openSync, readSync } from 'node:fs'

/** The buffer's first size: a shard is some 13 KB; it doubles for a file that does not fit. */
const FIRST_BYTES = 64 * 1024
// A file is read to its end, not to a size asked first: a link to a device that never ends
// (/dev/zero) would fill memory, so the last component is never followed (Windows has no
// O_NOFOLLOW; git checks links out as plain files there unless told otherwise), and a FIFO does
// not block the open (its read at an offset then fails: ESPIPE).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

export class SmallFileReader {
  private buffer = Buffer.allocUnsafeSlow(FIRST_BYTES)

  /**
   * The bytes of `file`, undefined when it is not there or is a symbolic link (any other failure
   * is thrown). The view is the reader's own buffer: valid until its next read.
   */
  read(file: string): Buffer | undefined {
    let fd: number
    try {
      fd = openSync(file, OPEN_FLAGS)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ELOOP') return undefined
      throw e
    }
    try {
      let at = 0
      for (;;) {
        if (at === this.buffer.length) {
          const larger = Buffer.allocUnsafeSlow(this.buffer.length * 2)
          this.buffer.copy(larger, 0, 0, at)
          this.buffer = larger
        }
        const n = readSync(fd, this.buffer, at, this.buffer.length - at, at)
        if (n === 0) return this.buffer.subarray(0, at)
        at += n
      }
    } finally {
      closeSync(fd)
    }
  }
}
