// The loop from install to score: a marketplace whose config names the stats service, built by
// the toolkit's registry build (so registry.json carries `stats_url`); install pings and ratings
// sent to that URL over HTTP in the stats protocol's shape, to the stats service on the real
// Workers runtime with D1; and aggregate-scores fetching GET /v1/stats with the token.
// registry.json, scores.json and features.jsonl show the new downloads and ratings, and a second
// identical run writes nothing. (The client's own install/feedback commands are issue 11's; this
// test sends what they send.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Registry, Scores } from '../src/generated/schema-types.js'
import { runScores } from '../src/io/run-scores.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { validServer, validSkill } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, readRegistry, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { installationId, startStatsService, STATS_TOKEN, type StatsService } from './helpers/stats-service.js'

let service: StatsService
let repo: TestRepo
let out: OutputDirs
let registry: Registry
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
  await build(repo, out)
  registry = readRegistry(out)
})
afterAll(async () => {
  await service?.stop()
  await repo?.cleanup()
  removeOutputDirs()
})

const read = (file: string) => readFileSync(path.join(out.root, file), 'utf8')
const FILES = ['registry.json', 'scores.json', 'features.jsonl']

async function install(pkg: string, installation: string): Promise<string> {
  const version = registry.packages.find((p) => `${p.publisher}/${p.name}` === pkg)?.version as string
  const res = await fetch(`${registry.stats_url}/v1/installs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ package: pkg, version, installation })
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { receipt: string }).receipt
}

async function rate(pkg: string, rating: number, receipt: string): Promise<void> {
  const res = await fetch(`${registry.stats_url}/v1/ratings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ package: pkg, rating, receipt })
  })
  expect(await res.json()).toEqual({ ok: true })
}

describe('install -> ping -> stats -> scores -> registry', () => {
  it('downloads and ratings reach registry.json, scores.json and features.jsonl; a second run writes nothing', async () => {
    expect(registry.stats_url).toBe(service.url)
    const root = out.root
    const stats = `${registry.stats_url}/v1/stats`
    const first = await runScores({ root, stats, token: STATS_TOKEN })
    expect(first.status).toBe('ok')
    const before = JSON.parse(read('registry.json')) as Registry
    expect(before.packages.map((p) => p.downloads)).toEqual([0, 0, 0])

    // Three workspaces install alice/demo (one of them twice, and it pings twice); one installs bob/web.
    const [w1, w2, w3] = [installationId(), installationId(), installationId()]
    const demo1 = await install('alice/demo', w1)
    await install('alice/demo', w1)
    const demo2 = await install('alice/demo', w2)
    const demo3 = await install('alice/demo', w3)
    const web3 = await install('bob/web', w3)
    // w1 changes its mind: its latest rating (5) is the one that counts.
    await rate('alice/demo', 2, demo1)
    await rate('alice/demo', 5, demo1)
    await rate('alice/demo', 4, demo2)
    await rate('alice/demo', 5, demo3)
    await rate('bob/web', 3, web3)

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
    // The scores run keeps what the build published, stats_url included.
    expect(after.stats_url).toBe(service.url)
    const scores = JSON.parse(read('scores.json')) as Scores
    const demoScore = scores.packages.find((p) => p.id === 'alice/demo')
    expect(demoScore?.components.ratings?.samples).toBe(3)
    expect(demoScore?.components.ratings?.raw).toBeCloseTo(14 / 3, 4)
    // Today's three installs, decayed by the hours since midnight UTC (30-day half-life).
    expect(demoScore?.components.downloads?.normalised).toBe(1)
    expect(demoScore?.components.downloads?.raw).toBeGreaterThan(2.9)
    expect(demoScore?.components.downloads?.raw).toBeLessThanOrEqual(3)
    expect(entry('demo')?.score).toBe(demoScore?.score)
    const features = read('features.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(features.find((f) => f.id === 'alice/demo')).toMatchObject({ downloads_total: 3, ratings_count: 3 })
    expect(features.find((f) => f.id === 'bob/web')).toMatchObject({ downloads_total: 1, ratings_count: 1, ratings_mean: 3 })
    expect(features.every((f) => f.stats_generated_at === scores.stats_generated_at)).toBe(true)

    const bytes = FILES.map(read)
    const again = await runScores({ root, stats, token: STATS_TOKEN })
    expect(again.status).toBe('ok')
    expect(again.written).toEqual([])
    expect(FILES.map(read)).toEqual(bytes)

    // The job without the token gets a 401 and keeps everything.
    const denied = await runScores({ root, stats, retries: 0 })
    expect(denied.status).toBe('stats-error')
    expect(denied.error).toMatch(/answered HTTP 401 \(check the token\)/)
    expect(FILES.map(read)).toEqual(bytes)
  })
})
