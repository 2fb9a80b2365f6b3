// The scores job on a registry.json from the real build: only `downloads` and `score` change,
// scores.json explains each score, features.jsonl carries the signals, runs are deterministic and
// write nothing when nothing changed, unknown packages are reported and packages the stats leave
// out keep their scores. Ends with the spec's feedback test: new ratings move the score.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Registry, Scores } from '../src/generated/schema-types.js'
import { aggregate, renderOutputs, scoreFieldProblems, type FeatureRecord } from '../src/core/scores/aggregate.js'
import { FAILED_REVIEW_CAP, FORMULA_ID } from '../src/core/scores/formula.js'
import { VALIDATORS } from '../src/generated/validators.js'
import { formatScoresRun, runScores, type ScoresRun } from '../src/io/run-scores.js'
import { IDS, STATS_AT, builtRegistry, fullStats, marketplaceRoot, removeRoots, stats, writeStats } from './helpers/scores.js'
import { registrySchemaErrors } from './helpers/registry.js'
import { publishedIndexFiles } from '../src/core/registry/build/published-index.js'
import { canonicalJson } from '../src/core/registry/json.js'

let registry: Registry

beforeAll(async () => {
  registry = await builtRegistry()
})
afterAll(() => removeRoots())

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8')
const readRegistry = (root: string) => JSON.parse(read(root, 'registry.json')) as Registry
const readFeatures = (root: string) =>
  read(root, 'features.jsonl')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as FeatureRecord)
const entry = (r: Registry, id: string) => r.packages.find((p) => `${p.publisher}/${p.name}` === id)
const withoutScores = (r: Registry) => ({ ...r, packages: r.packages.map((p) => ({ ...p, downloads: 0, score: null })) })

