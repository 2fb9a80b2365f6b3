// registry.json after a scores run by replacing only the changed values (src/core/scores/registry-splice.ts):
// the bytes are always canonicalJson of the updated registry. A file that is not exactly canonical
// (other spacing, key order, escapes or number spellings, an old entry the reader completes) is
// refused, so the caller serialises as before; seeded byte mutations never give other bytes.
import { describe, it, expect } from '@jest/globals'
import type { Registry, RegistryPackage } from '../src/generated/schema-types.js'
import { canonicalJson } from '../src/core/registry/json.js'
import { scanRegistry, spliceAt, spliceScores } from '../src/core/scores/registry-splice.js'
import { scanVouchedRegistry } from '../src/core/scores/registry-lines.js'
import { parseRegistry } from '../src/core/registry/read.js'
import { rng } from './helpers/random.js'

function registry(n: number): Registry {
  const packages: RegistryPackage[] = Array.from({ length: n }, (_, i) => ({
    name: `package-${i}`,
    publisher: `publisher-${i % 3}`,
    type: i % 4 === 0 ? 'mcp-server' : 'skill',
    version: '1.1.0',
    // Text the engine escapes, and text it writes as it is.
    description: `Line one\nline "two" \\ tab\t bell\u0007 é ✓ 😀 ${i}`,
    tags: i % 2 ? ['a', 'b'] : [],
    downloads: i * 7,
    score: i % 5 === 0 ? null : 0.1234 + i / 1000,
    entrypoint: 'SKILL.md',
    path: `publishers/publisher-${i % 3}/package-${i}`,
    digest: `sha256:${'ab'.repeat(32)}`,
    commit: 'c'.repeat(40),
    published_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-02-01T00:00:00Z',
    versions: [
      { version: '1.1.0', digest: `sha256:${'ab'.repeat(32)}`, commit: 'c'.repeat(40), published_at: '2026-02-01T00:00:00Z' },
      { version: '1.0.0', digest: `sha256:${'cd'.repeat(32)}`, commit: 'd'.repeat(40), published_at: '2026-01-01T00:00:00Z' }
    ]
  }))
  packages.sort((a, b) => (`${a.publisher}/${a.name}` < `${b.publisher}/${b.name}` ? -1 : 1))
  return { version: 2, updated_at: '2026-02-01T00:00:00Z', generator: { name: 'marketplace-actions', version: '0.1.0' }, packages }
}

/** The scores run's change: new downloads and scores for some packages. */
function rescored(before: Registry, seed: number): Registry {
  const r = rng(seed)
  return {
    ...before,
    packages: before.packages.map((p) =>
      r() < 0.5 ? p : { ...p, downloads: Math.floor(r() * 1e6), score: r() < 0.1 ? null : Math.round(r() * 1e4) / 1e4 }
    )
  }
}

const read = (bytes: Uint8Array): Registry | undefined => {
  const r = parseRegistry(bytes)
  return r.ok ? r.registry : undefined
}

