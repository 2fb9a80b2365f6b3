// The network the CLI's client uses: the FetchLike the core asks for (core/client/net.ts), on
// node:http and node:https instead of the global fetch. The global fetch is undici, which a
// process loads and compiles on first use (~100 ms of CPU) and whose HTTP parser is WebAssembly
// that V8 keeps optimising in the background; a short-lived process then waits for that work
// before it may exit (0.25-0.5 s after `install` had printed its result, measured with strace).
// node:http is part of Node's start-up snapshot and leaves nothing behind.
//
// What fetch did that the client relies on is done here too: redirects are never followed (the
// core follows them by hand, same-origin only), a gzip, deflate or brotli body is decoded (the
// core's byte cap counts decoded bytes, so a compression bomb is cut off at the cap), and the
// abort signal ends the request and the body. A connection error carries the system's code as
// its cause, as fetch's does, so the core's messages name it (ECONNREFUSED, ENOTFOUND, …).
import type { IncomingMessage } from 'node:http'
import type * as NodeZlib from 'node:zlib'
import type { Readable } from 'node:stream'
import type { ByteStream, FetchLike } from '../core/client/net.js'

type Zlib = typeof NodeZlib
/** Each content coding's decoder. node:zlib is loaded only for a compressed body (about 6 ms of a scores run's start otherwise). */
const DECODERS: Record<string, (zlib: Zlib) => NodeJS.ReadWriteStream> = {
  gzip: (zlib) => zlib.createGunzip(),
  'x-gzip': (zlib) => zlib.createGunzip(),
  deflate: (zlib) => zlib.createInflate(),
  br: (zlib) => zlib.createBrotliDecompress()
}

export const httpFetch: FetchLike = async (url, init) => {
  const target = new URL(url)
  // Loaded on the first request, and TLS only for an https URL: `installed` or `search` from the
  // cache never needs either, and a marketplace on 127.0.0.1 never needs TLS.
  const send =
    target.protocol === 'https:'
      ? (await import('node:https')).request
      : target.protocol === 'http:'
        ? (await import('node:http')).request
        : undefined
  if (!send) throw new Error(`cannot fetch ${url}`, { cause: { code: 'unsupported protocol' } })
  return new Promise((resolve, reject) => {
    const signal = init.signal
    if (signal?.aborted) {
      reject(new Error(`request to ${url} aborted`, { cause: { code: 'aborted' } }))
      return
    }
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...init.headers }
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body))
    const req = send(target, { method: init.method, headers })
    const onAbort = () => req.destroy(Object.assign(new Error(`request to ${url} aborted`), { code: 'aborted' }))
    signal?.addEventListener('abort', onAbort, { once: true })
    const done = () => signal?.removeEventListener('abort', onAbort)
    req.on('error', (e) => {
      done()
      reject(new Error(`request to ${url} failed`, { cause: e }))
    })
    req.on('response', (res) => {
      res.on('close', done)
      // A compressed body waits for node:zlib (the response stays paused, its bytes buffered, until read).
      const decoder = DECODERS[(res.headers['content-encoding'] ?? '').trim().toLowerCase()]
      const answer = (zlib?: Zlib) =>
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name) => headerValue(res, name) },
          body: bodyOf(res, decoder && zlib ? decoder(zlib) : undefined)
        })
      if (decoder) import('node:zlib').then(answer, reject)
      else answer()
    })
    req.end(init.body)
  })
}

function headerValue(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name.toLowerCase()]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

/** The response body, decoded by `decoder` when it is compressed, as the reader the core reads with. */
function bodyOf(res: IncomingMessage, decoder: NodeJS.ReadWriteStream | undefined): ByteStream {
  const stream: Readable = decoder ? (res.pipe(decoder) as unknown as Readable) : res
  if (decoder) res.on('error', (e) => stream.destroy(e))
  const chunks = stream[Symbol.asyncIterator]()
  const cancel = async () => {
    stream.destroy()
    res.destroy()
  }
  return {
    getReader: () => ({
      read: async () => {
        const next = await chunks.next()
        return next.done ? { done: true } : { done: false, value: next.value as Uint8Array }
      },
      cancel
    }),
    cancel
  }
}
