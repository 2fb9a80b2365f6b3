// The build ledger: where each package stands in the aggregate files the last build wrote, so the
// next build can change one package's entries in place instead of parsing and re-serialising
// every aggregate (delta.ts). It is written beside the build record (state.ts), which names it
// with its SHA-256 like the aggregates themselves, and it names the SHA-256 of each file it
// describes: a ledger is used only for the very bytes it was made from.
//
// The aggregates are canonical JSON (json.ts: sorted keys, two-space indent), and each holds its
// per-package entries in one array at the top level (registry.json `packages`, marketplace.json
// `plugins`, the root skills index `skills`). Such an item is the only text of the document that
// opens a line with exactly four spaces and `{`, and closes on the next line that is exactly four
// spaces and `}` (anything inside is indented deeper, and JSON strings hold no raw newline): its
// byte range is found by scanning, and its bytes are the item's own canonical JSON, re-indented.
// Items are separated by exactly `,\n    `, so an aggregate's layout is where its first item
// starts and each item's length.
//
// The ledger is read in part (at 100,000 packages it is ~30 MB, and on the machines builds run on
// fresh memory costs more than the work: parsing all of it was most of a one-package rebuild). It
// is a fixed prelude, a JSON header padded to a reserved size (what every rebuild reads whole: the
// aggregates' digests and bounds, the home page's figures) and fixed-width sections after it:
//   registry, marketplace, skills   each item's byte length (uint32 LE), in the file's order
//   places       per package in registry order: its item index in marketplace.json and in the
//                root skills index (uint32 each; NONE when it has none)
//   lineAt       per package: where its line starts in `lines` and its length (uint32 each)
//   publishers   per package: 32 bytes, the SHA-256 of its publisher's skills index on the
//                publisher's first package (zero elsewhere, and when the publisher has none)
//   buckets      (with the catalog) the search index's docs buckets: where each bucket's members
//                start (count + 1 uint32), then the members' package indexes
//   lines        one JSON line per package: [id, install name if qualified else 0, and with the
//                catalog type, version, description, tags, score]
//   searchFiles  (with the catalog) the search index's files, a JSON array
// A one-package rebuild reads the header, a few lengths and lines, and writes the ledger as a
// spliced file (spliced.ts): lengths and places patched in place, a changed package's new line
// appended to `lines` (its old line stays, unreferenced, until the next full build), so nothing
// after it moves and the writer copies the rest without reading it.
import { createHash } from 'node:crypto'
import { canonicalJson, parseJsonBytes } from '../json.js'
import type { SearchPackage } from './catalog/search-index.js'
import type { OutputFile, OutputReader, SplicePart } from './types.js'
import type { QualifiedNames } from './names.js'
import { PUBLISHED_INDEX_FILE } from '../published-index.js'
import { publisherIndex } from './site-layout.js'
import { SEARCH_DIR } from './catalog/layout.js'
import { bucketCount, bucketOf } from './catalog/tokens.js'
import { homeData, HOME_COUNT, type HomeData } from './catalog/pages.js'

/** In the site folder beside the build record; a dot file, so no page of the site. */
export const BUILD_LEDGER_FILE = '.marketplace-actions-ledger.json'
const FORMAT = 2
/** `mpa-ledger 2 ` and the header's reserved size in ten digits, then a newline. */
const MAGIC = `mpa-ledger ${FORMAT} `
const PRELUDE = MAGIC.length + 11
/** No item index in that aggregate. */
export const NONE = 0xffffffff
/** How many ranked packages the ledger keeps for the home page: HOME_COUNT and room for changes. */
export const HOME_KEEP = HOME_COUNT + 40

export const SECTIONS = ['registry', 'marketplace', 'skills', 'places', 'lineAt', 'publishers', 'buckets', 'lines', 'searchFiles'] as const
export type Section = (typeof SECTIONS)[number]
export type AggregateName = 'registry' | 'marketplace' | 'skills'

/** One aggregate's layout: its digest, how many items, where the first starts and the last ends. */
export interface AggregateLayout {
  sha256: string
  count: number
  first: number
  end: number
}

