// The aggregates' bytes: registry.json, .claude-plugin/marketplace.json and the root skills index
// are canonical JSON with their per-package entries in one top-level array (ledger.ts describes
// the layout). They are made item by item, into pieces of about a megabyte, never as one string
// of the whole document and a copy of it in bytes (at 100,000 packages registry.json is 93 MB: the
// text, its bytes and the ledger's scan of them were a third of the build's peak memory). Each
// item's length is recorded as it is made, which is what the ledger needs of the file: the build
// hands the pieces to the writer and keeps only the digest and the layout (emit.ts).
import { createHash } from 'node:crypto'
import { canonicalBytes, canonicalItemJson } from '../json.js'
import { frameParts, layoutOf, SEPARATOR, sha256Hex, type AggregateShape } from './ledger.js'

/** Text gathered before it is encoded as one piece. */
const PIECE_CHARS = 1 << 20

export interface Aggregate {
  pieces: Buffer[]
  size: number
  sha256: string
  /** The git blob id of the bytes, when asked for (the published-versions head names registry.json by it). */
  blobId?: string
  /** Where its items are, for the ledger; undefined when it is not laid out as ledger.ts describes. */
  shape?: AggregateShape
}

/**
 * The canonical JSON of `doc` (the same bytes as canonicalBytes(doc)), its items under `key` made
 * one at a time. `blob`: also its git blob id in that object format.
 */
export function aggregateOf(doc: Record<string, unknown>, key: string, blob?: 'sha1' | 'sha256'): Aggregate {
  const items = doc[key]
  if (!Array.isArray(items) || items.length === 0 || items.includes(undefined)) return whole(canonicalBytes(doc), items, blob)
  const { [key]: _items, ...frame } = doc
  const { head, tail } = frameParts(frame, key)
  // Anything unlike the layout ledger.ts describes is made whole, as the ledger's scan sees it.
  if (head.includes(OPEN) || tail.includes(OPEN)) return whole(canonicalBytes(doc), items, blob)
  const pieces: Buffer[] = []
  const lengths: number[] = []
  let text: string[] = []
  let chars = 0
  const flush = () => {
    if (text.length) pieces.push(Buffer.from(text.join(''), 'utf8'))
    text = []
    chars = 0
  }
  pieces.push(head)
  const separator = SEPARATOR.toString('latin1')
  for (let i = 0; i < items.length; i++) {
    const item = canonicalItemJson(items[i])
    // An item the ledger can find: an object opening and closing its own lines (ledger.ts).
    if (!(item.startsWith('{\n') && item.endsWith('\n    }'))) return whole(canonicalBytes(doc), items, blob)
    lengths.push(Buffer.byteLength(item, 'utf8'))
    if (i > 0) text.push(separator)
    text.push(item)
    chars += item.length
    if (chars >= PIECE_CHARS) flush()
  }
  flush()
  pieces.push(tail)
  let size = 0
  const sha = createHash('sha256')
  for (const p of pieces) {
    size += p.length
    sha.update(p)
  }
  const sha256 = sha.digest('hex')
  let end = head.length
  for (const [i, n] of lengths.entries()) end += n + (i > 0 ? SEPARATOR.length : 0)
  return {
    pieces,
    size,
    sha256,
    ...(blob ? { blobId: blobIdOf(pieces, size, blob) } : {}),
    shape: { layout: { sha256, count: items.length, first: head.length, end }, lengths }
  }
}

/** A document made whole (no items, or items canonicalJson writes its own way). */
function whole(bytes: Uint8Array, items: unknown, blob?: 'sha1' | 'sha256'): Aggregate {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const shape = layoutOf(buf, Array.isArray(items) ? items.length : 0)
  return {
    pieces: [buf],
    size: buf.length,
    sha256: sha256Hex(buf),
    ...(blob ? { blobId: blobIdOf([buf], buf.length, blob) } : {}),
    ...(shape ? { shape } : {})
  }
}

function blobIdOf(pieces: readonly Uint8Array[], size: number, format: 'sha1' | 'sha256'): string {
  const h = createHash(format).update(`blob ${size}\0`)
  for (const p of pieces) h.update(p)
  return h.digest('hex')
}

const OPEN = '\n    {\n'
