// What the publish stage keeps of each package's files for its catalog page, from the moment the
// files are in hand to the page: compressed, some tens of packages to a batch. Kept as objects,
// the SKILL.md texts (each pinning the whole file it was cut from) were the largest live data of a
// 10,000-package build from the publish stage to the catalog (31 MB), and the V8 heap grows with
// what is live. A batch rather than a package per deflate: zlib's set-up per call cost more than
// the compression of a few KB. The catalog takes the pages in about the order they were put (by
// publisher and name), so a batch is inflated once and kept while its pages are taken. A package
// whose content does not fit the budget is read from git again for its page (content.ts).
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { PackageContent } from './pages.js'

/** Text gathered before it is deflated as one batch. */
const BATCH_CHARS = 64 * 1024

/** Batches kept inflated at once: pages are made a few at a time, not quite in the order they were put. */
const OPEN_BATCHES = 4

const DEFLATE = { level: 1 }

interface Slot {
  batch: number
  index: number
}

export class KeptContents {
  /** Each batch's deflated JSON array, until its last content is taken. */
  private readonly batches: (Uint8Array | undefined)[] = []
  /** Contents not yet taken, per batch. */
  private readonly live: number[] = []
  private pending: string[] = []
  private pendingChars = 0
  private readonly slots = new Map<string, Slot>()
  /** Inflated batches, least recently opened first. */
  private readonly open = new Map<number, (PackageContent | undefined)[]>()
  /** Deflated bytes kept so far, taken or not. */
  bytes = 0

  /** `budget`: bytes (deflated, and the text of the batch being gathered) past which nothing more is kept. */
  constructor(private readonly budget: number) {}

  get full(): boolean {
    return this.bytes + this.pendingChars >= this.budget
  }

  /** Contents kept and not yet taken. */
  get size(): number {
    return this.slots.size
  }

  /** Bytes of the deflated batches still held (a batch is let go once every content in it was taken). */
  get held(): number {
    let bytes = 0
    for (const b of this.batches) bytes += b?.length ?? 0
    return bytes
  }

  put(id: string, content: PackageContent): void {
    const json = JSON.stringify(content)
    this.slots.set(id, { batch: this.batches.length, index: this.pending.length })
    this.pending.push(json)
    this.pendingChars += json.length
    if (this.pendingChars >= BATCH_CHARS) this.seal()
  }

  /** The content kept for `id`, once: it is let go as it is given. */
  take(id: string): PackageContent | undefined {
    const slot = this.slots.get(id)
    if (!slot) return undefined
    this.slots.delete(id)
    if (slot.batch === this.batches.length) this.seal()
    const items = this.opened(slot.batch)
    const content = items[slot.index]
    items[slot.index] = undefined
    this.live[slot.batch] = (this.live[slot.batch] as number) - 1
    if (this.live[slot.batch] === 0) {
      this.batches[slot.batch] = undefined
      this.open.delete(slot.batch)
    }
    return content
  }

  clear(): void {
    this.slots.clear()
    this.batches.length = 0
    this.live.length = 0
    this.open.clear()
    this.pending = []
    this.pendingChars = 0
  }

  private seal(): void {
    if (!this.pending.length) return
    const packed = deflateRawSync(Buffer.from(`[${this.pending.join(',')}]`, 'utf8'), DEFLATE)
    // A copy of its own size: zlib's result may be a view of a larger buffer.
    this.batches.push(new Uint8Array(packed))
    this.live.push(this.pending.length)
    this.bytes += packed.length
    this.pending = []
    this.pendingChars = 0
  }

  private opened(batch: number): (PackageContent | undefined)[] {
    const found = this.open.get(batch)
    if (found) return found
    const items = JSON.parse(inflateRawSync(this.batches[batch] as Uint8Array).toString('utf8')) as PackageContent[]
    if (this.open.size >= OPEN_BATCHES) this.open.delete(this.open.keys().next().value as number)
    this.open.set(batch, items)
    return items
  }
}