export interface LedgerHeader {
  format: typeof FORMAT
  packages: number
  registry: AggregateLayout
  marketplace: AggregateLayout
  skills: AggregateLayout
  /** SHA-256 of the published-versions head (a one-package rebuild rewrites it from the old one). */
  publishedHead: string | null
  /** With the catalog: the home page's figures and the search index's bucket count. */
  home?: HomeData
  buckets?: number
  /** Each section's byte length, in SECTIONS order. */
  sections: number[]
}

/** What a catalog aggregate (home page, publisher pages, search index) needs of a package, id aside. */
export type SearchFields = Omit<SearchPackage, 'id' | 'publisher' | 'name'>

/** A package's line: its id, its install name when qualified, and the catalog's view of it. */
export interface LedgerLine {
  id: string
  qualified?: string
  search?: SearchPackage
}

const hashed = new WeakMap<Uint8Array, string>()

/**
 * The SHA-256 of a file's bytes, once per buffer: the ledger names each aggregate's digest and the
 * build record (state.ts) names it again, and registry.json is about 93 MB at 100,000 packages.
 * Output buffers are never changed after they are made, so the buffer's identity is its content.
 */
export function sha256Hex(bytes: Uint8Array): string {
  let hex = hashed.get(bytes)
  if (hex === undefined) {
    hex = createHash('sha256').update(bytes).digest('hex')
    hashed.set(bytes, hex)
  }
  return hex
}

const OPEN = Buffer.from('\n    {\n')
const CLOSE = Buffer.from('\n    }')
/** Between two items of an aggregate's array. */
export const SEPARATOR = Buffer.from(',\n    ')
const SEPARATOR_LENGTH = SEPARATOR.length

/** The byte ranges of the top-level array's object items of a canonical JSON document (see above). */
export function itemRanges(bytes: Uint8Array): number[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: number[] = []
  let at = 0
  for (;;) {
    const open = buf.indexOf(OPEN, at)
    if (open < 0) return out
    const close = buf.indexOf(CLOSE, open + OPEN.length - 1)
    if (close < 0) return out
    out.push(open + 5, close + CLOSE.length)
    at = close + CLOSE.length
  }
}

/** An aggregate's layout and each item's byte length (aggregate.ts records them as it makes the bytes). */
export interface AggregateShape {
  layout: AggregateLayout
  lengths: number[]
}

/** The layout and item lengths of an aggregate, or undefined when it is not laid out as described above. */
export function layoutOf(bytes: Uint8Array, count: number): AggregateShape | undefined {
  const ranges = itemRanges(bytes)
  if (ranges.length !== count * 2) return undefined
  const lengths: number[] = []
  for (let i = 0; i < count; i++) {
    const start = ranges[2 * i] as number
    if (i > 0 && start - (ranges[2 * i - 1] as number) !== SEPARATOR.length) return undefined
    lengths.push((ranges[2 * i + 1] as number) - start)
  }
  return {
    layout: { sha256: sha256Hex(bytes), count, first: ranges[0] ?? 0, end: ranges[ranges.length - 1] ?? 0 },
    lengths
  }
}

/**
 * Where a document's head (before its first item) ends and its tail (after its last) starts: the
 * head keeps the array's opening bracket, the tail starts after its closing one.
 */
export function frameBounds(layout: AggregateLayout): { headEnd: number; tailStart: number } {
  return { headEnd: layout.first - 5, tailStart: layout.end + 4 }
}

/** The document's keys other than its item array (which reads as `[]`), from its head and tail. */
export function documentFrame(head: Uint8Array, tail: Uint8Array): Record<string, unknown> | undefined {
  const doc = parseJsonBytes(Buffer.concat([head, Buffer.from(']'), tail]))
  return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined
}

const SENTINEL = '\u0000items'

/** The document `frame` with its item array cut out: the bytes before the first item and after the last. */
export function frameParts(frame: Record<string, unknown>, arrayKey: string): { head: Buffer; tail: Buffer } {
  const text = canonicalJson({ ...frame, [arrayKey]: [SENTINEL] })
  const marker = `    ${JSON.stringify(SENTINEL)}`
  const cut = text.indexOf(marker)
  if (cut < 0) throw new Error(`internal error: no ${arrayKey} placeholder in the document head`)
  return { head: Buffer.from(text.slice(0, cut + 4), 'utf8'), tail: Buffer.from(text.slice(cut + marker.length), 'utf8') }
}

