// The loop from install to score, driven by the client: a marketplace whose config names the
// stats service, built by the toolkit's registry build (so registry.json carries `stats_url`) and
// served on 127.0.0.1; workspaces with telemetry opted in install packages and rate them with the
// client's own install and feedback, which talk to the stats service on the real Workers runtime
// with D1; aggregate-scores then fetches GET /v1/stats with the token. registry.json, scores.json
// and features.jsonl show the new downloads and ratings, a second identical run writes nothing,
// and a workspace with telemetry off (the default) sends nothing to the service.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import type { FetchLike } from '../src/core/client/net.js'
import type { Registry, Scores } from '../src/generated/schema-types.js'
import { runScores } from '../src/io/run-scores.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { validServer, validSkill } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { startStatsService, STATS_TOKEN, type StatsService } from './helpers/stats-service.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

let service: StatsService
let repo: TestRepo
let out: OutputDirs
let site: StaticSite
const temps: string[] = []
const dirs = new Map<MarketplaceClient, string>()
/** Every URL the clients fetched, in order (the real global fetch does the work). */
const fetched: string[] = []
const fetchFn = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  fetched.push(String(input instanceof Request ? input.url : input))
  return fetch(input, init)
}) as unknown as FetchLike

beforeAll(async () => {
  service = await startStatsService({ rateLimit: 1000 })
  repo = await makeRepo()
  writeAll(repo, {
    'marketplace.config.yaml': `marketplace:\n  name: e2e-market\n  stats_url: ${service.url}\n`,
    ...validSkill('alice', 'demo'),
    ...validServer('alice', 'tool'),
    ...validSkill('bob', 'web')
  })
  commitAt(repo, 'three packages', '2026-01-01T10:00:00Z')
  out = outputDirs()
  const { result } = await build(repo, out)
  expect(result.refused).toBeFalsy()
  site = await serveLayers([out.site, out.root, repo.dir])
})
afterAll(async () => {
  await site?.close()
  await service?.stop()
  await repo?.cleanup()
  removeOutputDirs()
  for (const t of temps) rmSync(t, { recursive: true, force: true })
})

const read = (file: string) => readFileSync(path.join(out.root, file), 'utf8')
const FILES = ['registry.json', 'scores.json', 'features.jsonl']
const toService = () => fetched.filter((u) => u.startsWith(service.url))

/** A fresh workspace (its own installation id) with the marketplace added. */
async function workspace(telemetry: boolean): Promise<MarketplaceClient> {
  const ws = mkdtempSync(path.join(tmpdir(), 'mpa-stats-client-ws-'))
  temps.push(ws)
  const client = new MarketplaceClient({ workspace: ws, fetch: fetchFn })
  dirs.set(client, ws)
  if (telemetry) await client.setTelemetry(true)
  await client.addMarketplace(`${site.origin}/`, { name: 'team' })
  return client
}

async function install(client: MarketplaceClient, spec: string): Promise<void> {
  const r = await client.install(spec)
  expect(r.status).toBe('installed')
  expect(r.warnings).toEqual([])
}

async function rate(client: MarketplaceClient, name: string, rating: number): Promise<void> {
  expect(await client.feedback(name, rating)).toEqual({ recorded: true, sent: true, warnings: [] })
}

