// The stats read and scanned on a worker thread (src/io/stats-thread.ts, MARKETPLACE_STATS_THREAD=1):
// the summary crosses threads as columns and must come back as the very summary the scan made,
// and the bundled CLI (where the worker runs) must write the same bytes and say the same things as a run on one
// thread, for a document the scan reads, one it leaves to the full path, an invalid one and a
// missing file. (Build the CLI first: `npm run bundle -- cli`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Registry, Stats } from '../src/generated/schema-types.js'
import { scanStats, summariseStats, type StatsSummary } from '../src/core/scores/stats-summary.js'
import { fromColumns, toColumns } from '../src/io/stats-thread.js'
import { formatScoresRun, runScores } from '../src/io/run-scores.js'
import { statsDocument, type DailyRow, type RatingRow, type TotalRow } from '../src/core/stats/document.js'
import { addDays } from '../src/core/stats/day.js'
import { rng } from './helpers/random.js'
import { fetchStats } from '../src/io/fetch-stats.js'
import { readWholeInBackground } from '../src/io/read-whole.js'
import { STATS_DEFAULTS } from '../src/io/stats-defaults.js'
import { CLI_BUNDLE, cleanEnv } from './helpers/run-node.js'
import { builtRegistry, fullStats, marketplaceRoot, removeRoots, writeStats } from './helpers/scores.js'

const TODAY = '2026-03-01'

/** A document as the stats service writes it, for the registry's three packages and some it lacks. */
function serviceDocument(seed: number, ids: readonly string[]): Stats {
  const r = rng(seed)
  const daily: DailyRow[] = []
  const totals: TotalRow[] = []
  const ratings: RatingRow[] = []
  for (const id of ids) {
    let total = Math.floor(r() * 50)
    for (let d = 0; d < 100; d++)
      if (r() < 0.5) {
        const count = 1 + Math.floor(r() * 30)
        daily.push({ package: id, day: addDays(TODAY, -d), count })
        total += count
      }
    if (total > 0 && r() < 0.8) totals.push({ package: id, total })
    for (let v = 1; v <= 5; v++) if (r() < 0.4) ratings.push({ package: id, rating: v, count: Math.floor(r() * 9) })
  }
  return statsDocument({ totals, daily, ratings, generatedAt: `${TODAY}T05:12:44Z` })
}

/** Summaries compared as plain values (typed arrays as arrays, ratings with their keys). */
function plain(s: StatsSummary): unknown {
  return {
    generatedAt: s.generatedAt,
    packages: [...s.packages].map(([id, c]) => ({
      id,
      keys: Object.keys(c).sort(),
      total: c.total,
      ratings: c.ratings && Object.entries(c.ratings),
      series: c.series && { days: Array.from(c.series.days), counts: Array.from(c.series.counts) }
    }))
  }
}

describe('the summary as columns', () => {
  const ids = Array.from({ length: 60 }, (_, i) => `publisher-${i % 7}/package-${i}`)

  it('gives back the scan summary exactly: totals, days, counts and ratings, absent where absent', () => {
    for (const seed of [1, 2, 3]) {
      const scanned = scanStats(Buffer.from(JSON.stringify(serviceDocument(seed, ids)))) as StatsSummary
      expect(scanned).toBeDefined()
      expect(plain(fromColumns(toColumns(scanned)))).toEqual(plain(scanned))
    }
  })

  it('joins series that do not share one buffer (a summary of a parsed document), and keeps empty ones', () => {
    const doc = serviceDocument(4, ids)
    const first = doc.packages[ids[0] as string]
    if (first?.downloads) first.downloads.daily = []
    doc.packages['nobody/home'] = {}
    const summary = summariseStats(doc)
    expect(plain(fromColumns(toColumns(summary)))).toEqual(plain(summary))
    const none: StatsSummary = { generatedAt: doc.generated_at, packages: new Map() }
    expect(plain(fromColumns(toColumns(none)))).toEqual(plain(none))
  })
})

