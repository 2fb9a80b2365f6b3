// The one way the registry build serialises JSON: object keys sorted by UTF-16 code units at every
// level, arrays in their given order, two-space indentation, a final newline. The same value
// always gives the same bytes, whatever order its keys were assigned in, so a rebuild with no
// content change writes identical files.

export function canonicalJson(value: unknown): string {
  // Most values (a registry parsed from its own canonical bytes, with a few fields replaced) are
  // already in key order: then the engine's JSON.stringify writes the same bytes several times
  // faster, given a sorted copy of only the objects that are not.
  const ordered = inKeyOrder(value)
  if (ordered !== UNORDERABLE) return `${JSON.stringify(ordered, null, 2)}\n`
  const out: Out = { parts: [], chunks: [] }
  if (!writeSorted(value, 0, out)) return `${JSON.stringify(sortKeys(value), null, 2)}\n`
  out.parts.push('\n')
  out.chunks.push(out.parts.join(''))
  return out.chunks.length === 1 ? (out.chunks[0] as string) : out.chunks.join('')
}

/**
 * The text written so far: small parts, joined into a chunk every CHUNK_PARTS of them. A
 * 100,000-package registry is tens of millions of parts; holding them all until one join took
 * far more memory than the text itself.
 */
interface Out {
  parts: string[]
  chunks: string[]
}
const CHUNK_PARTS = 8192

/** An integer-like key, which JavaScript orders before all others whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/

const UNORDERABLE = Symbol('unorderable')

/**
 * `value` with every object's keys in sorted order: the value itself when they already are, else a
 * copy of the objects that are not (sharing the rest). UNORDERABLE for what JSON.stringify would
 * not write as writeSorted does: an integer-like key (JavaScript lists those first whatever the
 * insertion order), toJSON, an object that is not a plain one, a function, a symbol, a bigint, and
 * an unsorted object with a `__proto__` key.
 */
function inKeyOrder(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value
  if (typeof value !== 'object') return UNORDERABLE
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (item === undefined) continue
      const ordered = inKeyOrder(item)
      if (ordered === UNORDERABLE) return UNORDERABLE
      if (ordered !== item) (copy ??= [...(value as unknown[])])[i] = ordered
    }
    return copy ?? value
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNORDERABLE
  const keys = Object.keys(value)
  let sorted = true
  // The children's ordered values, made only once one of them differs from the original.
  let values: unknown[] | undefined
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    const c = key.charCodeAt(0)
    if (c >= 48 && c <= 57 && INDEX_KEY.test(key)) return UNORDERABLE
    if (i > 0 && (keys[i - 1] as string) > key) sorted = false
    const v = (value as Record<string, unknown>)[key]
    const ordered = v === undefined ? v : inKeyOrder(v)
    if (ordered === UNORDERABLE) return UNORDERABLE
    if (ordered !== v && values === undefined) values = keys.slice(0, i).map((k) => (value as Record<string, unknown>)[k])
    values?.push(ordered)
  }
  if (sorted && values === undefined) return value
  // An ordinary object (a null-prototype one is a slow dictionary): a `__proto__` key, possible in
  // parsed data, would set its prototype, so that value is left to writeSorted.
  if (keys.includes('__proto__')) return UNORDERABLE
  const out: Record<string, unknown> = {}
  const order = keys.map((key, i) => [key, values === undefined ? (value as Record<string, unknown>)[key] : values[i]] as const)
  if (!sorted) order.sort(([a], [b]) => compareKeys(a, b))
  for (const [key, v] of order) if (v !== undefined) out[key] = v
  return out
}

