// What the publish stage keeps of each package's files for its catalog page, from the moment the
// files are in hand to the page: compressed, in a few large blocks. Kept as objects, the SKILL.md
// texts (each pinning the whole file it was cut from) were the largest live data of a
// 10,000-package build from the publish stage to the catalog (31 MB), and the V8 heap grows in
// proportion to what is live; deflated they take about 40 % of that, outside the heap. A package
// whose content does not fit the budget is read from git again for its page (content.ts).
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { PackageContent } from './pages.js'

/** Large enough that a block holds a few hundred packages, small enough that the last one's unused end does not matter. */
const BLOCK_BYTES = 1 << 20

/**
 * A SKILL.md is a few KB: a 4 KB window finds nearly every repeat a larger one would (measured:
 * 1,257 bytes against 1,240 for a 3 KB page content) at a seventh of the set-up cost per call.
 */
const DEFLATE = { level: 1, windowBits: 12, memLevel: 4 }

interface Slot {
  block: number
  offset: number
  length: number
}

export class KeptContents {
  private readonly blocks: (Uint8Array | undefined)[] = []
  /** Contents not yet taken, per block: a block is let go when its last one is. */
  private readonly live: number[] = []
  private used = BLOCK_BYTES
  private readonly slots = new Map<string, Slot>()
  /** Compressed bytes kept so far, taken or not. */
  bytes = 0

  /** `budget`: compressed bytes past which nothing more is kept. */
  constructor(private readonly budget: number) {}

  get full(): boolean {
    return this.bytes >= this.budget
  }

  get size(): number {
    return this.slots.size
  }

  /** Bytes of the blocks still held (a block is let go once every content in it was taken). */
  get held(): number {
    let bytes = 0
    for (const b of this.blocks) bytes += b?.length ?? 0
    return bytes
  }

  put(id: string, content: PackageContent): void {
    const packed = deflateRawSync(Buffer.from(JSON.stringify(content), 'utf8'), DEFLATE)
    if (packed.length > BLOCK_BYTES - this.used) {
      this.blocks.push(new Uint8Array(Math.max(BLOCK_BYTES, packed.length)))
      this.live.push(0)
      this.used = 0
    }
    const block = this.blocks.length - 1
    ;(this.blocks[block] as Uint8Array).set(packed, this.used)
    this.slots.set(id, { block, offset: this.used, length: packed.length })
    this.live[block] = (this.live[block] as number) + 1
    this.used += packed.length
    this.bytes += packed.length
  }

  /** The content kept for `id`, once: it is let go as it is given. */
  take(id: string): PackageContent | undefined {
    const slot = this.slots.get(id)
    if (!slot) return undefined
    this.slots.delete(id)
    const block = this.blocks[slot.block] as Uint8Array
    const packed = block.subarray(slot.offset, slot.offset + slot.length)
    const content = JSON.parse(inflateRawSync(packed, { windowBits: DEFLATE.windowBits }).toString('utf8')) as PackageContent
    this.live[slot.block] = (this.live[slot.block] as number) - 1
    if (this.live[slot.block] === 0 && slot.block !== this.blocks.length - 1) this.blocks[slot.block] = undefined
    return content
  }

  clear(): void {
    this.slots.clear()
    this.blocks.length = 0
    this.live.length = 0
    this.used = BLOCK_BYTES
  }
}