describe('spliceScores', () => {
  it('gives canonicalJson of the updated registry for a canonical file, and says when nothing changed', () => {
    const bytes = Buffer.from(canonicalJson(registry(30)))
    const before = read(bytes) as Registry
    for (const seed of [1, 2, 3]) {
      const after = rescored(before, seed)
      const out = spliceScores(bytes, before, after)
      expect(out?.changed).toBe(true)
      expect(Buffer.from(out?.bytes as Uint8Array).toString('utf8')).toBe(canonicalJson(after))
    }
    const same = spliceScores(bytes, before, { ...before, packages: [...before.packages] })
    expect(same).toEqual({ bytes, changed: false })
  })

  it('refuses a file that is not exactly canonical, or an old entry the reader completed', () => {
    const value = registry(6)
    const canonical = canonicalJson(value)
    const variants = [
      `${JSON.stringify(value, null, 4)}\n`,
      `${JSON.stringify(value, null, 2)}\n`, // keys in insertion order, not sorted
      canonical.replace('"publishers/', '"publishers\\/'),
      canonical.replace('"downloads": 7,', '"downloads": 7.0,'),
      canonical.replace('"downloads": 7,', '"downloads": 7e0,'),
      canonical.replace('"downloads": 7,', '"downloads": 7 ,'),
      canonical.replace('\\u0007', '\\u0007'.toUpperCase()),
      canonical.replace('é', '\\u00e9'),
      canonical.trimEnd(),
      `\uFEFF${canonical}`
    ]
    for (const text of variants) {
      expect(text).not.toBe(canonical)
      const bytes = Buffer.from(text)
      const before = read(bytes)
      if (!before) continue
      expect(spliceScores(bytes, before, rescored(before, 4))).toBeUndefined()
    }
    // An entry without `versions`: the reader adds its current version, so the parsed value is not the file's.
    const old = { ...value, packages: value.packages.map((p, i) => (i === 2 ? { ...p, versions: undefined } : p)) }
    const oldBytes = Buffer.from(canonicalJson(old))
    const before = read(oldBytes) as Registry
    expect(before.packages[2]?.versions).toHaveLength(1)
    expect(spliceScores(oldBytes, before, rescored(before, 5))).toBeUndefined()
  })

  it('never gives other bytes than canonicalJson on seeded byte mutations', () => {
    const base = Buffer.from(canonicalJson(registry(4)))
    const r = rng(6)
    const alphabet = Buffer.from('{}[]:," \n\\u0123456789.eE-abnrtf')
    let spliced = 0
    for (let i = 0; i < 800; i++) {
      const bytes = Buffer.from(base)
      bytes[Math.floor(r() * bytes.length)] = alphabet[Math.floor(r() * alphabet.length)] as number
      const before = read(bytes)
      if (!before) continue
      const after = rescored(before, i)
      const out = spliceScores(bytes, before, after)
      if (!out) continue
      spliced++
      expect(Buffer.from(out.bytes).toString('utf8')).toBe(canonicalJson(after))
    }
    expect(spliced).toBeGreaterThan(10)
  })
})

