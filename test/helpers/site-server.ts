/**
 * A folder served over HTTP on 127.0.0.1 the way a static host serves a site: content types by
 * extension, 404 for anything missing, nothing outside the folder; every request and the bytes
 * sent are logged, so a test can tell what a page fetched.
 *
 *   const server = await serveFolder(out.site)
 *   await page.goto(`${server.origin}/catalog/index.html`)
 *   server.requests            // [{ path: '/catalog/search/index.json', status: 200, bytes: 123 }]
 *   await server.close()
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.gz': 'application/gzip',
  '.png': 'image/png'
}

export interface ServedRequest {
  path: string
  status: number
  bytes: number
}

export interface ServedFolder {
  origin: string
  requests: ServedRequest[]
  close(): Promise<void>
}

export async function serveFolder(root: string): Promise<ServedFolder> {
  const base = path.resolve(root)
  const requests: ServedRequest[] = []
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
    const file = path.resolve(base, `.${pathname}`)
    if (!file.startsWith(`${base}${path.sep}`) || !existsSync(file) || !statSync(file).isFile()) {
      requests.push({ path: pathname, status: 404, bytes: 0 })
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const body = readFileSync(file)
    requests.push({ path: pathname, status: 200, bytes: body.length })
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no address')
  return {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
