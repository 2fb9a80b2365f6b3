// The install side end to end, over a real marketplace this toolkit built: a git repository made
// with git in a temp dir, `build` (the registry build the action runs), and the result served by
// a real node:http server on 127.0.0.1 (site, registry.json and package files at one origin).
// The client talks to it with the real global fetch. The steps run in order and share state: a
// publisher releases, the site is rebuilt, the user refreshes and updates, a host tampers, the
// server goes down, an install is killed.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import type { FetchLike } from '../src/core/client/net.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validServer } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { cleanEnv, REPO_ROOT } from './helpers/run-node.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

const fetchFn = globalThis.fetch as unknown as FetchLike

let repo: TestRepo
let out: OutputDirs
let site: StaticSite
let ws: string
const temps: string[] = []

function client(options: Partial<ConstructorParameters<typeof MarketplaceClient>[0]> = {}): MarketplaceClient {
  return new MarketplaceClient({ workspace: ws, fetch: fetchFn, ...options })
}

/** Every file under a folder -> its bytes as text (with a mode mark for executables). */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name
      const st = statSync(path.join(dir, child))
      if (st.isDirectory()) walk(child)
      else files[`${child}${st.mode & 0o111 ? ' (x)' : ''}`] = readFileSync(path.join(dir, child), 'utf8')
    }
  }
  walk('')
  return files
}

const lockBytes = () => readFileSync(path.join(ws, '.marketplace', 'installed.json'), 'utf8')
const skill = (name: string) => tree(path.join(ws, 'skills', name))

function webDeploy(version: string, body: string, description = 'Deploy static sites to a CDN'): Record<string, string> {
  const dir = 'publishers/alice/web-deploy'
  return {
    [`${dir}/manifest.yaml`]: manifestYaml('web-deploy', {
      version: `"${version}"`,
      description: `"${description}"`,
      tags: '[deploy, cdn, web]'
    }),
    [`${dir}/SKILL.md`]: `---\nname: web-deploy\ndescription: Deploys a static site. Use it when the user wants a site online.\n---\n\n# Deploy\n\n${body}\n`,
    [`${dir}/references/providers.md`]: '# Providers\n\nPages, Netlify, S3.\n',
    [`${dir}/templates/config.json`]: '{ "output": "dist" }\n'
  }
}

async function rebuild(message: string, date: string): Promise<void> {
  commitAt(repo, message, date)
  const { result } = await build(repo, out)
  expect(result.refused).toBeFalsy()
}

beforeAll(async () => {
  repo = await makeRepo()
  out = outputDirs()
  ws = mkdtempSync(path.join(tmpdir(), 'mpa-client-ws-'))
  temps.push(ws)
  writeAll(repo, {
    ...profile('alice'),
    ...webDeploy('1.0.0', 'Run the deploy script.'),
    'publishers/alice/web-deploy/scripts/deploy.sh': '#!/bin/sh\necho deploying\n',
    ...profile('carol'),
    'publishers/carol/notes/manifest.yaml': manifestYaml('notes', { tags: '[notes, writing]' }),
    'publishers/carol/notes/SKILL.md': skillMd('notes'),
    ...validServer('bob', 'gh-review')
  })
  repo.write('publishers/alice/web-deploy/scripts/deploy.sh', '#!/bin/sh\necho deploying\n', 0o755)
  await rebuild('three packages', '2026-01-01T10:00:00Z')
  site = await serveLayers([out.site, out.root, repo.dir])
})

afterAll(async () => {
  await site?.close()
  await repo?.cleanup()
  removeOutputDirs()
  for (const t of temps) rmSync(t, { recursive: true, force: true })
})