describe('aggregate (core)', () => {
  it('re-checks only downloads and score when nothing else changed, and asks for the full schema check otherwise', () => {
    const result = aggregate({ registry, stats: fullStats() })
    expect(scoreFieldProblems(registry, result.registry)).toEqual([])
    const bad = {
      ...result.registry,
      packages: result.registry.packages.map((p, i) => (i === 1 ? { ...p, score: 1.5, downloads: -1 } : p))
    }
    expect(scoreFieldProblems(registry, bad)).toEqual([
      '/packages/1/downloads must be an integer of at least 0',
      '/packages/1/score must be null or a number from 0 to 1'
    ])
    const other = { ...result.registry, packages: result.registry.packages.map((p, i) => (i === 0 ? { ...p, description: 'changed' } : p)) }
    expect(scoreFieldProblems(registry, other)).toBeUndefined()
    expect(scoreFieldProblems(registry, { ...result.registry, commit: 'f'.repeat(40) })).toBeUndefined()
    expect(scoreFieldProblems(registry, { ...result.registry, packages: result.registry.packages.slice(1) })).toBeUndefined()
  })

  it('changes only downloads and score, and explains every score', () => {
    const result = aggregate({ registry, stats: fullStats() })
    expect(registrySchemaErrors(result.registry)).toEqual([])
    expect(VALIDATORS['scores'](result.scores)).toBe(true)
    expect(withoutScores(result.registry)).toEqual(withoutScores(registry))
    expect(result.registry.packages.map((p) => [`${p.publisher}/${p.name}`, p.downloads])).toEqual([
      ['alice/demo', 1200],
      ['alice/tool', 9000],
      ['bob/web', 5]
    ])
    expect(result.scores.formula).toBe(FORMULA_ID)
    expect(result.scores.stats_generated_at).toBe(STATS_AT)
    expect(result.scores.packages.map((p) => p.id)).toEqual([...IDS])
    for (const p of result.scores.packages) {
      expect(entry(result.registry, p.id)?.score).toBe(p.score)
      const sum = Object.values(p.components).reduce((s, c) => s + c.normalised * c.weight, 0)
      expect(p.cap === undefined ? Math.abs(sum - p.score) : 0).toBeLessThan(0.001)
    }
  })

  it('caps the package whose latest review failed, despite its downloads and ratings', () => {
    const result = aggregate({ registry, stats: fullStats() })
    const tool = result.scores.packages.find((p) => p.id === 'alice/tool')
    expect(tool?.score).toBe(FAILED_REVIEW_CAP)
    expect(tool?.cap).toBe(FAILED_REVIEW_CAP)
    expect(Object.keys(tool?.components ?? {}).sort()).toEqual(['downloads', 'ratings', 'recency', 'review'])
    // bob/web has no review recorded: no review component, the others renormalised.
    expect(Object.keys(result.scores.packages.find((p) => p.id === 'bob/web')?.components ?? {}).sort()).toEqual([
      'downloads',
      'ratings',
      'recency'
    ])
  })

  it('is deterministic and free of the order of the stats keys and registry packages', () => {
    const s = fullStats()
    const reversed = { ...s, packages: Object.fromEntries(Object.entries(s.packages).reverse()) }
    const a = renderOutputs(aggregate({ registry, stats: s }))
    const b = renderOutputs(aggregate({ registry, stats: reversed }))
    expect(b).toEqual(a)
    const shuffled = aggregate({ registry: { ...registry, packages: [...registry.packages].reverse() }, stats: s })
    expect(renderOutputs(shuffled).scores).toBe(a.scores)
    expect(renderOutputs(shuffled).features).toBe(a.features)
  })

  it('reports unknown packages without adding them', () => {
    const s = fullStats()
    s.packages['mallory/ghost'] = { downloads: { total: 5 } }
    const result = aggregate({ registry, stats: s })
    expect(result.unknown).toEqual(['mallory/ghost'])
    expect(result.registry.packages).toHaveLength(3)
    expect(result.scores.packages.map((p) => p.id)).not.toContain('mallory/ghost')
  })

  it('keeps the previous downloads, score and explanation of a scored package the stats leave out', () => {
    const first = aggregate({ registry, stats: fullStats() })
    const partial = fullStats()
    delete partial.packages['alice/demo']
    partial.generated_at = '2026-03-02T00:00:00Z'
    const second = aggregate({ registry: first.registry, stats: partial, previous: first.scores })
    expect(second.missing).toEqual(['alice/demo'])
    expect(entry(second.registry, 'alice/demo')).toEqual(entry(first.registry, 'alice/demo'))
    expect(second.scores.packages.find((p) => p.id === 'alice/demo')).toEqual(first.scores.packages.find((p) => p.id === 'alice/demo'))
    expect(second.features.find((f) => f.id === 'alice/demo')?.stale).toBe(true)
    expect(second.features.find((f) => f.id === 'bob/web')?.stale).toBe(false)
  })

  it('rescores, without a warning, a scored package the stats have never listed (nobody installed or rated it)', () => {
    const partial = fullStats()
    delete partial.packages['alice/demo']
    const first = aggregate({ registry, stats: partial })
    expect(Object.keys(first.scores.packages.find((p) => p.id === 'alice/demo')?.components ?? {}).sort()).toEqual(['recency', 'review'])
    const later = fullStats()
    delete later.packages['alice/demo']
    later.generated_at = '2026-06-01T00:00:00Z'
    const second = aggregate({ registry: first.registry, stats: later, previous: first.scores })
    expect(second.missing).toEqual([])
    expect(second.features.find((f) => f.id === 'alice/demo')?.stale).toBe(false)
    // Its recency moved on with the stats' time, as a never-listed package's should.
    expect(entry(second.registry, 'alice/demo')?.score).not.toBe(entry(first.registry, 'alice/demo')?.score)
  })

  it('scores a never-scored package the stats do not know yet from its review and recency', () => {
    const result = aggregate({ registry, stats: stats({}) })
    expect(result.missing).toEqual([])
    const demo = result.scores.packages.find((p) => p.id === 'alice/demo')
    expect(Object.keys(demo?.components ?? {}).sort()).toEqual(['recency', 'review'])
    expect(entry(result.registry, 'alice/demo')?.downloads).toBe(0)
  })

  it('writes one feature record per package with raw and normalised signals', () => {
    const result = aggregate({ registry, stats: fullStats() })
    const demo = result.features.find((f) => f.id === 'alice/demo') as FeatureRecord
    expect(result.features.map((f) => f.id)).toEqual([...IDS])
    expect(demo).toMatchObject({
      type: 'skill',
      review_latest: 'pass',
      review_samples: 1,
      review_pass_rate: 1,
      downloads_total: 1200,
      ratings_count: 10,
      ratings_mean: 4.4,
      stale: false,
      capped: false
    })
    expect(demo.score).toBe(entry(result.registry, 'alice/demo')?.score)
    expect(result.features.find((f) => f.id === 'alice/tool')).toMatchObject({
      review_latest: 'fail',
      capped: true,
      score: FAILED_REVIEW_CAP
    })
    expect(result.features.find((f) => f.id === 'bob/web')).toMatchObject({
      review_latest: null,
      review_samples: null,
      review_normalised: null
    })
  })
})

