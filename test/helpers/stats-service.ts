/**
 * The stats service on the real Workers runtime: src/stats-service/worker.ts bundled with esbuild
 * (as wrangler bundles it), run by Miniflare's workerd with a real D1 database that has the
 * migration applied, listening on 127.0.0.1.
 *
 *   const service = await startStatsService()       // service.url: http://127.0.0.1:<port>
 *   await service.post('/v1/installs', body)
 *   await service.tables()                          // every row of every table, read through D1
 *   await service.sql([{ sql: 'INSERT ...', params: [day, bytes(salt)] }])
 *   await service.stop()
 *
 * Everything the tests do to the database or the cron goes over HTTP (Miniflare's dispatchFetch),
 * never through Miniflare's object proxy (`getD1Database`, `getWorker`): the proxy's synchronous
 * calls block on a worker thread, and one missed reply left every later call of the instance
 * reading the previous one's answer (`assert(message?.id === id)` in its SynchronousFetcher), which
 * failed whole test blocks at random on a loaded machine. The database is reached through a second,
 * test-only worker bound to the same D1 database, answering only on a host nobody else uses.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const MIGRATION = path.join(ROOT, 'examples/stats-service/migrations/0001_init.sql')
export const STATS_TOKEN = 'test-stats-token-5b7c1d'
export const STATS_SECRET = 'test-secret-0123456789abcdef0123456789abcdef'
export const TABLES = ['day_salt', 'day_seen', 'daily_installs', 'ratings', 'meta'] as const

/** The test-only worker's host: requests to it go to the probe, every other host to the service. */
const PROBE_HOST = 'd1-probe.invalid'

/**
 * Runs a batch of statements on its DB binding and answers each statement's rows and meta as JSON.
 * A parameter `{ bytes: number[] }` is bound as a blob; a blob in a row comes back as its bytes' numbers.
 */
const PROBE_WORKER = `
const param = (p) => (p !== null && typeof p === 'object' && Array.isArray(p.bytes) ? new Uint8Array(p.bytes) : p)
const cell = (v) => (v instanceof ArrayBuffer ? [...new Uint8Array(v)] : ArrayBuffer.isView(v) ? [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] : v)
export default {
  async fetch(request, env) {
    try {
      const statements = await request.json()
      const done = await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...(s.params ?? []).map(param))))
      const answer = done.map((r) => ({ results: (r.results ?? []).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)]))), meta: r.meta }))
      return Response.json(answer)
    } catch (e) {
      return new Response(String(e && e.stack ? e.stack : e), { status: 500 })
    }
  }
}
`

/** A statement for `sql`: its text and its parameters (a blob as `bytes(...)`). */
export interface Statement {
  sql: string
  params?: unknown[]
}

/** A blob parameter for `sql`. */
export const bytes = (value: Uint8Array) => ({ bytes: [...value] })

export interface StatementResult {
  results: Record<string, unknown>[]
  meta: Record<string, unknown>
}

let bundled: string | undefined

/** The Worker as one ES module (cached per test file). */
export async function workerBundle(): Promise<string> {
  if (bundled === undefined) {
    const out = await build({
      entryPoints: [path.join(ROOT, 'src/stats-service/worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      logLevel: 'silent'
    })
    bundled = out.outputFiles[0]?.text ?? ''
  }
  return bundled
}

/** The migration's statements, one by one. */
export function migrationStatements(): string[] {
  return readFileSync(MIGRATION, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
}

export interface ServiceOptions {
  /** Requests per minute per address; omitted: no limiter binding. */
  rateLimit?: number
  secret?: string | undefined
  token?: string | undefined
  /** Keep the database in this folder (the benchmark measures it). */
  persistDir?: string
}

export interface StatsService {
  url: string
  /** Runs the statements as one D1 batch (all or nothing), in order. */
  sql(statements: Statement[]): Promise<StatementResult[]>
  post(route: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; headers: Headers }>
  get(route: string, token?: string): Promise<{ status: number; body: unknown; headers: Headers }>
  /** Every row of every table. */
  tables(): Promise<Record<(typeof TABLES)[number], Record<string, unknown>[]>>
  /** Runs the cron trigger as if at `time`. */
  cron(time: Date): Promise<void>
  stop(): Promise<void>
}

export async function startStatsService(options: ServiceOptions = {}): Promise<StatsService> {
  const script = await workerBundle()
  const bindings: Record<string, string> = {}
  const secret = 'secret' in options ? options.secret : STATS_SECRET
  const token = 'token' in options ? options.token : STATS_TOKEN
  if (secret !== undefined) bindings.STATS_SECRET = secret
  if (token !== undefined) bindings.STATS_TOKEN = token
  const persist = options.persistDir ?? mkdtempSync(path.join(tmpdir(), 'mpa-stats-'))
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    d1Persist: persist,
    // `/cdn-cgi/handler/scheduled` runs the service's cron handler (see `cron` below).
    unsafeTriggerHandlers: true,
    workers: [
      {
        name: 'stats',
        modules: true,
        script,
        scriptPath: 'worker.js',
        compatibilityDate: '2025-07-01',
        bindings,
        d1Databases: { DB: 'stats' },
        ...(options.rateLimit !== undefined ? { ratelimits: { LIMITER: { simple: { limit: options.rateLimit, period: 60 } } } } : {})
      },
      {
        name: 'd1-probe',
        modules: true,
        script: PROBE_WORKER,
        scriptPath: 'probe.js',
        compatibilityDate: '2025-07-01',
        d1Databases: { DB: 'stats' },
        routes: [`${PROBE_HOST}/*`]
      }
    ]
  })
  const url = (await mf.ready).toString().replace(/\/$/, '')
  const sql = async (statements: Statement[]): Promise<StatementResult[]> => {
    const res = await mf.dispatchFetch(`http://${PROBE_HOST}/`, { method: 'POST', body: JSON.stringify(statements) })
    const text = await res.text()
    if (res.status !== 200) throw new Error(`the test's D1 probe failed (${res.status}): ${text}`)
    return JSON.parse(text) as StatementResult[]
  }
  const [existing] = await sql([{ sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'" }])
  if (!existing?.results.length) await sql(migrationStatements().map((statement) => ({ sql: statement })))

  const answer = async (res: Response) => {
    const text = await res.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // left as text: a test will say it is not JSON
    }
    return { status: res.status, body, headers: res.headers }
  }
  return {
    url,
    post: async (route, body, headers = {}) =>
      answer(
        await fetch(`${url}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body)
        })
      ),
    get: async (route, tok) =>
      answer(await fetch(`${url}${route}`, { headers: tok === undefined ? {} : { authorization: `Bearer ${tok}` } })),
    sql,
    tables: async () => {
      const answers = await sql(TABLES.map((t) => ({ sql: `SELECT * FROM ${t}` })))
      return Object.fromEntries(TABLES.map((t, i) => [t, answers[i]?.results ?? []])) as Record<
        (typeof TABLES)[number],
        Record<string, unknown>[]
      >
    },
    cron: async (time) => {
      const cronUrl = `${url}/cdn-cgi/handler/scheduled?time=${time.getTime()}&cron=${encodeURIComponent('5 0 * * *')}`
      const res = await mf.dispatchFetch(cronUrl)
      if (res.status !== 200) throw new Error(`the cron handler failed (${res.status}): ${await res.text()}`)
    },
    stop: async () => {
      await mf.dispose()
      if (options.persistDir === undefined) rmSync(persist, { recursive: true, force: true })
    }
  }
}

/** A random installation id as the client makes one: 32 random bytes, 64 lowercase hex digits. */
export function installationId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')
}
