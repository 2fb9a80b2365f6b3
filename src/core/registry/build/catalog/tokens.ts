// The search index's words, one definition for the build. The browser script (assets.ts) carries
// the same functions as text; test/catalog-search.test.ts runs both over the same hostile inputs
// and fails when they disagree, since a query can only find what the build indexed the same way.
//
// A token is a run of letters and digits after Unicode compatibility folding, accents dropped and
// lowercased, at least 2 characters; a few English words too common to narrow anything are left
// out. A tag is also indexed as `#<tag>` and a publisher as `@<login>` (lowercased), so the tag
// and publisher filters are tokens like any other. A token lives in the shard named by its first
// three characters (with its sigil), so a query fetches one shard per word.

export const MIN_TOKEN = 2
export const SHARD_PREFIX = 3

export const STOPWORDS: ReadonlySet<string> = new Set(
  'an and are as at be by for from has in into is it its of on or that the this to was were will with you your'.split(' ')
)

/** The words of a text, in order of appearance, repeats kept (the caller dedupes). */
export function words(text: string): string[] {
  // ASCII text (most of it) takes a fast path that gives exactly what the Unicode one would.
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\u0000-\u007f]*$/.test(text)
  const folded = ascii
    ? text.toLowerCase()
    : text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
  const out: string[] = []
  for (const m of folded.matchAll(ascii ? /[a-z0-9]+/g : /[\p{L}\p{N}]+/gu)) {
    const w = m[0]
    if ((ascii ? w.length : [...w].length) >= MIN_TOKEN && !STOPWORDS.has(w)) out.push(w)
  }
  return out
}

/** The shard a token (or a query word) belongs to. */
export function shardKey(token: string): string {
  const sigil = token.startsWith('#') || token.startsWith('@') ? token.charAt(0) : ''
  const rest = token.slice(sigil.length)
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(rest)) return sigil + rest.slice(0, SHARD_PREFIX)
  return sigil + [...rest].slice(0, SHARD_PREFIX).join('')
}

/** The shard a token is in, given the keys the index split (the header's `split`): the longest key on its way. */
export function shardFor(token: string, split: ReadonlySet<string>): string {
  const sigil = token.startsWith('#') || token.startsWith('@') ? token.charAt(0) : ''
  const chars = [...token.slice(sigil.length)]
  let length = SHARD_PREFIX
  let key = shardKey(token)
  while (split.has(key) && chars.length > length) key = sigil + chars.slice(0, ++length).join('')
  return key
}

/** A shard key as a file name: plain when it is ASCII letters and digits, else hex of its UTF-8. */
export function shardFile(key: string): string {
  const sigil = key.startsWith('#') ? 't-' : key.startsWith('@') ? 'p-' : 'w-'
  const rest = sigil === 'w-' ? key : key.slice(1)
  if (/^[a-z0-9]+$/.test(rest)) return sigil + rest
  let hex = ''
  for (const b of new TextEncoder().encode(rest)) hex += b.toString(16).padStart(2, '0')
  return `${sigil}x${hex}`
}

const ENCODER = new TextEncoder()

/** FNV-1a over the UTF-8 of a package id: which docs bucket holds it. */
export function bucketOf(id: string, buckets: number): number {
  let h = 0x811c9dc5
  for (const b of ENCODER.encode(id)) {
    h ^= b
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h % buckets
}

/** Buckets of about 16 packages, a power of two so the count moves rarely. */
export function bucketCount(packages: number): number {
  let b = 1
  while (b * 16 < packages) b *= 2
  return b
}
