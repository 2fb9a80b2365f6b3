// The daemon routes over node:http: a request handler the Signet daemon can mount (or proxy to),
// and a listener bound to 127.0.0.1 by default. Bodies are read up to the API's cap; anything
// larger is refused before it is buffered.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { API_PREFIX, MAX_BODY_BYTES, type MarketplaceApi } from '../core/client/daemon.js'

export function marketplaceHandler(api: MarketplaceApi): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void respond(api, req, res)
  }
}

async function respond(api: MarketplaceApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) => {
    const bytes = Buffer.from(`${JSON.stringify(body)}\n`)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': bytes.length,
      'cache-control': 'no-store'
    })
    res.end(bytes)
  }
  try {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > MAX_BODY_BYTES) {
        send(413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` })
        req.destroy()
        return
      }
      chunks.push(chunk as Buffer)
    }
    const out = await api.handle({ method: req.method ?? 'GET', url: req.url ?? '/', body: size ? Buffer.concat(chunks) : undefined })
    send(out.status, out.body)
  } catch (e) {
    if (!res.headersSent) send(500, { error: `internal error: ${(e as Error).message}` })
  }
}

export function listen(api: MarketplaceApi, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer(marketplaceHandler(api))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const address = server.address()
      const actual = typeof address === 'object' && address ? address.port : port
      const shownHost = host.includes(':') ? `[${host}]` : host
      resolve({ server, url: `http://${shownHost}:${actual}${API_PREFIX}` })
    })
  })
}