describe('the bundled CLI, stats on a worker thread', () => {
  let registry: Registry
  let tmp: string
  beforeAll(async () => {
    registry = await builtRegistry()
    tmp = mkdtempSync(path.join(tmpdir(), 'mpa-stats-thread-'))
  })
  afterAll(() => {
    removeRoots()
    rmSync(tmp, { recursive: true, force: true })
  })

  const FILES = ['registry.json', 'scores.json', 'features.jsonl'] as const
  const files = (root: string) => FILES.map((f) => (existsSync(path.join(root, f)) ? readFileSync(path.join(root, f), 'utf8') : undefined))

  const ids = ['alice/demo', 'alice/tool', 'bob/web', 'carol/elsewhere']
  const documents: Record<string, string | undefined> = {
    // What the service writes: the worker's scan reads it.
    service: JSON.stringify(serviceDocument(7, ids)),
    // Indented, with an escaped character in a key: the scan gives up, the full path accepts it.
    'full path': JSON.stringify(fullStats(), null, 2).replace('"bob/web"', '"bob\\/web"'),
    // A day that is not a date: the schema refuses it, nothing is written.
    invalid: JSON.stringify(fullStats()).replace('2026-02-20', '2026-02-30'),
    // No file at all.
    missing: undefined,
    // Over the 32 MiB limit: refused before it is read.
    'too large': ' '.repeat(STATS_DEFAULTS.maxBytes + 1)
  }

  for (const [name, text] of Object.entries(documents))
    it(`writes and says what a run on one thread does: ${name}`, async () => {
      const here = marketplaceRoot(registry)
      const there = marketplaceRoot(registry)
      const statsHere = text === undefined ? path.join(here, 'none.json') : writeStats(here, text)
      const statsThere = text === undefined ? path.join(there, 'none.json') : writeStats(there, text)
      const run = await runScores({ root: here, stats: statsHere })
      expect(run.statsScan).toBe('here')
      // node writes a profile per thread: two files are the proof that the worker ran.
      const profiles = path.join(tmp, name.replace(/ /g, '-'))
      const cli = spawnSync(
        process.execPath,
        ['--cpu-prof', `--cpu-prof-dir=${profiles}`, CLI_BUNDLE, 'scores', '--root', there, '--stats', statsThere],
        { env: cleanEnv({ MARKETPLACE_STATS_THREAD: '1' }), encoding: 'utf8' }
      )
      expect(cli.status).toBe(0)
      expect(readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(2)
      expect(files(there)).toEqual(files(here))
      const said = formatScoresRun(run).split(here).join(there)
      if (run.status === 'ok') expect(cli.stdout).toBe(said)
      else expect(cli.stderr).toBe(`warning: ${said}`)
      expect(run.status).toBe(name === 'service' || name === 'full path' ? 'ok' : 'stats-error')
    })
})

describe('a whole file read on the thread pool', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mpa-read-whole-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('gives the bytes of a file, empty or not, and the code of one it cannot read', async () => {
    const text = JSON.stringify(fullStats())
    writeFileSync(path.join(dir, 'stats.json'), text)
    writeFileSync(path.join(dir, 'empty.json'), '')
    const read = await readWholeInBackground(path.join(dir, 'stats.json'))
    expect(read.ok && read.bytes.toString('utf8')).toBe(text)
    const empty = await readWholeInBackground(path.join(dir, 'empty.json'))
    expect(empty.ok && empty.bytes.length).toBe(0)
    expect(await readWholeInBackground(path.join(dir, 'none.json'))).toEqual({ ok: false, code: 'ENOENT' })
    expect(await readWholeInBackground(dir)).toEqual({ ok: false, code: 'EISDIR' })
    expect(await readWholeInBackground(path.join(dir, 'stats.json'), 10)).toEqual({ ok: false, code: 'too large', size: text.length })
  })

  it('words the stats errors as before: over the limit, a folder, no file', async () => {
    writeFileSync(path.join(dir, 'big.json'), JSON.stringify(fullStats()))
    const big = await fetchStats(path.join(dir, 'big.json'), { maxBytes: 50 })
    expect(big).toMatchObject({ ok: false, error: expect.stringMatching(/big\.json is \d+ bytes, more than the limit of 50$/) })
    expect(await fetchStats(dir)).toMatchObject({ ok: false, error: `cannot read ${dir}: EISDIR` })
    expect(await fetchStats(path.join(dir, 'none.json'))).toMatchObject({ ok: false, error: expect.stringMatching(/none\.json: ENOENT$/) })
  })
})