/**
 * The document `frame` with the old items, those at the indexes of `replace` replaced by their new
 * text: the new file as parts (runs of untouched items are ranges of the old file, copied by the
 * writer without being read here), its new layout (digest left to the caller) and the new lengths
 * of the replaced items. `lengths` are the old items' lengths (where each starts follows from them, itemStarts).
 */
export function spliceItems(
  layout: AggregateLayout,
  lengths: Uint32Array,
  frame: Record<string, unknown>,
  arrayKey: string,
  replace: ReadonlyMap<number, Buffer>
): { parts: SplicePart[]; first: number; end: number } {
  const { head, tail } = frameParts(frame, arrayKey)
  const parts: SplicePart[] = [head]
  let size = head.length
  let from = layout.first
  const starts = itemStarts(lengths, replace.keys(), layout.first)
  for (const [i, start] of starts) {
    if (start > from) parts.push({ start: from, end: start })
    size += start - from
    const item = replace.get(i) as Buffer
    parts.push(item)
    size += item.length
    from = start + (lengths[i] as number)
  }
  if (layout.end > from) parts.push({ start: from, end: layout.end })
  size += layout.end - from
  parts.push(tail)
  return { parts, first: head.length, end: size }
}

/**
 * Where each item of `indexes` starts in its aggregate (an index equal to the count: where an item
 * after the last would start), from the lengths of the items before it and `first`, where the first
 * item starts (the layout's). One pass over the lengths up to the largest index, whatever the number
 * or order of the indexes. Only the replaced items' starts are asked for: a table of every item's
 * start (100,000 at that many packages, for each of three aggregates) was 30-45 ms of a one-package
 * rebuild's CPU, a loop a short-lived process runs before V8 has compiled it (docs/benchmarks.md,
 * the one-package rebuild's seventh round). An index the lengths do not reach is a LedgerError
 * (the splice stands aside).
 */
export function itemStarts(lengths: Uint32Array, indexes: Iterable<number>, first: number): Map<number, number> {
  const starts = new Map<number, number>()
  let k = 0
  let at = first
  for (const i of [...indexes].sort((a, b) => a - b)) {
    if (!Number.isInteger(i) || i < 0 || i > lengths.length) throw new LedgerError(`the ledger has no item ${i} of ${lengths.length}`)
    for (; k < i; k++) at += (lengths[k] as number) + SEPARATOR_LENGTH
    starts.set(i, at)
  }
  return starts
}

function u32(values: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(values.length * 4)
  for (let i = 0; i < values.length; i++) out.writeUInt32LE(values[i] as number, i * 4)
  return out
}

/** The ledger's numbers are little-endian, as this host's are (nearly every host): they are then copied, not read one by one. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function readU32(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(bytes.byteLength >>> 2)
  // One copy: a loop over the 100,000 lengths of each aggregate ran uncompiled in a one-package rebuild (7-8 ms each).
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength))
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true)
  }
  return out
}

/** A package's line in the ledger. */
export function lineBytes(line: LedgerLine): Buffer {
  return Buffer.from(lineText(line), 'utf8')
}

function lineText(line: LedgerLine): string {
  const p = line.search
  const row: unknown[] = [line.id, line.qualified ?? 0]
  if (p) row.push(p.type, p.version, p.description, p.tags, p.score)
  return `${JSON.stringify(row)}\n`
}

function parseLine(bytes: Uint8Array): LedgerLine | undefined {
  const row = parseJsonBytes(bytes)
  if (!Array.isArray(row) || typeof row[0] !== 'string') return undefined
  const id = row[0]
  const slash = id.indexOf('/')
  const line: LedgerLine = { id, ...(typeof row[1] === 'string' ? { qualified: row[1] } : {}) }
  if (row.length === 7) {
    const [, , type, version, description, tags, score] = row as [string, unknown, string, string, string, string[], number | null]
    line.search = { id, publisher: id.slice(0, slash), name: id.slice(slash + 1), type, version, description, tags, score }
  }
  return line
}

