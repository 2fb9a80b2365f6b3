// Older versions and multi-file MCP servers over plain HTTP, and per-agent install sets, over a
// real marketplace this toolkit built (git repository, `build`, served on 127.0.0.1). The server
// serves the site and registry.json only, not the repository: everything installed comes from
// what the build published, verified against registry.json's digests.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import type { FetchLike } from '../src/core/client/net.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile } from './helpers/marketplace.js'
import { build, commitAt, filesOf, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

const fetchFn = globalThis.fetch as unknown as FetchLike
let repo: TestRepo
let out: OutputDirs
let site: StaticSite
let ws: string
const temps: string[] = []

const client = () => new MarketplaceClient({ workspace: ws, fetch: fetchFn })
const lockBytes = () => readFileSync(path.join(ws, '.marketplace', 'installed.json'), 'utf8')

function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name
      if (statSync(path.join(dir, child)).isDirectory()) walk(child)
      else files[child] = readFileSync(path.join(dir, child), 'utf8')
    }
  }
  walk('')
  return files
}

function guide(version: string, body: string): Record<string, string> {
  const dir = 'publishers/alice/deploy-guide'
  return {
    [`${dir}/manifest.yaml`]: manifestYaml('deploy-guide', { version: `"${version}"`, tags: '[deploy]' }),
    [`${dir}/SKILL.md`]: `---\nname: deploy-guide\ndescription: Explains deploys. Use it when the user asks how to deploy.\n---\n\n${body}\n`,
    [`${dir}/references/checklist.md`]: `# Checklist ${version}\n`
  }
}

/** An MCP server with more files than manifest.yaml and server.json (a README and docs). */
function tracker(version: string): Record<string, string> {
  const dir = 'publishers/bob/issue-tracker'
  const server = {
    name: 'io.github.bob/issue-tracker',
    description: 'Tracks issues.',
    version,
    packages: [{ registryType: 'npm', identifier: '@bob/issue-tracker', version, transport: { type: 'stdio' } }]
  }
  return {
    [`${dir}/manifest.yaml`]: manifestYaml('issue-tracker', { type: 'mcp-server', entrypoint: 'server.json', version: `"${version}"` }),
    [`${dir}/server.json`]: JSON.stringify(server, null, 2),
    [`${dir}/README.md`]: `# Issue tracker ${version}\n\nAn MCP server for issues.\n`,
    [`${dir}/docs/tools.md`]: '# Tools\n\n- list_issues\n'
  }
}

beforeAll(async () => {
  repo = await makeRepo()
  out = outputDirs()
  ws = mkdtempSync(path.join(tmpdir(), 'mpa-client-versions-'))
  temps.push(ws)
  writeAll(repo, { ...profile('alice'), ...profile('bob'), ...guide('1.0.0', 'First edition.'), ...tracker('1.0.0') })
  commitAt(repo, 'first versions', '2026-01-01T10:00:00Z')
  await build(repo, out)
  site = await serveLayers([out.site, out.root])
})

afterAll(async () => {
  await site?.close()
  await repo?.cleanup()
  removeOutputDirs()
  for (const t of temps) rmSync(t, { recursive: true, force: true })
})