describe('client install and feedback -> stats service -> aggregate-scores -> registry', () => {
  it('with telemetry off (the default) an install and a rating send nothing to the service', async () => {
    const client = await workspace(false)
    expect(await client.settings()).toEqual({ telemetry: false })
    await install(client, '@alice/demo')
    expect(await client.feedback('demo', 5)).toEqual({ recorded: true, sent: false, warnings: [] })
    expect(fetched.some((u) => u.startsWith(site.origin))).toBe(true)
    expect(toService()).toEqual([])
    const tables = await service.tables()
    expect(tables.day_seen).toEqual([])
    expect(tables.daily_installs).toEqual([])
    expect(tables.ratings).toEqual([])
  })

  it('downloads and ratings sent by the client reach registry.json, scores.json and features.jsonl; a second run writes nothing', async () => {
    const root = out.root
    const built = JSON.parse(read('registry.json')) as Registry
    expect(built.stats_url).toBe(service.url)
    const stats = `${built.stats_url}/v1/stats`
    const first = await runScores({ root, stats, token: STATS_TOKEN })
    expect(first.status).toBe('ok')
    const before = JSON.parse(read('registry.json')) as Registry
    expect(before.packages.map((p) => p.downloads)).toEqual([0, 0, 0])

    // Three workspaces install alice/demo (the first one twice: a forced reinstall pings again and
    // counts once); the third also installs bob/web.
    const [w1, w2, w3] = [await workspace(true), await workspace(true), await workspace(true)]
    await install(w1, '@alice/demo')
    expect(await w1.install('@alice/demo', { force: true })).toMatchObject({ status: 'updated', warnings: [] })
    await install(w2, '@alice/demo')
    await install(w3, '@alice/demo')
    await install(w3, '@bob/web')
    const lock = JSON.parse(readFileSync(path.join(dirs.get(w3) as string, '.marketplace', 'installed.json'), 'utf8')) as {
      packages: { name: string; telemetry_receipt?: string }[]
    }
    expect(lock.packages.map((p) => typeof p.telemetry_receipt)).toEqual(['string', 'string'])
    // w1 changes its mind: its latest rating (5) is the one that counts.
    await rate(w1, 'demo', 2)
    await rate(w1, 'demo', 5)
    await rate(w2, 'demo', 4)
    await rate(w3, 'demo', 5)
    await rate(w3, 'web', 3)
    expect(toService().map((u) => new URL(u).pathname)).toEqual([
      ...Array<string>(5).fill('/v1/installs'),
      ...Array<string>(5).fill('/v1/ratings')
    ])

    const run = await runScores({ root, stats, token: STATS_TOKEN })
    expect(run.status).toBe('ok')
    expect(run.warnings).toEqual([])
    // registry.json changed, so the head of its published-versions index (.registry/index.json, which
    // names registry.json's blob) is refreshed with it.
    expect(run.written.map((f) => path.basename(f)).sort()).toEqual(['features.jsonl', 'index.json', 'registry.json', 'scores.json'])

    const after = JSON.parse(read('registry.json')) as Registry
    const entry = (name: string) => after.packages.find((p) => p.name === name)
    expect(entry('demo')?.downloads).toBe(3)
    expect(entry('web')?.downloads).toBe(1)
    expect(entry('tool')?.downloads).toBe(0)
    expect(after.stats_url).toBe(service.url)
    const scores = JSON.parse(read('scores.json')) as Scores
    const demoScore = scores.packages.find((p) => p.id === 'alice/demo')
    expect(demoScore?.components.ratings?.samples).toBe(3)
    expect(demoScore?.components.ratings?.raw).toBeCloseTo(14 / 3, 4)
    expect(demoScore?.components.downloads?.normalised).toBe(1)
    expect(entry('demo')?.score).toBe(demoScore?.score)
    const features = read('features.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(features.find((f) => f.id === 'alice/demo')).toMatchObject({ downloads_total: 3, ratings_count: 3 })
    expect(features.find((f) => f.id === 'bob/web')).toMatchObject({ downloads_total: 1, ratings_count: 1, ratings_mean: 3 })
    expect(features.find((f) => f.id === 'alice/tool')).toMatchObject({ downloads_total: 0, ratings_count: null })

    const bytes = FILES.map(read)
    const again = await runScores({ root, stats, token: STATS_TOKEN })
    expect(again.status).toBe('ok')
    expect(again.written).toEqual([])
    expect(FILES.map(read)).toEqual(bytes)

    // The served registry now carries the downloads, so a client sees them after a refresh.
    const viewer = await workspace(false)
    const found = (await viewer.search('demo')).results.find((r) => r.entry.id === 'alice/demo')
    expect(found?.entry.downloads).toBe(3)
  })
})