function headerBytes(header: LedgerHeader, capacity: number): Buffer {
  const json = JSON.stringify(header)
  const size = Math.max(capacity, Buffer.byteLength(json))
  const out = Buffer.alloc(PRELUDE + size, 0x20)
  out.write(`${MAGIC}${String(size).padStart(10, '0')}\n`, 0, 'latin1')
  out.write(json, PRELUDE, 'utf8')
  return out
}

/** A new ledger's header room: what it needs now and some for the figures that grow. */
const roomFor = (bytes: number) => Math.ceil((bytes * 1.25 + 1024) / 4096) * 4096

export interface LedgerInput {
  registry: AggregateShape | undefined
  /** registry.json's packages, in its order. */
  lines: LedgerLine[]
  marketplace: AggregateShape | undefined
  /** marketplace.json's plugin ids, in its order. */
  marketplaceIds: string[]
  skills: AggregateShape | undefined
  /** The root skills index's ids, in its order. */
  skillsIds: string[]
  /** SHA-256 of each publisher's skills index, by login. */
  publisherDigests: ReadonlyMap<string, string>
  publishedHead: string | null
  searchFiles?: string[]
}

/** The ledger of a build's aggregates; undefined when an aggregate is not laid out as described above (nothing to splice then). */
/** The ledger's bytes, in pieces (written one after another; never concatenated). */
export function makeLedger(input: LedgerInput): Buffer[] | undefined {
  const n = input.lines.length
  const { registry, marketplace, skills } = input
  if (!registry || !marketplace || !skills) return undefined
  if (
    registry.layout.count !== n ||
    marketplace.layout.count !== input.marketplaceIds.length ||
    skills.layout.count !== input.skillsIds.length
  )
    return undefined
  const index = new Map(input.lines.map((l, i) => [l.id, i]))
  const places = new Uint32Array(2 * n).fill(NONE)
  for (const [k, ids] of [input.marketplaceIds, input.skillsIds].entries())
    for (const [j, id] of ids.entries()) {
      const i = index.get(id)
      if (i === undefined) return undefined
      places[2 * i + k] = j
    }
  // The lines in pieces of about a megabyte, each line's place recorded as it is made (a Buffer per
  // line and their concatenation were 50 MB of buffers at 100,000 packages, made at the build's end).
  const lines: Buffer[] = []
  const lineAt = new Uint32Array(2 * n)
  let at = 0
  let text: string[] = []
  let chars = 0
  for (const [i, l] of input.lines.entries()) {
    const line = lineText(l)
    const size = Buffer.byteLength(line, 'utf8')
    lineAt[2 * i] = at
    lineAt[2 * i + 1] = size
    at += size
    text.push(line)
    chars += line.length
    if (chars >= LINE_PIECE_CHARS) {
      lines.push(Buffer.from(text.join(''), 'utf8'))
      text = []
      chars = 0
    }
  }
  if (text.length) lines.push(Buffer.from(text.join(''), 'utf8'))
  const publishers = Buffer.alloc(32 * n)
  for (const [i, l] of input.lines.entries()) {
    const login = l.id.slice(0, l.id.indexOf('/'))
    const digest = input.publisherDigests.get(login)
    if (digest && (i === 0 || !input.lines[i - 1]?.id.startsWith(`${login}/`))) publishers.write(digest, 32 * i, 'hex')
  }
  const catalog = input.lines.every((l) => l.search) && input.searchFiles !== undefined
  let buckets: Buffer = Buffer.alloc(0)
  let bucketTotal: number | undefined
  if (catalog) {
    bucketTotal = bucketCount(n)
    const members: number[][] = Array.from({ length: bucketTotal }, () => [])
    for (const [i, l] of input.lines.entries()) members[bucketOf(l.id, bucketTotal)]?.push(i)
    const startsOf: number[] = [0]
    for (const m of members) startsOf.push((startsOf[startsOf.length - 1] as number) + m.length)
    buckets = Buffer.concat([u32(startsOf), u32(members.flat())])
  }
  const body: Record<Section, Buffer | Buffer[]> = {
    registry: u32(registry.lengths),
    marketplace: u32(marketplace.lengths),
    skills: u32(skills.lengths),
    places: u32(places),
    lineAt: u32(lineAt),
    publishers,
    buckets,
    lines: lines,
    searchFiles: catalog ? Buffer.from(JSON.stringify(input.searchFiles), 'utf8') : Buffer.alloc(0)
  }
  const header: LedgerHeader = {
    format: FORMAT,
    packages: n,
    registry: registry.layout,
    marketplace: marketplace.layout,
    skills: skills.layout,
    publishedHead: input.publishedHead,
    ...(catalog
      ? {
          home: homeData(
            input.lines.map((l) => l.search as SearchPackage),
            HOME_KEEP
          ),
          buckets: bucketTotal
        }
      : {}),
    sections: SECTIONS.map((s) => piecesLength(body[s]))
  }
  const head = headerBytes(header, roomFor(Buffer.byteLength(JSON.stringify(header))))
  return [head, ...SECTIONS.flatMap((s) => body[s])]
}

