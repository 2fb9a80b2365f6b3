// Benchmark of the stats service (src/stats-service) on the real Workers runtime: workerd through
// Miniflare, with D1 persisted to a temp folder, driven over HTTP on 127.0.0.1 by this process.
// Measures install pings per second (new installations, each counted; repeats of counted ones;
// ratings) and the D1 database size as counted pings accumulate within one day, then after the
// day closes. Prints the figures and writes them to docs/benchmarks.md.
//
//   npm run bench:stats                 # BENCH_STATS_PINGS=30000 BENCH_STATS_CONCURRENCY=32
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { installationId, startStatsService, type StatsService } from '../test/helpers/stats-service.js'
import { writeBenchmarkSection } from './bench-common.js'

const PINGS = Number(process.env.BENCH_STATS_PINGS ?? 30_000)
const CONCURRENCY = Number(process.env.BENCH_STATS_CONCURRENCY ?? 32)
const PACKAGES = 200
const CHECKPOINTS = 5
const WINDOW_MS = 5_000

interface Phase {
  name: string
  requests: number
  seconds: number
  perSecond: number
  /** The slowest full 5-second window: what the service sustained throughout. */
  slowestWindow: number
  errors: number
}

/** Sends `bodies` (undefined: a GET) with CONCURRENCY requests in flight; returns throughput figures. */
async function drive(
  service: StatsService,
  name: string,
  route: string,
  bodies: unknown[],
  onDone?: (n: number) => Promise<void>,
  expect = 200,
  onAnswer?: (i: number, body: string) => void
): Promise<Phase> {
  const done: number[] = []
  let next = 0
  let errors = 0
  const start = performance.now()
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= bodies.length) return
      const body = bodies[i]
      const res = await fetch(
        `${service.url}${route}`,
        body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      )
      const text = await res.text()
      if (res.status !== expect) errors++
      else onAnswer?.(i, text)
      done.push(performance.now() - start)
      if (onDone) await onDone(done.length)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const seconds = (performance.now() - start) / 1000
  const windows: number[] = []
  for (let t = 0; t + WINDOW_MS <= seconds * 1000; t += WINDOW_MS)
    windows.push(done.filter((d) => d >= t && d < t + WINDOW_MS).length / (WINDOW_MS / 1000))
  return {
    name,
    requests: bodies.length,
    seconds,
    perSecond: bodies.length / seconds,
    slowestWindow: windows.length ? Math.min(...windows) : bodies.length / seconds,
    errors
  }
}

async function dbSize(service: StatsService): Promise<number> {
  const [r] = await service.sql([{ sql: 'SELECT 1' }])
  return (r?.meta as { size_after: number }).size_after
}

