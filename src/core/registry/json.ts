// The one way the registry build serialises JSON: object keys sorted by UTF-16 code units at every
// level, arrays in their given order, two-space indentation, a final newline. The same value
// always gives the same bytes, whatever order its keys were assigned in, so a rebuild with no
// content change writes identical files.

export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`
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
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown
  } catch {
    return undefined
  }
}
