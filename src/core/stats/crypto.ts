// Every hash and signature of the stats service, on WebCrypto (the same API in Workers and Node).
//
// - The de-duplication hash of a ping: SHA-256 over the day's random salt, the package and the
//   installation id. The salt is deleted when the day closes, and with it any way to test whether a
//   given installation was counted.
// - The rater: HMAC(secret-derived key, package, installation). It is the same for an installation
//   and package on every day, so a rating can replace the earlier one; without the service secret
//   it cannot be computed, so a stored rater does not lead back to an installation id.
// - The receipt: `v1.<payload>.<mac>`, the package and the rater signed with HMAC-SHA256, so only
//   an installation that pinged can rate, and only the package it pinged.
// - The rate-limit key: HMAC of the day and the client address; handed to the rate limiter, never
//   stored.

/** WebCrypto's key type, named without the DOM lib (Node's types and workerd's agree on it). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The shortest service secret accepted (bytes of UTF-8): 256 bits of randomness need 32. */
export const MIN_SECRET_BYTES = 32

export function toBase64Url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** Fields joined with a NUL, which no field can contain (ids and versions are ASCII patterns). */
const joined = (...fields: string[]): Uint8Array => encoder.encode(fields.join('\0'))

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data))
}

async function hmacKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
}

async function hmac(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
}

/** Keys derived from the one service secret, one per purpose, so no value serves two. */
export interface ServiceKeys {
  rater: CryptoKey
  receipt: CryptoKey
  limiter: CryptoKey
  row: CryptoKey
}

export async function deriveKeys(secret: string): Promise<ServiceKeys> {
  const bytes = encoder.encode(secret)
  if (bytes.length < MIN_SECRET_BYTES) throw new Error(`the service secret must be at least ${MIN_SECRET_BYTES} bytes`)
  const master = await hmacKey(bytes)
  const sub = async (label: string) => hmacKey(await hmac(master, encoder.encode(`marketplace-stats/${label}/v1`)))
  return { rater: await sub('rater'), receipt: await sub('receipt'), limiter: await sub('limiter'), row: await sub('rating-row') }
}

/** 32 random bytes: a day's salt. */
export function newSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32))
}

/** The day's de-duplication hash of (package, installation); meaningless once the salt is gone. */
export async function dedupeHash(salt: Uint8Array, pkg: string, installation: string): Promise<Uint8Array> {
  return sha256(concat(salt, joined('ping', pkg, installation)))
}

export async function raterOf(keys: ServiceKeys, pkg: string, installation: string): Promise<Uint8Array> {
  return hmac(keys.rater, joined('rater', pkg, installation))
}

/**
 * The key a rating is stored under: a keyed hash of the rater, not the rater, so a copy of the
 * database and a receipt from someone's lockfile cannot be matched without the service secret.
 */
export async function ratingRowKey(keys: ServiceKeys, rater: Uint8Array): Promise<Uint8Array> {
  return hmac(keys.row, concat(encoder.encode('rating-row\0'), rater))
}

export async function limiterKey(keys: ServiceKeys, day: string, address: string): Promise<string> {
  return toBase64Url(await hmac(keys.limiter, joined('limit', day, address)))
}

const RECEIPT_VERSION = 'v1'

export async function signReceipt(keys: ServiceKeys, pkg: string, rater: Uint8Array): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify({ p: pkg, r: toBase64Url(rater) })))
  const signed = `${RECEIPT_VERSION}.${payload}`
  return `${signed}.${toBase64Url(await hmac(keys.receipt, encoder.encode(signed)))}`
}

/** The package and rater of a receipt this service signed; undefined for anything else. */
export async function verifyReceipt(keys: ServiceKeys, receipt: string): Promise<{ package: string; rater: Uint8Array } | undefined> {
  const parts = receipt.split('.')
  if (parts.length !== 3 || parts[0] !== RECEIPT_VERSION) return undefined
  const mac = fromBase64Url(parts[2] as string)
  if (!mac || mac.length !== 32) return undefined
  // crypto.subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify('HMAC', keys.receipt, mac, encoder.encode(`${parts[0]}.${parts[1]}`))
  if (!ok) return undefined
  try {
    const bytes = fromBase64Url(parts[1] as string)
    if (!bytes) return undefined
    const body = JSON.parse(decoder.decode(bytes)) as { p?: unknown; r?: unknown }
    const rater = typeof body.r === 'string' ? fromBase64Url(body.r) : undefined
    if (typeof body.p !== 'string' || !rater || rater.length !== 32) return undefined
    return { package: body.p, rater }
  } catch {
    return undefined
  }
}

/** Constant-time comparison of a presented token with the configured one (both hashed first). */
export async function sameSecret(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(encoder.encode(presented)), sha256(encoder.encode(expected))])
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