const loadBefore = loadavg()[0] ?? 0
const persist = mkdtempSync(path.join(tmpdir(), 'mpa-bench-stats-'))
const service = await startStatsService({ persistDir: persist })
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
try {
  const installs = Array.from({ length: PINGS }, (_, i) => ({
    package: `pub${(i % PACKAGES) % 10}/pkg-${i % PACKAGES}`,
    version: '1.0.0',
    installation: installationId()
  }))
  // The floor: an unknown route's 404 (no body, no hashing, no database) through the same HTTP path.
  const baseline = await drive(
    service,
    'baseline: 404 for an unknown route (no D1, no crypto)',
    '/v1/none',
    Array(Math.min(PINGS, 5_000)).fill(undefined),
    undefined,
    404
  )
  const sizes: [number, number][] = [[0, await dbSize(service)]]
  const step = Math.floor(PINGS / CHECKPOINTS)
  // Size checkpoints are taken between pings, so they cost a little of the counted phase's rate.
  const counted = await drive(service, 'new installations (each ping counted)', '/v1/installs', installs, async (n) => {
    if (n % step === 0) sizes.push([n, await dbSize(service)])
  })
  const repeatSample = installs.slice(0, Math.min(PINGS, 10_000))
  const repeats = await drive(service, 'repeats the same day (not counted)', '/v1/installs', repeatSample)
  // Receipts for ratings: one repeat ping per installation gives its receipt back.
  const raters = installs.slice(0, Math.min(PINGS, 5_000))
  const receipts: string[] = []
  await drive(service, 'receipts', '/v1/installs', raters, undefined, 200, (i, body) => {
    receipts[i] = (JSON.parse(body) as { receipt: string }).receipt
  })
  const beforeRatings = await dbSize(service)
  const ratings = await drive(
    service,
    'ratings (each a new installation and package)',
    '/v1/ratings',
    raters.map((b, i) => ({ package: b.package, rating: 1 + (i % 5), receipt: receipts[i] }))
  )
  const openSize = await dbSize(service)
  const perRating = (openSize - beforeRatings) / raters.length
  const rows = async () => {
    const t = await service.tables()
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length])) as Record<string, number>
  }
  const openRows = await rows()
  await service.cron(new Date(Date.now() + 86_400_000))
  const closedSize = await dbSize(service)
  const closedRows = await rows()

  // Least-squares slope of size against counted pings: bytes each counted ping adds to an open day.
  const n = sizes.length
  const mx = sizes.reduce((s, [x]) => s + x, 0) / n
  const my = sizes.reduce((s, [, y]) => s + y, 0) / n
  const slope = sizes.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sizes.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  const perMillion = (sizes[0]?.[1] ?? 0) + slope * 1_000_000

  const phases = [baseline, counted, repeats, ratings]
  const table = [
    '| requests | sent | over | rate | vs baseline | slowest 5 s window | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...phases.map(
      (p) =>
        `| ${p.name} | ${fmt(p.requests)} | ${p.seconds.toFixed(1)} s | ${fmt(p.perSecond)}/s | ${(p.perSecond / baseline.perSecond).toFixed(2)}× | ${fmt(p.slowestWindow)}/s | ${p.errors} |`
    )
  ].join('\n')
  const sizeTable = [
    '| counted pings in the open day | D1 database size |',
    '| ---: | ---: |',
    ...sizes.map(([x, y]) => `| ${fmt(x)} | ${(y / 1024).toFixed(0)} KiB |`)
  ].join('\n')
  const loadAfter = loadavg()[0] ?? 0
  const mib = (b: number) => (b < 1024 * 1024 ? `${fmt(b / 1024)} KiB` : `${(b / 1024 / 1024).toFixed(1)} MiB`)
  const HEADING = '## Stats service: pings per second and database size'
  const section = `${HEADING}

Measured by \`npm run bench:stats\` (scripts/bench-stats.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, miniflare 4.20250712.0 (workerd) with D1
persisted to disk, ${cpus().length} cores shared with the load generator (this script, ${CONCURRENCY} requests in flight over HTTP on
127.0.0.1), ${PACKAGES} packages. Each request is a whole HTTP round trip through the Worker: schema check, hashes,
receipt signature, one D1 transaction. The load generator takes part of the same 2 cores, so these rates are
lower bounds for the service alone (the machine's 1-minute load average was ${loadBefore.toFixed(1)} at the start and
${loadAfter.toFixed(1)} at the end: other work shared the cores). The baseline row is the same HTTP path answering 404 without touching D1
or WebCrypto, so the ratio to it is the cost of the service's own work. D1 here is SQLite in workerd writing
to a local disk (each ping one committed transaction); Cloudflare's D1 has other latencies, so read the
figures as what one instance sustains on this machine, not as a production capacity.

${table}

Database size as counted pings accumulate in one day (D1's own \`size_after\`):

${sizeTable}

**Per million pings: ${mib(perMillion)}**, extrapolated linearly from the measured points above (least-squares
slope ${slope.toFixed(1)} bytes per counted ping, plus the empty database's ${fmt((sizes[0]?.[1] ?? 0) / 1024)} KiB). That is the
size at the end of a day with a million *distinct* installation-package pairs: each is one 32-byte hash row in
\`day_seen\`; repeats and refused requests add nothing. When the day closes those rows and the salt are deleted
and only one \`daily_installs\` row per package and day remains, however many pings there were: in this run
the database went from ${mib(openSize)} to ${mib(closedSize)} at the close. Ratings stay, one row per installation and
package: ${perRating.toFixed(0)} bytes each, measured over ${fmt(raters.length)} ratings.

| table | rows before the close | rows after |
| --- | ---: | ---: |
${Object.keys(openRows)
  .map((t) => `| \`${t}\` | ${fmt(openRows[t] ?? 0)} | ${fmt(closedRows[t] ?? 0)} |`)
  .join('\n')}
`
  writeBenchmarkSection(HEADING, section)
  console.log(
    `${table}\n\n${sizeTable}\n\nper million pings: ${mib(perMillion)} (slope ${slope.toFixed(1)} B/ping); ${perRating.toFixed(0)} B/rating; ${mib(openSize)} -> ${mib(closedSize)} at the close\nrows open ${JSON.stringify(openRows)}, closed ${JSON.stringify(closedRows)}\nwritten to docs/benchmarks.md`
  )
} finally {
  await service.stop()
  rmSync(persist, { recursive: true, force: true })
}
