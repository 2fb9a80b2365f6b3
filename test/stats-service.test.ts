// The stats service on the real Workers runtime (workerd through Miniflare) with a real D1
// database, over HTTP on 127.0.0.1: the privacy and abuse properties of docs/privacy.md, read off
// the database's tables.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { newAjv, type SchemaNode } from '../scripts/schema-files.js'
import { deriveKeys, raterOf, signReceipt } from '../src/core/stats/crypto.js'
import type { StatsColumns } from '../src/generated/schema-types.js'
import { scanStats, type StatsSummary } from '../src/core/scores/stats-summary.js'
import { readStatsColumns } from '../src/core/scores/stats-columns.js'
import { bytes, installationId, ROOT, startStatsService, STATS_SECRET, STATS_TOKEN, type StatsService } from './helpers/stats-service.js'

const ajv = newAjv()
const schema = (name: string) =>
  ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as SchemaNode)
const validInstallAnswer = schema('stats-install-response')
const validRatingAnswer = schema('stats-rating-response')
const validError = schema('stats-error')
const validStats = schema('stats')
const validColumns = schema('stats-columns')

const ping = (pkg: string, installation: string, version = '1.0.0') => ({ package: pkg, version, installation })
const receiptOf = (answer: { body: unknown }) => (answer.body as { receipt: string }).receipt
const DAY_MS = 86_400_000

let service: StatsService
beforeAll(async () => {
  service = await startStatsService({ rateLimit: 10_000 })
})
afterAll(async () => {
  await service?.stop()
})

describe('install pings', () => {
  it('a flood of pings from one installation counts once per package and day', async () => {
    const inst = installationId()
    const answers = []
    for (let round = 0; round < 10; round++)
      answers.push(...(await Promise.all(Array.from({ length: 30 }, () => service.post('/v1/installs', ping('flood/pkg', inst))))))
    expect(answers.every((a) => a.status === 200 && validInstallAnswer(a.body))).toBe(true)
    expect(answers.filter((a) => (a.body as { counted: boolean }).counted)).toHaveLength(1)
    // Every ping of the installation gets the same receipt.
    expect(new Set(answers.map(receiptOf)).size).toBe(1)
    // Another version of the package is the same package; another package or installation counts.
    expect((await service.post('/v1/installs', ping('flood/pkg', inst, '2.0.0'))).body).toMatchObject({ counted: false })
    expect((await service.post('/v1/installs', ping('flood/other', inst))).body).toMatchObject({ counted: true })
    expect((await service.post('/v1/installs', ping('flood/pkg', installationId()))).body).toMatchObject({ counted: true })
    const rows = (await service.tables()).daily_installs.filter((r) => String(r.package).startsWith('flood/'))
    expect(rows.map((r) => [r.package, r.count])).toEqual([
      ['flood/other', 1],
      ['flood/pkg', 2]
    ])
  })
})

