// The stats service's routes (the stats protocol of docs/scoring.md):
//   POST /v1/installs  an install ping: counted once per installation, package and UTC day
//   POST /v1/ratings   a 1-5 rating with the install ping's receipt; the latest per installation wins
//   GET  /v1/stats     the stats document, behind the bearer token; `?form=columns` its columns form
// A request is checked completely (route, method, rate limit, type, size, schema, receipt) before
// anything is written, so every refused request leaves the database as it was.
import { MAX_BODY_BYTES, parseBody, parseInstallRequest, parseRatingRequest, type Parsed } from '../core/stats/protocol.js'
import {
  dedupeHash,
  deriveKeys,
  limiterKey,
  newSalt,
  raterOf,
  ratingRowKey,
  sameSecret,
  signReceipt,
  verifyReceipt,
  type ServiceKeys
} from '../core/stats/crypto.js'
import { isoSeconds, utcDay } from '../core/stats/day.js'
import { statsDocument } from '../core/stats/document.js'
import { statsColumns } from '../core/stats/columns.js'
import { closeDaysBefore, countInstall, daySalt, readAggregates, storeRating, type D1Database } from './d1.js'
import { HttpError, errorResponse, json, readJsonText } from './http.js'

/** The Cloudflare Workers rate limiting binding. */
export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

export interface Env {
  DB: D1Database
  /** At least 32 bytes: the keys of receipts, rater hashes and rate-limit keys derive from it. */
  STATS_SECRET?: string
  /** The bearer token of GET /v1/stats. */
  STATS_TOKEN?: string
  /** Optional but recommended: without it nothing limits the request rate per client. */
  LIMITER?: RateLimiter
}

const ROUTES: Record<string, string> = { '/v1/installs': 'POST', '/v1/ratings': 'POST', '/v1/stats': 'GET' }

// Per isolate: derived keys (deriving costs four HMACs), today's salt, and the last day this
// isolate closed the days before. Losing any of them only costs a recomputation.
let keyCache: { secret: string; keys: ServiceKeys } | undefined
let saltCache: { day: string; salt: Uint8Array } | undefined
let closedBefore: string | undefined

async function keysOf(env: Env): Promise<ServiceKeys> {
  const secret = env.STATS_SECRET ?? ''
  if (keyCache?.secret === secret) return keyCache.keys
  let keys: ServiceKeys
  try {
    keys = await deriveKeys(secret)
  } catch {
    throw new HttpError(500, 'the service is not configured: set the STATS_SECRET secret (at least 32 random bytes)')
  }
  keyCache = { secret, keys }
  return keys
}

async function rateLimit(env: Env, request: Request, keys: ServiceKeys, day: string): Promise<void> {
  if (!env.LIMITER) return
  // Cloudflare sets CF-Connecting-IP; the address only feeds a keyed hash the limiter counts under.
  const address = request.headers.get('cf-connecting-ip') ?? 'unknown'
  const { success } = await env.LIMITER.limit({ key: await limiterKey(keys, day, address) })
  if (!success) throw new HttpError(429, 'too many requests from this address; try again in a minute', { 'retry-after': '60' })
}

function accepted<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new HttpError(400, parsed.error)
  return parsed.value
}

async function body(request: Request): Promise<unknown> {
  return accepted(parseBody(await readJsonText(request, MAX_BODY_BYTES)))
}

/** Closes the days before `today` once per isolate and day (the cron does it too). */
async function closeLazily(db: D1Database, today: string): Promise<void> {
  if (closedBefore === today) return
  await close(db, today)
}

async function close(db: D1Database, today: string): Promise<void> {
  await closeDaysBefore(db, today)
  closedBefore = today
  // A cached salt of a closed day is gone from the database: never hash with it again.
  if (saltCache && saltCache.day < today) saltCache = undefined
}

