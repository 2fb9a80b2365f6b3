// scores.json and features.jsonl encoded into memory the run already holds
// (core/scores/encode-into.ts): the same bytes as renderScores and renderFeatures, and -1 (nothing
// claimed) when they do not fit.
import { describe, it, expect, beforeAll } from '@jest/globals'
import type { Registry, Scores } from '../src/generated/schema-types.js'
import { aggregate, renderFeatures, renderScores, type FeatureRecord } from '../src/core/scores/aggregate.js'
import { encodeFeaturesInto, encodeScoresInto } from '../src/core/scores/encode-into.js'
import { builtRegistry, fullStats } from './helpers/scores.js'

let registry: Registry
beforeAll(async () => {
  registry = await builtRegistry()
})

const encoded = (n: number, encode: (into: Buffer, at: number) => number, at = 0): string | number => {
  const into = Buffer.alloc(n, 0x78)
  const end = encode(into, at)
  return end < 0 ? end : into.subarray(at, end).toString('utf8')
}

describe('encoding the outputs into a given buffer', () => {
  it('writes the bytes renderScores and renderFeatures give, at any offset', () => {
    const result = aggregate({ registry, stats: fullStats() })
    const scores = renderScores(result)
    const features = renderFeatures(result)
    expect(result.scores.packages.length).toBeGreaterThan(1)
    expect(encoded(scores.length + 10, (b, at) => encodeScoresInto(result.scores, b, at), 7)).toBe(scores)
    expect(encoded(features.length, (b, at) => encodeFeaturesInto(result.features, b, at))).toBe(features)
  })

  it('gives -1 when the bytes do not fit, however near the fit', () => {
    const result = aggregate({ registry, stats: fullStats() })
    const scores = Buffer.byteLength(renderScores(result))
    const features = Buffer.byteLength(renderFeatures(result))
    expect(encoded(scores - 1, (b, at) => encodeScoresInto(result.scores, b, at))).toBe(-1)
    expect(encoded(features - 1, (b, at) => encodeFeaturesInto(result.features, b, at))).toBe(-1)
    expect(encoded(scores + features, (b, at) => encodeScoresInto(result.scores, b, at), features + 1)).toBe(-1)
    expect(encoded(0, (b, at) => encodeFeaturesInto([], b, at))).toBe('')
  })

  it('sorts keys written out of order and keeps newlines and other characters inside strings', () => {
    const scores = {
      version: 1,
      stats_generated_at: '2026-03-01T00:00:00Z',
      formula: 'quality/1',
      packages: [
        { score: 0.5, id: 'a/b', components: { review: { weight: 1, raw: 1, normalised: 0.5, samples: 1 } } },
        { id: 'a/c\nd "é" 😀', components: {}, score: 0 }
      ]
    } as unknown as Scores
    const empty = { formula: 'quality/1', packages: [], version: 1 } as unknown as Scores
    for (const doc of [scores, empty]) {
      const want = renderScores({ scores: doc })
      expect(encoded(Buffer.byteLength(want), (b, at) => encodeScoresInto(doc, b, at))).toBe(want)
    }
    const record = { ...({ version: '1.0.0', id: 'a/ü' } as unknown as FeatureRecord), age_days: 3 } as FeatureRecord
    const want = renderFeatures({ features: [record, record] })
    expect(encoded(Buffer.byteLength(want), (b, at) => encodeFeaturesInto([record, record], b, at))).toBe(want)
  })
})