// A registry of 100,000 packages is millions of values: the strings every value repeats (its
// indentation, its key quoted) are made once, not once per value.
const INDENTS: string[] = []
const indent = (depth: number): string => (INDENTS[depth] ??= `\n${'  '.repeat(depth)}`)
const SEPARATORS: string[] = []
const separator = (depth: number): string => (SEPARATORS[depth] ??= `,${indent(depth)}`)
/** Quoted keys (`"name": `); the registry's keys are few, a parsed document's could be many: capped. */
const KEYS = new Map<string, string>()
const KEYS_MAX = 4096
function quotedKey(key: string): string {
  let q = KEYS.get(key)
  if (q === undefined) {
    q = `${JSON.stringify(key)}: `
    if (KEYS.size < KEYS_MAX) KEYS.set(key, q)
  }
  return q
}

/**
 * JSON.stringify(sortKeys(value), null, 2) written in one pass, without a sorted copy of every
 * object (a registry of 100,000 packages is hundreds of MB of copies). False when the value has
 * something this pass does not handle the way JSON.stringify does; then the caller uses that.
 */
function writeSorted(value: unknown, depth: number, out: Out): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
    out.parts.push(JSON.stringify(value))
    return true
  }
  if (typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.parts.push('[]')
      return true
    }
    out.parts.push('[')
    for (let i = 0; i < value.length; i++) {
      out.parts.push(i === 0 ? indent(depth + 1) : separator(depth + 1))
      const item: unknown = value[i]
      if (item === undefined) out.parts.push('null')
      else if (!writeSorted(item, depth + 1, out)) return false
    }
    out.parts.push(indent(depth), ']')
    if (out.parts.length >= CHUNK_PARTS) flush(out)
    return true
  }
  const keys = sortedKeys(value)
  let first = true
  for (const key of keys) {
    if (INDEX_KEY.test(key)) return false
    const v = (value as Record<string, unknown>)[key]
    if (v === undefined) continue
    out.parts.push(first ? '{' : ',', indent(depth + 1), quotedKey(key))
    first = false
    if (!writeSorted(v, depth + 1, out)) return false
  }
  if (first) out.parts.push('{}')
  else out.parts.push(indent(depth), '}')
  if (out.parts.length >= CHUNK_PARTS) flush(out)
  return true
}

function flush(out: Out): void {
  out.chunks.push(out.parts.join(''))
  out.parts.length = 0
}

/** The object's keys in code-unit order (most objects are built in that order already: no sort then). */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value)
  for (let i = 1; i < keys.length; i++) if (compareKeys(keys[i - 1] as string, keys[i] as string) > 0) return keys.sort(compareKeys)
  return keys
}

/**
 * `value` as canonicalJson shows it as an item of a top-level array (two levels deep: four spaces
 * before its lines after the first), without a newline at either end. An aggregate is made item by
 * item (build/aggregate.ts) and a one-package rebuild replaces one item (build/ledger.ts): the engine
 * writes the item at that depth itself, where re-indenting the item's own canonical JSON made a
 * second pass over every byte.
 */
export function canonicalItemJson(value: unknown): string {
  const ordered = inKeyOrder(value)
  if (ordered === UNORDERABLE || ordered === undefined) return canonicalJson(value).slice(0, -1).replaceAll('\n', '\n    ')
  // `[\n  [\n    ` before the item, `\n  ]\n]` after it.
  return JSON.stringify([[ordered]], null, 2).slice(10, -6)
}

export function canonicalBytes(value: unknown): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8')
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  // No prototype: a key named `__proto__` (possible in parsed data) stays an ordinary key.
  const out = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(value).sort(compareKeys)) {
    const v = (value as Record<string, unknown>)[key]
    // undefined would be dropped by JSON.stringify anyway; dropping it here keeps that explicit.
    if (v !== undefined) out[key] = sortKeys(v)
  }
  return out
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A file this build wrote before, parsed; undefined when absent or not JSON (then it is rebuilt). */
export function parseJsonBytes(bytes: Uint8Array | undefined): unknown {
  if (!bytes) return undefined
  try {
    // A view, not a copy: Buffer.from(uint8Array) copies every byte (1.8 s of a one-package
    // rebuild's profile at 100,000 packages, for the 33 MB ledger).
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown
  } catch {
    return undefined
  }
}
