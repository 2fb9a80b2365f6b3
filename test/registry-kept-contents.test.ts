// The catalog page contents the publish stage keeps (src/core/registry/build/catalog/kept.ts):
// deflated in batches, each given back exactly as it was put (text outside ASCII included), once,
// in any order, and a batch let go when the last content in it is taken.
import { describe, it, expect } from '@jest/globals'
import { KeptContents } from '../src/core/registry/build/catalog/kept.js'
import type { PackageContent } from '../src/core/registry/build/catalog/pages.js'
import { rng } from './helpers/random.js'

const ALPHABET = ['the ', 'skill ', 'review ', 'é', 'ß', '日本語 ', 'שלום ', '🙂', '\n\n## Step\n\n', '`code` ', '<b>', '"q" ', '\\', '\t']

function text(rnd: () => number, chars: number): string {
  let s = ''
  while (s.length < chars) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)]
  return s
}

function contentOf(rnd: () => number, i: number): PackageContent {
  const files = Array.from({ length: 1 + (i % 4) }, (_, k) => ({
    path: k === 0 ? 'SKILL.md' : `src/${text(rnd, 6)}-${k}.ts`,
    size: Math.floor(rnd() * 1e6)
  }))
  if (i % 7 === 3) return { kind: 'unavailable', problem: text(rnd, 40) }
  if (i % 5 === 1)
    return {
      kind: 'mcp-server',
      files,
      ...(i % 2
        ? {
            server: { description: text(rnd, 80), packages: [{ registryType: 'npm', identifier: '@a/b', transport: 'stdio' }], remotes: [] }
          }
        : {})
    }
  return { kind: 'skill', files, ...(i % 11 === 0 ? {} : { body: text(rnd, 200 + Math.floor(rnd() * 6000)) }) }
}

describe('KeptContents', () => {
  it('gives each content back as it was put, once, in any order', () => {
    const rnd = rng(15)
    const kept = new KeptContents(1 << 30)
    const all = Array.from({ length: 1500 }, (_, i) => contentOf(rnd, i))
    all.forEach((c, i) => kept.put(`p/${i}`, c))
    expect(kept.size).toBe(all.length)
    const order = all.map((_, i) => i).sort(() => rnd() - 0.5)
    for (const i of order) expect(kept.take(`p/${i}`)).toEqual(all[i])
    expect(kept.take('p/0')).toBeUndefined()
    expect(kept.take('never-put')).toBeUndefined()
    expect(kept.size).toBe(0)
  })

  it('holds less than the contents themselves, and lets a batch go when all of it was taken', () => {
    const rnd = rng(16)
    const kept = new KeptContents(1 << 30)
    const all = Array.from({ length: 3000 }, (_, i) => contentOf(rnd, i))
    all.forEach((c, i) => kept.put(`p/${i}`, c))
    const plain = all.reduce((n, c) => n + Buffer.byteLength(JSON.stringify(c)), 0)
    expect(kept.bytes).toBeLessThan(plain * 0.8)
    const before = kept.held
    expect(before).toBeGreaterThan(0)
    for (let i = 0; i < all.length / 2; i++) kept.take(`p/${i}`)
    expect(kept.held).toBeLessThan(before * 0.6)
    for (let i = Math.ceil(all.length / 2); i < all.length; i++) kept.take(`p/${i}`)
    expect(kept.held).toBe(0)
  })

  it('is full once the budget is reached, counting deflated bytes', () => {
    const rnd = rng(17)
    const kept = new KeptContents(200_000)
    let i = 0
    let chars = 0
    while (!kept.full) {
      const c = contentOf(rnd, i)
      chars += JSON.stringify(c).length
      kept.put(`p/${i++}`, c)
    }
    expect(kept.bytes).toBeGreaterThan(0)
    expect(kept.bytes).toBeLessThan(200_000)
    // What was put is more than the budget: it counts deflated bytes.
    expect(chars).toBeGreaterThan(250_000)
    expect(kept.size).toBe(i)
  })
})