describe('ratings', () => {
  it('need the receipt of an install ping of that package; the latest rating of an installation wins', async () => {
    const inst = installationId()
    const receipt = receiptOf(await service.post('/v1/installs', ping('rate/pkg', inst)))
    const other = receiptOf(await service.post('/v1/installs', ping('rate/other', inst)))
    const first = await service.post('/v1/ratings', { package: 'rate/pkg', rating: 2, receipt })
    expect(first.status).toBe(200)
    expect(validRatingAnswer(first.body)).toBe(true)
    expect((await service.post('/v1/ratings', { package: 'rate/pkg', rating: 5, receipt })).status).toBe(200)
    // A new ping on a later day gives the same receipt, so it cannot buy a second rating.
    expect(receiptOf(await service.post('/v1/installs', ping('rate/pkg', inst)))).toBe(receipt)
    const mine = (await service.tables()).ratings.filter((r) => r.package === 'rate/pkg')
    expect(mine.map((r) => r.rating)).toEqual([5])

    const before = await service.tables()
    const refused = [
      // another package's receipt
      await service.post('/v1/ratings', { package: 'rate/pkg', rating: 1, receipt: other }),
      // tampered with: another package in the payload
      await service.post('/v1/ratings', {
        package: 'rate/other',
        rating: 1,
        receipt: receipt.replace(/^v1\.[^.]+/, other.split('.').slice(0, 2).join('.'))
      }),
      // well-formed, never issued
      await service.post('/v1/ratings', {
        package: 'rate/pkg',
        rating: 1,
        receipt: `v1.${Buffer.from('{"p":"rate/pkg","r":"x"}').toString('base64url')}.${'A'.repeat(43)}`
      }),
      // signed by a service with another secret
      await service.post('/v1/ratings', { package: 'rate/pkg', rating: 1, receipt: await foreignReceipt('rate/pkg', inst) })
    ]
    for (const r of refused) {
      expect(r.status).toBe(403)
      expect(validError(r.body)).toBe(true)
    }
    expect((refused[0]?.body as { error: string }).error).toMatch(/receipt is for another package, not rate\/pkg/)
    expect(await service.tables()).toEqual(before)
    const noReceipt = await service.post('/v1/ratings', { package: 'rate/pkg', rating: 1 })
    expect(noReceipt.status).toBe(400)
    expect(await service.tables()).toEqual(before)
  })
})

async function foreignReceipt(pkg: string, inst: string): Promise<string> {
  const keys = await deriveKeys(`${STATS_SECRET}-not-this-service`)
  return signReceipt(keys, pkg, await raterOf(keys, pkg, inst))
}

