// The aggregates made item by item (src/core/registry/build/aggregate.ts) are the bytes
// canonicalBytes gives for the whole document, and the layout they record as they are made is the
// one the ledger's scan finds in those bytes; the writer puts an aggregate handed over for the root
// in place only when the build's files are applied (root files last), and removes it when the build
// fails first; a spliced file (putSpliced) is set aside in the pass that hashes it, the same way.
import { describe, it, expect, afterAll } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { aggregateOf, blobIdOf, piecesOf } from '../src/core/registry/build/aggregate.js'
import { LedgerError, itemStarts, layoutOf, spliceItems } from '../src/core/registry/build/ledger.js'
import { canonicalBytes, canonicalItemJson } from '../src/core/registry/json.js'
import { gitBlobId } from '../src/core/registry/published-index.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import type { BuildResult } from '../src/core/registry/build/build.js'
import type { SplicePart } from '../src/core/registry/build/types.js'
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
  const made = aggregateOf(doc, key)
  const pieces = piecesOf(made)
  expect(Buffer.concat(pieces).equals(whole)).toBe(true)
  expect(made.size).toBe(whole.length)
  expect(made.sha256).toBe(createHash('sha256').update(whole).digest('hex'))
  expect(blobIdOf(pieces, made.size, 'sha1')).toBe(gitBlobId(whole, 'sha1'))
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
    // An empty object among the items: its bytes as before, no layout (the ledger's scan finds none).
    const empty = { name: 'm', plugins: [{ a: 1 }, {}, { b: 2 }] }
    expectSameAsWhole(empty, 'plugins')
    const made = aggregateOf(empty, 'plugins')
    piecesOf(made)
    expect(made.shape).toBeUndefined()
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

describe('spliceItems', () => {
  const doc = { name: 'marketplace', packages: entries(60, 7), updated_at: '2026-01-01T00:00:00Z' }
  const whole = Buffer.from(canonicalBytes(doc))
  const shape = layoutOf(whole, doc.packages.length)
  if (!shape) throw new Error('the test document is not laid out as the ledger expects')
  const lengths = Uint32Array.from(shape.lengths)
  const bytesOf = (parts: SplicePart[]) => Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : whole.subarray(p.start, p.end))))

  it('finds where each item starts from the lengths, for any set of items given in any order', () => {
    const first = shape.layout.first
    const all = itemStarts(lengths, doc.packages.keys(), first)
    for (const [i, item] of doc.packages.entries()) {
      const start = all.get(i) as number
      expect(whole.subarray(start, start + (lengths[i] as number)).toString('utf8')).toBe(canonicalItemJson(item))
    }
    // A few, out of order and repeated: the same starts.
    const next = rng(5)
    for (let round = 0; round < 20; round++) {
      const some = Array.from({ length: 1 + Math.floor(next() * 5) }, () => Math.floor(next() * lengths.length))
      expect([...itemStarts(lengths, [...some, ...some].reverse(), first)]).toEqual(
        [...new Set(some)].sort((a, b) => a - b).map((i) => [i, all.get(i)])
      )
    }
    // One past the last: where an item after it would start.
    expect(itemStarts(lengths, [lengths.length], first).get(lengths.length)).toBe(shape.layout.end + 6)
    expect(() => itemStarts(lengths, [2, lengths.length + 1], first)).toThrow(LedgerError)
    expect(() => itemStarts(lengths, [-1], first)).toThrow(LedgerError)
  })

  it('gives the bytes of the whole document made again, for items replaced anywhere, in any order given', () => {
    const next = rng(11)
    for (let round = 0; round < 40; round++) {
      const changed = new Map<number, Buffer>()
      const packages = [...doc.packages]
      for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
        const i = round === 0 ? 0 : round === 1 ? packages.length - 1 : Math.floor(next() * packages.length)
        const item = { ...packages[i], description: 'x'.repeat(Math.floor(next() * 300)) }
        packages[i] = item
        changed.set(i, Buffer.from(canonicalItemJson(item), 'utf8'))
      }
      // Handed over out of order: the splice sorts them.
      const replace = new Map([...changed].reverse())
      const { packages: _items, ...frame } = doc
      const made = spliceItems(shape.layout, lengths, frame, 'packages', replace)
      const expected = Buffer.from(canonicalBytes({ ...doc, packages }))
      expect(bytesOf(made.parts).equals(expected)).toBe(true)
      expect(made).toMatchObject({ first: shape.layout.first, end: layoutOf(expected, packages.length)?.layout.end })
    }
  })
})

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

