// Many small files read one after another on this thread, each into one buffer the reader keeps
// (the published-versions index's 512 shards, 6.6 MB at 10,000 packages, checked by every scores
// run). Three system calls a file (open, read to the end, close) and no allocation: with every
// step on the thread pool instead (open, fstat, a new buffer, read, close), the callbacks and
// promises cost this thread twice what the calls do, and the process four times (docs/benchmarks.md,
// Scores, twelfth pass). For files the page cache holds; a read is never waited on for long.
import { closeSync, openSync, readSync } from 'node:fs'

/** The buffer's first size: a shard is some 13 KB; it doubles for a file that does not fit. */
const FIRST_BYTES = 64 * 1024

export class SmallFileReader {
  private buffer = Buffer.allocUnsafeSlow(FIRST_BYTES)

  /**
   * The bytes of `file`, undefined when it is not there (any other failure is thrown). The view is
   * the reader's own buffer: valid until its next read.
   */
  read(file: string): Buffer | undefined {
    let fd: number
    try {
      fd = openSync(file, 'r')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
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
