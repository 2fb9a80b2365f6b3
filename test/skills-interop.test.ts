// Interoperability with a real client: the site the registry build writes, served over HTTP from
// 127.0.0.1, and the `skills` CLI from npm (vercel-labs/skills, which needs Node >= 22.20) run
// with Node 24 from npm as a user runs `npx skills`. It must list the skills (root and per
// publisher), install one with its digest verified, drop a tampered artifact, and report an
// update for a changed skill and none for an unchanged one.
// How the CLI is installed and run: test/helpers/skills-cli.ts.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validServer } from './helpers/marketplace.js'
import { build, commitAt, outputDirs, readJson, writeAll, type OutputDirs } from './helpers/registry.js'
import { NODE_MAJOR, SKILLS_VERSION, ensureSkillsCli, runSkills, type SkillsCli } from './helpers/skills-cli.js'

const TYPES: Record<string, string> = { '.json': 'application/json', '.md': 'text/markdown; charset=utf-8', '.gz': 'application/gzip' }

/** A static file server for the site folder, as GitHub Pages serves it; it records what was asked. */
function serve(root: string): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push(url.pathname)
    const file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`)
    if (!file.startsWith(`${root}${path.sep}`) || !existsSync(file)) {
      res.writeHead(404).end('not found')
      return
    }
    try {
      const body = readFileSync(file)
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length })
      res.end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({ server, origin: `http://127.0.0.1:${port}`, requests })
    })
  )
}

let tools: SkillsCli
let repo: TestRepo
let out: OutputDirs
let site: { server: Server; origin: string; requests: string[] }
let home: string
let project: string

function skills(args: string[], cwd = project): Promise<{ code: number | null; output: string }> {
  return runSkills(tools, args, { home, cwd })
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`
const rootIndex = () =>
  readJson<{ skills: { name: string; digest: string; url: string }[] }>(path.join(out.site, '.well-known/agent-skills/index.json'))
const lock = () =>
  readJson<{ skills: Record<string, { sourceType: string; sourceUrl: string; wellKnownDigest: string }> }>(
    path.join(project, 'skills-lock.json')
  )

function webDeploy(version: string, tool: string) {
  const dir = 'publishers/alice/web-deploy'
  return {
    [`${dir}/manifest.yaml`]: manifestYaml('web-deploy', { version: `"${version}"` }),
    [`${dir}/SKILL.md`]: `${skillMd('web-deploy')}\nRun tool.ts to deploy.\n`,
    [`${dir}/tool.ts`]: tool,
    [`${dir}/docs/usage.md`]: '# Usage\n\nCall deploy().\n'
  }
}

beforeAll(async () => {
  tools = ensureSkillsCli()
  home = mkdtempSync(path.join(tmpdir(), 'mpa-interop-home-'))
  project = mkdtempSync(path.join(tmpdir(), 'mpa-interop-project-'))
  repo = await makeRepo()
  writeAll(repo, {
    ...profile('alice'),
    ...profile('bob'),
    'publishers/alice/code-review/manifest.yaml': manifestYaml('code-review'),
    'publishers/alice/code-review/SKILL.md': `${skillMd('code-review')}\nReview the diff.\n`,
    ...webDeploy('1.0.0', 'export const deploy = () => "v1"\n'),
    ...validServer('bob', 'github-review')
  })
  commitAt(repo, 'alice publishes two skills, bob a server', '2026-01-01T00:00:00Z')
  writeAll(repo, {
    'publishers/bob/code-review/manifest.yaml': manifestYaml('code-review', { version: '"2.0.0"' }),
    'publishers/bob/code-review/SKILL.md': `${skillMd('code-review')}\nBob's way of reviewing.\n`
  })
  commitAt(repo, 'bob publishes a skill of the same name', '2026-01-02T00:00:00Z')
  out = outputDirs()
  await build(repo, out)
  site = await serve(out.site)
}, 300_000)

afterAll(async () => {
  await new Promise((resolve) => site?.server.close(resolve))
  await repo?.cleanup()
  for (const dir of [home, project, out && path.dirname(out.root)]) if (dir) rmSync(dir, { recursive: true, force: true })
})