describe('RegistryOutputs.put, piece by piece', () => {
  /** The pieces as a generator, as aggregateOf hands them over; `check` runs before each after the first. */
  function* taken(texts: string[], check?: (done: number) => void): Generator<Buffer> {
    let done = 0
    for (const t of texts) {
      if (done > 0) check?.(done)
      yield Buffer.from(t, 'utf8')
      done += Buffer.byteLength(t)
    }
  }

  const tmpFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'))

  it('writes each piece before the next is made, and gives the blob id of the bytes written', async () => {
    const { root, site } = place()
    mkdirSync(site)
    const out = new RegistryOutputs(root, site)
    const texts = ['{\n  "a": ', '"ünï"', ',\n  "b": 2\n}\n']
    const sizes: number[] = []
    const blob = await out.put(
      'root',
      'registry.json',
      taken(texts, () => {
        const [tmp] = tmpFiles(root)
        sizes.push(tmp ? statSync(path.join(root, tmp)).size : -1)
      }),
      'sha1'
    )
    const whole = Buffer.from(texts.join(''), 'utf8')
    expect(sizes).toEqual([Buffer.byteLength(texts[0] as string), Buffer.byteLength(texts.slice(0, 2).join(''))])
    expect(blob).toBe(gitBlobId(whole, 'sha1'))
    await out.apply(resultWith([{ area: 'root', path: 'registry.json', recorded }]))
    expect(readFileSync(path.join(root, 'registry.json')).equals(whole)).toBe(true)
    expect(tmpFiles(root)).toEqual([])
  })

  it('compares with the file in place as it goes: a difference in any piece, a longer or a shorter file is written whole', async () => {
    const cases: [inPlace: string, pieces: string[]][] = [
      ['aaaa bbbb cccc\n', ['aaaa ', 'bbbX ', 'cccc\n']], // differs in the second piece
      ['aaaa bbbb cccc\n', ['aaaa ', 'bbbb ', 'cccc\n', 'more\n']], // the new file is longer
      ['aaaa bbbb cccc\nmore\n', ['aaaa ', 'bbbb ', 'cccc\n']], // the new file is shorter
      ['aaaa\n', ['', 'bbbb\n']] // an empty piece, then a difference at the start
    ]
    for (const [inPlace, texts] of cases) {
      const { root, site } = place()
      writeFileSync(path.join(root, 'registry.json'), inPlace)
      const out = new RegistryOutputs(root, site)
      const whole = Buffer.from(texts.join(''), 'utf8')
      expect(await out.put('root', 'registry.json', taken(texts), 'sha256')).toBe(gitBlobId(whole, 'sha256'))
      // The file in place is the last build's until the build is applied.
      expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe(inPlace)
      const applied = await out.apply(resultWith([{ area: 'root', path: 'registry.json', recorded }]))
      expect(applied.written).toEqual(['registry.json'])
      expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe(texts.join(''))
      expect(tmpFiles(root)).toEqual([])
    }
  })

  it('leaves a file with the same bytes alone, in the root and in an existing site folder, and names it by its blob id', async () => {
    const { root, site } = place()
    mkdirSync(site)
    const text = 'same bytes, in pieces\n'
    writeFileSync(path.join(root, 'registry.json'), text)
    writeFileSync(path.join(site, 'index.json'), text)
    const before = statSync(path.join(site, 'index.json')).ino
    const out = new RegistryOutputs(root, site)
    const texts = ['same ', 'bytes, ', 'in pieces\n']
    expect(await out.put('root', 'registry.json', taken(texts), 'sha1')).toBe(gitBlobId(Buffer.from(text), 'sha1'))
    await out.put('site', 'index.json', taken(texts))
    expect(statSync(path.join(site, 'index.json')).ino).toBe(before)
    const applied = await out.apply(
      resultWith([
        { area: 'root', path: 'registry.json', recorded },
        { area: 'site', path: 'index.json', recorded }
      ])
    )
    expect(applied.written).toEqual([])
    expect(tmpFiles(root)).toEqual([])
    expect(tmpFiles(site)).toEqual([])
  })

  it('a site file in an existing folder is replaced through a temporary file when its bytes differ', async () => {
    const { root, site } = place()
    mkdirSync(site)
    writeFileSync(path.join(site, 'index.json'), 'old bytes\n')
    const out = new RegistryOutputs(root, site)
    await out.put('site', 'index.json', taken(['old ', 'and new\n']))
    expect(readFileSync(path.join(site, 'index.json'), 'utf8')).toBe('old and new\n')
    expect(tmpFiles(site)).toEqual([])
  })

  it('leaves nothing behind when the pieces fail half-way, and the last build’s file as it was', async () => {
    const { root, site } = place()
    mkdirSync(site)
    writeFileSync(path.join(root, 'registry.json'), 'old\n')
    writeFileSync(path.join(site, 'index.json'), 'old\n')
    function* failing(): Generator<Buffer> {
      yield Buffer.from('new ')
      throw new Error('the maker failed')
    }
    const out = new RegistryOutputs(root, site)
    await expect(out.put('root', 'registry.json', failing())).rejects.toThrow('the maker failed')
    await expect(out.put('site', 'index.json', failing())).rejects.toThrow('the maker failed')
    await out.discard()
    expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe('old\n')
    expect(readFileSync(path.join(site, 'index.json'), 'utf8')).toBe('old\n')
    expect(tmpFiles(root)).toEqual([])
    expect(tmpFiles(site)).toEqual([])
  })

  it('an aggregate made as it is written: the pieces are taken once, and its digest is known only after', async () => {
    const { root, site } = place()
    const doc = { generated_by: 'test', format: 1, packages: entries(3000, 5) }
    const made = aggregateOf(doc, 'packages')
    expect(() => made.size).toThrow('before it was written')
    const out = new RegistryOutputs(root, site)
    const blob = await out.put('root', 'registry.json', made.pieces, 'sha1')
    expect(() => made.pieces).toThrow('written twice')
    const whole = Buffer.from(canonicalBytes(doc))
    expect(blob).toBe(gitBlobId(whole, 'sha1'))
    expect(made.size).toBe(whole.length)
    expect(made.shape).toEqual(layoutOf(whole, 3000))
    await out.apply(resultWith([{ area: 'root', path: 'registry.json', recorded }]))
    expect(readFileSync(path.join(root, 'registry.json')).equals(whole)).toBe(true)
  })
})

