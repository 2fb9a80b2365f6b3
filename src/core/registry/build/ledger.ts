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
// So an entry can be cut out, parsed alone, and replaced by the new entry's text, and the
// document's head (before the first item) and tail (after the last) re-made from its other keys.
import { createHash } from 'node:crypto'
import { canonicalJson, parseJsonBytes } from '../json.js'
import type { SearchPackage } from './catalog/search-index.js'
import type { OutputFile, SplicePart } from './types.js'
import type { InstallName } from './names.js'
import { CLAUDE_MARKETPLACE_FILE, REGISTRY_FILE } from '../../marketplace/paths.js'
import { PUBLISHED_INDEX_FILE } from '../published-index.js'
import { ROOT_INDEX, publisherIndex } from './site-layout.js'
import { SEARCH_DIR } from './catalog/layout.js'

/** In the site folder beside the build record; a dot file, so no page of the site. */
export const BUILD_LEDGER_FILE = '.marketplace-actions-ledger.json'
const FORMAT = 1

/** One aggregate's items: package ids in file order, with their byte ranges `[start, end)` flattened. */
export interface LedgerFile {
  sha256: string
  ids: string[]
  ranges: number[]
}

/** What a catalog aggregate (home page, publisher pages, search index) needs of a package, id aside. */
export type SearchFields = Omit<SearchPackage, 'id' | 'publisher' | 'name'>

