// The install-side commands as users run them: the bundled CLI in its own process, with
// SIGNET_WORKSPACE set, against a marketplace built by this toolkit and served on 127.0.0.1.
// Exit codes: 0 done, 1 the operation failed (with a message saying what and where), 2 usage.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { validServer, validSkill } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { CLI_BUNDLE, cleanEnv, runNode } from './helpers/run-node.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

let repo: TestRepo
let out: OutputDirs
let site: StaticSite
let ws: string

const cli = (...args: string[]) => runNode(CLI_BUNDLE, args, { cwd: ws, env: cleanEnv({ SIGNET_WORKSPACE: ws, HOME: ws }) })

beforeAll(async () => {
  repo = await makeRepo()
  out = outputDirs()
  ws = mkdtempSync(path.join(tmpdir(), 'mpa-client-cli-'))
  writeAll(repo, { ...validSkill('alice', 'web-deploy'), ...validServer('bob', 'gh-review') })
  commitAt(repo, 'packages', '2026-01-01T10:00:00Z')
  await build(repo, out)
  site = await serveLayers([out.site, out.root, repo.dir])
})

afterAll(async () => {
  await site?.close()
  await repo?.cleanup()
  removeOutputDirs()
  rmSync(ws, { recursive: true, force: true })
})

describe('marketplace-actions, the install side', () => {
  it('lists the commands in --help and prints each command usage', async () => {
    const help = await cli('--help')
    for (const c of ['marketplace', 'search', 'install', 'installed', 'update', 'remove', 'feedback', 'telemetry', 'publish', 'serve'])
      expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
    const r = await cli('install', '--help')
    expect([r.code, r.stdout.split('\n')[0]]).toEqual([
      0,
      'Usage: marketplace-actions install <@publisher/package[@version] | name@marketplace | name> [--agent ID] [--force]'
    ])
  })

  it('adds, lists, searches, installs, lists what is installed, rates, removes', async () => {
    expect(await cli('marketplace', 'add', site.origin, '--name', 'team')).toMatchObject({
      code: 0,
      stdout: `Added marketplace team (origin: ${site.origin}) with 2 packages.\n`
    })
    expect((await cli('marketplace', 'list')).stdout).toMatch(/^team\torigin\thttp:\/\/127\.0\.0\.1:\d+\t2 packages\tfetched /)
    const found = await cli('search', 'deploy', '--json')
    expect(found.code).toBe(0)
    expect((JSON.parse(found.stdout) as { install: string }[]).map((r) => r.install)).toEqual(['@alice/web-deploy'])
    expect((await cli('search', 'deploy')).stdout).toBe(
      '@alice/web-deploy@1.0.0  [skill]  unscored, not reviewed  (team)\n    A test package that does one thing well.\n'
    )
    const inst = await cli('install', '@alice/web-deploy', '--agent', 'a1')
    expect([inst.code, inst.stderr]).toEqual([0, ''])
    expect(inst.stdout).toMatch(/^Installed alice\/web-deploy@1\.0\.0 as skills\/web-deploy \(from team, sha256:[a-f0-9]{64}\)\n$/)
    expect(existsSync(path.join(ws, 'skills', 'web-deploy', 'SKILL.md'))).toBe(true)
    expect((await cli('install', 'gh-review@team')).code).toBe(0)
    const listed = JSON.parse((await cli('installed', '--json')).stdout) as { name: string; update_available: boolean; agents?: string[] }[]
    expect(listed.map((p) => [p.name, p.update_available, p.agents ?? null])).toEqual([
      ['gh-review', false, null],
      ['web-deploy', false, ['a1']]
    ])
    const forA2 = JSON.parse((await cli('installed', '--agent', 'a2', '--json')).stdout) as { name: string }[]
    expect(forA2.map((p) => p.name)).toEqual(['gh-review'])
    expect(await cli('update')).toMatchObject({ code: 0, stdout: 'gh-review: up to date\nweb-deploy: up to date\n' })
    expect(await cli('feedback', 'web-deploy', '--rating', '5')).toMatchObject({
      code: 0,
      stdout: 'Recorded rating 5 for web-deploy (kept on this machine).\n'
    })
    expect(await cli('telemetry')).toMatchObject({ code: 0, stdout: 'Telemetry is off.\n' })
    expect(await cli('remove', 'gh-review')).toMatchObject({ code: 0, stdout: 'Removed bob/gh-review@1.0.0 (mcp.json#gh-review).\n' })
    expect(JSON.parse(readFileSync(path.join(ws, 'mcp.json'), 'utf8'))).toEqual({ mcpServers: {} })
  })

  it('says what is wrong: exit 1 for a failed operation, 2 for a usage error', async () => {
    expect(await cli('install', '@nobody/nothing')).toMatchObject({
      code: 1,
      stderr: 'error: `@nobody/nothing` was not found in any registered marketplace; try `search nothing`\n'
    })
    expect(await cli('remove', 'not-installed')).toMatchObject({
      code: 1,
      stderr: 'error: `not-installed` is not installed from a marketplace; see `installed`\n'
    })
    expect(await cli('marketplace', 'add', 'http://example.com/registry.json')).toMatchObject({
      code: 1,
      stderr: 'error: http://example.com/registry.json is plain http; only https is accepted (http only for 127.0.0.1 and localhost)\n'
    })
    expect((await cli('feedback', 'web-deploy', '--rating', '9')).code).toBe(2)
    expect((await cli('search', 'x', '--type', 'plugin')).code).toBe(2)
  })
})
