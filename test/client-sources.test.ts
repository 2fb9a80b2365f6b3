// The kinds of marketplace source besides an origin: a registry.json URL, an Agent Skills index
// URL (skills only, as `npx skills` reads it; here the per-publisher index), a local folder
// (a clone with registry.json, files read from disk and verified against the registry's digest),
// and owner/repo (mapped to raw.githubusercontent.com and the Pages site; not fetched here). An
// index without digests falls back to the locally computed content hash.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import type { FetchLike } from '../src/core/client/net.js'
import { githubRecord, parseSource } from '../src/core/client/source.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, skillMd, validServer, validSkill } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

const fetchFn = globalThis.fetch as unknown as FetchLike
let repo: TestRepo
let out: OutputDirs
let site: StaticSite
const temps: string[] = []

function freshClient(): MarketplaceClient {
  const ws = mkdtempSync(path.join(tmpdir(), 'mpa-sources-ws-'))
  temps.push(ws)
  return new MarketplaceClient({ workspace: ws, fetch: fetchFn })
}

beforeAll(async () => {
  repo = await makeRepo()
  out = outputDirs()
  writeAll(repo, {
    ...validSkill('alice', 'notes'),
    ...validSkill('alice', 'todo'),
    ...validServer('bob', 'gh-review'),
    ...validSkill('carol', 'future'),
    'publishers/carol/future/manifest.yaml': manifestYaml('future', { min_signet_version: '"0.76.0"' })
  })
  commitAt(repo, 'packages', '2026-01-01T10:00:00Z')
  await build(repo, out)
  site = await serveLayers([out.site, out.root, repo.dir])
})

afterAll(async () => {
  await site?.close()
  await repo?.cleanup()
  removeOutputDirs()
  for (const t of temps) rmSync(t, { recursive: true, force: true })
})

