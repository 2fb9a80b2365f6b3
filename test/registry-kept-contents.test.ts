// The catalog page contents the publish stage keeps (src/core/registry/build/catalog/kept.ts):
// compressed in shared blocks, each given back exactly as it was put (text outside ASCII included),
// once, and a block let go when the last content in it is taken.
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

  it('holds less than the contents themselves, and lets a block go when all of it was taken', () => {
    const rnd = rng(16)
    const kept = new KeptContents(1 << 30)
    const all = Array.from({ length: 3000 }, (_, i) => contentOf(rnd, i))
    all.forEach((c, i) => kept.put(`p/${i}`, c))
    const plain = all.reduce((n, c) => n + Buffer.byteLength(JSON.stringify(c)), 0)
    expect(kept.bytes).toBeLessThan(plain * 0.8)
    const before = kept.held
    expect(before).toBeGreaterThan(1 << 20) // more than one block
    for (let i = 0; i < all.length / 2; i++) kept.take(`p/${i}`)
    expect(kept.held).toBeLessThan(before)
    for (let i = Math.ceil(all.length / 2); i < all.length; i++) kept.take(`p/${i}`)
    expect(kept.held).toBeLessThanOrEqual(1 << 20) // the block still being filled, at most
  })

  it('is full once the budget of compressed bytes is reached', () => {
    const rnd = rng(17)
    const kept = new KeptContents(20_000)
    let i = 0
    while (!kept.full) kept.put(`p/${i}`, contentOf(rnd, i++))
    expect(kept.bytes).toBeGreaterThanOrEqual(20_000)
    expect(i).toBeGreaterThan(3)
  })
})