describe('RegistryOutputs.putSpliced', () => {
  const tmpFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'))
  /** Bytes of every value, more than one piece of the writer's buffer (1 MB). */
  const old = Buffer.from(Array.from({ length: 2_600_000 }, (_, i) => (i * 7 + (i >> 11)) & 0xff))
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

  it('sets the file aside in one pass, hashed as written, and puts it in place when the build is applied', async () => {
    const { root, site } = place()
    mkdirSync(site)
    writeFileSync(path.join(root, 'registry.json'), old)
    writeFileSync(path.join(site, 'ledger'), old)
    // A hard link to the file in place (a copy made with `cp -al`) keeps the old bytes: the file is replaced, never written in place.
    linkSync(path.join(root, 'registry.json'), path.join(root, 'linked'))
    // Ranges that move (after a longer new item) and ranges across the buffer's pieces.
    const parts = [Buffer.from('head'), { start: 10, end: 1_200_000 }, Buffer.from('a new item'), { start: 1_200_005, end: old.length }]
    const expected = Buffer.concat([Buffer.from('head'), old.subarray(10, 1_200_000), Buffer.from('a new item'), old.subarray(1_200_005)])
    const out = new RegistryOutputs(root, site)
    const root1 = await out.putSpliced('root', 'registry.json', parts, { blob: 'sha1' })
    expect(root1).toEqual({ size: expected.length, sha256: sha256(expected), blobId: gitBlobId(expected, 'sha1') })
    // Patched in place (nothing moves), with no blob id asked.
    const patched = [{ start: 0, end: 100 }, Buffer.from('x'), { start: 101, end: old.length }]
    const expectedPatch = Buffer.concat([old.subarray(0, 100), Buffer.from('x'), old.subarray(101)])
    expect(await out.putSpliced('site', 'ledger', patched)).toEqual({ size: old.length, sha256: sha256(expectedPatch) })
    // Set aside until the build is applied.
    expect(readFileSync(path.join(root, 'registry.json')).equals(old)).toBe(true)
    expect(readFileSync(path.join(site, 'ledger')).equals(old)).toBe(true)
    expect(tmpFiles(root).length + tmpFiles(site).length).toBe(2)
    const applied = await out.apply(
      resultWith([
        { area: 'site', path: 'ledger', recorded },
        { area: 'root', path: 'registry.json', recorded }
      ])
    )
    expect(readFileSync(path.join(root, 'registry.json')).equals(expected)).toBe(true)
    expect(readFileSync(path.join(site, 'ledger')).equals(expectedPatch)).toBe(true)
    expect(readFileSync(path.join(root, 'linked')).equals(old)).toBe(true)
    expect(applied.written).toEqual([path.join(site, 'ledger'), 'registry.json'])
    expect([...tmpFiles(root), ...tmpFiles(site)]).toEqual([])
  })

  it('gives undefined and leaves nothing set aside when the file in place ends before a range, or is missing', async () => {
    const { root, site } = place()
    writeFileSync(path.join(root, 'registry.json'), old)
    const out = new RegistryOutputs(root, site)
    expect(await out.putSpliced('root', 'registry.json', [Buffer.from('x'), { start: 0, end: old.length + 1 }])).toBeUndefined()
    expect(await out.putSpliced('root', 'absent.json', [{ start: 0, end: 1 }])).toBeUndefined()
    expect(readdirSync(root)).toEqual(['registry.json'])
    expect(readFileSync(path.join(root, 'registry.json')).equals(old)).toBe(true)
  })

  it('removes what it set aside when the build goes no further', async () => {
    const { root, site } = place()
    writeFileSync(path.join(root, 'registry.json'), old)
    const out = new RegistryOutputs(root, site)
    await out.putSpliced('root', 'registry.json', [Buffer.from('new'), { start: 3, end: old.length }])
    expect(tmpFiles(root).length).toBe(1)
    await out.discard()
    expect(readdirSync(root)).toEqual(['registry.json'])
    expect(readFileSync(path.join(root, 'registry.json')).equals(old)).toBe(true)
  })
})