describe('scanRegistry', () => {
  /** What the formula reads of an entry, from the parsed registry. */
  const fields = (p: RegistryPackage) => ({
    name: p.name,
    publisher: p.publisher,
    type: p.type,
    version: p.version,
    downloads: p.downloads,
    score: p.score,
    ...(p.updated_at !== undefined ? { updated_at: p.updated_at } : {}),
    ...(p.review ? { review: { verdict: p.review.verdict } } : {}),
    ...(p.versions ? { versions: p.versions.map((v) => ({ version: v.version, published_at: v.published_at })) } : {})
  })

  it('reads what the formula needs, as the parser does, and splices as spliceScores does', () => {
    const value = registry(30)
    value.packages[3] = {
      ...(value.packages[3] as RegistryPackage),
      review: { verdict: 'fail', commit: 'e'.repeat(40), errors: 1, warnings: 0 }
    }
    const bytes = Buffer.from(canonicalJson(value))
    const before = read(bytes) as Registry
    const scan = scanRegistry(bytes)
    expect(scan?.entries).toEqual(before.packages.map(fields))
    const after = rescored(before, 7)
    expect(spliceAt(bytes, scan?.spans ?? [], after.packages)).toEqual(spliceScores(bytes, before, after))
  })

  it('splices in place, when the buffer has room after the bytes, to the same bytes as a copy', () => {
    const r = rng(21)
    for (let round = 0; round < 40; round++) {
      const value = registry(25)
      // Values that grow and values that shrink, in runs and alone, so runs move both ways.
      value.packages = value.packages.map((p) => ({ ...p, downloads: r() < 0.5 ? Math.floor(r() * 1e7) : Math.floor(r() * 10) }))
      const text = canonicalJson(value)
      const after = {
        ...value,
        packages: value.packages.map((p) =>
          r() < 0.3
            ? p
            : {
                ...p,
                downloads: r() < 0.5 ? Math.floor(r() * 1e8) : Math.floor(r() * 10),
                score: r() < 0.2 ? null : Math.round(r() * 1e4) / 1e4
              }
        )
      }
      const want = Buffer.from(canonicalJson(after))
      const size = Buffer.byteLength(text)
      const roomy = Buffer.alloc(size + 4096).subarray(0, size)
      roomy.write(text)
      const scan = scanRegistry(roomy)
      if (!scan) throw new Error('the canonical registry was not scanned')
      const copy = spliceAt(Buffer.from(text), scan.spans, after.packages)
      const inPlace = spliceAt(roomy, scan.spans, after.packages, true)
      expect(Buffer.from(copy?.bytes ?? []).equals(want)).toBe(true)
      expect(Buffer.from(inPlace?.bytes ?? []).equals(want)).toBe(true)
      // Written over the bytes read, not into new memory.
      expect(inPlace?.bytes.buffer).toBe(roomy.buffer)
      // No room after the bytes (a buffer of their size): a copy, the bytes read untouched.
      const tight = Buffer.from(text)
      const grown = want.length > size
      const spliced = spliceAt(tight, scan.spans, after.packages, true)
      expect(Buffer.from(spliced?.bytes ?? []).equals(want)).toBe(true)
      if (grown) expect(tight.toString('utf8')).toBe(text)
    }
  })

  it('refuses what spliceScores refuses, an old entry, and a field the formula reads that is not a plain value', () => {
    const value = registry(6)
    const canonical = canonicalJson(value)
    for (const text of [
      `${JSON.stringify(value, null, 2)}\n`,
      canonical.replace('"downloads": 7,', '"downloads": 7.0,'),
      canonical.replace('"downloads": 7,', '"downloads": "7",'),
      canonical.replace('"downloads": 7,', '"downloads": -7,'),
      canonical.replace('"score": null,', '"score": "0.5",'),
      canonical.replace('"name": "package-1",', '"name": "package\\u00001",'),
      canonical.replace('"version": "1.1.0"', '"version": "1.1.\\u0030"'),
      canonical.replace('"versions": [', '"versions": {"a": [').replace(/("published_at": "2026-01-01T00:00:00Z"\n {6}}\n {4}])/, '$1}')
    ]) {
      expect(text).not.toBe(canonical)
      expect(scanRegistry(Buffer.from(text))).toBeUndefined()
    }
    const old = { ...value, packages: value.packages.map((p, i) => (i === 2 ? { ...p, versions: undefined } : p)) }
    expect(scanRegistry(Buffer.from(canonicalJson(old)))).toBeUndefined()
    // No digest or no commit: the reader completes nothing, and neither does the scan.
    const bare = { ...value, packages: value.packages.map((p) => ({ ...p, digest: undefined, versions: undefined })) }
    const bareBytes = Buffer.from(canonicalJson(bare))
    expect(scanRegistry(bareBytes)?.entries).toEqual((read(bareBytes) as Registry).packages.map(fields))
  })

  it('reads the same fields as the parser on seeded byte mutations, whenever it reads at all', () => {
    const base = Buffer.from(canonicalJson(registry(4)))
    const r = rng(8)
    const alphabet = Buffer.from('{}[]:," \n\\u0123456789.eE-abnrtf')
    let scanned = 0
    for (let i = 0; i < 800; i++) {
      const bytes = Buffer.from(base)
      bytes[Math.floor(r() * bytes.length)] = alphabet[Math.floor(r() * alphabet.length)] as number
      const scan = scanRegistry(bytes)
      if (!scan) continue
      // The scan does not validate (the run checks the file aside); what it read is what JSON.parse reads.
      const parsed = JSON.parse(bytes.toString('utf8')) as Registry
      // A misspelt `packages` is no list of entries to the scan (the schema check refuses the file).
      if (!Array.isArray(parsed.packages)) {
        expect(scan.entries).toEqual([])
        continue
      }
      expect(scan.entries).toEqual(parsed.packages.map(fields))
      const after = rescored(parsed, i)
      expect(Buffer.from(spliceAt(bytes, scan.spans, after.packages)?.bytes ?? []).toString('utf8')).toBe(
        `${JSON.stringify(after, null, 2)}\n`
      )
      scanned++
    }
    expect(scanned).toBeGreaterThan(10)
  })
})