describe('the client over a real marketplace on 127.0.0.1', () => {
  it('adds the marketplace by its origin and caches registry.json and the skills index', async () => {
    const added = await client().addMarketplace(`${site.origin}/`, { name: 'team' })
    expect(added.record).toMatchObject({ name: 'team', type: 'origin', registry_url: `${site.origin}/registry.json` })
    expect(added.packages).toBe(3)
    expect(existsSync(path.join(ws, '.marketplace', 'cache', 'team', 'registry.json'))).toBe(true)
    expect(existsSync(path.join(ws, '.marketplace', 'cache', 'team', 'index.json'))).toBe(true)
    const list = await client().listMarketplaces()
    expect(list.map((m) => [m.record.name, m.packages])).toEqual([['team', 3]])
  })

  it('searches by a word of a hyphenated name, a prefix and a tag, and filters by type', async () => {
    const c = client()
    expect((await c.search('deploy')).results.map((r) => r.entry.id)).toEqual(['alice/web-deploy'])
    expect((await c.search('depl')).results.map((r) => r.entry.id)).toEqual(['alice/web-deploy'])
    expect((await c.search('cdn')).results.map((r) => r.entry.id)).toEqual(['alice/web-deploy'])
    expect((await c.search('writing')).results.map((r) => r.entry.id)).toEqual(['carol/notes'])
    expect((await c.search('review', { type: 'mcp-server' })).results.map((r) => r.entry.id)).toEqual(['bob/gh-review'])
    expect((await c.search('review', { type: 'skill' })).results).toEqual([])
    expect((await c.search('nothing-like-this')).results).toEqual([])
  })

  it('installs a multi-file skill (archive, digest verified) and a one-file skill, recording provenance', async () => {
    const c = client()
    const r = await c.install('@alice/web-deploy', { agent: 'agent-7' })
    expect(r.status).toBe('installed')
    expect(skill('web-deploy')).toEqual({
      'SKILL.md': expect.stringContaining('Run the deploy script.'),
      'references/providers.md': '# Providers\n\nPages, Netlify, S3.\n',
      'scripts/deploy.sh (x)': '#!/bin/sh\necho deploying\n',
      'templates/config.json': '{ "output": "dist" }\n'
    })
    const index = JSON.parse(readFileSync(path.join(out.site, '.well-known/agent-skills/index.json'), 'utf8')) as {
      skills: { name: string; digest: string }[]
    }
    const lock = JSON.parse(lockBytes()) as { packages: Record<string, unknown>[] }
    expect(lock.packages[0]).toMatchObject({
      name: 'web-deploy',
      package: 'alice/web-deploy',
      version: '1.0.0',
      marketplace: 'team',
      source_type: 'origin',
      artifact_type: 'archive',
      artifact_url: `${site.origin}/publishers/alice/.well-known/agent-skills/web-deploy/1.0.0/web-deploy.tar.gz`,
      digest: index.skills.find((s) => s.name === 'web-deploy')?.digest,
      agents: ['agent-7'],
      location: 'skills/web-deploy'
    })
    expect((await c.install('notes@team')).status).toBe('installed')
    expect(skill('notes')).toEqual({ 'SKILL.md': skillMd('notes') })
  })

  it('installs an MCP server into mcp.json with its package pinned, verified against the package digest', async () => {
    const r = await client().install('@bob/gh-review')
    expect(r.status).toBe('installed')
    const mcp = JSON.parse(readFileSync(path.join(ws, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> }
    expect(mcp.mcpServers['gh-review']).toEqual({ command: 'npx', args: ['-y', '@bob/gh-review@1.0.0'] })
    expect(r.entry).toMatchObject({ type: 'mcp-server', artifact_type: 'files', location: 'mcp.json#gh-review' })
    expect(r.entry?.digest).toBe(r.entry?.package_digest)
  })

  it('lists what is installed, all up to date, and survives a new client (a restart)', async () => {
    const { packages } = await client().installed()
    expect(packages.map((p) => [p.name, p.version, p.marketplace, p.update_available])).toEqual([
      ['gh-review', '1.0.0', 'team', false],
      ['notes', '1.0.0', 'team', false],
      ['web-deploy', '1.0.0', 'team', false]
    ])
  })

  it('after a release and a rebuild, marketplace update refreshes the index and changes nothing installed', async () => {
    writeAll(repo, webDeploy('1.1.0', 'Run the deploy script, then check the URL.'))
    await rebuild('web-deploy 1.1.0', '2026-02-01T10:00:00Z')
    const before = { lock: lockBytes(), files: skill('web-deploy') }
    const updated = await client().updateMarketplaces('team')
    expect(updated).toEqual([{ name: 'team', packages: 3 }])
    expect({ lock: lockBytes(), files: skill('web-deploy') }).toEqual(before)
    const { packages } = await client().installed()
    expect(packages.find((p) => p.name === 'web-deploy')).toMatchObject({
      version: '1.0.0',
      latest_version: '1.1.0',
      update_available: true
    })
  })

  it('update installs the new version after verifying it, and leaves the others alone', async () => {
    const notesBefore = skill('notes')
    const { results } = await client().update()
    expect(results).toEqual([
      { name: 'gh-review', status: 'unchanged', from: '1.0.0', to: '1.0.0' },
      { name: 'notes', status: 'unchanged', from: '1.0.0', to: '1.0.0' },
      { name: 'web-deploy', status: 'updated', from: '1.0.0', to: '1.1.0' }
    ])
    expect(skill('web-deploy')['SKILL.md']).toContain('then check the URL.')
    expect(skill('notes')).toEqual(notesBefore)
    const lock = JSON.parse(lockBytes()) as { packages: { name: string; version: string; digest: string }[] }
    const index = JSON.parse(readFileSync(path.join(out.site, '.well-known/agent-skills/index.json'), 'utf8')) as {
      skills: { name: string; digest: string }[]
    }
    expect(lock.packages.find((p) => p.name === 'web-deploy')).toMatchObject({
      version: '1.1.0',
      digest: index.skills.find((s) => s.name === 'web-deploy')?.digest
    })
  })

  it('a metadata-only release (description) is a no-op: no artifact download, nothing written', async () => {
    writeAll(repo, webDeploy('1.1.1', 'Run the deploy script, then check the URL.', 'Deploy static sites anywhere'))
    await rebuild('web-deploy 1.1.1: description', '2026-03-01T10:00:00Z')
    const before = { lock: lockBytes(), files: skill('web-deploy') }
    const from = site.requests.length
    const c = client()
    const { results } = await c.update(['web-deploy'])
    expect(results).toEqual([{ name: 'web-deploy', status: 'unchanged', from: '1.1.0', to: '1.1.0' }])
    expect({ lock: lockBytes(), files: skill('web-deploy') }).toEqual(before)
    const asked = site.requests.slice(from)
    expect(asked.filter((r) => r.includes('.tar.gz') || r.includes('SKILL.md'))).toEqual([])
  })

  it('update with nothing new costs one conditional request per marketplace (304) and no download', async () => {
    const from = site.requests.length
    const c = client()
    const { results } = await c.update()
    expect(results.every((r) => r.status === 'unchanged')).toBe(true)
    expect(site.requests.slice(from)).toEqual(['GET /registry.json 304'])
    expect(c.requests.count).toBe(1)
  })

  it('refuses a tampered artifact: nothing installed changes and the lockfile keeps its bytes', async () => {
    writeAll(repo, webDeploy('1.2.0', 'Version 1.2.0 instructions.'))
    await rebuild('web-deploy 1.2.0', '2026-04-01T10:00:00Z')
    const artifact = '/publishers/alice/.well-known/agent-skills/web-deploy/1.2.0/web-deploy.tar.gz'
    const real = readFileSync(path.join(out.site, artifact))
    const evil = Buffer.from(real)
    evil[evil.length - 10] = (evil[evil.length - 10] as number) ^ 0xff
    site.override.set(artifact, evil)
    const before = { lock: lockBytes(), files: skill('web-deploy') }
    const { results } = await client().update(['web-deploy'])
    expect(results[0]).toMatchObject({ name: 'web-deploy', status: 'error' })
    expect(results[0]?.message).toMatch(/does not match its advertised digest/)
    expect({ lock: lockBytes(), files: skill('web-deploy') }).toEqual(before)
    expect(readdirSync(path.join(ws, '.marketplace')).filter((f) => f === 'staging' || f === 'transaction.json')).toEqual([])
    site.override.delete(artifact)
  })

  it('a kill (SIGKILL) after the swap but before the lockfile is written leaves the previous version on the next start', async () => {
    const before = { lock: lockBytes(), files: skill('web-deploy') }
    const child = await runChild([ws, 'swapped', 'web-deploy'])
    expect(child.signal).toBe('SIGKILL')
    // The crash left the new files in place and the journal behind; the lockfile is untouched.
    expect(skill('web-deploy')['SKILL.md']).toContain('Version 1.2.0')
    expect(lockBytes()).toBe(before.lock)
    expect(existsSync(path.join(ws, '.marketplace', 'transaction.json'))).toBe(true)
    // The next client start puts the previous version back.
    const c = client()
    expect(await c.open()).toBe('rolled-back')
    expect({ lock: lockBytes(), files: skill('web-deploy') }).toEqual(before)
    expect(existsSync(path.join(ws, '.marketplace', 'transaction.json'))).toBe(false)
  })

  it('a kill after the lockfile is written keeps the new version (the lockfile is the commit point)', async () => {
    const child = await runChild([ws, 'committed', 'web-deploy'])
    expect(child.signal).toBe('SIGKILL')
    expect(await client().open()).toBe('finished')
    expect(skill('web-deploy')['SKILL.md']).toContain('Version 1.2.0')
    expect(JSON.parse(lockBytes()).packages.find((p: { name: string }) => p.name === 'web-deploy').version).toBe('1.2.0')
    expect(readdirSync(path.join(ws, '.marketplace')).filter((f) => f === 'staging' || f === 'transaction.json')).toEqual([])
  })

  it('with the server down, search answers from the cache with a warning and install says what failed', async () => {
    await site.close()
    try {
      const c = client({ ttlMs: 0 })
      const { results, warnings } = await c.search('deploy')
      expect(results.map((r) => r.entry.id)).toEqual(['alice/web-deploy'])
      expect(warnings).toEqual([
        expect.stringMatching(/^could not refresh `team` \(cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\); using the copy fetched /)
      ])
      await c.remove('notes')
      await expect(c.install('notes@team')).rejects.toThrow(
        /^cannot fetch alice\/notes|^cannot fetch carol\/notes from team \(http:\/\/127\.0\.0\.1:\d+\/registry\.json\): cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/
      )
      expect(existsSync(path.join(ws, 'skills', 'notes'))).toBe(false)
    } finally {
      await site.reopen()
    }
  })

  it('a local skill of the same name wins with a warning; --force replaces it', async () => {
    writeFileSync(path.join(ws, 'skills', 'mine.txt'), 'not a skill folder')
    const local = path.join(ws, 'skills', 'notes')
    await import('node:fs/promises').then((fs) => fs.mkdir(local))
    writeFileSync(path.join(local, 'SKILL.md'), 'my own notes skill')
    const c = client()
    const r = await c.install('notes')
    expect(r.status).toBe('skipped')
    expect(r.warnings.join('\n')).toMatch(/a local skill skills\/notes\/ exists and was not installed from a marketplace; it wins/)
    expect(readFileSync(path.join(local, 'SKILL.md'), 'utf8')).toBe('my own notes skill')
    expect((await c.install('notes', { force: true })).status).toBe('installed')
    expect(skill('notes')).toEqual({ 'SKILL.md': skillMd('notes') })
  })
})

function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'client-child.ts'), ...args],
      { cwd: REPO_ROOT, env: cleanEnv(), timeout: 60_000 },
      (error, _stdout, stderr) => {
        resolve({
          code: error ? ((error.code as number | undefined) ?? null) : 0,
          signal: error?.signal ?? null,
          stderr
        })
      }
    )
  })
}
