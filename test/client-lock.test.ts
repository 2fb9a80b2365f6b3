// Two CLI processes on one workspace: real `marketplace-actions install` processes started at the
// same moment against a site on 127.0.0.1 that answers slowly (so their installs overlap), a lock
// left by a process that was killed, and a lock held by a live process.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { profile, validSkill } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { cleanEnv, REPO_ROOT } from './helpers/run-node.js'

const SKILLS = ['alpha', 'bravo', 'charlie', 'delta']
const DELAY_MS = 400
let repo: TestRepo
let out: OutputDirs
let server: Server
let origin: string
const temps: string[] = []

function temp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'mpa-client-lock-'))
  temps.push(d)
  return d
}

/** The CLI from source, as a process of its own. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'index.ts'), ...args],
      { cwd: REPO_ROOT, env: cleanEnv(), timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr })
    )
  })
}

async function workspaceWithMarketplace(): Promise<string> {
  const ws = temp()
  await new MarketplaceClient({ workspace: ws, fetch: globalThis.fetch }).addMarketplace(`${origin}/`, {
    name: 'm'
  })
  return ws
}

/** A pid that surely does not run: a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    child.on('exit', () => resolve(child.pid as number))
  })
}

beforeAll(async () => {
  repo = await makeRepo()
  out = outputDirs()
  for (const name of SKILLS) writeAll(repo, { ...profile('alice'), ...validSkill('alice', name) })
  commitAt(repo, 'four skills', '2026-01-01T10:00:00Z')
  await build(repo, out)
  // A slow static host: every artifact answer waits, so concurrent installs overlap.
  server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
    const file = [out.site, out.root].map((root) => path.join(root, pathname)).find((f) => existsSync(f) && statSync(f).isFile())
    const send = () => {
      if (!file) res.writeHead(404).end('not found')
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file))
    }
    if (pathname.endsWith('SKILL.md') || pathname.endsWith('.tar.gz')) setTimeout(send, DELAY_MS)
    else send()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
}, 60_000)

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await repo?.cleanup()
  removeOutputDirs()
  for (const t of temps) rmSync(t, { recursive: true, force: true })
})

describe('the workspace lock between CLI processes', () => {
  it('four installs started at once all land in the lockfile and the skills folder, nothing half-written', async () => {
    const ws = await workspaceWithMarketplace()
    const runs = await Promise.all(SKILLS.map((name) => cli(['install', `@alice/${name}`, '--workspace', ws])))
    for (const r of runs) expect([r.code, r.stderr]).toEqual([0, ''])
    const lock = JSON.parse(readFileSync(path.join(ws, '.marketplace', 'installed.json'), 'utf8')) as { packages: { name: string }[] }
    expect(lock.packages.map((p) => p.name)).toEqual(SKILLS)
    expect(readdirSync(path.join(ws, 'skills')).sort()).toEqual(SKILLS)
    expect(readdirSync(path.join(ws, '.marketplace')).sort()).toEqual(['cache', 'installed.json', 'marketplaces.json'])
  }, 180_000)

  it('takes over a lock left by a killed process, says so, and installs', async () => {
    const ws = await workspaceWithMarketplace()
    const pid = await deadPid()
    const lockFile = path.join(ws, '.marketplace', 'lock.json')
    writeFileSync(
      lockFile,
      JSON.stringify({ pid, host: hostname(), command: 'install @alice/alpha', started_at: '2026-01-01T00:00:00.000Z' })
    )
    const r = await cli(['install', '@alice/bravo', '--workspace', ws])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(
      `warning: took over the workspace lock left by process ${pid} on ${hostname()} (\`install @alice/alpha\`, since 2026-01-01T00:00:00.000Z), which no longer runs (killed or crashed); its unfinished work is recovered next\n`
    )
    expect(existsSync(lockFile)).toBe(false)
    expect(readdirSync(path.join(ws, 'skills'))).toEqual(['bravo'])
  }, 60_000)

  it('waits for a live holder, then fails with its pid and command and changes nothing', async () => {
    const ws = await workspaceWithMarketplace()
    const lockFile = path.join(ws, '.marketplace', 'lock.json')
    const holder = { pid: process.pid, host: hostname(), command: 'update', started_at: '2026-01-01T00:00:00.000Z' }
    writeFileSync(lockFile, JSON.stringify(holder))
    const c = new MarketplaceClient({
      workspace: ws,
      fetch: globalThis.fetch,
      lockWaitMs: 300,
      // This test process plays another process that holds the lock.
      processInfo: { pid: process.pid + 1_000_000, host: hostname(), isAlive: (p) => p === process.pid }
    })
    const started = Date.now()
    await expect(c.install('@alice/alpha')).rejects.toThrow(
      `another marketplace-actions process ${process.pid} on ${hostname()} (\`update\`, since 2026-01-01T00:00:00.000Z) is changing this workspace; try again when it has finished (if process ${process.pid} is not a marketplace-actions process, delete ${lockFile})`
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(existsSync(path.join(ws, 'skills'))).toBe(false)
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual(holder)
    // Reads do not wait: search and installed work while another process installs.
    expect((await c.search('alpha')).results.map((x) => x.entry.id)).toEqual(['alice/alpha'])
  })
})
