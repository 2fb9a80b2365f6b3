/**
 * A marketplace served over HTTP from 127.0.0.1 the way a static host serves it: several folders
 * layered at one origin (the built site, then the folder holding registry.json, then the
 * repository for package files), with ETag / If-None-Match, a log of every request, per-path
 * overrides (to tamper with an artifact or a registry) and a switch that makes it refuse
 * connections.
 *
 *   const site = await serveLayers([out.site, out.root, repo.dir])
 *   site.override.set('/registry.json', bytes)
 *   site.requests            // ['GET /registry.json 200', ...]
 *   await site.close()
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import path from 'node:path'

export interface StaticSite {
  origin: string
  port: number
  requests: string[]
  override: Map<string, Uint8Array>
  close(): Promise<void>
  /** Starts listening again on the same port (after close). */
  reopen(): Promise<void>
}

export async function serveLayers(roots: string[], port = 0): Promise<StaticSite> {
  const requests: string[] = []
  const override = new Map<string, Uint8Array>()
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const pathname = decodeURIComponent(url.pathname)
    let body: Uint8Array | undefined = override.get(pathname)
    if (!body) {
      for (const root of roots) {
        const file = path.resolve(root, `.${pathname}`)
        if (!file.startsWith(`${root}${path.sep}`)) continue
        if (existsSync(file) && statSync(file).isFile() && !file.includes(`${path.sep}.git${path.sep}`)) {
          body = readFileSync(file)
          break
        }
      }
    }
    if (!body) {
      requests.push(`${req.method} ${pathname} 404`)
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
    if (req.headers['if-none-match'] === etag) {
      requests.push(`${req.method} ${pathname} 304`)
      res.writeHead(304, { etag }).end()
      return
    }
    requests.push(`${req.method} ${pathname} 200`)
    res.writeHead(200, { etag, 'content-length': body.length, 'content-type': 'application/octet-stream' })
    res.end(body)
  }
  let server: Server = createServer(handler)
  const listen = (p: number) =>
    new Promise<number>((resolve) =>
      server.listen(p, '127.0.0.1', () => {
        const a = server.address()
        resolve(typeof a === 'object' && a ? a.port : p)
      })
    )
  const actual = await listen(port)
  const site: StaticSite = {
    origin: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    override,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    reopen: async () => {
      server = createServer(handler)
      await listen(actual)
    }
  }
  return site
}