describe('scanVouchedRegistry (the line reader of vouched-for bytes)', () => {
  const same = (bytes: Buffer) => {
    const lines = scanVouchedRegistry(bytes)
    const walk = scanRegistry(bytes)
    expect(lines).toBeDefined()
    expect(lines?.entries).toEqual(walk?.entries)
    // The spans the splice uses, and the version counts.
    expect(lines?.spans.map(({ keys: _, ...s }) => s)).toEqual(walk?.spans.map(({ keys: _, ...s }) => s))
  }

  it('reads from canonical bytes exactly what the byte walk reads', () => {
    const value = registry(40)
    value.packages[3] = {
      ...(value.packages[3] as RegistryPackage),
      review: { verdict: 'fail', commit: 'e'.repeat(40), errors: 1, warnings: 0 }
    }
    value.packages[5] = {
      ...(value.packages[5] as RegistryPackage),
      review: { verdict: 'pass', commit: 'e'.repeat(40), errors: 0, warnings: 2 }
    }
    value.packages[6] = { ...(value.packages[6] as RegistryPackage), updated_at: undefined, versions: [], digest: undefined }
    value.packages[7] = { ...(value.packages[7] as RegistryPackage), score: 1e-7, downloads: 0 }
    same(Buffer.from(canonicalJson(value)))
    same(Buffer.from(canonicalJson({ ...value, packages: [] })))
    same(Buffer.from(canonicalJson({ ...value, stats_url: 'https://stats.example.com', commit: 'f'.repeat(40) })))
  })

  it('gives up on what the layout does not explain, and on an old entry the reader would complete', () => {
    const value = registry(6)
    const canonical = canonicalJson(value)
    for (const text of [
      `${JSON.stringify(value, null, 4)}\n`,
      canonical.replace('"downloads": 7,', '"downloads": 7.0,'),
      canonical.replace('"downloads": 7,', '"downloads": "7",'),
      canonical.replace('"score": null,', '"score": "0.5",'),
      canonical.replace('"name": "package-1",', '"name": "package\\u00001",'),
      canonical.replace(/\n {6}"name": "package-1",/, '')
    ]) {
      expect(text).not.toBe(canonical)
      expect(scanVouchedRegistry(Buffer.from(text))).toBeUndefined()
    }
    const old = { ...value, packages: value.packages.map((p, i) => (i === 2 ? { ...p, versions: undefined } : p)) }
    expect(scanVouchedRegistry(Buffer.from(canonicalJson(old)))).toBeUndefined()
  })

  it('reads entries that lack each optional field as the byte walk does, every entry after them too', () => {
    // Each optional field the reader looks for left out of some entries, of every entry from one on, or of all.
    const optional = ['updated_at', 'review', 'versions', 'digest', 'commit'] as const
    for (const field of optional)
      for (const lacks of [(i: number) => i % 3 === 1, (i: number) => i >= 20, () => true]) {
        const value = registry(40)
        value.packages = value.packages.map((p, i) => {
          const withReview: RegistryPackage =
            i % 2 ? { ...p, review: { verdict: 'pass', commit: 'e'.repeat(40), errors: 0, warnings: 0 } } : p
          // An entry without `versions` but with a digest and commit is an old one (refused above): it lacks all three.
          const left = field === 'versions' ? { versions: undefined, digest: undefined, commit: undefined } : { [field]: undefined }
          return lacks(i) ? { ...withReview, ...left } : withReview
        })
        same(Buffer.from(canonicalJson(value)))
      }
  })

  it('gives up on members out of sorted order, which no canonical file has', () => {
    const canonical = canonicalJson(registry(4))
    // `updated_at` (optional) moved before `type`, and `downloads` (required) after `score`: each found out of order.
    const updated = canonical.replace(/(\n {6}"type": [^\n]*)(\n {6}"updated_at": [^\n]*)/, '$2$1')
    const downloads = canonical.replace(/(\n {6}"downloads": [^\n]*)((?:\n {6}"[a-z_]+": [^\n]*)*?)(\n {6}"score": [^\n]*)/, '$2$3$1')
    for (const text of [updated, downloads]) {
      expect(text).not.toBe(canonical)
      expect(scanVouchedRegistry(Buffer.from(text))).toBeUndefined()
    }
  })
})