export interface Ledger {
  format: typeof FORMAT
  registry: LedgerFile
  marketplace: LedgerFile
  skills: LedgerFile
  /** Install names that are not the plain package name, by id. */
  qualified: Record<string, string>
  /** SHA-256 of the small per-publisher files a one-package change rewrites from the old ones (skills indexes, the published-versions head). */
  digests: Record<string, string>
  /** The catalog's view of each package, in registry order (absent without the catalog). */
  search?: SearchFields[]
  /** The search index's files, to remove those a later build no longer writes. */
  searchFiles?: string[]
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

/** An entry's text as an item of the top-level array: its canonical JSON, indented two levels. */
export function itemText(entry: unknown): string {
  return canonicalJson(entry).slice(0, -1).replaceAll('\n', '\n    ')
}

export function ledgerFile(bytes: Uint8Array, ids: string[]): LedgerFile | undefined {
  const ranges = itemRanges(bytes)
  return ranges.length === ids.length * 2 ? { sha256: sha256Hex(bytes), ids, ranges } : undefined
}

/** The byte range of the item of `file` at `index`. */
export function itemRange(file: LedgerFile, index: number): { start: number; end: number } {
  return { start: file.ranges[2 * index] as number, end: file.ranges[2 * index + 1] as number }
}

/**
 * Where a document's head (before its first item) ends and its tail (after its last) starts: the
 * head keeps the array's opening bracket, the tail starts after its closing one.
 */
export function frameBounds(file: LedgerFile): { headEnd: number; tailStart: number } | undefined {
  const [first, last] = [file.ranges[0], file.ranges[file.ranges.length - 1]]
  if (first === undefined || last === undefined) return undefined
  return { headEnd: first - 5, tailStart: last + 4 }
}

/** The document's keys other than its item array (which reads as `[]`), from its head and tail. */
export function documentFrame(head: Uint8Array, tail: Uint8Array): Record<string, unknown> | undefined {
  const doc = parseJsonBytes(Buffer.concat([head, Buffer.from(']'), tail]))
  return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined
}

const SENTINEL = '\u0000items'

/**
 * The document `frame` (its item array holding one placeholder) with the old items, those at the
 * indexes of `replace` replaced by their new text: the new file as parts (runs of untouched items
 * are ranges of the old file, copied by the writer without being read here), and the new ranges.
 */
export function spliceItems(
  file: LedgerFile,
  frame: Record<string, unknown>,
  arrayKey: string,
  replace: ReadonlyMap<number, string>
): { parts: SplicePart[]; ranges: number[] } {
  const text = canonicalJson({ ...frame, [arrayKey]: [SENTINEL] })
  const marker = `    ${JSON.stringify(SENTINEL)}`
  const cut = text.indexOf(marker)
  if (cut < 0) throw new Error(`internal error: no ${arrayKey} placeholder in the document head`)
  const head = Buffer.from(text.slice(0, cut + 4), 'utf8')
  const tail = Buffer.from(text.slice(cut + marker.length), 'utf8')
  const parts: SplicePart[] = [head]
  const ranges: number[] = []
  let size = head.length
  const separator = Buffer.from(',\n    ')
  // Runs of untouched items are one range of the old file with their separators.
  let runStart = -1
  const n = file.ids.length
  for (let i = 0; i < n; i++) {
    const start = file.ranges[2 * i] as number
    const end = file.ranges[2 * i + 1] as number
    const next = replace.get(i)
    if (next === undefined) {
      if (runStart < 0) runStart = start
      ranges.push(size + (start - runStart), size + (end - runStart))
      if (i === n - 1 || replace.has(i + 1)) {
        parts.push({ start: runStart, end })
        size += end - runStart
        runStart = -1
        if (i < n - 1) {
          parts.push(separator)
          size += separator.length
        }
      }
      continue
    }
    const item = Buffer.from(next, 'utf8')
    ranges.push(size, size + item.length)
    parts.push(item)
    size += item.length
    if (i < n - 1) {
      parts.push(separator)
      size += separator.length
    }
  }
  parts.push(tail)
  return { parts, ranges }
}

/** The ledger, or undefined when it is absent, of another format or not one this build wrote. */
export function parseLedger(bytes: Uint8Array | undefined): Ledger | undefined {
  const doc = parseJsonBytes(bytes) as Partial<Ledger> | undefined
  if (!doc || doc.format !== FORMAT) return undefined
  for (const f of [doc.registry, doc.marketplace, doc.skills])
    if (!f || !Array.isArray(f.ids) || !Array.isArray(f.ranges) || f.ranges.length !== f.ids.length * 2) return undefined
  if (!doc.qualified || !doc.digests) return undefined
  if (doc.search && doc.search.length !== doc.registry?.ids.length) return undefined
  return doc as Ledger
}

export function serializeLedger(ledger: Ledger): Uint8Array {
  return Buffer.from(JSON.stringify(ledger), 'utf8')
}

export interface LedgerInput {
  registryBytes: Uint8Array
  /** registry.json's package ids, in its order. */
  registryIds: string[]
  marketplaceBytes: Uint8Array
  /** marketplace.json's plugin ids, in its order. */
  marketplaceIds: string[]
  skillsBytes: Uint8Array
  /** The root skills index's ids, in its order. */
  skillsIds: string[]
  qualified: Record<string, string>
  digests: Record<string, string>
  search?: SearchPackage[]
  searchFiles?: string[]
}

/** The ledger of a build's aggregates; undefined when an aggregate is not laid out as described above (nothing to splice then). */
export function makeLedger(input: LedgerInput): Ledger | undefined {
  const registry = ledgerFile(input.registryBytes, input.registryIds)
  const marketplace = ledgerFile(input.marketplaceBytes, input.marketplaceIds)
  const skills = ledgerFile(input.skillsBytes, input.skillsIds)
  if (!registry || !marketplace || !skills) return undefined
  const ledger: Ledger = { format: FORMAT, registry, marketplace, skills, qualified: input.qualified, digests: input.digests }
  if (input.search) ledger.search = input.search.map(searchFields)
  if (input.searchFiles) ledger.searchFiles = input.searchFiles
  return ledger
}

export function searchFields(p: SearchPackage): SearchFields {
  return { type: p.type, version: p.version, description: p.description, tags: p.tags, score: p.score }
}

/** The catalog's view of the package `id` from its ledger fields. */
export function searchPackageOf(id: string, fields: SearchFields): SearchPackage {
  const slash = id.indexOf('/')
  return { id, publisher: id.slice(0, slash), name: id.slice(slash + 1), ...fields }
}

/**
 * The ledger file of a build whose outputs are `files` (each aggregate with its bytes):
 * undefined when one is missing or not laid out as expected (the next build then runs the usual way).
 */
export function ledgerOutput(input: {
  files: readonly OutputFile[]
  /** registry.json's packages, in its order. */
  packages: readonly { publisher: string; name: string }[]
  names: ReadonlyMap<string, InstallName>
  /** marketplace.json's plugin sources, in its order (`./publishers/<login>/<name>`). */
  pluginSources: readonly string[]
  /** The root skills index's ids, in its order. */
  skillsIds: string[]
  /** The catalog's view of every package (when the catalog is built). */
  search?: SearchPackage[]
}): OutputFile | undefined {
  const bytesOf = new Map(input.files.map((f) => [`${f.area}:${f.path}`, f.bytes]))
  const registryBytes = bytesOf.get(`root:${REGISTRY_FILE}`)
  const marketplaceBytes = bytesOf.get(`root:${CLAUDE_MARKETPLACE_FILE}`)
  const skillsBytes = bytesOf.get(`site:${ROOT_INDEX}`)
  if (!registryBytes || !marketplaceBytes || !skillsBytes) return undefined
  const qualified: Record<string, string> = {}
  for (const [id, n] of input.names) if (n.qualified) qualified[id] = n.name
  const digests: Record<string, string> = {}
  const head = bytesOf.get(`root:${PUBLISHED_INDEX_FILE}`)
  if (head) digests[`root:${PUBLISHED_INDEX_FILE}`] = sha256Hex(head)
  for (const login of new Set(input.packages.map((p) => p.publisher))) {
    const key = `site:${publisherIndex(login)}`
    const bytes = bytesOf.get(key)
    if (bytes) digests[key] = sha256Hex(bytes)
  }
  const ledger = makeLedger({
    registryBytes,
    registryIds: input.packages.map((p) => `${p.publisher}/${p.name}`),
    marketplaceBytes,
    marketplaceIds: input.pluginSources.map((s) => s.replace(/^\.\/publishers\//, '')),
    skillsBytes,
    skillsIds: input.skillsIds,
    qualified,
    digests,
    ...(input.search
      ? {
          search: input.search,
          searchFiles: input.files
            .filter((f) => f.area === 'site' && f.path.startsWith(`${SEARCH_DIR}/`))
            .map((f) => f.path)
            .sort()
        }
      : {})
  })
  return ledger ? { area: 'site', path: BUILD_LEDGER_FILE, bytes: serializeLedger(ledger) } : undefined
}
