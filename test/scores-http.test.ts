// The stats endpoint's failure modes against a real HTTP server on 127.0.0.1: each one leaves
// registry.json, scores.json and features.jsonl as they were and says why; faults that may pass
// are retried with backoff (the waits are recorded, not slept); `--strict` turns the warning into
// exit 1. Also runs the bundled CLI and action against the server.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Registry } from '../src/generated/schema-types.js'
import { fetchStats } from '../src/io/fetch-stats.js'
import { formatScoresRun, runScores, type ScoresRunOptions } from '../src/io/run-scores.js'
import { runAction } from './helpers/actions-runner.js'
import { CLI_BUNDLE, cleanEnv, runNode } from './helpers/run-node.js'
import { builtRegistry, fullStats, marketplaceRoot, removeRoots, STATS_AT, writeStats } from './helpers/scores.js'
import { statsDocument, type Aggregates } from '../src/core/stats/document.js'
import { statsColumns } from '../src/core/stats/columns.js'
import { addDays } from '../src/core/stats/day.js'

interface Reply {
  status?: number
  headers?: Record<string, string>
  body?: string
  hang?: boolean
  /** Sends the headers and this much of the body, then hangs. */
  partial?: string
}

let server: http.Server
let url = ''
let queue: Reply[] = []
let requests: { path: string; authorization?: string }[] = []
const hanging = new Set<http.ServerResponse>()
let registry: Registry
const OK_BODY = () => JSON.stringify(fullStats())

