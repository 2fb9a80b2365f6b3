// The real `skills` CLI (npx skills, run on Node 24) and this client install from the same site
// on 127.0.0.1, built by this toolkit: the same files with the same bytes, for a one-file skill
// and an archive skill, and both record the index's digest.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { MarketplaceClient } from '../src/core/client/client.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, removeOutputDirs, writeAll, type OutputDirs } from './helpers/registry.js'
import { ensureSkillsCli, runSkills, type SkillsCli } from './helpers/skills-cli.js'
import { serveLayers, type StaticSite } from './helpers/static-site.js'

let tools: SkillsCli
let repo: TestRepo
let out: OutputDirs
let site: StaticSite
let home: string
let project: string
let ws: string

/** Relative path -> bytes (hex) and executable bit, for every file under a folder. */
function files(dir: string): Record<string, string> {
  const found: Record<string, string> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name
      const st = statSync(path.join(dir, child))
      if (st.isDirectory()) walk(child)
      else found[child] = `${st.mode & 0o111 ? 'x' : '-'} ${readFileSync(path.join(dir, child)).toString('hex')}`
    }
  }
  walk('')
  return found
}

beforeAll(async () => {
  tools = ensureSkillsCli()
  home = mkdtempSync(path.join(tmpdir(), 'mpa-interop-home-'))
  project = mkdtempSync(path.join(tmpdir(), 'mpa-interop-project-'))
  ws = mkdtempSync(path.join(tmpdir(), 'mpa-interop-ws-'))
  repo = await makeRepo()
  const dir = 'publishers/alice/web-deploy'
  writeAll(repo, {
    ...profile('alice'),
    'publishers/alice/code-review/manifest.yaml': manifestYaml('code-review'),
    'publishers/alice/code-review/SKILL.md': `${skillMd('code-review')}\nReview the diff. Ünïcödé stays as it is.\n`,
    [`${dir}/manifest.yaml`]: manifestYaml('web-deploy', { entrypoint: 'tool.ts' }),
    [`${dir}/SKILL.md`]: `${skillMd('web-deploy')}\nRun tool.ts to deploy.\n`,
    [`${dir}/tool.ts`]: 'export const deploy = () => "v1"\n',
    [`${dir}/docs/usage.md`]: '# Usage\n\nCall deploy().\n',
    [`${dir}/assets/logo.svg`]: '<svg xmlns="http://www.w3.org/2000/svg"/>\n'
  })
  commitAt(repo, 'two skills', '2026-01-01T00:00:00Z')
  out = outputDirs()
  await build(repo, out)
  site = await serveLayers([out.site, out.root])
}, 300_000)

afterAll(async () => {
  await site?.close()
  await repo?.cleanup()
  removeOutputDirs()
  for (const d of [home, project, ws]) if (d) rmSync(d, { recursive: true, force: true })
})

describe('npx skills and this client, same site', () => {
  it('install the same bytes for an archive skill and a one-file skill', async () => {
    for (const name of ['web-deploy', 'code-review']) {
      const r = await runSkills(tools, ['add', site.origin, '--skill', name, '-a', 'claude-code', '-y'], { home, cwd: project })
      expect([name, r.code]).toEqual([name, 0])
    }
    const client = new MarketplaceClient({ workspace: ws, fetch: globalThis.fetch })
    await client.addMarketplace(site.origin, { name: 'site' })
    for (const name of ['web-deploy', 'code-review']) expect((await client.install(name)).status).toBe('installed')

    const theirs = path.join(project, '.claude', 'skills')
    for (const name of ['web-deploy', 'code-review']) {
      const ours = files(path.join(ws, 'skills', name))
      expect(Object.keys(ours).length).toBeGreaterThan(0)
      expect(ours).toEqual(files(path.join(theirs, name)))
    }
    expect(Object.keys(files(path.join(ws, 'skills', 'web-deploy')))).toEqual(['SKILL.md', 'assets/logo.svg', 'docs/usage.md', 'tool.ts'])

    const theirLock = JSON.parse(readFileSync(path.join(project, 'skills-lock.json'), 'utf8')) as {
      skills: Record<string, { wellKnownDigest: string }>
    }
    const ourLock = JSON.parse(readFileSync(path.join(ws, '.marketplace', 'installed.json'), 'utf8')) as {
      packages: { name: string; digest: string }[]
    }
    for (const p of ourLock.packages) expect(p.digest).toBe(theirLock.skills[p.name]?.wellKnownDigest)
  })
})
