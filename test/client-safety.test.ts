// What the client refuses before anything is written: hostile archives (paths that escape,
// links, devices, names that collide by case or Unicode form, bombs) and hostile hosts (plain
// http, credentials, cross-origin redirects, bodies over the cap, servers that hang).
import { describe, it, expect, afterAll } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { pack, type Header } from 'tar-stream'
import { buildArchive } from '../src/core/registry/build/archive.js'
import { checkCollisions, contentHash, unpackArchive } from '../src/core/client/artifact.js'
import { fetchBytes, type FetchLike } from '../src/core/client/net.js'
import { httpFetch } from '../src/io/http-fetch.js'
import { runAfterModule } from './helpers/run-node.js'

const LIMITS = { maxFiles: 100, maxBytes: 1024 * 1024 }
// The same rules hold on both networks: the global fetch (what a daemon embedding the core may
// pass) and node:http (what the CLI passes, src/io/http-fetch.ts).
const NETWORKS: [string, FetchLike][] = [
  ['the global fetch', globalThis.fetch],
  ['node:http (the CLI)', httpFetch]
]

function tarGz(entries: (Partial<Header> & { name: string; body?: string | Buffer })[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const p = pack()
    const chunks: Buffer[] = []
    p.on('data', (c) => chunks.push(c as Buffer))
    p.on('end', () => resolve(gzipSync(Buffer.concat(chunks))))
    p.on('error', reject)
    for (const { body, ...header } of entries) {
      if (header.type === undefined || header.type === 'file') p.entry({ type: 'file', mode: 0o644, ...header }, body ?? '')
      else p.entry(header)
    }
    p.finalize()
  })
}

const skillMd = { name: 'SKILL.md', body: '---\nname: x\ndescription: y\n---\n' }

describe('unpacking a skill archive', () => {
  it('returns exactly the files the registry build archived, with their executable bits', async () => {
    const files = [
      { path: 'SKILL.md', mode: '100644', bytes: Buffer.from('---\nname: a\ndescription: b\n---\n') },
      { path: 'scripts/run.sh', mode: '100755', bytes: Buffer.from('#!/bin/sh\n') },
      { path: 'docs/deep/nested/file.md', mode: '100644', bytes: Buffer.from('# x\n') }
    ]
    const out = await unpackArchive(await buildArchive(files), LIMITS)
    expect(out.map((f) => [f.path, f.mode.toString(8), Buffer.from(f.bytes).toString()])).toEqual([
      ['SKILL.md', '644', '---\nname: a\ndescription: b\n---\n'],
      ['docs/deep/nested/file.md', '644', '# x\n'],
      ['scripts/run.sh', '755', '#!/bin/sh\n']
    ])
    expect(contentHash(out)).toMatch(/^sha256:[a-f0-9]{64}$/)
  })

  it.each([
    ['an absolute path', [{ name: '/etc/cron.d/evil', body: 'x' }], /is refused: it is absolute/],
    ['a drive-letter path', [{ name: 'C:/evil', body: 'x' }], /is refused: it is absolute/],
    ['a `..` segment', [{ name: 'docs/../../evil', body: 'x' }], /climbs out of the package/],
    ['a backslash', [{ name: 'docs\\..\\evil', body: 'x' }], /contains a backslash/],
    ['a control character', [{ name: 'a\u0007b.md', body: 'x' }], /control character/],
    ['a symlink', [{ name: 'link', type: 'symlink' as const, linkname: '/etc/passwd' }], /is a symlink; only plain files/],
    ['a hard link', [{ name: 'hard', type: 'link' as const, linkname: 'SKILL.md' }], /is a link; only plain files/],
    ['a character device', [{ name: 'dev', type: 'character-device' as const, devmajor: 1, devminor: 3 }], /is a character-device/],
    ['a FIFO', [{ name: 'pipe', type: 'fifo' as const }], /is a fifo/],
    [
      'names differing by case',
      [
        { name: 'Notes.md', body: 'a' },
        { name: 'notes.md', body: 'b' }
      ],
      /differ only by case or Unicode form/
    ],
    [
      'names differing by Unicode form',
      [
        { name: 'caf\u00e9.md', body: 'a' },
        { name: 'cafe\u0301.md', body: 'b' }
      ],
      /differ only by case or Unicode form/
    ],
    [
      'folders differing by case',
      [
        { name: 'Docs/a.md', body: 'a' },
        { name: 'docs/b.md', body: 'b' }
      ],
      /differ only by case/
    ],
    [
      'a file that is also a folder',
      [
        { name: 'docs', body: 'a' },
        { name: 'docs/b.md', body: 'b' }
      ],
      /both a file and a folder/
    ],
    [
      'the same path twice',
      [
        { name: 'a.md', body: 'a' },
        { name: 'a.md', body: 'b' }
      ],
      /appears twice/
    ]
  ])('refuses %s', async (_what, entries, message) => {
    await expect(unpackArchive(await tarGz([skillMd, ...entries]), LIMITS)).rejects.toThrow(message)
  })

  it('refuses an archive without SKILL.md at its root, and one that is not gzip', async () => {
    await expect(unpackArchive(await tarGz([{ name: 'docs/SKILL.md', body: 'x' }]), LIMITS)).rejects.toThrow(/no SKILL\.md at its root/)
    await expect(unpackArchive(Buffer.from('PK\u0003\u0004 a zip'), LIMITS)).rejects.toThrow(/not valid gzip/)
  })

  it('stops a gzip bomb and an archive of too many files', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(100 * 1024)
    await expect(unpackArchive(bomb, LIMITS)).rejects.toThrow(/unpacks to more than 1048576 bytes/)
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `f${i}.md`, body: 'x' }))
    await expect(unpackArchive(await tarGz([skillMd, ...many]), LIMITS)).rejects.toThrow(/more than 100 files/)
  })

  it('accepts names that only look alike but do not collide', () => {
    expect(() => checkCollisions(['a.md', 'a.md.bak', 'ab/c.md', 'a/b.md'])).not.toThrow()
  })
})