describe('marketplace sources', () => {
  it('a registry.json URL: told from an index by its content; skills from the index beside it', async () => {
    const c = freshClient()
    const added = await c.addMarketplace(`${site.origin}/registry.json`)
    expect(added.record).toMatchObject({
      name: '127.0.0.1',
      type: 'registry-url',
      index_url: `${site.origin}/.well-known/agent-skills/index.json`,
      files_base: `${site.origin}/`
    })
    expect((await c.install('notes')).entry).toMatchObject({ artifact_type: 'skill-md', source_type: 'registry-url' })
    expect((await c.install('gh-review')).entry).toMatchObject({ artifact_type: 'files', type: 'mcp-server' })
  })

  it('an Agent Skills index URL (one publisher index): skills only, version and publisher from the artifact URL', async () => {
    const c = freshClient()
    const added = await c.addMarketplace(`${site.origin}/publishers/alice/.well-known/agent-skills/index.json`, { name: 'alice' })
    expect(added).toMatchObject({ record: { type: 'index-url' }, packages: 2 })
    const { results } = await c.search('todo')
    expect(results.map((r) => [r.entry.id, r.entry.version])).toEqual([['alice/todo', '1.0.0']])
    const r = await c.install('todo@alice')
    expect(r.entry).toMatchObject({
      package: 'alice/todo',
      version: '1.0.0',
      source_type: 'index-url',
      digest: expect.stringMatching(/^sha256:/)
    })
    expect(readFileSync(path.join(c.ws.root, 'skills', 'todo', 'SKILL.md'), 'utf8')).toBe(skillMd('todo'))
  })

  it('a local folder: registry.json and the package files read from disk, verified against the package digest', async () => {
    copyFileSync(path.join(out.root, 'registry.json'), path.join(repo.dir, 'registry.json'))
    const c = freshClient()
    const added = await c.addMarketplace(repo.dir, { name: 'local' })
    expect(added).toMatchObject({ record: { type: 'local', folder: repo.dir }, packages: 4 })
    const skill = await c.install('@alice/notes')
    expect(skill.entry).toMatchObject({ artifact_type: 'files', source_type: 'local', digest: skill.entry?.package_digest })
    expect(readFileSync(path.join(c.ws.root, 'skills', 'notes', 'SKILL.md'), 'utf8')).toBe(skillMd('notes'))
    const mcp = await c.install('@bob/gh-review')
    expect(mcp.status).toBe('installed')
    // A working tree that no longer holds the published files is refused.
    repo.write('publishers/alice/todo/SKILL.md', skillMd('todo').replace('Instructions.', 'Edited, not published.'))
    await expect(c.install('todo')).rejects.toThrow(
      /the fetched files do not match the registry's digest .* the folder does not hold the published files/
    )
    repo.write('publishers/alice/todo/SKILL.md', skillMd('todo'))
  })

  it('owner/repo maps to the raw registry.json, package files at their commit, and the Pages site', () => {
    expect(parseSource('signetai/marketplace', () => false)).toEqual({ kind: 'github', owner: 'signetai', repo: 'marketplace' })
    expect(githubRecord('SignetAI', 'marketplace')).toEqual({
      type: 'github',
      registry_url: 'https://raw.githubusercontent.com/SignetAI/marketplace/HEAD/registry.json',
      index_url: 'https://signetai.github.io/marketplace/.well-known/agent-skills/index.json',
      files_base: 'https://raw.githubusercontent.com/SignetAI/marketplace/{commit}/',
      allowed_origins: ['https://raw.githubusercontent.com', 'https://signetai.github.io']
    })
    expect(() => parseSource('not a source', () => false)).toThrow(/is not a marketplace source/)
  })

  it('without an advertised digest, the content hash of the fetched files decides an update', async () => {
    const indexPath = '/.well-known/agent-skills/index.json'
    const index = JSON.parse(readFileSync(path.join(out.site, indexPath), 'utf8')) as { skills: Record<string, unknown>[] }
    site.override.set(indexPath, Buffer.from(JSON.stringify({ ...index, skills: index.skills.map(({ digest: _d, ...s }) => s) })))
    try {
      const c = freshClient()
      await c.addMarketplace(`${site.origin}/.well-known/agent-skills/index.json`, { name: 'nodigest' })
      const first = await c.install('notes')
      expect(first.entry?.digest).toBeUndefined()
      expect((await c.update(['notes'])).results).toEqual([{ name: 'notes', status: 'unchanged', from: '1.0.0', to: '1.0.0' }])
      const artifact = '/publishers/alice/.well-known/agent-skills/notes/1.0.0/SKILL.md'
      site.override.set(artifact, Buffer.from(skillMd('notes').replace('Instructions.', 'Republished instructions.')))
      expect((await c.update(['notes'])).results[0]).toMatchObject({ status: 'updated' })
      expect(readFileSync(path.join(c.ws.root, 'skills', 'notes', 'SKILL.md'), 'utf8')).toContain('Republished instructions.')
    } finally {
      site.override.clear()
    }
  })

  it('min_signet_version: refused for an older Signet, installed for a newer one, a warning when unknown', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'mpa-sources-ws-'))
    temps.push(ws)
    await new MarketplaceClient({ workspace: ws, fetch: fetchFn }).addMarketplace(site.origin, { name: 'm' })
    const old = new MarketplaceClient({ workspace: ws, fetch: fetchFn, signetVersion: '0.70.1' })
    await expect(old.install('@carol/future')).rejects.toThrow(
      'carol/future@1.0.0 needs Signet 0.76.0 or later; this is 0.70.1. Upgrade Signet first'
    )
    const unknown = await new MarketplaceClient({ workspace: ws, fetch: fetchFn }).install('@carol/future')
    expect(unknown.warnings).toEqual([expect.stringMatching(/needs Signet 0\.76\.0 or later; the Signet version is unknown here/)])
    const current = await new MarketplaceClient({ workspace: ws, fetch: fetchFn, signetVersion: '0.80.0' }).install('@carol/future', {
      force: true
    })
    expect(current.warnings).toEqual([])
  })

  it("fetches artifacts only from the marketplace's origins, and from those allowed with --allow-origin", async () => {
    const indexPath = '/.well-known/agent-skills/index.json'
    const index = JSON.parse(readFileSync(path.join(out.site, indexPath), 'utf8')) as { skills: { name: string; url: string }[] }
    // The same server under another origin (localhost instead of 127.0.0.1), as a CDN would be.
    const cdn = site.origin.replace('127.0.0.1', 'localhost')
    const moved = { ...index, skills: index.skills.map((e) => ({ ...e, url: new URL(e.url, `${cdn}${indexPath}`).href })) }
    site.override.set(indexPath, Buffer.from(JSON.stringify(moved)))
    try {
      const strict = freshClient()
      await strict.addMarketplace(`${site.origin}${indexPath}`, { name: 'strict' })
      await expect(strict.install('notes')).rejects.toThrow(/is outside this marketplace's allowed origins \(http:\/\/127\.0\.0\.1:\d+\)/)
      expect(existsSync(path.join(strict.ws.root, 'skills', 'notes'))).toBe(false)
      const open = freshClient()
      await open.addMarketplace(`${site.origin}${indexPath}`, { name: 'withcdn', allowOrigins: [cdn] })
      expect((await open.install('notes')).status).toBe('installed')
    } finally {
      site.override.clear()
    }
  })
})
