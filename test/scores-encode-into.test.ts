// scores.json and features.jsonl encoded into memory the run already holds
// (core/scores/encode-into.ts), features.jsonl from aggregate's featureLines (written without a
// record each): the same bytes as renderScores and renderFeatures, and -1 (nothing claimed) when
// they do not fit.
import { describe, it, expect, beforeAll } from '@jest/globals'
import type { Registry, Scores } from '../src/generated/schema-types.js'
import { aggregate, renderFeatures, renderScores } from '../src/core/scores/aggregate.js'
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
    const first = aggregate({ registry, stats: fullStats() })
    // A package the stats leave out (its line stale, from the previous scores), a capped one, an unscored one.
    const partial = fullStats()
    delete partial.packages['alice/demo']
    const second = aggregate({ registry: first.registry, stats: partial, previous: first.scores })
    const bare = aggregate({
      registry: { ...registry, packages: registry.packages.map((p) => ({ ...p, updated_at: undefined, review: undefined, versions: [] })) },
      stats: { version: 1, generated_at: partial.generated_at, packages: {} }
    })
    for (const result of [first, second, bare]) {
      const scores = renderScores(result)
      const features = renderFeatures(result)
      expect(encoded(scores.length + 10, (b, at) => encodeScoresInto(result.scores, b, at), 7)).toBe(scores)
      expect([...result.featureLines()].join('')).toBe(features)
      expect(encoded(features.length, (b, at) => encodeFeaturesInto(result.featureLines(), b, at))).toBe(features)
    }
    expect(second.features.map((f) => [f.id, f.stale, f.capped])).toEqual([
      ['alice/demo', true, false],
      ['alice/tool', false, true],
      ['bob/web', false, false]
    ])
    expect(bare.unscored.length).toBeGreaterThan(0)
  })

  it('gives -1 when the bytes do not fit, however near the fit', () => {
    const result = aggregate({ registry, stats: fullStats() })
    const scores = Buffer.byteLength(renderScores(result))
    const features = Buffer.byteLength(renderFeatures(result))
    expect(encoded(scores - 1, (b, at) => encodeScoresInto(result.scores, b, at))).toBe(-1)
    expect(encoded(features - 1, (b, at) => encodeFeaturesInto(result.featureLines(), b, at))).toBe(-1)
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
    const lines = ['{"id":"a/ü"}\n', '{"id":"😀"}\n']
    expect(encoded(Buffer.byteLength(lines.join('')), (b, at) => encodeFeaturesInto(lines, b, at))).toBe(lines.join(''))
  })
})