describe('runScores with a stats file', () => {
  it('writes registry.json, scores.json and features.jsonl, then nothing when nothing changed', async () => {
    const root = marketplaceRoot(registry)
    const file = writeStats(root, fullStats())
    const first = await runScores({ root, stats: file })
    expect(first.status).toBe('ok')
    expect(first.written.map((f) => path.basename(f)).sort()).toEqual(['features.jsonl', 'registry.json', 'scores.json'])
    expect(registrySchemaErrors(readRegistry(root))).toEqual([])
    expect(VALIDATORS['scores'](JSON.parse(read(root, 'scores.json')))).toBe(true)
    const bytes = ['registry.json', 'scores.json', 'features.jsonl'].map((f) => read(root, f))
    const mtimes = ['registry.json', 'scores.json', 'features.jsonl'].map((f) => statSync(path.join(root, f)).mtimeMs)
    const second = await runScores({ root, stats: file })
    expect(second.status).toBe('ok')
    expect(second.written).toEqual([])
    expect(['registry.json', 'scores.json', 'features.jsonl'].map((f) => read(root, f))).toEqual(bytes)
    expect(['registry.json', 'scores.json', 'features.jsonl'].map((f) => statSync(path.join(root, f)).mtimeMs)).toEqual(mtimes)
    // A second marketplace with the same inputs gets the same bytes.
    const other = marketplaceRoot(registry)
    await runScores({ root: other, stats: writeStats(other, fullStats()) })
    expect(['registry.json', 'scores.json', 'features.jsonl'].map((f) => read(other, f))).toEqual(bytes)
  })

  it('moves only the head of the published-versions index when only scores changed, and repairs a broken index in full', async () => {
    const root = marketplaceRoot(registry)
    const writeIndex = (reg: Registry, bytes: Uint8Array) => {
      for (const f of publishedIndexFiles(reg, bytes, 'sha1')) {
        mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true })
        writeFileSync(path.join(root, f.path), f.bytes ?? new Uint8Array())
      }
    }
    const indexOnDisk = () =>
      publishedIndexFiles(readRegistry(root), readFileSync(path.join(root, 'registry.json')), 'sha1').map((f) => [
        f.path,
        readFileSync(path.join(root, f.path), 'utf8')
      ])
    const expected = () =>
      publishedIndexFiles(readRegistry(root), readFileSync(path.join(root, 'registry.json')), 'sha1').map((f) => [
        f.path,
        Buffer.from(f.bytes ?? new Uint8Array()).toString('utf8')
      ])
    writeIndex(registry, readFileSync(path.join(root, 'registry.json')))
    const run = await runScores({ root, stats: writeStats(root, fullStats()) })
    // The shards hold ids and versions, which a scores run does not change: only the head moved.
    expect(run.written.map((f) => path.relative(root, f)).sort()).toEqual([
      '.registry/index.json',
      'features.jsonl',
      'registry.json',
      'scores.json'
    ])
    expect(indexOnDisk()).toEqual(expected())
    // A shard lost since the build: the index is derived again, and the shard is back.
    const shard = expected()[0]?.[0] as string
    rmSync(path.join(root, shard))
    const next = fullStats()
    next.packages['bob/web'] = { ...next.packages['bob/web'], ratings: { '3': 1, '5': 7 } }
    const repaired = await runScores({ root, stats: writeStats(root, next) })
    expect(repaired.written.map((f) => path.relative(root, f))).toContain(shard)
    expect(indexOnDisk()).toEqual(expected())
    // Every shard changed in turn since the last run (one byte more, or its bytes replaced by a
    // 200 KB file larger than the reader's first buffer): each is found, and the index derived again.
    const shards = expected()
      .map(([f]) => f as string)
      .filter((f) => /^\.registry\/(?:published|digests)\//.test(f))
    expect(shards.length).toBeGreaterThan(1)
    for (const [k, changed] of shards.slice(0, 3).entries()) {
      const file = path.join(root, changed)
      writeFileSync(file, k === 1 ? Buffer.alloc(200_000, 0x20) : `${readFileSync(file, 'utf8')} `)
      next.packages['bob/web'] = { ...next.packages['bob/web'], ratings: { '3': 1, '5': 8 + k } }
      const again = await runScores({ root, stats: writeStats(root, next) })
      expect(again.written.map((f) => path.relative(root, f))).toContain(changed)
      expect(indexOnDisk()).toEqual(expected())
    }
  })

  it('leaves every file untouched when the stats file is invalid', async () => {
    const root = marketplaceRoot(registry)
    await runScores({ root, stats: writeStats(root, fullStats()) })
    const before = ['registry.json', 'scores.json', 'features.jsonl'].map((f) => read(root, f))
    for (const bad of [
      '{"version": 1,',
      JSON.stringify({ version: 1, generated_at: STATS_AT, packages: { 'alice/demo': { ratings: { '6': 1 } } } })
    ]) {
      const run = await runScores({ root, stats: writeStats(root, bad, 'bad.json') })
      expect(run.status).toBe('stats-error')
      expect(run.written).toEqual([])
      expect(run.error).toMatch(/previous scores kept/)
      expect(['registry.json', 'scores.json', 'features.jsonl'].map((f) => read(root, f))).toEqual(before)
    }
    const missing = await runScores({ root, stats: path.join(root, 'nope.json') })
    expect(missing.error).toMatch(/cannot read .*nope\.json: ENOENT/)
  })

  it('refuses a registry.json that fails the schema, canonical or not, and writes nothing', async () => {
    // A run rewrites only downloads and scores, so the file read must be valid as a whole: the
    // error is the reader's, canonical bytes or not, and nothing is written.
    const invalid: Registry[] = [
      { ...registry, packages: registry.packages.map((p, i) => (i === 1 ? { ...p, updated_at: '2026-02-30T25:00:00Z' } : p)) },
      { ...registry, packages: registry.packages.map((p, i) => (i === 0 ? { ...p, tags: ['Not A Tag'] } : p)) },
      {
        ...registry,
        packages: registry.packages.map((p) => (p.review ? { ...p, review: { ...p.review, verdict: 'maybe' as 'pass' } } : p))
      }
    ]
    for (const bad of invalid)
      for (const text of [canonicalJson(bad), `${JSON.stringify(bad, null, 4)}\n`]) {
        const root = marketplaceRoot(registry)
        writeFileSync(path.join(root, 'registry.json'), text)
        const file = writeStats(root, fullStats())
        await expect(runScores({ root, stats: file })).rejects.toThrow(
          /the existing registry\.json does not match the registry schema\. It holds the download counts/
        )
        expect(read(root, 'registry.json')).toBe(text)
        expect(existsSync(path.join(root, 'scores.json')) || existsSync(path.join(root, 'features.jsonl'))).toBe(false)
      }
  })

  it('feedback: new ratings move the score in registry.json and in the feature export', async () => {
    const root = marketplaceRoot(registry)
    const s = fullStats()
    await runScores({ root, stats: writeStats(root, s) })
    const before = entry(readRegistry(root), 'bob/web')?.score as number
    const featureBefore = readFeatures(root).find((f) => f.id === 'bob/web') as FeatureRecord
    // Agents rate bob/web: twenty 5s arrive with the next stats.
    const next = fullStats()
    next.packages['bob/web'] = { ...next.packages['bob/web'], ratings: { '3': 1, '5': 20 } }
    const run = await runScores({ root, stats: writeStats(root, next) })
    expect(run.written.map((f) => path.basename(f))).toContain('registry.json')
    const after = entry(readRegistry(root), 'bob/web')?.score as number
    const featureAfter = readFeatures(root).find((f) => f.id === 'bob/web') as FeatureRecord
    expect(after).toBeGreaterThan(before)
    expect(featureAfter.score).toBe(after)
    expect(featureAfter.ratings_count).toBe(21)
    expect(featureAfter.ratings_normalised).toBeGreaterThan(featureBefore.ratings_normalised as number)
    const explained = (JSON.parse(read(root, 'scores.json')) as Scores).packages.find((p) => p.id === 'bob/web')
    expect(explained?.components.ratings?.samples).toBe(21)
    // Bad ratings pull it back down.
    next.packages['bob/web'] = { ...next.packages['bob/web'], ratings: { '1': 40, '3': 1, '5': 20 } }
    await runScores({ root, stats: writeStats(root, next) })
    expect(entry(readRegistry(root), 'bob/web')?.score).toBeLessThan(after)
  })
})