describe('release records, older versions and multi-file MCP servers over HTTP', () => {
  it('installs an MCP server with files beyond manifest and entrypoint, verified through its release record', async () => {
    const c = client()
    await c.addMarketplace(`${site.origin}/`, { name: 'm' })
    const from = site.requests.length
    const r = await c.install('@bob/issue-tracker')
    expect(r.status).toBe('installed')
    const mcp = JSON.parse(readFileSync(path.join(ws, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> }
    expect(mcp.mcpServers['issue-tracker']).toEqual({ command: 'npx', args: ['-y', '@bob/issue-tracker@1.0.0'] })
    const registry = JSON.parse(readFileSync(path.join(out.root, 'registry.json'), 'utf8')) as {
      packages: { name: string; digest: string }[]
    }
    expect(r.entry).toMatchObject({
      version: '1.0.0',
      digest: registry.packages.find((p) => p.name === 'issue-tracker')?.digest,
      artifact_type: 'files',
      artifact_url: `${site.origin}/publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files/server.json`
    })
    expect(site.requests.slice(from)).toEqual([
      'GET /publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files.json 200',
      'GET /publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files/server.json 200'
    ])
  })

  it('refuses a release record whose file list does not hash to the registry digest, and a swapped entrypoint', async () => {
    const recordPath = '/publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files.json'
    const record = JSON.parse(readFileSync(path.join(out.site, recordPath), 'utf8')) as { files: { path: string; size: number }[] }
    const c = client()
    await c.remove('issue-tracker')
    const before = lockBytes()
    // A host drops docs/tools.md from the list: the listing no longer hashes to the digest.
    site.override.set(recordPath, Buffer.from(JSON.stringify({ ...record, files: record.files.filter((f) => f.path !== 'docs/tools.md') })))
    await expect(c.install('@bob/issue-tracker')).rejects.toThrow(/does not match the registry's digest for that version/)
    site.override.delete(recordPath)
    // A host serves another server.json: its SHA-256 is not the listed one.
    const entry = '/publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files/server.json'
    site.override.set(entry, Buffer.from(readFileSync(path.join(out.site, entry), 'utf8').replace('@bob/issue-tracker', '@evil/tracker')))
    await expect(c.install('@bob/issue-tracker')).rejects.toThrow(/does not match the release record/)
    site.override.delete(entry)
    expect(lockBytes()).toBe(before)
    expect(JSON.parse(readFileSync(path.join(ws, 'mcp.json'), 'utf8')).mcpServers).toEqual({})
  })

  it('after new releases, installs an older version of a skill and of an MCP server, pinned and verified', async () => {
    writeAll(repo, { ...guide('1.1.0', 'Second edition.'), ...tracker('1.1.0') })
    commitAt(repo, 'second versions', '2026-02-01T10:00:00Z')
    await build(repo, out)
    const c = client()
    await c.updateMarketplaces()
    expect((await c.install('@alice/deploy-guide@1.0.0', { agent: 'writer' })).status).toBe('installed')
    expect(tree(path.join(ws, 'skills', 'deploy-guide'))).toEqual({
      'SKILL.md': expect.stringContaining('First edition.'),
      'references/checklist.md': '# Checklist 1.0.0\n'
    })
    expect((await c.install('@bob/issue-tracker@1.0.0')).status).toBe('installed')
    const mcp = JSON.parse(readFileSync(path.join(ws, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> }
    expect(mcp.mcpServers['issue-tracker']).toEqual({ command: 'npx', args: ['-y', '@bob/issue-tracker@1.0.0'] })
    const { packages } = await c.installed()
    expect(packages.map((p) => [p.name, p.version, p.pinned, p.latest_version, p.update_available])).toEqual([
      ['deploy-guide', '1.0.0', true, '1.1.0', true],
      ['issue-tracker', '1.0.0', true, '1.1.0', true]
    ])
  })

  it('update leaves pinned versions alone; installing without a version follows the latest again', async () => {
    const c = client()
    const before = lockBytes()
    const { results } = await c.update()
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['deploy-guide', 'pinned'],
      ['issue-tracker', 'pinned']
    ])
    expect(results[0]?.message).toMatch(/^pinned at 1\.0\.0; 1\.1\.0 is available: `install @alice\/deploy-guide` follows/)
    expect(lockBytes()).toBe(before)
    const r = await c.install('@alice/deploy-guide', { agent: 'writer' })
    expect(r.status).toBe('updated')
    expect(r.entry).toMatchObject({ version: '1.1.0', agents: ['writer'] })
    expect(r.entry?.pinned).toBeUndefined()
    expect(tree(path.join(ws, 'skills', 'deploy-guide'))['SKILL.md']).toContain('Second edition.')
    // An explicit version that was never published says which ones were.
    await expect(c.install('@alice/deploy-guide@0.9.0')).rejects.toThrow(/was never published in m; its versions are 1\.1\.0, 1\.0\.0/)
  })

  it('refuses an older skill artifact that does not hold the listed files, changing nothing', async () => {
    const c = client()
    const before = { lock: lockBytes(), files: tree(path.join(ws, 'skills', 'deploy-guide')) }
    const dir = '/publishers/alice/.well-known/agent-skills/deploy-guide'
    const record = JSON.parse(readFileSync(path.join(out.site, `${dir}/1.0.0/files.json`), 'utf8')) as {
      artifact: { url: string; digest: string }
    }
    // The host serves 1.1.0's archive, with a record claiming that archive's digest for 1.0.0.
    const newer = readFileSync(path.join(out.site, `${dir}/1.1.0/deploy-guide.tar.gz`))
    const newerRecord = JSON.parse(readFileSync(path.join(out.site, `${dir}/1.1.0/files.json`), 'utf8')) as {
      artifact: { digest: string }
    }
    site.override.set(`${dir}/1.0.0/deploy-guide.tar.gz`, newer)
    site.override.set(
      `${dir}/1.0.0/files.json`,
      Buffer.from(JSON.stringify({ ...record, artifact: { ...record.artifact, digest: newerRecord.artifact.digest } }))
    )
    try {
      await expect(c.install('@alice/deploy-guide@1.0.0')).rejects.toThrow(
        /is not the published alice\/deploy-guide@1\.0\.0: .* differs from the record/
      )
    } finally {
      site.override.clear()
    }
    expect({ lock: lockBytes(), files: tree(path.join(ws, 'skills', 'deploy-guide')) }).toEqual(before)
  })

  it('a full build into an empty site folder serves the older versions again, byte for byte', async () => {
    // The root (registry.json, with the version history) is committed; the site is built afresh.
    const fresh = outputDirs()
    mkdirSync(fresh.root, { recursive: true })
    copyFileSync(path.join(out.root, 'registry.json'), path.join(fresh.root, 'registry.json'))
    await build(repo, fresh, { full: true })
    const incremental = filesOf(out)
    const full = filesOf(fresh)
    const releases = [...full.keys()].filter((k) => k.includes('/1.0.0/')).sort()
    expect(releases).toEqual([
      'site/publishers/alice/.well-known/agent-skills/deploy-guide/1.0.0/deploy-guide.tar.gz',
      'site/publishers/alice/.well-known/agent-skills/deploy-guide/1.0.0/files.json',
      'site/publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files.json',
      'site/publishers/bob/.well-known/agent-skills/issue-tracker/1.0.0/files/server.json'
    ])
    expect([...full.keys()].sort()).toEqual([...incremental.keys()].sort())
    for (const [k, v] of full) expect([k, Buffer.compare(v, incremental.get(k) as Buffer)]).toEqual([k, 0])
  })
})

describe('per-agent install sets', () => {
  it('installs for agents, lists per agent, and removes for one agent before removing the files', async () => {
    const c = client()
    expect((await c.install('@alice/deploy-guide', { agent: 'reviewer' })).entry?.agents).toEqual(['reviewer', 'writer'])
    expect((await c.install('@alice/deploy-guide', { agent: 'reviewer' })).status).toBe('unchanged')
    expect((await c.installed({ agent: 'reviewer' })).packages.map((p) => p.name)).toEqual(['deploy-guide', 'issue-tracker'])
    expect((await c.installed({ agent: 'someone-else' })).packages.map((p) => p.name)).toEqual(['issue-tracker'])
    const removed = await c.remove('deploy-guide', { agent: 'writer' })
    expect(removed.remaining_agents).toEqual(['reviewer'])
    expect(existsSync(path.join(ws, 'skills', 'deploy-guide', 'SKILL.md'))).toBe(true)
    await expect(c.remove('deploy-guide', { agent: 'writer' })).rejects.toThrow(
      /is not installed for agent `writer` \(it is for reviewer\)/
    )
    await expect(c.remove('issue-tracker', { agent: 'writer' })).rejects.toThrow(/is installed for every agent/)
    await c.remove('deploy-guide', { agent: 'reviewer' })
    expect(existsSync(path.join(ws, 'skills', 'deploy-guide'))).toBe(false)
    expect((await c.installed()).packages.map((p) => p.name)).toEqual(['issue-tracker'])
  })

  it('reads a lockfile an earlier client wrote with one `agent` as that agent’s install', async () => {
    const c = client()
    await c.install('@alice/deploy-guide', { agent: 'old-agent' })
    const lock = JSON.parse(lockBytes()) as { packages: Record<string, unknown>[] }
    const entry = lock.packages.find((p) => p.name === 'deploy-guide') as Record<string, unknown>
    delete entry.agents
    entry.agent = 'old-agent'
    const { writeFileSync } = await import('node:fs')
    writeFileSync(path.join(ws, '.marketplace', 'installed.json'), JSON.stringify(lock))
    expect((await c.installed({ agent: 'old-agent' })).packages.map((p) => [p.name, p.agents])).toEqual([
      ['deploy-guide', ['old-agent']],
      ['issue-tracker', undefined]
    ])
    expect((await c.installed({ agent: 'other' })).packages.map((p) => p.name)).toEqual(['issue-tracker'])
  })
})
