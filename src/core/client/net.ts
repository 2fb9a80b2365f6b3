// Every byte the client reads from a marketplace comes through fetchBytes: https only (http only
// for loopback hosts, where a local marketplace or test server lives), redirects followed by hand
// and only within the same origin, a byte cap enforced while streaming (a server that lies about
// Content-Length or never stops sending is cut off), a time limit per request, and ETag /
// Last-Modified conditional requests. The network itself is passed in (a fetch-like function),
// so the core never reaches for globals and tests can count requests.

/** The part of the WHATWG fetch API the client uses; the global `fetch` satisfies it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; redirect: 'manual'; signal?: AbortSignal }
) => Promise<{
  status: number
  headers: { get(name: string): string | null }
  body: ByteStream | null
}>

/** The part of a response body's ReadableStream the client reads with. */
export interface ByteStream {
  getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> }
  cancel(reason?: unknown): Promise<void>
}

export class NetworkError extends Error {
  constructor(
    message: string,
    /** HTTP status when the server answered; undefined for refusals, timeouts and connection errors. */
    readonly status?: number
  ) {
    super(message)
  }
}

export interface FetchOptions {
  maxBytes: number
  timeoutMs?: number
  etag?: string
  lastModified?: string
  method?: 'GET' | 'POST'
  body?: string
  headers?: Record<string, string>
  /** Origins (scheme://host:port) this request may touch; the URL's own origin when absent. */
  allowedOrigins?: readonly string[]
}

export type Fetched =
  | { status: 'ok'; bytes: Uint8Array; etag?: string; lastModified?: string; url: string; httpStatus: number }
  | { status: 'not-modified'; url: string }

const MAX_REDIRECTS = 5
export const DEFAULT_TIMEOUT_MS = 15_000

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
}

/** Why a URL may not be fetched, or undefined when it may. */
export function urlProblem(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `\`${raw}\` is not a URL`
  }
  if (url.username || url.password) return `${url.origin} carries credentials in the URL; they are never sent`
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:' && isLoopback(url)) return undefined
  if (url.protocol === 'http:') return `${url.href} is plain http; only https is accepted (http only for 127.0.0.1 and localhost)`
  return `${url.href} is not an https URL`
}

export function checkedUrl(raw: string): URL {
  const problem = urlProblem(raw)
  if (problem) throw new NetworkError(problem)
  return new URL(raw)
}

/** GET (or POST) a URL under the rules above. 304 is `not-modified`; any other non-2xx throws. */
export async function fetchBytes(fetchFn: FetchLike, raw: string, options: FetchOptions): Promise<Fetched> {
  let url = checkedUrl(raw)
  const allowed = new Set(options.allowedOrigins ?? [url.origin])
  if (!allowed.has(url.origin))
    throw new NetworkError(`${url.href} is outside this marketplace's allowed origins (${[...allowed].join(', ')})`)
  const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5', ...options.headers }
  if (options.etag) headers['if-none-match'] = options.etag
  if (options.lastModified) headers['if-modified-since'] = options.lastModified
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      let res: Awaited<ReturnType<FetchLike>>
      try {
        res = await fetchFn(url.href, {
          method: options.method ?? 'GET',
          headers,
          body: options.body,
          redirect: 'manual',
          signal: controller.signal
        })
      } catch (e) {
        if (controller.signal.aborted) throw new NetworkError(`${url.href} did not answer within ${timeoutMs / 1000} s`)
        throw new NetworkError(`cannot reach ${url.origin}: ${causeOf(e)}`)
      }
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await res.body?.cancel().catch(() => undefined)
        const location = res.headers.get('location')
        if (!location) throw new NetworkError(`${url.href} answered ${res.status} without a Location`, res.status)
        const next = new URL(location, url)
        if (next.origin !== url.origin)
          throw new NetworkError(
            `${url.href} redirects to another origin (${next.origin}); only same-origin redirects are followed`,
            res.status
          )
        url = next
        continue
      }
      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined)
        return { status: 'not-modified', url: url.href }
      }
      if (res.status < 200 || res.status >= 300) {
        const text = await readCapped(res.body, 4096, url.href, controller).catch(() => new Uint8Array())
        throw new NetworkError(`${url.href} answered ${res.status}${errorDetail(text)}`, res.status)
      }
      const declared = Number(res.headers.get('content-length') ?? NaN)
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        await res.body?.cancel().catch(() => undefined)
        throw new NetworkError(`${url.href} is ${declared} bytes, more than the limit of ${options.maxBytes}`)
      }
      const bytes = await readCapped(res.body, options.maxBytes, url.href, controller)
      const out: Fetched = { status: 'ok', bytes, url: url.href, httpStatus: res.status }
      const etag = res.headers.get('etag')
      const lastModified = res.headers.get('last-modified')
      if (etag) out.etag = etag
      if (lastModified) out.lastModified = lastModified
      return out
    } catch (e) {
      if (e instanceof NetworkError) throw e
      if (controller.signal.aborted) throw new NetworkError(`${url.href} did not finish within ${timeoutMs / 1000} s`)
      throw new NetworkError(`reading ${url.href} failed: ${causeOf(e)}`)
    } finally {
      clearTimeout(timer)
    }
  }
  throw new NetworkError(`${raw} redirects more than ${MAX_REDIRECTS} times`)
}

async function readCapped(body: ByteStream | null, maxBytes: number, where: string, controller: AbortController): Promise<Uint8Array> {
  if (!body) return new Uint8Array()
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (!value) continue
    total += value.byteLength
    if (total > maxBytes) {
      controller.abort()
      await reader.cancel().catch(() => undefined)
      throw new NetworkError(`${where} is larger than the limit of ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

function errorDetail(bytes: Uint8Array): string {
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as { error?: unknown }
    if (typeof doc.error === 'string') return `: ${doc.error.slice(0, 300)}`
  } catch {
    // not a JSON error body; the status says enough
  }
  return ''
}

function causeOf(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } }
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)
}
