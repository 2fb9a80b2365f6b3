// The daemon routes (spec section D) over real HTTP on 127.0.0.1, and the client half of the
// stats protocol against a stats endpoint on 127.0.0.1: off by default (nothing leaves the
// machine), an install ping with a receipt kept in the lockfile when opted in, a rating sent with
// that receipt, and a failing endpoint that never fails an install.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import { MarketplaceApi } from '../src/core/client/daemon.js'
import type { FetchLike } from '../src/core/client/net.js'
import { listen } from '../src/io/marketplace-server.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { validServer, validSkill } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

const fetchFn = globalThis.fetch as unknown as FetchLike

let repo: TestRepo
let out: OutputDirs
let site: StaticSite
let ws: string
let api: { server: Server; url: string }
let stats: { server: Server; origin: string; received: { route: string; body: Record<string, unknown> }[]; failing: boolean }

async function statsServer(): Promise<typeof stats> {
  const received: { route: string; body: Record<string, unknown> }[] = []
  const state = { failing: false }
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString()))
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>
      received.push({ route: `${req.method} ${req.url}`, body })
      const send = (status: number, doc: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc))
      if (state.failing) return send(503, { error: 'stats database is down' })
      if (req.url === '/stats/v1/installs') return send(200, { receipt: `rcpt-${received.length}`, counted: true })
      if (req.url === '/stats/v1/ratings')
        return body.receipt ? send(200, { ok: true }) : send(403, { error: 'no receipt for that package' })
      send(404, { error: 'no such route' })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const a = server.address()
  return Object.assign(state, { server, origin: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, received })
}

const call = async (method: string, route: string, body?: string) => {
  const res = await fetch(`${api.url}${route}`, {
    method,
    ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {})
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  repo = await makeRepo()
  out = outputDirs()
  ws = mkdtempSync(path.join(tmpdir(), 'mpa-daemon-ws-'))
  writeAll(repo, { ...validSkill('alice', 'web-deploy'), ...validSkill('alice', 'notes'), ...validServer('bob', 'gh-review') })
  commitAt(repo, 'packages', '2026-01-01T10:00:00Z')
  await build(repo, out)
  stats = await statsServer()
  site = await serveLayers([out.site, out.root, repo.dir])
  // The stats service's change adds stats_url to the build; here the served registry carries it.
  const registry = JSON.parse(readFileSync(path.join(out.root, 'registry.json'), 'utf8')) as Record<string, unknown>
  site.override.set('/registry.json', Buffer.from(JSON.stringify({ ...registry, stats_url: `${stats.origin}/stats` })))
  const client = new MarketplaceClient({ workspace: ws, fetch: fetchFn })
  await client.addMarketplace(site.origin, { name: 'team' })
  api = await listen(new MarketplaceApi(client), '127.0.0.1', 0)
})

afterAll(async () => {
  for (const s of [api?.server, stats?.server]) {
    s?.closeAllConnections()
    await new Promise((r) => s?.close(r))
  }
  await site?.close()
  await repo?.cleanup()
  removeOutputDirs()
  rmSync(ws, { recursive: true, force: true })
})

