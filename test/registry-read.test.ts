// The one registry.json reader: what the build, the version check and the scores job all see.
import { describe, it, expect } from '@jest/globals'
import { parseRegistry, publishedVersionsById, registryOrThrow } from '../src/core/registry/read.js'
import { ConfigError } from '../src/core/errors.js'

const digest = `sha256:${'a'.repeat(64)}`
const commit = 'b'.repeat(40)
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value, null, 2))

const entry = (extra: Record<string, unknown>) => ({
  name: 'demo',
  publisher: 'alice',
  type: 'skill',
  version: '1.2.0',
  tags: [],
  downloads: 0,
  score: null,
  ...extra
})

describe('parseRegistry', () => {
  it('reads an entry written before `versions` existed as a one-version history, dated by the entry', () => {
    const read = parseRegistry(
      bytes({ version: 2, updated_at: '2026-03-01T00:00:00Z', packages: [entry({ digest, commit, updated_at: '2026-02-01T00:00:00Z' })] })
    )
    expect(read.ok).toBe(true)
    if (!read.ok) return
    expect(publishedVersionsById(read.registry).get('alice/demo')).toEqual([
      { version: '1.2.0', digest, commit, published_at: '2026-02-01T00:00:00Z' }
    ])
  })

  it('dates such an entry by the registry when the entry has no dates of its own', () => {
    const read = parseRegistry(bytes({ version: 2, updated_at: '2026-03-01T00:00:00Z', packages: [entry({ digest, commit })] }))
    expect(read.ok && read.registry.packages[0]?.versions?.[0]?.published_at).toBe('2026-03-01T00:00:00Z')
  })

  it('keeps a current file as it is', () => {
    const versions = [{ version: '1.2.0', digest, commit, published_at: '2026-02-01T00:00:00Z' }]
    const doc = { version: 2, updated_at: '2026-03-01T00:00:00Z', packages: [entry({ digest, commit, versions })] }
    const read = parseRegistry(bytes(doc))
    expect(read.ok && read.registry).toEqual(doc)
  })

  it('locates a schema problem at its line and column', () => {
    const read = parseRegistry(bytes({ version: 2, updated_at: '2026-03-01T00:00:00Z', packages: [entry({ version: 7 })] }))
    expect(read.ok).toBe(false)
    if (read.ok) return
    expect(read.reason).toBe('does not match the registry schema')
    expect(read.details.join('\n')).toMatch(/^registry\.json:\d+:\d+: .*version/m)
  })

  it('says where JSON breaks', () => {
    const read = parseRegistry(bytes('{"version": 2,\n  "packages": [,]}'))
    expect(read).toMatchObject({ ok: false, reason: 'is not valid JSON' })
    expect(!read.ok && read.details[0]).toMatch(/^registry\.json:2:\d+: /)
  })

  it("turns a broken file into a configuration error with the caller's advice", () => {
    expect(() => registryOrThrow(bytes('[]'), 'registry.json on main', 'Rebuild it.')).toThrow(ConfigError)
    expect(() => registryOrThrow(bytes('[]'), 'registry.json on main', 'Rebuild it.')).toThrow(
      /^registry\.json on main does not match the registry schema\. Rebuild it\./
    )
  })
})