describe('bad requests', () => {
  const big = JSON.stringify({ ...ping('bad/pkg', 'ab'.repeat(32)), padding: 'x'.repeat(5000) })
  const cases: [string, () => Promise<{ status: number; body: unknown; headers: Headers }>, number, RegExp][] = [
    ['invalid JSON', () => service.post('/v1/installs', '{"package": '), 400, /not valid JSON/],
    ['an array', () => service.post('/v1/installs', '[]'), 400, /must be a JSON object/],
    ['a missing field', () => service.post('/v1/installs', { package: 'bad/pkg', version: '1.0.0' }), 400, /`installation` is missing/],
    [
      'an extra field',
      () => service.post('/v1/installs', { ...ping('bad/pkg', 'ab'.repeat(32)), user: 'me' }),
      400,
      /unknown field "user"/
    ],
    ['a bad package id', () => service.post('/v1/installs', ping('../etc/passwd', 'ab'.repeat(32))), 400, /`package` is not valid/],
    [
      'an installation id that is not 64 hex digits',
      () => service.post('/v1/installs', ping('bad/pkg', 'me@example.com')),
      400,
      /`installation` is not valid/
    ],
    ['a body over the cap', () => service.post('/v1/installs', big), 413, /larger than 2048 bytes/],
    ['invalid UTF-8', () => fetchRaw('/v1/installs', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, /not valid UTF-8/],
    ['an empty body', () => fetchRaw('/v1/installs', new Uint8Array()), 400, /not valid JSON/],
    [
      'form-encoded',
      () => service.post('/v1/installs', 'package=bad/pkg', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      /Content-Type: application\/json/
    ],
    [
      'text/plain JSON (a cross-site form)',
      () => service.post('/v1/installs', JSON.stringify(ping('bad/pkg', 'ab'.repeat(32))), { 'content-type': 'text/plain' }),
      415,
      /application\/json/
    ],
    [
      'a rating out of range',
      () => service.post('/v1/ratings', { package: 'bad/pkg', rating: 6, receipt: `v1.AAAA.${'A'.repeat(43)}` }),
      400,
      /integer from 1 to 5/
    ],
    ['GET on a POST route', () => service.get('/v1/installs'), 405, /takes POST only/],
    ['POST on the stats route', () => service.post('/v1/stats', {}), 405, /takes GET only/],
    ['an unknown route', () => service.get('/v1/../admin'), 404, /no such route/],
    ['stats without a token', () => service.get('/v1/stats'), 401, /Authorization: Bearer/],
    ['stats with a wrong token', () => service.get('/v1/stats', `${STATS_TOKEN}x`), 401, /Authorization: Bearer/]
  ]

  async function fetchRaw(route: string, bytes: Uint8Array) {
    const res = await fetch(`${service.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes })
    return { status: res.status, body: await res.json(), headers: res.headers }
  }

  it.each(cases)('%s: a 4xx JSON error that changes nothing', async (_, send, status, message) => {
    await service.post('/v1/installs', ping('bad/pkg', installationId()))
    const before = await service.tables()
    const answer = await send()
    expect(answer.status).toBe(status)
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(validError(answer.body)).toBe(true)
    expect((answer.body as { error: string }).error).toMatch(message)
    expect(await service.tables()).toEqual(before)
  })

  it('a chunked body without Content-Length is counted and cut at the cap', async () => {
    const { hostname, port } = new URL(service.url)
    const before = await service.tables()
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: hostname,
          port,
          path: '/v1/installs',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }
        },
        (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        }
      )
      req.on('error', reject)
      for (let i = 0; i < 3; i++) req.write(' '.repeat(1000))
      req.end()
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toEqual({ error: 'the body is larger than 2048 bytes' })
    expect(await service.tables()).toEqual(before)
  })
})

describe('rate limits and configuration', () => {
  it('over the per-address limit: 429 with Retry-After, nothing counted', async () => {
    const limited = await startStatsService({ rateLimit: 5 })
    try {
      for (let i = 0; i < 5; i++) expect((await limited.post('/v1/installs', ping('limit/pkg', installationId()))).status).toBe(200)
      const before = await limited.tables()
      const over = await limited.post('/v1/installs', ping('limit/pkg', installationId()))
      expect(over.status).toBe(429)
      expect(over.headers.get('retry-after')).toBe('60')
      expect(validError(over.body)).toBe(true)
      // Token guessing counts against the same limit.
      expect((await limited.get('/v1/stats', 'guess')).status).toBe(429)
      expect(await limited.tables()).toEqual(before)
      // The operator's job is not limited.
      expect((await limited.get('/v1/stats', STATS_TOKEN)).status).toBe(200)
    } finally {
      await limited.stop()
    }
  })

  it('without its secret or token the service refuses with a JSON error, counting nothing', async () => {
    const bare = await startStatsService({ secret: undefined, token: undefined })
    try {
      const p = await bare.post('/v1/installs', ping('conf/pkg', installationId()))
      expect(p.status).toBe(500)
      expect(p.body).toEqual({ error: 'the service is not configured: set the STATS_SECRET secret (at least 32 random bytes)' })
      expect((await bare.get('/v1/stats', 'x')).body).toEqual({ error: 'the service is not configured: set the STATS_TOKEN secret' })
      expect((await bare.tables()).daily_installs).toEqual([])
    } finally {
      await bare.stop()
    }
  })
})

describe('privacy', () => {
  it('after the day closes, the database holds only per-package daily counts and keyed rating rows', async () => {
    const s = await startStatsService({ rateLimit: 1000 })
    try {
      const insts = [installationId(), installationId(), installationId()]
      const ua = 'PrivacyProbe/1.0 (user=alice; host=alice-laptop)'
      const receipts: string[] = []
      for (const inst of insts) {
        const a = await s.post('/v1/installs', ping('priv/pkg', inst), { 'user-agent': ua, 'x-forwarded-for': '203.0.113.7' })
        receipts.push(receiptOf(a))
        await s.post('/v1/ratings', { package: 'priv/pkg', rating: 4, receipt: receiptOf(a) }, { 'user-agent': ua })
      }
      const open = await s.tables()
      expect(open.day_salt).toHaveLength(1)
      expect(open.day_seen).toHaveLength(3)

      await s.cron(new Date(Date.now() + DAY_MS))
      const closed = await s.tables()
      expect(closed.day_salt).toEqual([])
      expect(closed.day_seen).toEqual([])
      expect(closed.daily_installs.map((r) => Object.keys(r).sort())).toEqual([['count', 'day', 'package']])
      expect(closed.daily_installs[0]).toMatchObject({ package: 'priv/pkg', count: 3 })
      expect(closed.ratings.map((r) => Object.keys(r).sort())).toEqual(Array(3).fill(['package', 'rater', 'rating']))
      expect(closed.meta.map((r) => r.key)).toEqual(['changed_at'])

      // No cell holds an installation id, an address, the user agent, a receipt or a receipt's rater,
      // in any encoding a blob could carry it.
      const cells = Object.values(closed).flatMap((rows) => rows.flatMap((r) => Object.values(r).map(render)))
      const raters = receipts.map((r) => (JSON.parse(Buffer.from(r.split('.')[1] as string, 'base64url').toString()) as { r: string }).r)
      const forbidden = [
        ...insts,
        ...insts.map((i) => Buffer.from(i, 'hex').toString('base64')),
        '127.0.0.1',
        '203.0.113.7',
        'PrivacyProbe',
        'alice',
        ...receipts,
        ...raters,
        ...raters.map((r) => Buffer.from(r, 'base64url').toString('hex'))
      ]
      for (const cell of cells) for (const f of forbidden) expect(cell).not.toContain(f)
      // And the aggregates survive the close.
      const doc = (await s.get('/v1/stats', STATS_TOKEN)).body as { packages: Record<string, unknown> }
      expect(doc.packages['priv/pkg']).toMatchObject({ downloads: { total: 3 }, ratings: { '4': 3 } })
    } finally {
      await s.stop()
    }
  })

  it('the first request of a new day closes the days before it (without the cron)', async () => {
    const s = await startStatsService()
    try {
      const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10)
      await s.sql([
        { sql: 'INSERT INTO day_salt (day, salt) VALUES (?1, ?2)', params: [yesterday, bytes(new Uint8Array(32).fill(7))] },
        { sql: 'INSERT INTO day_seen (hash, day) VALUES (?1, ?2)', params: [bytes(new Uint8Array(32).fill(9)), yesterday] },
        { sql: 'INSERT INTO daily_installs (package, day, count) VALUES (?1, ?2, 1)', params: ['old/pkg', yesterday] }
      ])
      // A refused request closes nothing: it changes nothing.
      expect((await s.post('/v1/installs', '{')).status).toBe(400)
      expect((await s.tables()).day_seen).toHaveLength(1)
      expect((await s.post('/v1/installs', ping('new/pkg', installationId()))).status).toBe(200)
      const t = await s.tables()
      expect(t.day_salt.map((r) => r.day)).toEqual([new Date().toISOString().slice(0, 10)])
      expect(t.day_seen.map((r) => r.day)).toEqual([new Date().toISOString().slice(0, 10)])
      expect(t.daily_installs.map((r) => r.package).sort()).toEqual(['new/pkg', 'old/pkg'])
    } finally {
      await s.stop()
    }
  })
})

describe('GET /v1/stats', () => {
  it('answers the stats document, stable until an aggregate changes', async () => {
    const a = await service.get('/v1/stats', STATS_TOKEN)
    expect(a.status).toBe(200)
    expect(validStats(a.body)).toBe(true)
    const again = await service.get('/v1/stats', STATS_TOKEN)
    expect(again.body).toEqual(a.body)
    // A repeat ping changes no aggregate, so not the document either.
    const inst = installationId()
    await service.post('/v1/installs', ping('doc/pkg', inst))
    const b = await service.get('/v1/stats', STATS_TOKEN)
    await service.post('/v1/installs', ping('doc/pkg', inst))
    expect((await service.get('/v1/stats', STATS_TOKEN)).body).toEqual(b.body)
    expect((b.body as { packages: Record<string, unknown> }).packages['doc/pkg']).toEqual({
      downloads: { total: 1, daily: [{ date: new Date().toISOString().slice(0, 10), count: 1 }] }
    })
  })
})

describe('GET /v1/stats?form=columns', () => {
  /** A summary as plain values: typed arrays as arrays. */
  const plain = (s: StatsSummary) =>
    [...s.packages].map(([id, c]) => [
      id,
      c.total,
      c.ratings,
      c.series && [
        Array.from(c.series.days.subarray(c.series.start, c.series.end)),
        Array.from(c.series.counts.subarray(c.series.start, c.series.end))
      ]
    ])

  it('answers the columns form of the same aggregates: the scores run reads both forms alike', async () => {
    const installations = [installationId(), installationId(), installationId()]
    for (const inst of installations) await service.post('/v1/installs', ping('cols/many', inst))
    const rated = await service.post('/v1/installs', ping('cols/rated', installations[0] as string))
    await service.post('/v1/ratings', { package: 'cols/rated', rating: 4, receipt: receiptOf(rated) })
    const document = await service.get('/v1/stats', STATS_TOKEN)
    const columns = await service.get('/v1/stats?form=columns', STATS_TOKEN)
    expect(columns.status).toBe(200)
    expect(columns.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(validColumns(columns.body)).toBe(true)
    const c = columns.body as StatsColumns
    expect(c.generated_at).toBe((document.body as { generated_at: string }).generated_at)
    const today = new Date().toISOString().slice(0, 10)
    expect(c.first_day).toBe(new Date(Date.parse(`${today}T00:00:00Z`) - 90 * DAY_MS).toISOString().slice(0, 10))
    const i = c.packages.indexOf('cols/many')
    expect([c.totals[i], c.ratings[i], c.daily[i]?.length, c.daily[i]?.[90]]).toEqual([3, null, 91, 3])
    expect(c.ratings[c.packages.indexOf('cols/rated')]).toEqual([0, 0, 0, 1, 0])
    // Both forms through the scores run's own readers: the same summary, package for package.
    const fromColumns = readStatsColumns(columns.body)
    if (!fromColumns.ok) throw new Error(fromColumns.error)
    const fromDocument = scanStats(Buffer.from(JSON.stringify(document.body))) as StatsSummary
    expect(fromColumns.stats.generatedAt).toBe(fromDocument.generatedAt)
    expect(plain(fromColumns.stats)).toEqual(plain(fromDocument))
    // Stable until an aggregate changes, like the document: the same bytes.
    const again = await fetch(`${service.url}/v1/stats?form=columns`, { headers: { authorization: `Bearer ${STATS_TOKEN}` } })
    expect(await again.text()).toBe(JSON.stringify(columns.body))
  })

  it('an unknown or repeated form is a 400 that says which forms there are; the token is checked first', async () => {
    for (const query of ['form=rows', 'form=', 'form=columns&form=columns', 'form=COLUMNS']) {
      const answer = await service.get(`/v1/stats?${query}`, STATS_TOKEN)
      expect(answer.status).toBe(400)
      expect(validError(answer.body)).toBe(true)
      expect((answer.body as { error: string }).error).toMatch(
        /^unknown form ".*": GET \/v1\/stats answers the stats document, or its columns form with \?form=columns$/
      )
    }
    expect((await service.get('/v1/stats?form=rows', 'wrong-token')).status).toBe(401)
    expect((await service.get('/v1/stats?form=columns')).status).toBe(401)
    // Other query parameters are ignored, as before.
    expect((await service.get('/v1/stats?since=2026-01-01', STATS_TOKEN)).status).toBe(200)
  })
})

function render(value: unknown): string {
  if (Array.isArray(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(
      value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : Array.isArray(value)
          ? Uint8Array.from(value as number[])
          : (value as Uint8Array)
    )
    return `${bytes.toString('hex')} ${bytes.toString('base64')} ${bytes.toString('base64url')} ${bytes.toString('latin1')}`
  }
  return String(value)
}
