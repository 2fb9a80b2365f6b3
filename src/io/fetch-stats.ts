// Reads the stats from an HTTP(S) endpoint or a file, as untrusted input: bounded in time and
// size, retried with exponential backoff on faults that may pass (timeouts, network errors, 5xx,
// 429), and accepted only when it parses and matches schemas/stats.schema.json or, in its
// columns form, schemas/stats-columns.schema.json and the checks a schema cannot state.
// An endpoint is asked for the columns form (`?form=columns`: a seventh of the bytes, read with
// far less work); a service that does not know it answers the stats document (older deployments
// ignore the query) or 400 (then the document is asked for), and either is read as such, with a
// note. A file may hold either form. Never throws for a bad endpoint: it returns the reason, so
// the caller keeps the previous scores.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Stats } from '../generated/schema-types.js'
import validateStats from '../generated/validators/stats.js'
import { scanStats, summariseStats, type StatsSummary } from '../core/scores/stats-summary.js'
import { isColumnsForm, readStatsColumns } from '../core/scores/stats-columns.js'
import { scanStatsColumns } from '../core/scores/stats-columns-scan.js'
import { STATS_DEFAULTS } from './stats-defaults.js'
import { readWholeInBackground } from './read-whole.js'
import { httpFetch } from './http-fetch.js'
import { idleTimeout, type IdleTimeout } from './idle-timeout.js'
import { setTimeout as delay } from 'node:timers/promises'

export interface FetchStatsOptions {
  /** Sent as `Authorization: Bearer <token>` to an HTTP(S) endpoint; never logged. */
  token?: string
  /**
   * Per attempt, headers and body together: the time this thread waits for them (io/idle-timeout.ts),
   * so a request sent before other work is not timed out by that work.
   */
  timeoutMs?: number
  /** Further attempts after the first. */
  retries?: number
  /** First backoff delay; doubled each retry. */
  backoffMs?: number
  /** The longest wait a `retry-after` header may ask for (longer asks are shortened to this). */
  maxRetryAfterMs?: number
  maxBytes?: number
  /** Relative paths resolve against this. */
  cwd?: string
  /** Waits between attempts (tests pass one that records the delays). */
  sleep?: (ms: number) => Promise<void>
  /**
   * The caller no longer wants the stats (it failed elsewhere after sending the request): the
   * request is dropped and nothing is retried, so no socket or backoff keeps the process alive.
   */
  signal?: AbortSignal
}

export type FetchStatsResult =
  /**
   * `bytes`: the answer as read; nothing in `stats` refers to them, so the caller may write over them.
   * `form`: which form it was. `notes`: what the log should say once (an endpoint that answered
   * the stats document to a request for the columns form).
   */
  | { ok: true; stats: StatsSummary; attempts: number; bytes: Buffer; form: StatsForm; notes: string[] }
  | { ok: false; error: string; attempts: number }

/** `document`: schemas/stats.schema.json; `columns`: schemas/stats-columns.schema.json. */
export type StatsForm = 'document' | 'columns'

/** A 400 to the request for the columns form: the service does not know the query. */
class FormRefused extends Error {}

class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

/** Ends early, without an error, when `signal` aborts. */
const sleepUnless =
  (signal: AbortSignal | undefined) =>
  (ms: number): Promise<void> =>
    delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined)

/** The endpoint without credentials or query string, for messages (a query may carry a key). */
export function describeSource(source: string): string {
  if (!/^https?:\/\//i.test(source)) return source
  try {
    const u = new URL(source)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return 'the stats URL'
  }
}

export async function fetchStats(source: string, options: FetchStatsOptions = {}): Promise<FetchStatsResult> {
  const o = { ...STATS_DEFAULTS, ...options }
  if (!/^https?:\/\//i.test(source)) {
    const file = source.startsWith('file:') ? fileURLToPath(source) : path.resolve(o.cwd ?? process.cwd(), source)
    const tooLarge = (size: number): FetchStatsResult => ({
      ok: false,
      attempts: 1,
      error: `${file} is ${size} bytes, more than the limit of ${o.maxBytes}`
    })
    const unreadable = (code: string): FetchStatsResult => ({ ok: false, attempts: 1, error: `cannot read ${file}: ${code}` })
    // One read of the whole file on the thread pool, started now, into pages the pool has
    // touched already: the scan reads every byte (io/read-whole.ts).
    const read = await readWholeInBackground(file, o.maxBytes, 0, true)
    if (read.ok) return parseStats(read.bytes, file, 1, [])
    return read.size !== undefined ? tooLarge(read.size) : unreadable(read.code)
  }
  const where = describeSource(source)
  const sleep = o.sleep ?? sleepUnless(o.signal)
  const dropped = (attempts: number): FetchStatsResult => ({ ok: false, attempts, error: `${where}: the request was dropped` })
  const notes: string[] = []
  let url = withColumnsForm(source)
  let last = ''
  for (let attempt = 1; attempt <= o.retries + 1; attempt++) {
    if (o.signal?.aborted) return dropped(attempt - 1)
    try {
      const text = await getOnce(url, o, url !== source)
      return parseStats(text, where, attempt, notes, url !== source)
    } catch (e) {
      if (o.signal?.aborted) return dropped(attempt)
      if (e instanceof FormRefused) {
        // Asked again at once for the stats document; the refusal is not a failed attempt.
        notes.push(`${where} does not know the columns form (${e.message}); asked for the stats document instead`)
        url = source
        attempt--
        continue
      }
      if (!(e instanceof Retryable)) return { ok: false, attempts: attempt, error: `${where}: ${(e as Error).message}` }
      last = e.message
      if (attempt > o.retries) break
      const backoff = o.backoffMs * 2 ** (attempt - 1)
      await sleep(Math.min(Math.max(backoff, e.retryAfterMs ?? 0), Math.max(o.maxRetryAfterMs, backoff)))
    }
  }
  return { ok: false, attempts: o.retries + 1, error: `${where}: ${last} (gave up after ${o.retries + 1} attempt(s))` }
}

/**
 * The endpoint with `form=columns` added to its query; the endpoint itself when it names a form
 * already (the operator's choice stands) or is not a URL this can parse.
 */
function withColumnsForm(source: string): string {
  try {
    const u = new URL(source)
    if (u.searchParams.has('form')) return source
    // Appended to the query as written: the operator's other parameters keep their spelling.
    u.search = u.search ? `${u.search}&form=columns` : '?form=columns'
    return u.href
  } catch {
    return source
  }
}

async function getOnce(url: string, o: typeof STATS_DEFAULTS & FetchStatsOptions, askedColumns: boolean): Promise<Buffer> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  // Aborted when the time runs out or the caller drops the request.
  const timeout = idleTimeout(o.timeoutMs, o.signal)
  try {
    return await answerOf(url, o, askedColumns, headers, timeout)
  } finally {
    timeout.clear()
  }
}

