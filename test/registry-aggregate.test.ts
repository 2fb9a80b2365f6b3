// The aggregates made item by item (src/core/registry/build/aggregate.ts) are the bytes
// canonicalBytes gives for the whole document, and the layout they record as they are made is the
// one the ledger's scan finds in those bytes; the writer puts an aggregate handed over for the root
// in place only when the build's files are applied (root files last), and removes it when the build
// fails first.
import { describe, it, expect, afterAll } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { aggregateOf } from '../src/core/registry/build/aggregate.js'
import { layoutOf } from '../src/core/registry/build/ledger.js'
import { canonicalBytes } from '../src/core/registry/json.js'
import { gitBlobId } from '../src/core/registry/published-index.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import type { BuildResult } from '../src/core/registry/build/build.js'
import { rng } from './helpers/random.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Entries with keys in any order, nested values, and text outside ASCII (bytes are not characters). */
function entries(n: number, seed: number): Record<string, unknown>[] {
  const next = rng(seed)
  const words = ['plain', 'ünïcödé', '日本語', 'emoji 🚀', 'quote " and \\ back', 'tab\tline\nbreak']
  return Array.from({ length: n }, (_, i) => {
    const word = words[Math.floor(next() * words.length)] as string
    const entry: Record<string, unknown> = {
      version: `1.${i}.0`,
      name: `package-${i}`,
      description: `${word} `.repeat(1 + Math.floor(next() * 40)),
      versions: [{ version: `1.${i}.0`, digest: `sha256:${i.toString(16).padStart(64, '0')}` }],
      tags: next() < 0.5 ? [] : ['a', word],
      publisher: `publisher-${Math.floor(i / 10)}`
    }
    if (next() < 0.3) entry.review = { passed: true, at: '2026-01-01T00:00:00Z' }
    return entry
  })
}

function expectSameAsWhole(doc: Record<string, unknown>, key: string): void {
  const whole = Buffer.from(canonicalBytes(doc))
  const made = aggregateOf(doc, key, 'sha1')
  expect(Buffer.concat(made.pieces).equals(whole)).toBe(true)
  expect(made.size).toBe(whole.length)
  expect(made.blobId).toBe(gitBlobId(whole, 'sha1'))
  const items = doc[key] as unknown[]
  expect(made.shape).toEqual(layoutOf(whole, items.length))
}

describe('aggregateOf', () => {
  it('makes the bytes and the layout of the whole document, across pieces', () => {
    // About 3 MB of items: several pieces of text, each encoded on its own.
    expectSameAsWhole({ generated_by: 'test', format: 1, packages: entries(6000, 7) }, 'packages')
    expectSameAsWhole({ $schema: 'https://example.com/schema.json', skills: entries(3, 11) }, 'skills')
  })

  it('an empty array, and items the ledger cannot find, are made whole as before', () => {
    expectSameAsWhole({ name: 'm', plugins: [] }, 'plugins')
    const odd = { name: 'm', plugins: [{ a: 1 }, {}, 'text'] }
    expectSameAsWhole(odd, 'plugins')
    expect(aggregateOf(odd, 'plugins').shape).toBeUndefined()
    // A frame with objects where the ledger looks for items: no layout, as the scan would find.
    const frame = { extra: [{ b: 2 }], plugins: [{ a: 1 }] }
    expectSameAsWhole(frame, 'plugins')
  })
})

function place(): { root: string; site: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-registry-aggregate-'))
  dirs.push(dir)
  const root = path.join(dir, 'root')
  mkdirSync(root)
  return { root, site: path.join(dir, 'site') }
}

function resultWith(files: BuildResult['files']): BuildResult {
  return {
    head: 'a'.repeat(40),
    mode: 'full',
    reason: '',
    packageCount: 0,
    added: [],
    updated: [],
    removed: [],
    withheld: [],
    findings: [],
    files,
    packagesRead: 0,
    state: {
      format: 1,
      generator: { name: 'test', version: 'test' },
      commit: 'a'.repeat(40),
      registry_commit: '',
      options: { config: 'marketplace.config.yaml', catalog: false },
      packages: 0,
      files: []
    }
  }
}

const pieces = (...texts: string[]) => texts.map((t) => Buffer.from(t, 'utf8'))
const recorded = { size: 0, sha256: '' }

describe('RegistryOutputs.put', () => {
  it('writes a site file now and puts a root file in place only when the build is applied', async () => {
    const { root, site } = place()
    writeFileSync(path.join(root, 'registry.json'), 'old\n')
    const out = new RegistryOutputs(root, site)
    await out.put('site', 'index.json', pieces('{"a":', '1}\n'))
    await out.put('root', 'registry.json', pieces('new', '\n'))
    await out.put('root', '.registry/index.json', pieces('{}\n'))
    expect(readFileSync(path.join(site, 'index.json'), 'utf8')).toBe('{"a":1}\n')
    // Until the files are applied, the last build's registry.json stays.
    expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe('old\n')
    expect(existsSync(path.join(root, '.registry/index.json'))).toBe(false)
    const applied = await out.apply(
      resultWith([
        { area: 'site', path: 'index.json', recorded },
        { area: 'root', path: 'registry.json', recorded },
        { area: 'root', path: '.registry/index.json', recorded }
      ])
    )
    expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe('new\n')
    expect(readFileSync(path.join(root, '.registry/index.json'), 'utf8')).toBe('{}\n')
    // A site outside the root is shown by its absolute path.
    expect(applied.written).toEqual(['.registry/index.json', path.join(site, 'index.json'), 'registry.json'].sort())
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('leaves a root file with the same bytes alone (not listed as written)', async () => {
    const { root, site } = place()
    writeFileSync(path.join(root, 'registry.json'), 'same bytes\n')
    const out = new RegistryOutputs(root, site)
    await out.put('root', 'registry.json', pieces('same ', 'bytes\n'))
    const applied = await out.apply(resultWith([{ area: 'root', path: 'registry.json', recorded }]))
    expect(applied.written).toEqual([])
    expect(readdirSync(root)).toEqual(['registry.json'])
  })

  it('removes what it set aside when the build fails before its files are applied', async () => {
    const { root, site } = place()
    writeFileSync(path.join(root, 'registry.json'), 'old\n')
    const out = new RegistryOutputs(root, site)
    await out.put('root', 'registry.json', pieces('new\n'))
    expect(readdirSync(root).length).toBe(2)
    await out.discard()
    expect(readdirSync(root)).toEqual(['registry.json'])
    expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe('old\n')
  })
})
