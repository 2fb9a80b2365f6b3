// Writing outputs as soon as they are made. A build of a large marketplace makes tens of thousands
// of files (artifacts, release records, catalog pages); holding them all until the end made its
// memory grow with the marketplace and left the disk idle while it computed. When the adapter can
// write (OutputReader.write), a stage hands each finished file over here and keeps only its path:
// the writes run while the build goes on, a few at once, and the build waits for them before it
// returns. Without a writer (or when the removal guard refuses the build) files keep their bytes
// and are returned as before, so the result means the same either way: a file without bytes is one
// the adapter already has in place.
import type { OutputFile, OutputReader } from './types.js'

/** Writes in flight at once: enough to keep the disk busy, few enough to bound the bytes held. */
const IN_FLIGHT = 32

export class Emitter {
  private inFlight = 0
  /** Emits waiting for a free slot, woken one per finished write. */
  private readonly waiting: (() => void)[] = []
  private idle: (() => void) | undefined
  private failure: { error: unknown } | undefined
  private readonly write: OutputReader['write']

  /** `enabled` false (or an adapter that cannot write): every file keeps its bytes in the result. */
  constructor(outputs: OutputReader, enabled: boolean) {
    this.write = enabled ? outputs.write?.bind(outputs) : undefined
  }

  /** The file as the build returns it: its path alone once it is handed to the writer. */
  async emit(file: OutputFile): Promise<OutputFile> {
    const write = this.write
    if (!write || !file.bytes) return file
    while (this.inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve))
    if (this.failure) throw this.failure.error
    this.inFlight++
    write({ area: file.area, path: file.path, bytes: file.bytes }).then(
      () => this.done(),
      (error: unknown) => {
        this.failure ??= { error }
        this.done()
      }
    )
    return { area: file.area, path: file.path }
  }

  private done(): void {
    this.inFlight--
    this.waiting.shift()?.()
    if (this.inFlight === 0) this.idle?.()
  }

  /** Waits for every write handed over; rejects with the first that failed. */
  async flush(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve))
    this.idle = undefined
    if (this.failure) throw this.failure.error
  }
}