function piecesLength(bytes: Buffer | Buffer[]): number {
  if (!Array.isArray(bytes)) return bytes.length
  let size = 0
  for (const b of bytes) size += b.length
  return size
}

/** Text gathered before a piece of the lines section is encoded. */
const LINE_PIECE_CHARS = 1 << 20

/**
 * The ledger of the last build, read in part: the header whole, the sections as a rebuild asks for
 * them. Undefined when it is absent or of another format (the format 1 ledger of earlier releases,
 * one JSON document, is not read: the build that finds it runs the usual way and writes this one).
 */
export class LedgerReader {
  private readonly starts: number[]
  private readonly cache = new Map<string, unknown>()

  private constructor(
    private readonly outputs: OutputReader,
    readonly header: LedgerHeader,
    readonly capacity: number
  ) {
    let at = PRELUDE + capacity
    this.starts = header.sections.map((len) => {
      const start = at
      at += len
      return start
    })
    this.size = at
  }

  readonly size: number

  static async open(outputs: OutputReader, size: number): Promise<LedgerReader | undefined> {
    const prelude = await readAt(outputs, 0, PRELUDE)
    if (!prelude || prelude.toString('latin1', 0, MAGIC.length) !== MAGIC || prelude[PRELUDE - 1] !== 0x0a) return undefined
    const digits = prelude.toString('latin1', MAGIC.length, PRELUDE - 1)
    if (!/^\d{10}$/.test(digits)) return undefined
    const capacity = Number(digits)
    if (PRELUDE + capacity > size) return undefined
    const header = parseJsonBytes(await readAt(outputs, PRELUDE, PRELUDE + capacity)) as Partial<LedgerHeader> | undefined
    if (!header || header.format !== FORMAT || !Array.isArray(header.sections) || header.sections.length !== SECTIONS.length)
      return undefined
    if (typeof header.packages !== 'number' || !header.registry || !header.marketplace || !header.skills) return undefined
    const reader = new LedgerReader(outputs, header as LedgerHeader, capacity)
    const n = header.packages
    const expect: Partial<Record<Section, number>> = {
      registry: 4 * header.registry.count,
      marketplace: 4 * header.marketplace.count,
      skills: 4 * header.skills.count,
      places: 8 * n,
      lineAt: 8 * n,
      publishers: 32 * n,
      ...(header.buckets !== undefined ? { buckets: 4 * (header.buckets + 1 + n) } : { buckets: 0, searchFiles: 0 })
    }
    if (header.registry.count !== n) return undefined
    for (const [i, s] of SECTIONS.entries()) if (expect[s] !== undefined && expect[s] !== header.sections[i]) return undefined
    return reader.size === size ? reader : undefined
  }

  /** Where a section starts in the file. */
  sectionStart(s: Section): number {
    return this.starts[SECTIONS.indexOf(s)] as number
  }

  sectionLength(s: Section): number {
    return this.header.sections[SECTIONS.indexOf(s)] as number
  }