describe('formatScoresRun', () => {
  it('lists every scored package on its line, in blocks or not', () => {
    // 1,234 packages: more than one block of lines joined at once, and a part block.
    const packages = Array.from({ length: 1234 }, (_, i) => ({
      id: `publisher-${i}/package-${i}`,
      score: i % 7 === 0 ? FAILED_REVIEW_CAP : (i % 1000) / 1000,
      components: {},
      ...(i % 7 === 0 ? { cap: FAILED_REVIEW_CAP } : {})
    }))
    const run = {
      status: 'ok',
      warnings: ['w'],
      notes: ['n'],
      written: ['/x/registry.json', '/x/scores.json'],
      registryFile: '/x/registry.json',
      scoresFile: '/x/scores.json',
      featuresFile: '/x/features.jsonl',
      attempts: 1,
      registryRead: 'vouched',
      previousRead: 'none',
      result: { scores: { formula: FORMULA_ID, packages, stats_generated_at: STATS_AT, version: 1 } }
    } as unknown as ScoresRun
    const expected = [
      `Scored 1234 package(s) with stats from ${STATS_AT}; wrote registry.json, scores.json.`,
      ...packages.map((p) => `  ${p.id.padEnd(40)} ${p.score.toFixed(4)}${p.cap !== undefined ? ' (capped: latest review failed)' : ''}`),
      'note: n',
      'warning: w'
    ]
    expect(formatScoresRun(run)).toBe(`${expected.join('\n')}\n`)
  })
})