describe('RegistryOutputs.putSpliced with patch (the ledger: the splice stands aside no more)', () => {
  const old = Buffer.from(Array.from({ length: 2_600_000 }, (_, i) => (i * 13 + (i >> 9)) & 0xff))
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
  const whole = (...parts: Uint8Array[]) => Buffer.concat(parts)
  /** A site folder holding `ledger` = old, and its inode. */
  const siteWithLedger = () => {
    const { root, site } = place()
    mkdirSync(site)
    writeFileSync(path.join(site, 'ledger'), old)
    return { root, site, file: path.join(site, 'ledger'), ino: statSync(path.join(site, 'ledger')).ino }
  }

  it('patches a site file where it lies: the new bytes written at their places, a short range moved, bytes added, hashed whole', async () => {
    const { root, site, file, ino } = siteWithLedger()
    // As a ledger patch: a new header in its room, a length across a piece boundary, a short
    // section moved after appended lines, and the appended lines.
    const parts = [
      Buffer.from('header'),
      { start: 6, end: 1_048_570 },
      Buffer.from('0123456789ab'),
      { start: 1_048_582, end: 2_599_000 },
      Buffer.from('appended line\n'),
      { start: 2_599_000, end: old.length }
    ]
    const expected = whole(
      Buffer.from('header'),
      old.subarray(6, 1_048_570),
      Buffer.from('0123456789ab'),
      old.subarray(1_048_582, 2_599_000),
      Buffer.from('appended line\n'),
      old.subarray(2_599_000)
    )
    const out = new RegistryOutputs(root, site)
    expect(await out.putSpliced('site', 'ledger', parts, { patch: true })).toEqual({ size: expected.length, sha256: sha256(expected) })
    // Written now, in the same file: nothing set aside.
    expect(readFileSync(file).equals(expected)).toBe(true)
    expect(statSync(file).ino).toBe(ino)
    expect(readdirSync(site)).toEqual(['ledger'])
    // Shown as written (as every site file written when handed over), and left alone by apply().
    const applied = await out.apply(resultWith([{ area: 'site', path: 'ledger', recorded }]))
    expect(applied.written).toEqual([file])
    expect(readFileSync(file).equals(expected)).toBe(true)
    expect(readdirSync(site).sort()).toEqual(['.marketplace-actions-build.json', 'ledger'])
  })

  it('cuts a patched file that got shorter', async () => {
    const { root, site, file, ino } = siteWithLedger()
    const out = new RegistryOutputs(root, site)
    const parts = [{ start: 0, end: 1000 }, Buffer.from('x'), { start: 1001, end: 2_000_000 }]
    const expected = whole(old.subarray(0, 1000), Buffer.from('x'), old.subarray(1001, 2_000_000))
    expect(await out.putSpliced('site', 'ledger', parts, { patch: true })).toEqual({ size: expected.length, sha256: sha256(expected) })
    expect(readFileSync(file).equals(expected)).toBe(true)
    expect(statSync(file).ino).toBe(ino)
  })

  it('sets the file aside as usual when another name links to it, when more than a piece moves, and for a root file', async () => {
    const { root, site, file, ino } = siteWithLedger()
    writeFileSync(path.join(root, 'registry.json'), old)
    const out = new RegistryOutputs(root, site)
    const grown = [Buffer.from('longer head'), { start: 4, end: old.length }]
    const expected = whole(Buffer.from('longer head'), old.subarray(4))
    // Every byte after the head moves (2.6 MB, more than a piece): set aside, the file in place untouched until applied.
    expect(await out.putSpliced('site', 'ledger', grown, { patch: true })).toEqual({ size: expected.length, sha256: sha256(expected) })
    expect(readFileSync(file).equals(old)).toBe(true)
    const same = [Buffer.from('HEAD'), { start: 4, end: old.length }]
    expect(await out.putSpliced('root', 'registry.json', same, { patch: true })).toBeDefined()
    expect(readFileSync(path.join(root, 'registry.json')).equals(old)).toBe(true)
    await out.apply(
      resultWith([
        { area: 'site', path: 'ledger', recorded },
        { area: 'root', path: 'registry.json', recorded }
      ])
    )
    expect(readFileSync(file).equals(expected)).toBe(true)
    expect(statSync(file).ino).not.toBe(ino)
    expect(readFileSync(path.join(root, 'registry.json')).equals(whole(Buffer.from('HEAD'), old.subarray(4)))).toBe(true)

    // A hard link (a `cp -al` copy of the site) keeps the old bytes: the file is replaced, never patched.
    const linked = siteWithLedger()
    linkSync(linked.file, path.join(linked.site, 'copy'))
    const out2 = new RegistryOutputs(linked.root, linked.site)
    await out2.putSpliced('site', 'ledger', same, { patch: true })
    await out2.apply(resultWith([{ area: 'site', path: 'ledger', recorded }]))
    expect(readFileSync(linked.file).equals(whole(Buffer.from('HEAD'), old.subarray(4)))).toBe(true)
    expect(readFileSync(path.join(linked.site, 'copy')).equals(old)).toBe(true)
  })

  it('gives undefined and writes nothing when the file ends before a range, or is missing', async () => {
    const { root, site, file } = siteWithLedger()
    const out = new RegistryOutputs(root, site)
    const parts = [Buffer.from('new'), { start: 3, end: 100 }, Buffer.from('more'), { start: 104, end: old.length + 1 }]
    expect(await out.putSpliced('site', 'ledger', parts, { patch: true })).toBeUndefined()
    expect(readFileSync(file).equals(old)).toBe(true)
    expect(await out.putSpliced('site', 'absent', [{ start: 0, end: 1 }], { patch: true })).toBeUndefined()
    expect(readdirSync(site)).toEqual(['ledger'])
  })
})
