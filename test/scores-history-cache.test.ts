// The review-history cache of a scheduled scores run (core/scores/history-cache.ts, read by
// git/review-history.ts's reviewHistorySince): a run with the cache reads only the commits after
// the cached one, and its outputs are the same bytes as a run without it: after new review
// commits, after a rewritten history, with a damaged cache. The previous scores.json the cache
// vouches for is read entry by entry, with the same result.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Registry, ScoredPackage } from '../src/generated/schema-types.js'
import { runScores, type ScoresRun } from '../src/io/run-scores.js'
import { parseHistoryCache, renderHistoryCache, restampHistoryCache, type HistoryCache } from '../src/core/scores/history-cache.js'
import { gitBlobId } from '../src/core/registry/published-index.js'
import { previousScoresIn, previousScoresOf } from '../src/core/scores/previous-scores.js'
import { renderScores, aggregate } from '../src/core/scores/aggregate.js'
import { canonicalJson } from '../src/core/registry/json.js'
import { scoreAll } from '../src/core/scores/formula.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { rng } from './helpers/random.js'
import { commitAt } from './helpers/registry.js'
import { builtRegistry, fullStats, writeStats } from './helpers/scores.js'

let registry: Registry
const repos: TestRepo[] = []
const scratch: string[] = []

beforeAll(async () => {
  registry = await builtRegistry()
})
afterAll(async () => {
  for (const r of repos.splice(0)) await r.cleanup()
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const OUTPUTS = ['registry.json', 'scores.json', 'features.jsonl'] as const
const record = (verdict: 'pass' | 'fail') => `${JSON.stringify({ verdict })}\n`

/** A marketplace repository with review records over several days, and registry.json beside them. */
async function marketplace(): Promise<{ repo: TestRepo; cache: string; statsFile: string; aside: string }> {
  const repo = await makeRepo()
  repos.push(repo)
  // Outside the repository, as the Actions cache and the stats are.
  const aside = mkdtempSync(path.join(tmpdir(), 'mpa-scores-cache-'))
  scratch.push(aside)
  repo.write('publishers/alice/demo/review.json', record('pass'))
  repo.write('publishers/alice/tool/review.json', record('fail'))
  commitAt(repo, 'reviews', '2025-10-01T10:00:00Z')
  repo.write('publishers/alice/demo/review.json', record('fail'))
  commitAt(repo, 'demo 1.1', '2025-12-01T10:00:00Z')
  repo.write('publishers/alice/demo/review.json', record('pass'))
  repo.write('publishers/bob/web/review.json', record('pass'))
  commitAt(repo, 'demo 1.2, web', '2026-01-10T10:00:00Z')
  writeFileSync(path.join(repo.dir, 'registry.json'), canonicalJson(registry))
  const statsFile = writeStats(aside, fullStats())
  const cache = path.join(aside, 'cache', 'history.json')
  return { repo, cache, statsFile, aside }
}

/**
 * One run with the cache and one without, from the same starting files: the same outputs. The
 * run with the cache is what the marketplace keeps (and what is returned).
 */
/** The cache file as the renderer writes its history, as of its commit, with the blob id of the scores.json in `root`. */
function asRendered(cacheFile: string, root: string): string | undefined {
  const parsed = parseHistoryCache(readFileSync(cacheFile)) as HistoryCache
  return renderHistoryCache({
    commit: parsed.commit,
    history: parsed.history,
    scores: gitBlobId(readFileSync(path.join(root, 'scores.json')), 'sha1')
  })
}

async function withAndWithout(root: string, statsFile: string, cache: string): Promise<ScoresRun> {
  const files = [...OUTPUTS, 'registry.json']
  const start = new Map(files.map((f) => [f, existsSync(path.join(root, f)) ? readFileSync(path.join(root, f)) : undefined]))
  const restore = () => {
    for (const [f, bytes] of start)
      if (bytes) writeFileSync(path.join(root, f), bytes)
      else rmSync(path.join(root, f), { force: true })
  }
  const plain = await runScores({ root, stats: statsFile })
  const expected = OUTPUTS.map((f) => readFileSync(path.join(root, f), 'utf8'))
  restore()
  const cached = await runScores({ root, stats: statsFile, historyCache: cache })
  expect(OUTPUTS.map((f) => readFileSync(path.join(root, f), 'utf8'))).toEqual(expected)
  expect(cached.warnings).toEqual(plain.warnings)
  expect(cached.result?.scores).toEqual(plain.result?.scores)
  return cached
}

describe('the review-history cache', () => {
  it('reads only the commits after the cached one, with the same scores as the whole history', async () => {
    const { repo, cache, statsFile } = await marketplace()
    const first = await withAndWithout(repo.dir, statsFile, cache)
    expect(first.historyRead).toBe('full')
    expect(existsSync(cache)).toBe(true)
    const written = parseHistoryCache(readFileSync(cache))
    expect(written?.commit).toBe(repo.git(['rev-parse', 'HEAD']).trim())
    expect(written?.history.get('alice/demo')?.map((r) => r.pass)).toEqual([true, false, true])

    // Nothing new: the cache is the history. Its lines are kept, its head names the new scores.json:
    // the bytes the renderer writes for it (the same bytes a full render of that history gives).
    const changedStats = writeStats(repo.dir, { ...fullStats(), generated_at: '2026-03-02T06:00:00Z' }, 'later-stats.json')
    expect((await withAndWithout(repo.dir, changedStats, cache)).historyRead).toBe('cached')
    expect(asRendered(cache, repo.dir)).toBe(readFileSync(cache, 'utf8'))
    expect(asRendered(cache, repo.dir)).not.toBe(renderHistoryCache(written as HistoryCache))

    // Commits that record no review: the history is the cache's, as of the new commit.
    repo.write('notes.txt', 'not a record\n')
    commitAt(repo, 'notes', '2026-02-10T10:00:00Z')
    expect((await withAndWithout(repo.dir, statsFile, cache)).historyRead).toBe('since-cache')
    expect(parseHistoryCache(readFileSync(cache))?.commit).toBe(repo.git(['rev-parse', 'HEAD']).trim())
    expect(asRendered(cache, repo.dir)).toBe(readFileSync(cache, 'utf8'))

    // New review commits, one of them dated before an older one (a skewed clock): only they are read.
    repo.write('publishers/alice/tool/review.json', record('pass'))
    commitAt(repo, 'tool 1.1', '2026-02-01T10:00:00Z')
    repo.write('publishers/alice/demo/review.json', record('fail'))
    repo.write('publishers/carol/new/review.json', record('pass'))
    commitAt(repo, 'demo 1.3 (skewed clock)', '2025-11-15T10:00:00Z')
    repo.write('notes.txt', 'not a record\n')
    commitAt(repo, 'unrelated', '2026-02-20T10:00:00Z')
    const next = await withAndWithout(repo.dir, statsFile, cache)
    expect(next.historyRead).toBe('since-cache')
    expect(
      parseHistoryCache(readFileSync(cache))
        ?.history.get('alice/demo')
        ?.map((r) => r.pass)
    ).toEqual([true, false, true, false])
  })

  it('reads the whole history after a rewritten history, and from a damaged or foreign cache', async () => {
    const { repo, cache, statsFile } = await marketplace()
    await withAndWithout(repo.dir, statsFile, cache)
    // History rewritten: the cached commit is no longer an ancestor of HEAD.
    repo.git(['reset', '-q', '--hard', 'HEAD~1'])
    writeFileSync(path.join(repo.dir, 'registry.json'), canonicalJson(registry))
    repo.write('publishers/alice/demo/review.json', record('pass'))
    commitAt(repo, 'demo 1.2 again', '2026-01-12T10:00:00Z')
    const rewritten = await withAndWithout(repo.dir, statsFile, cache)
    expect(rewritten.historyRead).toBe('full')
    expect(parseHistoryCache(readFileSync(cache))?.history.get('bob/web')).toBeUndefined()

    // A cached commit this clone does not have at all.
    const good = readFileSync(cache, 'utf8')
    const foreign = renderHistoryCache({
      commit: 'f'.repeat(40),
      history: new Map([['alice/demo', [{ pass: false, at: '2026-01-01T00:00:00Z' }]]])
    })
    writeFileSync(cache, foreign as string)
    expect((await withAndWithout(repo.dir, statsFile, cache)).historyRead).toBe('full')

    // One byte changed, a truncated file, another format (format 1 was one JSON document): ignored, the whole history read.
    for (const damaged of [good.replace('\t+', '\t-'), good.slice(0, -40), good.replace('"format":2', '"format":1'), 'not a cache']) {
      writeFileSync(cache, damaged)
      expect(parseHistoryCache(readFileSync(cache))).toBeUndefined()
      expect((await withAndWithout(repo.dir, statsFile, cache)).historyRead).toBe('full')
    }
    // Files whose digest is right but that say what git never would or the renderer never writes
    // (an empty list, an empty time, ids out of order or twice, a stray key): refused as well.
    const { createHash } = await import('node:crypto')
    const withDigest = (body: string) =>
      Buffer.from(`{"digest":"sha256:${createHash('sha256').update(body).digest('hex')}","format":2}\n${body}`)
    const commitLine = JSON.stringify({ commit: 'a'.repeat(40) })
    expect(parseHistoryCache(withDigest(`${commitLine}\nalice/demo\t+2026-01-01T00:00:00Z\n`))?.history.get('alice/demo')).toEqual([
      { pass: true, at: '2026-01-01T00:00:00Z' }
    ])
    for (const body of [
      `${commitLine}\nalice/demo\n`,
      `${commitLine}\nalice/demo\t\n`,
      `${commitLine}\nalice/demo\t+\n`,
      `${commitLine}\nalice/demo\t*2026-01-01T00:00:00Z\n`,
      `${commitLine}\nbob/web\t+2026-01-01T00:00:00Z\nalice/demo\t+2026-01-01T00:00:00Z\n`,
      `${commitLine}\nalice/demo\t+2026-01-01T00:00:00Z\nalice/demo\t-2026-01-02T00:00:00Z\n`,
      `${JSON.stringify({ commit: 'a'.repeat(40), packages: {} })}\n`,
      commitLine
    ])
      expect(parseHistoryCache(withDigest(body))).toBeUndefined()
    // An id a line cannot hold: no cache is written (the next run reads the whole history).
    expect(renderHistoryCache({ commit: 'a'.repeat(40), history: new Map([['alice/de\tmo', [{ pass: true, at: 'x' }]]]) })).toBeUndefined()
  })

  it('reads from the previous scores.json the cache vouches for only the entries of packages the stats leave out', async () => {
    const { repo, cache, statsFile, aside } = await marketplace()
    const first = await runScores({ root: repo.dir, stats: statsFile, historyCache: cache })
    expect(first.previousRead).toBe('none')
    // Today's stats leave alice/tool out: its previous entry is kept, read from the vouched bytes.
    const partial = fullStats()
    delete partial.packages['alice/tool']
    const partialFile = writeStats(aside, partial, 'partial.json')
    const run = await withAndWithout(repo.dir, partialFile, cache)
    expect(run.previousRead).toBe('vouched')
    expect(run.result?.missing).toEqual(['alice/tool'])
    // The scores.json edited since: not the bytes the cache names, so it is read and checked whole.
    const scoresFile = path.join(repo.dir, 'scores.json')
    writeFileSync(scoresFile, readFileSync(scoresFile, 'utf8').replace('"formula": "quality/1"', '"formula": "quality/0"'))
    const edited = await runScores({ root: repo.dir, stats: partialFile, historyCache: cache })
    expect(edited.previousRead).toBe('checked')
  })

  it('finds each entry of a canonical scores.json as the whole-file read does', () => {
    const result = aggregate({ registry, stats: fullStats() })
    const bytes = Buffer.from(renderScores(result))
    const lookup = previousScoresIn(bytes)
    const whole = previousScoresOf(result.scores)
    for (const id of [...result.scores.packages.map((p) => p.id), 'nobody/here', 'alice'])
      expect(lookup?.entry(id)).toEqual(whole.entry(id))
    expect(previousScoresIn(Buffer.from(JSON.stringify(result.scores)))).toBeUndefined()
    // Entries out of id order and an id twice (no run writes either): found as the whole-file read finds them, the last of an id winning.
    const [first, ...rest] = result.scores.packages
    const shuffled = { ...result.scores, packages: [...rest.reverse(), first, { ...first, score: 0.5 }] as ScoredPackage[] }
    const unsorted = previousScoresIn(Buffer.from(canonicalJson(shuffled)))
    const unsortedWhole = previousScoresOf(shuffled)
    for (const id of [...result.scores.packages.map((p) => p.id), 'nobody/here'])
      expect(unsorted?.entry(id)).toEqual(unsortedWhole.entry(id))
    expect(unsorted?.entry(first?.id as string)?.score).toBe(0.5)
  })
})

describe('restampHistoryCache', () => {
  it('gives what the renderer writes for the same history as of another commit and scores.json', () => {
    const r = rng(41)
    const at = (k: number) => new Date(Date.UTC(2025, 0, 1) + k * 3_600_000).toISOString().replace('.000Z', 'Z')
    for (const size of [0, 1, 2, 37, 400]) {
      const history = new Map<string, { pass: boolean; at: string }[]>()
      for (let i = 0; i < size; i++)
        history.set(
          // Ids in no order, some not ASCII; one to three verdicts each, some times with an offset.
          `${i % 3 === 0 ? 'zoë' : 'pub'}-${Math.floor(r() * 1e6)}/pkg-${i}`,
          Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => ({
            pass: r() < 0.8,
            at: k === 2 ? '2026-01-02T03:04:05+01:00' : at(Math.floor(r() * 9000))
          }))
        )
      for (const before of [{ commit: 'a'.repeat(40) }, { commit: 'b'.repeat(40), scores: 'c'.repeat(40) }])
        for (const after of [{ commit: 'd'.repeat(64) }, { commit: 'e'.repeat(40), scores: 'f'.repeat(40) }]) {
          const bytes = Buffer.from(renderHistoryCache({ ...before, history }) as string)
          const again = restampHistoryCache(bytes, after)
          expect(again).toBe(renderHistoryCache({ ...after, history }))
          expect(parseHistoryCache(Buffer.from(again))).toEqual({ ...after, history: parseHistoryCache(bytes)?.history })
        }
    }
  })
})

describe('the formula and the order of reviews', () => {
  it('gives the same score to the bit whatever order the reviews are listed in', () => {
    const reviews = [
      { pass: true, at: '2025-03-01T10:00:00Z' },
      { pass: false, at: '2025-09-01T10:00:00+02:00' },
      { pass: true, at: '2026-01-01T10:00:00Z' },
      { pass: true, at: '2026-01-01T11:00:00+01:00' },
      { pass: false, at: '2024-12-24T00:00:00Z' }
    ]
    const score = (list: typeof reviews) => scoreAll([{ id: 'a/x', reviews: list }], '2026-03-01T00:00:00Z')[0]
    const expected = score(reviews)
    for (const order of [[...reviews].reverse(), [reviews[2], reviews[0], reviews[4], reviews[3], reviews[1]]])
      expect(score(order as typeof reviews)).toEqual(expected)
  })
})
