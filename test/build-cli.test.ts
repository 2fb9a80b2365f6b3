// `marketplace-actions build` as users run it: the bundled CLI in its own process, over a real git
// repository, with its exit codes (0 built, 1 built with packages withheld, 2 refused or usage).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, validSkill } from './helpers/marketplace.js'
import { commitAt, writeAll } from './helpers/registry.js'
import { CLI_BUNDLE, runNode } from './helpers/run-node.js'

let repo: TestRepo
let tmp: string
const site = () => path.join(tmp, 'site')
const cli = (...args: string[]) => runNode(CLI_BUNDLE, ['build', '--root', repo.dir, '--out', site(), ...args], { cwd: tmp })

beforeAll(async () => {
  repo = await makeRepo()
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-build-cli-'))
  writeAll(repo, { ...validSkill('alice', 'one'), ...validSkill('alice', 'two'), ...validSkill('bob', 'three') })
  commitAt(repo, 'three packages', '2026-01-01T00:00:00Z')
})

afterAll(async () => {
  await repo.cleanup()
  rmSync(tmp, { recursive: true, force: true })
})

describe('marketplace-actions build', () => {
  it('prints its usage with --help', async () => {
    const r = await runNode(CLI_BUNDLE, ['build', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: marketplace-actions build /)
    expect((await runNode(CLI_BUNDLE, ['--help'])).stdout).toMatch(/^ {2}build {8}build registry\.json/m)
  })

  it('builds (exit 0), then writes nothing on a rebuild', async () => {
    const r = await cli('--json', 'build.json')
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toMatch(/^build [0-9a-f]{12} \(full build: there is no registry\.json yet\)\n {2}\+ alice\/one 1\.0\.0\n/)
    expect(r.stdout).toContain('Registry: add alice/one@1.0.0, alice/two@1.0.0, bob/three@1.0.0')
    const summary = JSON.parse(readFileSync(path.join(tmp, 'build.json'), 'utf8')) as {
      mode: string
      added: unknown[]
      written: string[]
      counts: object
    }
    expect(summary.mode).toBe('full')
    expect(summary.added).toHaveLength(3)
    expect(summary.written).toContain('registry.json')
    expect(summary.counts).toEqual({ error: 0, warning: 0, notice: 0 })
    const again = await cli()
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/\(unchanged: no package, profile or config changed since the last build; nothing read\)/)
    expect(again.stdout).toContain('Registry: no changes\n3 package(s) published; 0 file(s) written, 0 deleted')
  })

  it('exits 1 when a package is withheld, having published the rest', async () => {
    repo.write('publishers/alice/one/manifest.yaml', manifestYaml('one', { version: '2' }))
    repo.write('publishers/alice/two/manifest.yaml', manifestYaml('two', { version: '"1.1.0"' }))
    repo.write('publishers/alice/two/SKILL.md', `${readFileSync(path.join(repo.dir, 'publishers/alice/two/SKILL.md'), 'utf8')}\nMore.\n`)
    commitAt(repo, 'break one, bump two', '2026-01-02T00:00:00Z')
    const r = await cli('--no-color')
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('  ~ alice/two 1.0.0 -> 1.1.0')
    expect(r.stdout).toContain('  ! alice/one kept at its last good version')
    expect(r.stdout).toMatch(
      /publishers\/alice\/one\/manifest\.yaml {2}error {2}registry\/manifest-invalid\n {4}alice\/one cannot be published from [0-9a-f]{12}: its manifest\.yaml has 1 problem; the registry keeps serving version 1\.0\.0/
    )
  })

  it('exits 2 and writes nothing when the removal guard refuses; --force publishes', async () => {
    repo.remove('publishers/alice')
    commitAt(repo, 'remove alice', '2026-01-03T00:00:00Z')
    const registry = readFileSync(path.join(repo.dir, 'registry.json'))
    const refused = await cli()
    expect(refused.code).toBe(2)
    expect(refused.stdout).toMatch(/REFUSED: nothing written\. this build would remove 2 of the 3 published packages \(67%\)/)
    expect(readFileSync(path.join(repo.dir, 'registry.json')).equals(registry)).toBe(true)
    const forced = await cli('--force')
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('  - alice/one 1.0.0')
    expect(existsSync(path.join(site(), 'publishers/alice'))).toBe(false)
  })

  it('exits 2 on a usage error', async () => {
    const r = await cli('publishers/bob')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/build takes no package directories/)
  })
})