  private async bytes(s: Section, from: number, to: number): Promise<Buffer> {
    const base = this.sectionStart(s)
    if (from < 0 || to > this.sectionLength(s)) throw new LedgerError(`the ledger's ${s} is shorter than its header says`)
    return (await readAt(this.outputs, base + from, base + to)) ?? failed(`the ledger's ${s} could not be read`)
  }

  /** An aggregate's item lengths (4 bytes per item: 400 KB at 100,000 packages). */
  async lengths(s: AggregateName): Promise<Uint32Array> {
    return this.memo(`lengths:${s}`, async () => readU32(await this.bytes(s, 0, this.sectionLength(s))))
  }

  /** The package's item index in marketplace.json and in the root skills index (NONE: not there). */
  async places(i: number): Promise<{ marketplace: number; skills: number }> {
    const [marketplace, skills] = readU32(await this.bytes('places', 8 * i, 8 * i + 8))
    return { marketplace: marketplace as number, skills: skills as number }
  }

  /** The line of the package at registry index `i`. */
  async line(i: number): Promise<LedgerLine> {
    return this.memo(`line:${i}`, async () => {
      if (i < 0 || i >= this.header.packages) throw new LedgerError(`the ledger has no package ${i}`)
      const [start, length] = readU32(await this.bytes('lineAt', 8 * i, 8 * i + 8)) as unknown as [number, number]
      return parseLine(await this.bytes('lines', start, start + length)) ?? failed(`the ledger's line ${i} is not a line`)
    })
  }