describe.each(NETWORKS)('fetching from a marketplace host over %s', (_name, fetchFn) => {
  const servers: Server[] = []
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  })

  async function server(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const s = createServer(handler)
    servers.push(s)
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    const a = s.address()
    return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
  }

  it('refuses plain http to anything but loopback, and credentials in a URL, before any request', async () => {
    const calls: string[] = []
    const spy: FetchLike = async (url) => {
      calls.push(url)
      throw new Error('unreachable')
    }
    await expect(fetchBytes(spy, 'http://example.com/registry.json', { maxBytes: 100 })).rejects.toThrow(
      /plain http; only https is accepted/
    )
    await expect(fetchBytes(spy, 'https://user:secret@example.com/registry.json', { maxBytes: 100 })).rejects.toThrow(/carries credentials/)
    await expect(fetchBytes(spy, 'file:///etc/passwd', { maxBytes: 100 })).rejects.toThrow(/is not an https URL/)
    await expect(fetchBytes(spy, 'https://cdn.example.net/a', { maxBytes: 100, allowedOrigins: ['https://example.com'] })).rejects.toThrow(
      /outside this marketplace's allowed origins/
    )
    expect(calls).toEqual([])
  })

  it('follows a redirect within the origin and refuses one to another origin', async () => {
    const other = await server((_req, res) => res.end('elsewhere'))
    const origin = await server((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/here' }).end()
      else if (req.url === '/away') res.writeHead(302, { location: `${other.replace('127.0.0.1', 'localhost')}/x` }).end()
      else res.end('here')
    })
    const got = await fetchBytes(fetchFn, `${origin}/moved`, { maxBytes: 100 })
    expect(got.status === 'ok' && [got.url, Buffer.from(got.bytes).toString()]).toEqual([`${origin}/here`, 'here'])
    await expect(fetchBytes(fetchFn, `${origin}/away`, { maxBytes: 100 })).rejects.toThrow(
      /redirects to another origin \(http:\/\/localhost:\d+\); only same-origin redirects are followed/
    )
  })

  it('cuts off a body over the cap, whether declared or streamed, and a server that hangs', async () => {
    const origin = await server((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000))
      else if (req.url === '/streamed') {
        res.writeHead(200)
        const tick = setInterval(() => res.write(Buffer.alloc(1000)), 1)
        res.on('close', () => clearInterval(tick))
      } else {
        // hangs: headers never come
      }
    })
    await expect(fetchBytes(fetchFn, `${origin}/declared`, { maxBytes: 1000 })).rejects.toThrow(
      /is 5000 bytes, more than the limit of 1000/
    )
    await expect(fetchBytes(fetchFn, `${origin}/streamed`, { maxBytes: 10_000 })).rejects.toThrow(/larger than the limit of 10000 bytes/)
    await expect(fetchBytes(fetchFn, `${origin}/hang`, { maxBytes: 1000, timeoutMs: 300 })).rejects.toThrow(/did not answer within 0\.3 s/)
  })

  it('decodes a gzip or brotli body, and counts the decoded bytes against the cap (a compression bomb stops there)', async () => {
    const text = 'registry '.repeat(1000)
    const origin = await server((req, res) => {
      const accepts = String(req.headers['accept-encoding'] ?? '')
      if (req.url === '/gzip' && accepts.includes('gzip')) res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(text))
      else if (req.url === '/br' && accepts.includes('br')) res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(text))
      else if (req.url === '/bomb') res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(50 * 1024 * 1024)))
      else res.end(text) // a client that did not ask for this encoding gets the plain bytes
    })
    for (const route of ['/gzip', '/br']) {
      const got = await fetchBytes(fetchFn, `${origin}${route}`, { maxBytes: 100_000 })
      expect(got.status === 'ok' && Buffer.from(got.bytes).toString()).toBe(text)
    }
    await expect(fetchBytes(fetchFn, `${origin}/bomb`, { maxBytes: 1_000_000 })).rejects.toThrow(/larger than the limit of 1000000 bytes/)
  })

  it('sends the body and headers of a POST, and reads response headers by any case', async () => {
    const origin = await server((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => res.writeHead(200, { ETag: '"v1"', 'X-Echo': `${req.method} ${req.headers['content-type']} ${body}` }).end('ok'))
    })
    let seen: string | null = null
    const spy: FetchLike = async (url, init) => {
      const res = await fetchFn(url, init)
      seen = res.headers.get('X-ECHO')
      return res
    }
    const got = await fetchBytes(spy, `${origin}/v1/installs`, {
      maxBytes: 100,
      method: 'POST',
      body: '{"package":"a/b"}',
      headers: { 'content-type': 'application/json' }
    })
    expect(got.status === 'ok' && got.etag).toBe('"v1"')
    expect(seen).toBe('POST application/json {"package":"a/b"}')
  })

  it('names the reason when nothing listens, and stops a body that stalls after the headers', async () => {
    const closed = await server((_req, res) => res.end())
    const port = new URL(closed).port
    const s = servers.pop() as Server
    await new Promise((r) => s.close(r))
    await expect(fetchBytes(fetchFn, `http://127.0.0.1:${port}/registry.json`, { maxBytes: 100 })).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/
    )
    const stalls = await server((_req, res) => {
      res.writeHead(200)
      res.write('{"partial":')
    })
    await expect(fetchBytes(fetchFn, `${stalls}/registry.json`, { maxBytes: 1000, timeoutMs: 300 })).rejects.toThrow(
      /did not finish within 0\.3 s/
    )
  })

  it('reports an error status with the JSON error the server gave', async () => {
    const origin = await server((_req, res) =>
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"no receipt for that package"}')
    )
    await expect(fetchBytes(fetchFn, `${origin}/v1/ratings`, { maxBytes: 100, method: 'POST', body: '{}' })).rejects.toThrow(
      /answered 403: no receipt for that package/
    )
  })
})

describe('node:http (the CLI) and compression', () => {
  it('loads node:zlib only for a compressed body, in a process of its own', () => {
    // The server in the child sends bytes compressed here: compressing there would load zlib itself.
    const gzipped = gzipSync('compressed answer').toString('base64')
    const program = `import { createServer } from 'node:http'
const zlibLoaded = () => process.moduleLoadList.some((m) => m.endsWith(' zlib'))
const server = createServer((req, res) => {
  if (req.url === '/gzip') res.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('${gzipped}', 'base64'))
  else res.end('plain answer')
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const origin = 'http://127.0.0.1:' + server.address().port
const text = async (route) => {
  const reader = (await httpFetch(origin + route, { method: 'GET', headers: {}, redirect: 'manual' })).body.getReader()
  let out = ''
  for (let r = await reader.read(); !r.done; r = await reader.read()) out += Buffer.from(r.value).toString()
  return out
}
const plain = await text('/plain')
const afterPlain = zlibLoaded()
const gzip = await text('/gzip')
console.log(JSON.stringify([plain, afterPlain, gzip, zlibLoaded()]))
server.close()`
    expect(JSON.parse(runAfterModule('io/http-fetch.ts', program))).toEqual(['plain answer', false, 'compressed answer', true])
  })
})
