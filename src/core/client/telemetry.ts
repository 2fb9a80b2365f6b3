// The client half of the stats protocol (docs/client.md, the team's stats protocol): an install
// ping that returns a receipt, and a rating that must carry it. Called only when the user opted
// in and the marketplace's registry.json names a `stats_url`. The body holds the package, the
// version and a random per-workspace id; nothing about the user or the machine.
import { fetchBytes, type FetchLike } from './net.js'

const TIMEOUT_MS = 5_000
const MAX_BYTES = 64 * 1024

export async function sendInstallPing(
  fetchFn: FetchLike,
  statsUrl: string,
  body: { package: string; version: string; installation: string }
): Promise<string> {
  const doc = await post(fetchFn, statsUrl, 'v1/installs', body)
  if (typeof doc.receipt !== 'string' || doc.receipt.length === 0 || doc.receipt.length > 512)
    throw new Error('the stats endpoint answered without a receipt')
  return doc.receipt
}

export async function sendRating(
  fetchFn: FetchLike,
  statsUrl: string,
  body: { package: string; rating: number; receipt: string }
): Promise<void> {
  const doc = await post(fetchFn, statsUrl, 'v1/ratings', body)
  if (doc.ok !== true) throw new Error('the stats endpoint did not confirm the rating')
}

async function post(fetchFn: FetchLike, statsUrl: string, route: string, body: unknown): Promise<Record<string, unknown>> {
  const url = new URL(route, statsUrl.endsWith('/') ? statsUrl : `${statsUrl}/`).href
  const got = await fetchBytes(fetchFn, url, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    maxBytes: MAX_BYTES,
    timeoutMs: TIMEOUT_MS
  })
  if (got.status !== 'ok') throw new Error(`${url} answered 304`)
  try {
    const doc = JSON.parse(Buffer.from(got.bytes).toString('utf8')) as unknown
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new Error(`${url} did not answer JSON`)
}