  /** The registry index of the package `id` (registry.json is sorted by publisher, then name), or -1. */
  async indexOf(id: string): Promise<number> {
    const key = splitId(id)
    let lo = 0
    let hi = this.header.packages - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const c = compareIds(splitId((await this.line(mid)).id), key)
      if (c === 0) return mid
      if (c < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** The registry indexes [from, to) of the publisher of the package at `i` (registry.json keeps a publisher's packages together). */
  async publisherRange(i: number): Promise<{ from: number; to: number }> {
    const login = splitId((await this.line(i)).id)[0]
    let from = i
    while (from > 0 && splitId((await this.line(from - 1)).id)[0] === login) from--
    let to = i + 1
    while (to < this.header.packages && splitId((await this.line(to)).id)[0] === login) to++
    return { from, to }
  }

  /** The recorded SHA-256 of the skills index of the publisher whose first package is at `i` (undefined: none). */
  async publisherDigest(first: number): Promise<string | undefined> {
    const hex = (await this.bytes('publishers', 32 * first, 32 * first + 32)).toString('hex')
    return /^0+$/.test(hex) ? undefined : hex
  }

  /** The packages of a docs bucket of the search index, by registry index. */
  async bucket(b: number): Promise<number[]> {
    const total = this.header.buckets ?? failed('the ledger has no search buckets')
    if (b < 0 || b >= total) throw new LedgerError(`the ledger has no bucket ${b}`)
    const [from, to] = readU32(await this.bytes('buckets', 4 * b, 4 * b + 8)) as unknown as [number, number]
    if (to < from || to > this.header.packages) throw new LedgerError(`the ledger's bucket ${b} is out of range`)
    const base = 4 * (total + 1)
    return [...readU32(await this.bytes('buckets', base + 4 * from, base + 4 * to))]
  }

  /** Every package's line (the whole `lines` section: a change that rewrites the whole search index needs them all). */
  async allLines(): Promise<LedgerLine[]> {
    const at = readU32(await this.bytes('lineAt', 0, this.sectionLength('lineAt')))
    const lines = await this.bytes('lines', 0, this.sectionLength('lines'))
    const out: LedgerLine[] = []
    for (let i = 0; i < this.header.packages; i++) {
      const start = at[2 * i] as number
      const end = start + (at[2 * i + 1] as number)
      if (end > lines.length) throw new LedgerError(`the ledger's line ${i} is out of range`)
      out.push(parseLine(lines.subarray(start, end)) ?? failed(`the ledger's line ${i} is not a line`))
    }
    return out
  }

  async searchFiles(): Promise<string[]> {
    const files = parseJsonBytes(await this.bytes('searchFiles', 0, this.sectionLength('searchFiles')))
    return Array.isArray(files) && files.every((f) => typeof f === 'string') ? files : failed('the ledger lists no search files')
  }

  private async memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, await make())
    return this.cache.get(key) as T
  }
}

/**
 * A ledger's content without its layout (the header's room, lines no longer referenced, where each
 * line sits): what a spliced ledger must agree on with the ledger a full build writes for the same
 * outputs. Undefined when it is not a ledger of this format.
 */
export function ledgerContent(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined
  const capacity = Number(buf.toString('latin1', MAGIC.length, PRELUDE - 1))
  const header = parseJsonBytes(buf.subarray(PRELUDE, PRELUDE + capacity)) as LedgerHeader | undefined
  if (!header || header.format !== FORMAT) return undefined
  let at = PRELUDE + capacity
  const section: Partial<Record<Section, Buffer>> = {}
  for (const [i, s] of SECTIONS.entries()) {
    const len = header.sections[i] as number
    section[s] = buf.subarray(at, at + len)
    at += len
  }
  const lineAt = readU32(section.lineAt as Buffer)
  const lines = section.lines as Buffer
  const { sections: _sections, ...rest } = header
  return {
    header: rest,
    registry: [...readU32(section.registry as Buffer)],
    marketplace: [...readU32(section.marketplace as Buffer)],
    skills: [...readU32(section.skills as Buffer)],
    places: [...readU32(section.places as Buffer)],
    publishers: (section.publishers as Buffer).toString('hex'),
    buckets: [...readU32(section.buckets as Buffer)],
    lines: Array.from({ length: header.packages }, (_, i) =>
      lines.toString('utf8', lineAt[2 * i] as number, (lineAt[2 * i] as number) + (lineAt[2 * i + 1] as number))
    ),
    searchFiles: (section.searchFiles as Buffer).toString('utf8')
  }
}

/** The ledger is not what its header says (a one-package rebuild then stands aside). */
export class LedgerError extends Error {}

const failed = (why: string): never => {
  throw new LedgerError(why)
}

async function readAt(outputs: OutputReader, start: number, end: number): Promise<Buffer | undefined> {
  const bytes = outputs.readRange
    ? await outputs.readRange('site', BUILD_LEDGER_FILE, start, end)
    : (await outputs.read('site', BUILD_LEDGER_FILE))?.subarray(start, end)
  if (!bytes || bytes.byteLength !== end - start) return undefined
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const splitId = (id: string): [string, string] => {
  const slash = id.indexOf('/')
  return [id.slice(0, slash), id.slice(slash + 1)]
}

/** registry.json's order (registry-json.ts, sortPackages): publisher, then name, by code units. */
function compareIds(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
}

/**
 * The next ledger as a spliced file: the header rewritten in its reserved room (the sections then
 * stay where they are), values patched in place, new lines appended to `lines`.
 */
export class LedgerPatch {
  private readonly patches = new Map<Section, Map<number, Buffer>>()
  private readonly appended: Buffer[] = []
  private appendedLength = 0
  private searchFilesText?: Buffer

  constructor(private readonly reader: LedgerReader) {}

  /** Replace the 4-byte value at `index` of a uint32 section (an aggregate's lengths, `places`). */
  setU32(s: Section, index: number, value: number): void {
    const b = Buffer.allocUnsafe(4)
    b.writeUInt32LE(value, 0)
    this.put(s, 4 * index, b)
  }

  setPublisherDigest(first: number, sha256: string): void {
    this.put('publishers', 32 * first, Buffer.from(sha256, 'hex'))
  }

  /** The package at `i` gets a new line, appended to `lines`. */
  setLine(i: number, line: LedgerLine): void {
    const bytes = lineBytes(line)
    const start = this.reader.sectionLength('lines') + this.appendedLength
    this.appended.push(bytes)
    this.appendedLength += bytes.length
    const at = Buffer.allocUnsafe(8)
    at.writeUInt32LE(start, 0)
    at.writeUInt32LE(bytes.length, 4)
    this.put('lineAt', 8 * i, at)
  }

  setSearchFiles(files: readonly string[]): void {
    this.searchFilesText = Buffer.from(JSON.stringify(files), 'utf8')
  }

  private put(s: Section, offset: number, bytes: Buffer): void {
    let m = this.patches.get(s)
    if (!m) this.patches.set(s, (m = new Map()))
    m.set(offset, bytes)
  }

  /** The new ledger's parts, given its new header (sections are filled in here). */
  parts(header: Omit<LedgerHeader, 'sections'>): SplicePart[] {
    const r = this.reader
    const sections = SECTIONS.map((s) => {
      if (s === 'lines') return r.sectionLength(s) + this.appendedLength
      if (s === 'searchFiles' && this.searchFilesText) return this.searchFilesText.length
      return r.sectionLength(s)
    })
    const full: LedgerHeader = { ...header, sections }
    const head = headerBytes(full, r.capacity)
    const parts: SplicePart[] = [head]
    const copy = (start: number, end: number) => {
      if (end > start) parts.push({ start, end })
    }
    for (const s of SECTIONS) {
      const base = r.sectionStart(s)
      if (s === 'searchFiles' && this.searchFilesText) {
        parts.push(this.searchFilesText)
        continue
      }
      let from = 0
      for (const [offset, bytes] of [...(this.patches.get(s) ?? new Map<number, Buffer>())].sort(([a], [b]) => a - b)) {
        copy(base + from, base + offset)
        parts.push(bytes)
        from = offset + bytes.length
      }
      copy(base + from, base + r.sectionLength(s))
      if (s === 'lines') parts.push(...this.appended)
    }
    return parts
  }
}

/**
 * The ledger of a build whose outputs are `files` (each aggregate with its bytes, or with the
 * digest recorded when it was written) and whose aggregates have the given shapes (aggregate.ts):
 * undefined when one is missing or not laid out as expected (the next build then runs the usual way).
 */
export function ledgerOutput(input: {
  files: readonly OutputFile[]
  /** registry.json, marketplace.json and the root skills index, as they were made. */
  shapes: Partial<Record<AggregateName, AggregateShape>>
  /** registry.json's packages, in its order. */
  packages: readonly { publisher: string; name: string }[]
  names: QualifiedNames
  /** marketplace.json's plugin sources, in its order (`./publishers/<login>/<name>`). */
  pluginSources: readonly string[]
  /** The root skills index's ids, in its order. */
  skillsIds: string[]
  /** The catalog's view of every package, in registry order (when the catalog is built). */
  search?: SearchPackage[]
}): Buffer[] | undefined {
  const digestOf = new Map<string, string>()
  for (const f of input.files) {
    const sha256 = f.recorded?.sha256 ?? (f.bytes ? sha256Hex(f.bytes) : undefined)
    if (sha256) digestOf.set(`${f.area}:${f.path}`, sha256)
  }
  const publisherDigests = new Map<string, string>()
  for (const login of new Set(input.packages.map((p) => p.publisher))) {
    const digest = digestOf.get(`site:${publisherIndex(login)}`)
    if (digest) publisherDigests.set(login, digest)
  }
  return makeLedger({
    registry: input.shapes.registry,
    lines: input.packages.map((p, i) => {
      const id = `${p.publisher}/${p.name}`
      const n = input.names.get(id)
      const search = input.search?.[i]
      return { id, ...(n !== undefined ? { qualified: n } : {}), ...(search ? { search } : {}) }
    }),
    marketplace: input.shapes.marketplace,
    marketplaceIds: input.pluginSources.map((s) => s.replace(/^\.\/publishers\//, '')),
    skills: input.shapes.skills,
    skillsIds: input.skillsIds,
    publisherDigests,
    publishedHead: digestOf.get(`root:${PUBLISHED_INDEX_FILE}`) ?? null,
    ...(input.search
      ? {
          searchFiles: input.files
            .filter((f) => f.area === 'site' && f.path.startsWith(`${SEARCH_DIR}/`))
            .map((f) => f.path)
            .sort()
        }
      : {})
  })
}
