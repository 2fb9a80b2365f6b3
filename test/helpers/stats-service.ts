/**
 * The stats service on the real Workers runtime: src/stats-service/worker.ts bundled with esbuild
 * (as wrangler bundles it), run by Miniflare's workerd with a real D1 database that has the
 * migration applied, listening on 127.0.0.1.
 *
 *   const service = await startStatsService()       // service.url: http://127.0.0.1:<port>
 *   await service.post('/v1/installs', body)
 *   await service.tables()                          // every row of every table, read through D1
 *   await service.stop()
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

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>

export interface StatsService {
  url: string
  mf: Miniflare
  db: D1
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
    modules: true,
    script,
    scriptPath: 'worker.js',
    compatibilityDate: '2025-07-01',
    host: '127.0.0.1',
    port: 0,
    bindings,
    d1Databases: { DB: 'stats' },
    d1Persist: persist,
    ...(options.rateLimit !== undefined ? { ratelimits: { LIMITER: { simple: { limit: options.rateLimit, period: 60 } } } } : {})
  })
  const url = (await mf.ready).toString().replace(/\/$/, '')
  const db = await mf.getD1Database('DB')
  const existing = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").first()
  if (!existing) await db.batch(migrationStatements().map((s) => db.prepare(s)))

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
    mf,
    db,
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
    tables: async () => {
      const out = {} as Record<(typeof TABLES)[number], Record<string, unknown>[]>
      for (const t of TABLES) out[t] = (await db.prepare(`SELECT * FROM ${t}`).all<Record<string, unknown>>()).results
      return out
    },
    cron: async (time) => {
      // Typed by @cloudflare/workers-types, which this project does not install.
      const worker = (await mf.getWorker()) as unknown as { scheduled(o: { scheduledTime: Date; cron: string }): Promise<unknown> }
      await worker.scheduled({ scheduledTime: time, cron: '5 0 * * *' })
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
