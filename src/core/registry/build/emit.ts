// Writing outputs as soon as they are made. A build of a large marketplace makes tens of thousands
// of files (artifacts, release records, catalog pages); holding them all until the end made its
// memory grow with the marketplace and left the disk idle while it computed. When the adapter can
// write (OutputReader.write), a stage hands each finished file over here and keeps only its path:
// the writes run while the build goes on, a few at once, and the build waits for them before it
// returns. Without a writer (or when the removal guard refuses the build) files keep their bytes
// and are returned as before, so the result means the same either way: a file without bytes is one
// the adapter already has in place.
import { createHash } from 'node:crypto'
import type { Area } from './site-layout.js'
import type { OutputFile, OutputReader } from './types.js'
import { blobIdOf, piecesOf, type Aggregate } from './aggregate.js'

/** Writes in flight at once: enough to keep the disk busy, few enough to bound the bytes held. */
const IN_FLIGHT = 32

export class Emitter {
  private inFlight = 0
  /** Emits waiting for a free slot, woken one per finished write. */
  private readonly waiting: (() => void)[] = []
  private idle: (() => void) | undefined
  private failure: { error: unknown } | undefined
  private readonly write: OutputReader['write']
  private readonly put: OutputReader['put']
  private readonly outputs: OutputReader

  /** `enabled` false (or an adapter that cannot write): every file keeps its bytes in the result. */
  constructor(outputs: OutputReader, enabled: boolean) {
    this.outputs = outputs
    this.write = enabled ? outputs.write?.bind(outputs) : undefined
    this.put = enabled && this.write ? outputs.put?.bind(outputs) : undefined
  }

  /**
   * An aggregate (a file the build record or the ledger names by its digest) as soon as it is
   * complete: handed to the writer (written now in the site folder, set aside until the end in the
   * root) and returned with its size and SHA-256 in place of its bytes, which nothing holds after
   * this. Without a writer it keeps its bytes, as emit() does. `digest`: when the maker knows it.
   */
  async settle(area: Area, path: string, pieces: readonly Uint8Array[], digest?: { size: number; sha256: string }): Promise<OutputFile> {
    const put = this.put
    if (!put) return { area, path, bytes: whole(pieces) }
    await put(area, path, pieces)
    return { area, path, recorded: digest ? { size: digest.size, sha256: digest.sha256 } : digestOf(pieces) }
  }

  /**
   * An aggregate made as the writer takes its pieces (aggregate.ts), so no two of them are ever
   * held at once; returned with its size and SHA-256, and its git blob id when `blob` names the
   * object format (the writer works it out from the bytes it wrote: it needs the size first).
   */
  async settleMade(area: Area, path: string, made: Aggregate, blob?: 'sha1' | 'sha256'): Promise<Settled> {
    const put = this.put
    if (!put) return settledWhole(area, path, made, blob)
    const blobId = await put(area, path, made.pieces, blob)
    if (blob && !blobId) throw new Error(`internal error: the writer gave no blob id for ${path}`)
    return { file: { area, path, recorded: { size: made.size, sha256: made.sha256 } }, ...(blobId ? { blobId } : {}) }
  }

  /** Removes what settle() set aside, when the build fails before the writer puts it in place. */
  async discard(): Promise<void> {
    await this.flush().catch(() => undefined)
    await this.outputs.discard?.()
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

function digestOf(pieces: readonly Uint8Array[]): { size: number; sha256: string } {
  const h = createHash('sha256')
  let size = 0
  for (const p of pieces) {
    h.update(p)
    size += p.byteLength
  }
  return { size, sha256: h.digest('hex') }
}

/** emitter.settle(), or the file with its bytes when there is no emitter. */
export function settle(
  emitter: Emitter | undefined,
  area: Area,
  path: string,
  pieces: readonly Uint8Array[],
  digest?: { size: number; sha256: string }
): Promise<OutputFile> | OutputFile {
  if (emitter) return emitter.settle(area, path, pieces, digest)
  return { area, path, bytes: whole(pieces) }
}

export interface Settled {
  file: OutputFile
  blobId?: string
}

/** emitter.settleMade(), or the file with its bytes when there is no emitter. */
export async function settleMade(
  emitter: Emitter | undefined,
  area: Area,
  path: string,
  made: Aggregate,
  blob?: 'sha1' | 'sha256'
): Promise<Settled> {
  if (emitter) return emitter.settleMade(area, path, made, blob)
  return settledWhole(area, path, made, blob)
}

function settledWhole(area: Area, path: string, made: Aggregate, blob?: 'sha1' | 'sha256'): Settled {
  const pieces = piecesOf(made)
  return { file: { area, path, bytes: whole(pieces) }, ...(blob ? { blobId: blobIdOf(pieces, made.size, blob) } : {}) }
}

/** The pieces as one buffer (the first itself when it is the only one). */
function whole(pieces: readonly Uint8Array[]): Uint8Array {
  const [only] = pieces
  return pieces.length === 1 && only ? only : Buffer.concat(pieces)
}