/** One attempt's answer; `timeout.expired` says whether the attempt ran out of time. */
async function answerOf(
  url: string,
  o: typeof STATS_DEFAULTS & FetchStatsOptions,
  askedColumns: boolean,
  headers: Record<string, string>,
  timeout: IdleTimeout
): Promise<Buffer> {
  const signal = timeout.signal
  let res: Answer
  try {
    // node:http, not the global fetch: undici is loaded and compiled on first use, 0.2-0.3 s of
    // CPU for one request here (io/http-fetch.ts). No redirects: one could carry the token to another host.
    res = await httpFetch(url, { method: 'GET', headers, signal, redirect: 'manual' })
  } catch (e) {
    throw new Retryable(timeout.expired ? `no answer within ${o.timeoutMs} ms` : `request failed: ${causeOf(e)}`)
  }
  if (res.status === 429 || res.status >= 500) {
    await res.body?.cancel().catch(() => undefined)
    throw new Retryable(`answered HTTP ${res.status}`, retryAfter(res.headers.get('retry-after')))
  }
  if (res.status === 400 && askedColumns) throw new FormRefused(`it answered HTTP 400: ${await errorOf(res)}`)
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined)
    const why =
      res.status === 401 || res.status === 403
        ? ' (check the token)'
        : res.status >= 300 && res.status < 400
          ? ' (a redirect, not followed: give the final URL)'
          : ''
    throw new Error(`answered HTTP ${res.status}${why}`)
  }
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    await res.body?.cancel().catch(() => undefined)
    throw new Error(`the answer is ${declared} bytes, more than the limit of ${o.maxBytes}`)
  }
  try {
    return await readCapped(res, o.maxBytes)
  } catch (e) {
    if (e instanceof TooLarge) throw new Error(e.message, { cause: e })
    throw new Retryable(timeout.expired ? `the answer did not finish within ${o.timeoutMs} ms` : `reading the answer failed: ${causeOf(e)}`)
  }
}

/** The `error` of a JSON error answer, cut short and printable; else what it was. */
async function errorOf(res: Answer): Promise<string> {
  let text: string
  try {
    text = (await readCapped(res, 4096)).toString('utf8')
  } catch {
    return 'an unreadable answer'
  }
  let message: unknown
  try {
    message = (JSON.parse(text) as { error?: unknown }).error
  } catch {
    message = undefined
  }
  if (typeof message !== 'string') return 'no error message'
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(message.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 200))
}

class TooLarge extends Error {}

type Answer = Awaited<ReturnType<typeof httpFetch>>

async function readCapped(res: Answer, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0)
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done || !value) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new TooLarge(`the answer is more than the limit of ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size)
}

function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  return undefined
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (e as Error).message
}

/** Whether `"form"` is among the first bytes, where the service writes it in the columns form. */
const FORM_KEY = Buffer.from('"form"')
const looksLikeColumns = (bytes: Buffer): boolean => bytes.subarray(0, 256).includes(FORM_KEY)

/**
 * The summary of a stats document or of its columns form. Each as the service writes it is read in
 * one scan of its bytes (core/scores/stats-summary.ts, stats-columns-scan.ts); any other answer is
 * parsed and validated in full (the columns form by core/scores/stats-columns.ts), which accepts
 * it or says what is wrong with it.
 */
function parseStats(bytes: Buffer, where: string, attempts: number, notes: string[], askedColumns = false): FetchStatsResult {
  const asDocument = (stats: StatsSummary): FetchStatsResult => {
    if (askedColumns)
      notes.push(
        `${where} answered the stats document, not the columns form asked for (a service older than this toolkit?); read it as such`
      )
    return { ok: true, stats, attempts, bytes, form: 'document', notes }
  }
  if (looksLikeColumns(bytes)) {
    const columns = scanStatsColumns(bytes)
    if (columns) return { ok: true, stats: columns, attempts, bytes, form: 'columns', notes }
  } else {
    const scanned = scanStats(bytes)
    if (scanned) return asDocument(scanned)
  }
  let doc: unknown
  try {
    doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
  } catch (e) {
    return { ok: false, attempts, error: `${where}: the answer is not valid JSON (${(e as Error).message})` }
  }
  if (isColumnsForm(doc)) {
    const read = readStatsColumns(doc)
    if (!read.ok) return { ok: false, attempts, error: `${where}: ${read.error}` }
    return { ok: true, stats: read.stats, attempts, bytes, form: 'columns', notes }
  }
  const validate = validateStats
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
    return { ok: false, attempts, error: `${where}: the answer does not match the stats schema: ${problems.join('; ')}` }
  }
  return asDocument(summariseStats(doc as Stats))
}