beforeAll(async () => {
  registry = await builtRegistry()
  server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) })
    const reply = queue.shift() ?? { body: OK_BODY() }
    if (reply.hang) {
      hanging.add(res)
      return
    }
    if (reply.partial !== undefined) {
      hanging.add(res)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write(reply.partial)
      return
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
    res.end(reply.body ?? '')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/stats`
})

afterAll(async () => {
  for (const res of hanging) res.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  removeRoots()
})

beforeEach(() => {
  queue = []
  requests = []
})

const FILES = ['registry.json', 'scores.json', 'features.jsonl']
const snapshot = (root: string) => FILES.map((f) => readFileSync(path.join(root, f), 'utf8'))

/** A marketplace already scored once, and the options of a run with recorded (unslept) backoff. */
async function scoredRoot(): Promise<{
  root: string
  before: string[]
  delays: number[]
  options: (extra?: Partial<ScoresRunOptions>) => ScoresRunOptions
}> {
  const root = marketplaceRoot(registry)
  await runScores({ root, stats: writeStats(root, fullStats()) })
  const delays: number[] = []
  const options = (extra: Partial<ScoresRunOptions> = {}): ScoresRunOptions => ({
    root,
    stats: url,
    retries: 2,
    backoffMs: 100,
    maxRetryAfterMs: 5000,
    timeoutMs: 2000,
    sleep: async (ms) => {
      delays.push(ms)
    },
    ...extra
  })
  return { root, before: snapshot(root), delays, options }
}

describe('fetching stats over HTTP', () => {
  it('OK: fetches with the bearer token and scores', async () => {
    const { root, options } = await scoredRoot()
    const s = fullStats()
    s.packages['bob/web'] = { ratings: { '5': 9 } }
    queue.push({ body: JSON.stringify(s) })
    const run = await runScores(options({ token: 's3cret-token' }))
    expect(run.status).toBe('ok')
    expect(requests).toEqual([{ path: '/v1/stats?form=columns', authorization: 'Bearer s3cret-token' }])
    expect(run.notes).toEqual([expect.stringMatching(/answered the stats document, not the columns form asked for/)])
    expect(run.written.map((f) => path.basename(f))).toContain('registry.json')
    expect(JSON.stringify(run.warnings)).not.toContain('s3cret')
    expect(readFileSync(path.join(root, 'features.jsonl'), 'utf8')).toContain('"ratings_count":9')
  })

  it('a hanging endpoint times out, is retried, and leaves the files untouched', async () => {
    const { root, before, delays, options } = await scoredRoot()
    queue.push({ hang: true }, { hang: true })
    const run = await runScores(options({ retries: 1, timeoutMs: 200 }))
    expect(run.status).toBe('stats-error')
    expect(requests.map((r) => r.path)).toEqual(['/v1/stats?form=columns', '/v1/stats?form=columns'])
    expect(run.error).toMatch(/no answer within 200 ms \(gave up after 2 attempt\(s\)\)/)
    expect(run.error).toMatch(/previous scores kept \(nothing written\)/)
    expect(requests).toHaveLength(2)
    expect(delays).toEqual([100])
    expect(snapshot(root)).toEqual(before)
  })

  it('a thread busy after the request is sent does not time it out: only the time it waits counts', async () => {
    // The scores run sends the request before it reads registry.json, then works while the answer
    // arrives. A wall-clock timer would run out during the work and abort the request when the
    // thread is next free, before the answer that came meanwhile is read.
    queue.push({ body: OK_BODY() })
    const fetching = fetchStats(url, { timeoutMs: 200, retries: 0 })
    const end = performance.now() + 500
    while (performance.now() < end);
    const r = await fetching
    expect(r).toMatchObject({ ok: true, attempts: 1 })
    expect(requests).toHaveLength(1)
  })

  it('a run that fails before it reads the answer drops the request (no socket or retry keeps the process alive)', async () => {
    const { root, delays, options } = await scoredRoot()
    writeFileSync(path.join(root, 'registry.json'), '{"version": 2, "packages": [')
    const before = snapshot(root)
    queue.push({ hang: true }, { hang: true })
    const t0 = performance.now()
    // A hanging endpoint with a 30 s timeout and retries: the run still ends at once, with its own error.
    await expect(runScores(options({ timeoutMs: 30_000, retries: 2 }))).rejects.toThrow(/registry\.json/)
    expect(performance.now() - t0).toBeLessThan(5_000)
    // Any request that went out is closed by the client within moments, and none is sent again.
    const deadline = performance.now() + 2_000
    let open = -1
    while (performance.now() < deadline) {
      open = await new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))))
      if (open === 0) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(open).toBe(0)
    expect(requests.length).toBeLessThanOrEqual(1)
    expect(delays).toEqual([])
    expect(snapshot(root)).toEqual(before)
  })

  it('a body that stops half way times out, is retried, and leaves the files untouched', async () => {
    const { root, before, options } = await scoredRoot()
    queue.push({ partial: OK_BODY().slice(0, 40) }, { partial: '{' })
    const run = await runScores(options({ retries: 1, timeoutMs: 300 }))
    expect(run.status).toBe('stats-error')
    expect(run.error).toMatch(/the answer did not finish within 300 ms \(gave up after 2 attempt\(s\)\)/)
    expect(snapshot(root)).toEqual(before)
  })

  it('a redirect is not followed (it could carry the token elsewhere) nor retried', async () => {
    const { root, before, options } = await scoredRoot()
    queue.push({ status: 302, headers: { location: 'http://example.com/v1/stats' } })
    const run = await runScores(options({ token: 'tok' }))
    expect(run.error).toMatch(/\/v1\/stats: answered HTTP 302 \(a redirect, not followed: give the final URL\)$/)
    expect(requests).toHaveLength(1)
    expect(snapshot(root)).toEqual(before)
  })

  it('503 then OK: retries with exponential backoff and succeeds', async () => {
    const { delays, options } = await scoredRoot()
    queue.push({ status: 503, body: 'busy' }, { status: 502, body: 'bad gateway' })
    const run = await runScores(options())
    expect(run.status).toBe('ok')
    expect(run.attempts).toBe(3)
    expect(delays).toEqual([100, 200])
  })

  it('429 honours retry-after, within the cap', async () => {
    const { delays, options } = await scoredRoot()
    queue.push({ status: 429, headers: { 'retry-after': '3' } }, { status: 429, headers: { 'retry-after': '3600' } })
    const run = await runScores(options())
    expect(run.status).toBe('ok')
    expect(delays).toEqual([3000, 5000])
  })

  it('5xx every time: gives up after the retries and keeps the files', async () => {
    const { root, before, options } = await scoredRoot()
    queue.push({ status: 500 }, { status: 500 }, { status: 500 })
    const run = await runScores(options())
    expect(run.status).toBe('stats-error')
    expect(run.error).toContain('answered HTTP 500 (gave up after 3 attempt(s))')
    expect(snapshot(root)).toEqual(before)
  })

  it('401 is not retried and points at the token', async () => {
    const { root, before, options } = await scoredRoot()
    queue.push({ status: 401 })
    const run = await runScores(options({ token: 'wrong' }))
    expect(run.error).toContain('answered HTTP 401 (check the token)')
    expect(requests).toHaveLength(1)
    expect(snapshot(root)).toEqual(before)
  })

  it.each([
    ['malformed JSON', '{"version": 1, "packages": ', /is not valid JSON/],
    [
      'schema-invalid JSON',
      JSON.stringify({ version: 1, generated_at: 'yesterday', packages: {} }),
      /does not match the stats schema: \/generated_at must match format "date-time"/
    ],
    [
      'identifying data',
      JSON.stringify({ version: 1, generated_at: '2026-03-01T00:00:00Z', packages: { 'alice/demo': { users: ['a@b.c'] } } }),
      /must NOT have additional properties/
    ]
  ])('%s: keeps the files and says why', async (_, body, message) => {
    const { root, before, options } = await scoredRoot()
    queue.push({ body })
    const run = await runScores(options())
    expect(run.status).toBe('stats-error')
    expect(run.error).toMatch(message)
    expect(run.error).toContain('http://127.0.0.1:')
    expect(snapshot(root)).toEqual(before)
  })

  it('an answer over the size cap is refused', async () => {
    queue.push({ body: OK_BODY() })
    const r = await fetchStats(url, { maxBytes: 100, retries: 0 })
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/more than the limit of 100/) })
  })

  it('omitted packages keep their previous values and are named in a warning', async () => {
    const { root, before, options } = await scoredRoot()
    const s = fullStats()
    delete s.packages['alice/demo']
    s.packages['mallory/ghost'] = { downloads: { total: 1 } }
    queue.push({ body: JSON.stringify(s) })
    const run = await runScores(options())
    expect(run.status).toBe('ok')
    expect(run.warnings.join('\n')).toMatch(/leaves out 1 scored package\(s\); their previous downloads and scores are kept: alice\/demo/)
    expect(run.warnings.join('\n')).toMatch(/lists 1 package\(s\) the registry does not have \(ignored\): mallory\/ghost/)
    const demo = (r: string) => (JSON.parse(r) as Registry).packages.find((p) => p.name === 'demo')
    expect(demo(snapshot(root)[0] as string)).toEqual(demo(before[0] as string))
    expect(snapshot(root)[0]).not.toContain('ghost')
  })
})

describe('the columns form (GET /v1/stats?form=columns)', () => {
  /** What the service's database would hold for the fixture's packages and one the registry lacks. */
  const aggregates = (): Aggregates => {
    const day = STATS_AT.slice(0, 10)
    return {
      generatedAt: STATS_AT,
      totals: [
        { package: 'alice/demo', total: 1200 },
        { package: 'alice/tool', total: 9000 },
        { package: 'bob/web', total: 5 },
        { package: 'mallory/ghost', total: 1 }
      ],
      daily: [
        { package: 'alice/demo', day: addDays(day, -2), count: 40 },
        { package: 'alice/demo', day: addDays(day, -1), count: 60 },
        { package: 'alice/demo', day: addDays(day, -120), count: 7 },
        { package: 'alice/tool', day: addDays(day, -90), count: 3 },
        { package: 'bob/web', day: addDays(day, -9), count: 5 }
      ],
      ratings: [
        { package: 'alice/demo', rating: 4, count: 6 },
        { package: 'alice/demo', rating: 5, count: 4 },
        { package: 'alice/tool', rating: 5, count: 50 },
        { package: 'bob/web', rating: 3, count: 1 }
      ]
    }
  }
  const documentBody = () => JSON.stringify(statsDocument(aggregates()))
  const columnsBody = () => JSON.stringify(statsColumns(aggregates()))

  it('every way a service may answer gives the same registry.json, scores.json and features.jsonl bytes', async () => {
    const answers: [string, Reply[], string[], RegExp | undefined][] = [
      ['the columns form', [{ body: columnsBody() }], ['/v1/stats?form=columns'], undefined],
      [
        'the stats document (an older service ignores the query)',
        [{ body: documentBody() }],
        ['/v1/stats?form=columns'],
        /answered the stats document, not the columns form asked for \(a service older than this toolkit\?\); read it as such/
      ],
      [
        'a 400 to the query, then the stats document',
        [{ status: 400, body: JSON.stringify({ error: 'unknown query parameter form' }) }, { body: documentBody() }],
        ['/v1/stats?form=columns', '/v1/stats'],
        /^http:\/\/127\.0\.0\.1:\d+\/v1\/stats does not know the columns form \(it answered HTTP 400: "unknown query parameter form"\); asked for the stats document instead$/
      ]
    ]
    const outputs: string[][] = []
    for (const [, replies, paths, note] of answers) {
      const { root, options } = await scoredRoot()
      requests = []
      queue.push(...replies)
      const run = await runScores(options({ token: 'tok' }))
      expect(run.status).toBe('ok')
      expect(run.attempts).toBe(1)
      expect(requests.map((r) => r.path)).toEqual(paths)
      expect(requests.every((r) => r.authorization === 'Bearer tok')).toBe(true)
      expect(run.notes).toEqual(note ? [expect.stringMatching(note)] : [])
      // Said once in the log, as a note rather than a warning.
      expect(
        formatScoresRun(run)
          .split('\n')
          .filter((l) => l.startsWith('note: '))
      ).toHaveLength(note ? 1 : 0)
      expect(run.warnings.join('\n')).toMatch(/lists 1 package\(s\) the registry does not have \(ignored\): mallory\/ghost/)
      outputs.push(snapshot(root))
    }
    expect(outputs[1]).toEqual(outputs[0])
    expect(outputs[2]).toEqual(outputs[0])
    // The days scored: a file of either form gives the same bytes too.
    const { root } = await scoredRoot()
    await runScores({ root, stats: writeStats(root, columnsBody(), 'columns.json') })
    expect(snapshot(root)).toEqual(outputs[0])
    expect(JSON.parse(snapshot(root)[1] as string)).toMatchObject({ stats_generated_at: STATS_AT })
  })

  const lie = (change: (c: Record<string, unknown[] | unknown>) => void): string => {
    const c = statsColumns(aggregates()) as unknown as Record<string, unknown>
    change(c)
    return JSON.stringify(c)
  }
  it.each([
    [
      'wrong lengths',
      lie((c) => (c.daily as number[][])[1]?.pop()),
      /\/daily\/1 \(alice\/tool\) has 90 count\(s\) for the 91 days of the axis/
    ],
    [
      'counts that do not add up',
      lie((c) => ((c.totals as number[])[0] = 99)),
      /\/totals\/0 \(alice\/demo\) is 99, less than the 100 installs/
    ],
    ['dates outside the window', lie((c) => (c.first_day = '2026-01-01')), /\/first_day is 2026-01-01, not 2025-12-01/],
    ['duplicate ids', lie((c) => ((c.packages as string[])[1] = 'alice/demo')), /\/packages\/1 \(alice\/demo\) is listed twice/],
    ['a column short', lie((c) => (c.ratings as unknown[]).pop()), /\/ratings has 3 item\(s\) for the 4 package\(s\)/],
    [
      'a count that is no count',
      lie((c) => ((c.daily as unknown[][])[2] as unknown[]).splice(0, 1, '5')),
      /\/daily\/2\/0 \(bob\/web\) must be integer/
    ],
    ['not JSON', `${columnsBody().slice(0, 200)}`, /the answer is not valid JSON/]
  ])('a lying columns answer (%s) changes nothing and says where', async (_, body, message) => {
    const { root, before, options } = await scoredRoot()
    queue.push({ body })
    const run = await runScores(options())
    expect(run.status).toBe('stats-error')
    expect(run.error).toMatch(/^Stats unavailable, previous scores kept \(nothing written\): http:\/\/127\.0\.0\.1:\d+\/v1\/stats: /)
    expect(run.error).toMatch(message)
    expect(requests).toHaveLength(1)
    expect(snapshot(root)).toEqual(before)
  })

  it('a columns answer over the size cap is refused; a 400 after the fallback is not asked again', async () => {
    queue.push({ body: columnsBody() })
    const big = await fetchStats(url, { maxBytes: 100, retries: 0 })
    expect(big).toMatchObject({ ok: false, error: expect.stringMatching(/more than the limit of 100/) })
    requests = []
    queue.push({ status: 400, body: 'x'.repeat(10_000) }, { status: 400, body: '{"error":"no"}' })
    const refused = await fetchStats(url, { retries: 3 })
    expect(refused).toMatchObject({ ok: false, attempts: 1, error: expect.stringMatching(/\/v1\/stats: answered HTTP 400$/) })
    expect(requests.map((r) => r.path)).toEqual(['/v1/stats?form=columns', '/v1/stats'])
    // Added to a query as written.
    requests = []
    queue.push({ body: columnsBody() })
    expect(await fetchStats(`${url}?key=a%20b+c`, { retries: 0 })).toMatchObject({ ok: true, form: 'columns', notes: [] })
    expect(requests.map((r) => r.path)).toEqual(['/v1/stats?key=a%20b+c&form=columns'])
    // An operator's own form stands: asked as given, and its 400 is an error like any.
    requests = []
    queue.push({ status: 400, body: '{"error":"unknown form"}' })
    const own = await fetchStats(`${url}?form=rows`, { retries: 0 })
    expect(own).toMatchObject({ ok: false, error: expect.stringMatching(/answered HTTP 400$/) })
    expect(requests.map((r) => r.path)).toEqual(['/v1/stats?form=rows'])
  })
})

describe('the bundled CLI and action', () => {
  it('CLI: warns and exits 0 on a 503, exits 1 with --strict; scores when the endpoint answers', async () => {
    const root = marketplaceRoot(registry)
    const env = cleanEnv({ STATS_TOKEN: 'tok-123' })
    queue.push({ status: 503 }, { status: 503 })
    const warn = await runNode(CLI_BUNDLE, ['scores', '--root', root, '--stats', url, '--retries', '0'], { env })
    expect(warn.code).toBe(0)
    expect(warn.stderr).toMatch(/warning: Stats unavailable, previous scores kept/)
    const strict = await runNode(CLI_BUNDLE, ['scores', '--root', root, '--stats', url, '--retries', '0', '--strict'], { env })
    expect(strict.code).toBe(1)
    const ok = await runNode(
      CLI_BUNDLE,
      ['scores', '--root', root, '--stats', url, '--token-env', 'STATS_TOKEN', '--json', path.join(root, 'run.json')],
      { env }
    )
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/Scored 3 package\(s\)/)
    expect(requests.at(-1)?.authorization).toBe('Bearer tok-123')
    expect(JSON.parse(readFileSync(path.join(root, 'run.json'), 'utf8'))).toMatchObject({ status: 'ok', unknown: [], missing: [] })
    const usage = await runNode(CLI_BUNDLE, ['scores', '--root', root], { env })
    expect(usage.code).toBe(2)
  })

  it('CLI: a registry.json that fails the schema stops the run, nothing written', async () => {
    const root = marketplaceRoot({
      ...registry,
      packages: registry.packages.map((p, i) => (i === 1 ? { ...p, updated_at: '2026-02-30T25:00:00Z' } : p))
    })
    const before = readFileSync(path.join(root, 'registry.json'), 'utf8')
    const run = await runNode(CLI_BUNDLE, ['scores', '--root', root, '--stats', url], { env: cleanEnv({}) })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/the existing registry\.json does not match the registry schema/)
    expect(run.stderr).toMatch(/updated_at/)
    expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe(before)
    expect(readdirSync(root).sort()).toEqual(['registry.json'])
  })

  it('action: writes the files and sets its outputs; fails on bad stats with fail-on-stats-error', async () => {
    const root = marketplaceRoot(registry)
    const ok = await runAction('aggregate-scores', {
      workspace: root,
      event: {},
      eventName: 'schedule',
      inputs: { stats: url, token: 'tok-456' }
    })
    expect(ok.code).toBe(0)
    expect(ok.outputs).toMatchObject({
      changed: 'true',
      warnings: '0',
      scores: path.join(root, 'scores.json'),
      features: path.join(root, 'features.jsonl')
    })
    expect(requests.at(-1)?.authorization).toBe('Bearer tok-456')
    // The runner masks it; no other line carries it.
    expect(ok.stdout.split('\n').filter((l) => l.includes('tok-456'))).toEqual(['::add-mask::tok-456'])
    const before = snapshot(root)
    queue.push({ body: 'not json' })
    const warned = await runAction('aggregate-scores', {
      workspace: root,
      event: {},
      eventName: 'schedule',
      inputs: { stats: url, retries: '0' }
    })
    expect(warned.code).toBe(0)
    expect(warned.commands.some((c) => c.level === 'warning' && /Stats unavailable/.test(c.message))).toBe(true)
    expect(warned.outputs.changed).toBe('false')
    queue.push({ body: 'not json' })
    const failed = await runAction('aggregate-scores', {
      workspace: root,
      event: {},
      eventName: 'schedule',
      inputs: { stats: url, retries: '0', 'fail-on-stats-error': 'true' }
    })
    expect(failed.code).toBe(1)
    expect(failed.commands.some((c) => c.level === 'error' && /is not valid JSON/.test(c.message))).toBe(true)
    expect(snapshot(root)).toEqual(before)
  })
})
