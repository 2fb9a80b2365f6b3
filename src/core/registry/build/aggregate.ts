// The aggregates' bytes: registry.json, .claude-plugin/marketplace.json and the root skills index
// are canonical JSON with their per-package entries in one top-level array (ledger.ts describes
// the layout). They are made item by item, into pieces of about a megabyte, and each piece is
// made only when the writer takes it (emit.ts, OutputReader.put): at 100,000 packages
// registry.json is 93 MB, and its text, its bytes, or all its pieces at once were each a large
// share of the build's peak memory. Each item's length is recorded as it is made, which is what
// the ledger needs of the file: the build keeps only the digest and the layout.
import { createHash } from 'node:crypto'
import { canonicalBytes, canonicalItemJson } from '../json.js'
import { frameParts, layoutOf, SEPARATOR, sha256Hex, type AggregateShape } from './ledger.js'

/** Text gathered before it is encoded as one piece. */
const PIECE_CHARS = 1 << 20

export interface Aggregate {
  /** The bytes, in order, each piece made when it is taken: take them once. */
  readonly pieces: Iterable<Buffer>
  /** Known once every piece was taken (an error before). */
  readonly size: number
  readonly sha256: string
  /** Where its items are, for the ledger; undefined when it is not laid out as ledger.ts describes. */
  readonly shape: AggregateShape | undefined
}

/**
 * The canonical JSON of `doc` (the same bytes as canonicalBytes(doc)), its items under `key` made
 * one at a time as the pieces are taken.
 */
export function aggregateOf(doc: Record<string, unknown>, key: string): Aggregate {
  const items = doc[key]
  // Anything unlike the layout ledger.ts describes is made whole, as the ledger's scan sees it.
  if (!Array.isArray(items) || items.length === 0 || !items.every(isObject)) return whole(canonicalBytes(doc), items)
  const { [key]: _items, ...frame } = doc
  const { head, tail } = frameParts(frame, key)
  if (head.includes(OPEN) || tail.includes(OPEN)) return whole(canonicalBytes(doc), items)
  return new Streamed(head, tail, items)
}

/** Every piece at once, for a caller with no writer to take them as they come. */
export function piecesOf(aggregate: Aggregate): Buffer[] {
  return [...aggregate.pieces]
}

/** The git blob id of bytes whose size is known (`blob <size>\0` comes before them). */
export function blobIdOf(pieces: Iterable<Uint8Array>, size: number, format: 'sha1' | 'sha256'): string {
  const h = createHash(format).update(`blob ${size}\0`)
  for (const p of pieces) h.update(p)
  return h.digest('hex')
}

/** Made item by item: each item is the engine's JSON.stringify at depth two (canonicalItemJson). */
class Streamed implements Aggregate {
  private facts: { size: number; sha256: string; shape: AggregateShape | undefined } | undefined
  private taken = false

  constructor(
    private readonly head: Buffer,
    private readonly tail: Buffer,
    private readonly items: readonly unknown[]
  ) {}

  get pieces(): Iterable<Buffer> {
    if (this.taken) throw new Error('internal error: an aggregate was written twice')
    this.taken = true
    return this.make()
  }

  private *make(): Generator<Buffer> {
    const { head, tail, items } = this
    const sha = createHash('sha256')
    let size = 0
    const piece = (bytes: Buffer): Buffer => {
      sha.update(bytes)
      size += bytes.length
      return bytes
    }
    const lengths: number[] = []
    let laidOut = true
    let text: string[] = []
    let chars = 0
    yield piece(head)
    const separator = SEPARATOR.toString('latin1')
    for (let i = 0; i < items.length; i++) {
      const item = canonicalItemJson(items[i])
      // An item the ledger can find opens and closes its own lines (ledger.ts); an object that
      // does not (an empty one) is not found by its scan either, so the file has no layout.
      if (!(item.startsWith('{\n') && item.endsWith('\n    }'))) laidOut = false
      lengths.push(Buffer.byteLength(item, 'utf8'))
      if (i > 0) text.push(separator)
      text.push(item)
      chars += item.length
      if (chars >= PIECE_CHARS) {
        yield piece(Buffer.from(text.join(''), 'utf8'))
        text = []
        chars = 0
      }
    }
    if (text.length) yield piece(Buffer.from(text.join(''), 'utf8'))
    yield piece(tail)
    const sha256 = sha.digest('hex')
    let end = head.length
    for (const [i, n] of lengths.entries()) end += n + (i > 0 ? SEPARATOR.length : 0)
    const shape = laidOut ? { layout: { sha256, count: items.length, first: head.length, end }, lengths } : undefined
    this.facts = { size, sha256, shape }
  }

  private known(): { size: number; sha256: string; shape: AggregateShape | undefined } {
    if (!this.facts) throw new Error('internal error: an aggregate was asked for its digest before it was written')
    return this.facts
  }

  get size(): number {
    return this.known().size
  }

  get sha256(): string {
    return this.known().sha256
  }

  get shape(): AggregateShape | undefined {
    return this.known().shape
  }
}

/** A document made whole (no items, or items canonicalJson writes its own way). */
function whole(bytes: Uint8Array, items: unknown): Aggregate {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    pieces: [buf],
    size: buf.length,
    sha256: sha256Hex(buf),
    shape: layoutOf(buf, Array.isArray(items) ? items.length : 0)
  }
}

function isObject(item: unknown): boolean {
  return typeof item === 'object' && item !== null && !Array.isArray(item)
}

const OPEN = '\n    {\n'