async function install(request: Request, env: Env, nowMs: number): Promise<Response> {
  const keys = await keysOf(env)
  const day = utcDay(nowMs)
  await rateLimit(env, request, keys, day)
  const ping = accepted(parseInstallRequest(await body(request)))
  await closeLazily(env.DB, day)
  if (saltCache?.day !== day) saltCache = { day, salt: await daySalt(env.DB, day, newSalt()) }
  const [hash, rater] = await Promise.all([
    dedupeHash(saltCache.salt, ping.package, ping.installation),
    raterOf(keys, ping.package, ping.installation)
  ])
  const counted = await countInstall(env.DB, day, hash, ping.package, isoSeconds(nowMs))
  return json(200, { receipt: await signReceipt(keys, ping.package, rater), counted })
}

async function rate(request: Request, env: Env, nowMs: number): Promise<Response> {
  const keys = await keysOf(env)
  const day = utcDay(nowMs)
  await rateLimit(env, request, keys, day)
  const rating = accepted(parseRatingRequest(await body(request)))
  const receipt = await verifyReceipt(keys, rating.receipt)
  if (!receipt)
    throw new HttpError(403, 'the receipt is not one this service issued; send the `receipt` your install ping of this package answered')
  if (receipt.package !== rating.package)
    throw new HttpError(403, `the receipt is for another package, not ${rating.package}; send the receipt of this package's install ping`)
  await closeLazily(env.DB, day)
  await storeRating(env.DB, await ratingRowKey(keys, receipt.rater), rating.package, rating.rating, isoSeconds(nowMs))
  return json(200, { ok: true })
}

/** The forms GET /v1/stats answers: no `form` gives the stats document, which older clients read. */
const FORMS = ['columns'] as const

function formOf(url: URL): (typeof FORMS)[number] | undefined {
  const asked = url.searchParams.getAll('form')
  if (asked.length === 0) return undefined
  const form = FORMS.find((f) => f === asked[0])
  if (asked.length > 1 || form === undefined)
    throw new HttpError(
      400,
      `unknown form ${JSON.stringify(asked.join(',').slice(0, 40))}: GET /v1/stats answers the stats document, or its columns form with ?form=columns`
    )
  return form
}

async function stats(request: Request, env: Env, nowMs: number): Promise<Response> {
  if (!env.STATS_TOKEN) throw new HttpError(500, 'the service is not configured: set the STATS_TOKEN secret')
  const match = /^Bearer ([^\s]+)$/.exec(request.headers.get('authorization') ?? '')
  if (!match || !(await sameSecret(match[1] as string, env.STATS_TOKEN))) {
    // Failed attempts count against the address's limit, so the token cannot be guessed quickly.
    await rateLimit(env, request, await keysOf(env), utcDay(nowMs))
    throw new HttpError(401, 'send the stats token as Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' })
  }
  const form = formOf(new URL(request.url))
  // Before anything was counted, generated_at is the start of the day: fixed for the day.
  const aggregates = await readAggregates(env.DB, isoSeconds(Date.parse(`${utcDay(nowMs)}T00:00:00Z`)))
  return json(200, form === 'columns' ? statsColumns(aggregates) : statsDocument(aggregates))
}

export async function handleRequest(request: Request, env: Env, nowMs: number = Date.now()): Promise<Response> {
  try {
    const { pathname } = new URL(request.url)
    const method = ROUTES[pathname]
    if (method === undefined)
      throw new HttpError(
        404,
        `no such route: ${pathname.slice(0, 100)}; the routes are POST /v1/installs, POST /v1/ratings and GET /v1/stats`
      )
    if (request.method !== method) throw new HttpError(405, `${pathname} takes ${method} only`, { allow: method })
    if (pathname === '/v1/installs') return await install(request, env, nowMs)
    if (pathname === '/v1/ratings') return await rate(request, env, nowMs)
    return await stats(request, env, nowMs)
  } catch (e) {
    if (e instanceof HttpError) return errorResponse(e)
    // Internal failures (the database, above all) are logged without the request's data.
    console.error(`stats service: ${(e as Error).name}: ${(e as Error).message}`)
    return json(503, { error: 'the service could not handle the request; try again later' }, { 'retry-after': '30' })
  }
}

/** The cron trigger: closes the days before the trigger's UTC day. */
export async function handleScheduled(scheduledTime: number, env: Env): Promise<void> {
  await close(env.DB, utcDay(scheduledTime))
}