describe(`npx skills ${SKILLS_VERSION} (Node ${NODE_MAJOR}) against the built site on 127.0.0.1`, () => {
  it('lists every skill of the root index, by install name, after fetching and verifying each artifact', async () => {
    const r = await skills(['add', site.origin, '--list'])
    expect(r.code).toBe(0)
    expect(r.output).toMatch(/Found 3 skills/)
    for (const name of ['code-review', 'bob-code-review', 'web-deploy']) expect(r.output).toMatch(new RegExp(`^│\\s+${name}$`, 'm'))
    expect(site.requests).toContain('/.well-known/agent-skills/index.json')
    expect(site.requests).toContain('/publishers/alice/.well-known/agent-skills/web-deploy/1.0.0/web-deploy.tar.gz')
  })

  it('lists one publisher under its path, with the plain names', async () => {
    const r = await skills(['add', `${site.origin}/publishers/bob`, '--list'])
    expect(r.code).toBe(0)
    expect(r.output).toMatch(/Found 1 skill\b/)
    expect(r.output).toMatch(/^│\s+code-review$/m)
    expect(r.output).not.toMatch(/bob-code-review/)
  })

  it('installs a one-file skill and an archive skill, recording the index digests', async () => {
    const a = await skills(['add', site.origin, '--skill', 'web-deploy', '-a', 'claude-code', '-y'])
    expect(a.code).toBe(0)
    const b = await skills(['add', site.origin, '--skill', 'code-review', '-a', 'claude-code', '-y'])
    expect(b.code).toBe(0)
    const installed = path.join(project, '.claude', 'skills')
    for (const file of ['SKILL.md', 'tool.ts', 'docs/usage.md']) {
      expect(
        readFileSync(path.join(installed, 'web-deploy', file)).equals(
          readFileSync(path.join(repo.dir, 'publishers/alice/web-deploy', file))
        )
      ).toBe(true)
    }
    expect(existsSync(path.join(installed, 'web-deploy', 'manifest.yaml'))).toBe(false)
    expect(readFileSync(path.join(installed, 'code-review', 'SKILL.md'), 'utf8')).toBe(
      readFileSync(path.join(repo.dir, 'publishers/alice/code-review/SKILL.md'), 'utf8')
    )
    const index = rootIndex()
    const digestOf = (name: string) => index.skills.find((s) => s.name === name)?.digest
    expect(lock().skills['web-deploy']).toMatchObject({
      sourceType: 'well-known',
      sourceUrl: site.origin,
      wellKnownDigest: digestOf('web-deploy')
    })
    expect(lock().skills['code-review']?.wellKnownDigest).toBe(digestOf('code-review'))
    expect(digestOf('web-deploy')).toBe(
      sha256(readFileSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/web-deploy/1.0.0/web-deploy.tar.gz')))
    )
  })

  it('drops an artifact whose bytes do not match the index digest', async () => {
    const file = path.join(out.site, 'publishers/alice/.well-known/agent-skills/code-review/1.0.0/SKILL.md')
    const good = readFileSync(file)
    writeFileSync(file, Buffer.concat([good, Buffer.from('\nInjected instruction.\n')]))
    try {
      const r = await skills(['add', site.origin, '--list'])
      expect(r.output).toMatch(/Found 2 skills/)
      expect(r.output).not.toMatch(/^│\s+code-review$/m)
      expect(r.output).toMatch(/^│\s+bob-code-review$/m)
    } finally {
      writeFileSync(file, good)
    }
  })

  it('after a rebuild, reports and applies an update for the changed skill only', async () => {
    const unchanged = rootIndex().skills.find((s) => s.name === 'code-review')
    writeAll(repo, webDeploy('1.1.0', 'export const deploy = () => "v2"\n'))
    commitAt(repo, 'web-deploy 1.1.0', '2026-01-03T00:00:00Z')
    const rebuilt = await build(repo, out)
    expect(rebuilt.result.mode).toBe('incremental')
    expect(rebuilt.result.updated.map((u) => u.id)).toEqual(['alice/web-deploy'])
    expect(rootIndex().skills.find((s) => s.name === 'code-review')).toEqual(unchanged)

    const r = await skills(['update', '-y'])
    expect(r.code).toBe(0)
    expect(r.output).toMatch(/Updating web-deploy/)
    expect(r.output).toMatch(/Updated web-deploy/)
    expect(r.output).not.toMatch(/Updating code-review/)
    expect(lock().skills['web-deploy']?.wellKnownDigest).toBe(rootIndex().skills.find((s) => s.name === 'web-deploy')?.digest)
    expect(lock().skills['code-review']?.wellKnownDigest).toBe(unchanged?.digest)
    expect(readFileSync(path.join(project, '.claude', 'skills', 'web-deploy', 'tool.ts'), 'utf8')).toBe(
      'export const deploy = () => "v2"\n'
    )

    // And nothing more to do afterwards.
    const again = await skills(['update', '-y'])
    expect(again.code).toBe(0)
    expect(again.output).toMatch(/Checking skills from source: http:\/\/127\.0\.0\.1/)
    expect(again.output).not.toMatch(/Updating (?!for:)/)
  })
})