describe('the daemon routes', () => {
  it('listens on 127.0.0.1 under /api/marketplace', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/marketplace$/)
  })

  it('GET /search ranks results and says what to install; bad parameters are a 400 with a JSON error', async () => {
    const r = await call('GET', '/search?q=deploy&type=skill')
    expect(r.status).toBe(200)
    expect((r.body.results as Record<string, unknown>[]).map((x) => [x.install, x.version, x.type, x.verdict])).toEqual([
      ['@alice/web-deploy', '1.0.0', 'skill', null]
    ])
    expect(await call('GET', '/search')).toEqual({
      status: 400,
      body: { error: 'the query parameter `q` is required (it may be empty to list everything)' }
    })
    expect(await call('GET', '/search?q=x&type=plugin')).toEqual({ status: 400, body: { error: '`type` must be `skill` or `mcp-server`' } })
    expect((await call('POST', '/search?q=x')).status).toBe(405)
    expect((await call('GET', '/nope')).status).toBe(404)
  })

  it('POST /install validates its body and installs, recording agent_id', async () => {
    expect(await call('POST', '/install', '{not json')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^the body is not valid JSON/) }
    })
    expect(await call('POST', '/install', '[]')).toEqual({ status: 400, body: { error: 'the body must be a JSON object' } })
    expect(await call('POST', '/install', '{"name": 7}')).toEqual({
      status: 400,
      body: { error: '`name` must be a non-empty string of at most 256 characters (required)' }
    })
    expect(await call('POST', '/install', '{"name": "@nobody/nothing"}')).toMatchObject({
      status: 404,
      body: { error: expect.stringMatching(/was not found in any registered marketplace/) }
    })
    const r = await call('POST', '/install', JSON.stringify({ name: '@alice/web-deploy', agent_id: 'agent-1' }))
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 'installed', entry: { name: 'web-deploy', agents: ['agent-1'], version: '1.0.0' } })
    expect(readFileSync(path.join(ws, 'skills', 'web-deploy', 'SKILL.md'), 'utf8')).toMatch(/^---\nname: web-deploy/)
  })

  it('GET /installed lists it with its update status', async () => {
    const r = await call('GET', '/installed')
    expect(r.status).toBe(200)
    expect((r.body.packages as Record<string, unknown>[]).map((p) => [p.name, p.version, p.update_available])).toEqual([
      ['web-deploy', '1.0.0', false]
    ])
    const other = await call('GET', '/installed?agent_id=agent-2')
    expect(other).toEqual({ status: 200, body: { packages: [], warnings: [] } })
    expect((await call('GET', '/installed?agent_id=agent-1')).body.packages).toHaveLength(1)
  })

  it('telemetry is off by default: no ping on install, and feedback stays on this machine', async () => {
    expect(stats.received).toEqual([])
    const r = await call('POST', '/feedback', JSON.stringify({ name: 'web-deploy', rating: 4 }))
    expect(r).toEqual({ status: 200, body: { recorded: true, sent: false, warnings: [] } })
    expect(stats.received).toEqual([])
    const lines = readFileSync(path.join(ws, '.marketplace', 'feedback.jsonl'), 'utf8')
      .trim()
      .split('\n')
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ package: 'alice/web-deploy', rating: 4, agent: 'agent-1' })
    ])
    expect((await call('POST', '/feedback', JSON.stringify({ name: 'web-deploy', rating: 9 }))).status).toBe(400)
    expect((await call('POST', '/feedback', JSON.stringify({ name: 'not-installed', rating: 3 }))).status).toBe(404)
  })

  it('opted in: the install ping carries package, version and a random installation id; its receipt is kept and sent with a rating', async () => {
    const client = new MarketplaceClient({ workspace: ws, fetch: fetchFn })
    await client.setTelemetry(true)
    const r = await call('POST', '/install', JSON.stringify({ name: '@alice/notes' }))
    expect(r.status).toBe(200)
    expect(stats.received).toEqual([
      {
        route: 'POST /stats/v1/installs',
        body: { package: 'alice/notes', version: '1.0.0', installation: expect.stringMatching(/^[a-f0-9]{64}$/) }
      }
    ])
    const lock = JSON.parse(readFileSync(path.join(ws, '.marketplace', 'installed.json'), 'utf8')) as {
      packages: { name: string; telemetry_receipt?: string }[]
    }
    expect(lock.packages.find((p) => p.name === 'notes')?.telemetry_receipt).toBe('rcpt-1')
    const f = await call('POST', '/feedback', JSON.stringify({ name: 'notes', rating: 5 }))
    expect(f).toEqual({ status: 200, body: { recorded: true, sent: true, warnings: [] } })
    expect(stats.received[1]).toEqual({ route: 'POST /stats/v1/ratings', body: { package: 'alice/notes', rating: 5, receipt: 'rcpt-1' } })
  })

  it('a failing stats endpoint never fails an install (a warning instead)', async () => {
    stats.failing = true
    try {
      const r = await call('POST', '/install', JSON.stringify({ name: 'gh-review' }))
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({
        status: 'installed',
        warnings: [
          expect.stringMatching(/the install was not counted \(.*answered 503: stats database is down\); the install itself succeeded/)
        ]
      })
      const mcp = JSON.parse(readFileSync(path.join(ws, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> }
      expect(Object.keys(mcp.mcpServers)).toEqual(['gh-review'])
    } finally {
      stats.failing = false
    }
  })
})
