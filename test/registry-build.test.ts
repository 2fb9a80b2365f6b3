// The registry build over real git repositories: packages added, updated, removed and broken
// between commits, rebuilt each time and compared — the spec's "registry generation test" — and
// the properties the build promises: byte-identical rebuilds, `updated_at` moving only with
// content, carried-over scores, immutable version history, incremental == full, broken packages
// kept at their last good version, and the removal guard.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validServer, validSkill, type Files } from './helpers/marketplace.js'
import {
  build,
  commitAt,
  describeDifferences,
  filesOf,
  outputDirs,
  readJson,
  readRegistry,
  registrySchemaErrors,
  removeOutputDirs,
  writeAll,
  type OutputDirs
} from './helpers/registry.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { packageDigest } from '../src/core/marketplace/digest.js'
import { buildReview } from '../src/core/review/review.js'
import { reviewRecords } from '../src/core/review/record.js'
import { finding } from '../src/core/findings/findings.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import type { RegistryPackage } from '../src/generated/schema-types.js'
import { packageRef } from '../src/core/marketplace/paths.js'

const DISCOVERY = 'https://schemas.agentskills.io/discovery/0.2.0/schema.json'

interface IndexDoc {
  $schema: string
  skills: { name: string; type: string; description: string; url: string; digest: string }[]
}
interface MarketplaceDoc {
  name: string
  owner: { name: string }
  plugins: {
    name: string
    source: string
    strict: boolean
    version: string
    skills?: string[]
    mcpServers?: Record<string, unknown>
    author?: { name: string }
  }[]
}

const repos: TestRepo[] = []
async function newRepo(): Promise<TestRepo> {
  const repo = await makeRepo()
  repos.push(repo)
  return repo
}
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()))
  removeOutputDirs()
})

function skillWith(login: string, name: string, version: string, extra: Files = {}, body = 'Instructions.'): Files {
  const dir = `publishers/${login}/${name}`
  const files: Files = {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, { version: `"${version}"`, tags: '[demo, test]' }),
    [`${dir}/SKILL.md`]: `${skillMd(name)}\n${body}\n`
  }
  for (const [rel, content] of Object.entries(extra)) files[`${dir}/${rel}`] = content
  return files
}

const entry = (out: OutputDirs, id: string): RegistryPackage | undefined =>
  readRegistry(out).packages.find((p) => `${p.publisher}/${p.name}` === id)
const rootIndex = (out: OutputDirs) => readJson<IndexDoc>(path.join(out.site, '.well-known/agent-skills/index.json'))
const publisherIndexOf = (out: OutputDirs, login: string) =>
  readJson<IndexDoc>(path.join(out.site, `publishers/${login}/.well-known/agent-skills/index.json`))
const marketplace = (out: OutputDirs) => readJson<MarketplaceDoc>(path.join(out.root, '.claude-plugin/marketplace.json'))

async function digestAt(repo: TestRepo, commit: string, id: string): Promise<string> {
  const [publisher = '', name = ''] = id.split('/')
  const ref = packageRef(publisher, name)
  const snapshot = new GitSnapshot(repo.dir, commit)
  try {
    return await packageDigest(snapshot, ref, await snapshot.walk(ref.dir), 1 << 20)
  } finally {
    await snapshot.close()
  }
}

describe('registry generation (add, update, remove package directories in a git repository)', () => {
  let repo: TestRepo
  const out = outputDirs()
  const commits: string[] = []

  beforeAll(async () => {
    repo = await newRepo()
  })

  it('lists every package in the spec format, extended with what clients need, valid by the schema', async () => {
    writeAll(repo, { ...skillWith('alice', 'code-review', '1.0.0'), ...validServer('bob', 'github-review') })
    writeAll(repo, skillWith('alice', 'web-deploy', '1.0.0', { 'tool.ts': 'export const deploy = () => 1\n' }))
    commits.push(commitAt(repo, 'three packages', '2026-01-01T10:00:00Z'))
    const { result, applied } = await build(repo, out)

    expect(result.mode).toBe('full')
    expect(result.added.map((a) => a.id)).toEqual(['alice/code-review', 'alice/web-deploy', 'bob/github-review'])
    expect(result.findings).toEqual([])
    expect(applied?.written).toContain('registry.json')
    const registry = readRegistry(out)
    expect(registrySchemaErrors(registry)).toEqual([])
    expect(registry.version).toBe(2)
    expect(registry.updated_at).toBe('2026-01-01T10:00:00Z')
    expect(registry.commit).toBe(commits[0])
    const review = entry(out, 'alice/code-review')
    expect(review).toEqual({
      name: 'code-review',
      publisher: 'alice',
      type: 'skill',
      version: '1.0.0',
      description: 'A test package that does one thing well.',
      tags: ['demo', 'test'],
      downloads: 0,
      score: null,
      entrypoint: 'SKILL.md',
      path: 'publishers/alice/code-review',
      digest: await digestAt(repo, commits[0] as string, 'alice/code-review'),
      commit: commits[0],
      published_at: '2026-01-01T10:00:00Z',
      updated_at: '2026-01-01T10:00:00Z',
      versions: [
        {
          version: '1.0.0',
          digest: await digestAt(repo, commits[0] as string, 'alice/code-review'),
          commit: commits[0],
          published_at: '2026-01-01T10:00:00Z'
        }
      ]
    })
    expect(entry(out, 'bob/github-review')?.type).toBe('mcp-server')
    // Keys are written sorted, so the bytes do not depend on how the object was assembled.
    const text = readFileSync(path.join(out.root, 'registry.json'), 'utf8')
    expect(text.indexOf('"commit"')).toBeLessThan(text.indexOf('"packages"'))
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('publishes a new version with its own digest and keeps the earlier one in the history', async () => {
    writeAll(repo, skillWith('alice', 'web-deploy', '1.1.0', { 'tool.ts': 'export const deploy = () => 2\n' }))
    commits.push(commitAt(repo, 'web-deploy 1.1.0', '2026-01-02T10:00:00Z'))
    const { result } = await build(repo, out)
    expect(result.mode).toBe('incremental')
    expect(result.packagesRead).toBe(1)
    expect(result.updated).toEqual([{ id: 'alice/web-deploy', version: '1.1.0', previousVersion: '1.0.0' }])
    const e = entry(out, 'alice/web-deploy')
    expect(e?.version).toBe('1.1.0')
    expect(e?.published_at).toBe('2026-01-01T10:00:00Z')
    expect(e?.updated_at).toBe('2026-01-02T10:00:00Z')
    expect(e?.versions?.map((v) => [v.version, v.commit, v.published_at])).toEqual([
      ['1.1.0', commits[1], '2026-01-02T10:00:00Z'],
      ['1.0.0', commits[0], '2026-01-01T10:00:00Z']
    ])
    expect(e?.versions?.[0]?.digest).toBe(await digestAt(repo, commits[1] as string, 'alice/web-deploy'))
    expect(e?.versions?.[1]?.digest).toBe(await digestAt(repo, commits[0] as string, 'alice/web-deploy'))
    expect(e?.digest).not.toBe(e?.versions?.[1]?.digest)
    // The index names the new version at its own URL; the old one stays installable beside it
    // (its artifact and release record, docs/client.md "Release records"), out of the index.
    const site = publisherIndexOf(out, 'alice').skills.find((s) => s.name === 'web-deploy')
    expect(site?.url).toBe('web-deploy/1.1.0/web-deploy.tar.gz')
    expect(readdirSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/web-deploy/1.0.0')).sort()).toEqual([
      'files.json',
      'web-deploy.tar.gz'
    ])
  })

  it('adds a new package directory and removes a deleted one from every output', async () => {
    writeAll(repo, skillWith('carol', 'notes', '0.1.0'))
    repo.remove('publishers/alice/code-review')
    commits.push(commitAt(repo, 'add carol/notes, delete alice/code-review', '2026-01-03T10:00:00Z'))
    const { result, applied } = await build(repo, out)
    expect(result.added.map((a) => a.id)).toEqual(['carol/notes'])
    expect(result.removed).toEqual([{ id: 'alice/code-review', previousVersion: '1.0.0' }])
    expect(readRegistry(out).packages.map((p) => `${p.publisher}/${p.name}`)).toEqual([
      'alice/web-deploy',
      'bob/github-review',
      'carol/notes'
    ])
    expect(rootIndex(out).skills.map((s) => s.name)).toEqual(['notes', 'web-deploy'])
    expect(marketplace(out).plugins.map((p) => p.name)).toEqual(['web-deploy', 'github-review', 'notes'])
    // The published-versions index's own files are checked by test/published-index.test.ts.
    expect(applied?.deleted.filter((d) => !d.includes('/catalog/') && !d.startsWith('.registry/'))).toEqual([
      path.join(out.site, 'publishers/alice/.well-known/agent-skills/code-review/1.0.0/SKILL.md'),
      path.join(out.site, 'publishers/alice/.well-known/agent-skills/code-review/1.0.0/files.json')
    ])
    expect(applied?.deleted).toContain(path.join(out.site, 'catalog/packages/alice/code-review.html'))
    expect(existsSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/code-review'))).toBe(false)
  })

  it('writes nothing when rebuilt without a change, and keeps updated_at when a commit changes no package', async () => {
    const before = filesOf(out)
    const again = await build(repo, out)
    expect(again.applied).toEqual({ written: [], deleted: [] })
    expect(again.result.packagesRead).toBe(0)
    // The same commit again: the build record answers, without reading registry.json.
    expect([again.result.mode, again.result.packageCount, again.result.registry]).toEqual(['unchanged', 3, undefined])
    writeAll(repo, { 'README.md': '# The marketplace\n', 'publishers/README.md': 'How to publish\n' })
    commits.push(commitAt(repo, 'docs only', '2026-01-04T10:00:00Z'))
    const docs = await build(repo, out)
    expect(docs.applied).toEqual({ written: [], deleted: [] })
    expect(describeDifferences(before, filesOf(out))).toEqual([])
    expect(readRegistry(out).updated_at).toBe('2026-01-03T10:00:00Z')
    expect(readRegistry(out).commit).toBe(commits[2])
    // A full build of the same commit also writes nothing.
    expect((await build(repo, out, { full: true })).applied).toEqual({ written: [], deleted: [] })
  })

  it('moves updated_at and commit with the next content change', async () => {
    writeAll(repo, skillWith('carol', 'notes', '0.2.0', {}, 'Better instructions.'))
    commits.push(commitAt(repo, 'notes 0.2.0', '2026-01-05T10:00:00Z'))
    await build(repo, out)
    expect(readRegistry(out).updated_at).toBe('2026-01-05T10:00:00Z')
    expect(readRegistry(out).commit).toBe(commits[4])
  })
})

describe('carried over from the previous registry.json', () => {
  it('keeps downloads and score written by aggregate-scores, through rebuilds and new versions', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, { ...skillWith('alice', 'one', '1.0.0'), ...skillWith('alice', 'two', '1.0.0') })
    commitAt(repo, 'two packages', '2026-02-01T00:00:00Z')
    await build(repo, out)
    // What aggregate-scores does: edit downloads and score in place.
    const file = path.join(out.root, 'registry.json')
    const doc = readRegistry(out)
    for (const p of doc.packages) {
      p.downloads = p.name === 'one' ? 1234 : 7
      p.score = p.name === 'one' ? 0.81 : 0.33
    }
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`)

    const rebuilt = await build(repo, out)
    // No registry stage reads anything; the catalog renders again the pages of the two packages
    // whose score moved, reading their SKILL.md from git.
    expect(rebuilt.result.packagesRead).toBe(2)
    expect(rebuilt.applied?.written.filter((w) => w.includes('/catalog/packages/')).length).toBe(2)
    writeAll(repo, skillWith('alice', 'one', '1.1.0', {}, 'changed'))
    commitAt(repo, 'one 1.1.0', '2026-02-02T00:00:00Z')
    await build(repo, out)
    await build(repo, out, { full: true })
    expect(readRegistry(out).packages.map((p) => [p.name, p.version, p.downloads, p.score])).toEqual([
      ['one', '1.1.0', 1234, 0.81],
      ['two', '1.0.0', 7, 0.33]
    ])
  })

  it('refuses to build on a registry.json that does not match its schema (the history would be lost)', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, skillWith('alice', 'one', '1.0.0'))
    commitAt(repo, 'one', '2026-02-01T00:00:00Z')
    mkdirSync(out.root, { recursive: true })
    writeFileSync(path.join(out.root, 'registry.json'), '{"version": 2, "packages": "nope"}\n')
    await expect(build(repo, out)).rejects.toThrow(/registry.json does not match the registry schema[\s\S]*restore the last good one/)
  })
})

describe('incremental builds give exactly what full builds give', () => {
  const inc = outputDirs()
  const full = outputDirs()
  let repo: TestRepo
  const reads: { inc: number; full: number }[] = []

  async function step(message: string, date: string, change: () => void | Promise<void>): Promise<void> {
    await change()
    commitAt(repo, message, date)
    const a = await build(repo, inc)
    const b = await build(repo, full, { full: true })
    // A commit that changes no package, profile or config is answered from the build record.
    expect(a.result.mode).toBe(reads.length === 0 ? 'full' : message === 'nothing' ? 'unchanged' : 'incremental')
    expect(b.result.mode).toBe('full')
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])
    // The incremental build reports what changed; the full build reports that and every older problem.
    const errors = (r: typeof a) => r.result.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.package}`)
    expect(errors(b)).toEqual(expect.arrayContaining(errors(a)))
    reads.push({ inc: a.result.packagesRead, full: b.result.packagesRead })
  }

  beforeAll(async () => {
    repo = await newRepo()
  })

  it('across adds, updates, collisions, a broken manifest and its fix, profile changes, review records, deletes and renames', async () => {
    await step('start', '2026-03-01T00:00:00Z', () => {
      writeAll(repo, {
        'marketplace.config.yaml': 'marketplace:\n  name: test-market\n  owner:\n    name: Test Org\n',
        ...skillWith('alice', 'code-review', '1.0.0'),
        ...skillWith('alice', 'web-deploy', '1.0.0', { 'tool.ts': 'export {}\n', 'docs/usage.md': '# Usage\n' }),
        ...validServer('bob', 'github-review')
      })
    })
    await step('collision and a bump', '2026-03-02T00:00:00Z', () => {
      writeAll(repo, skillWith('bob', 'code-review', '0.1.0'))
      writeAll(repo, skillWith('alice', 'web-deploy', '1.1.0', { 'tool.ts': 'export const v = 2\n', 'docs/usage.md': '# Usage\n' }))
    })
    await step('break a manifest, add a package, change a profile', '2026-03-03T00:00:00Z', () => {
      repo.write('publishers/alice/code-review/manifest.yaml', manifestYaml('code-review', { version: '1.0' }))
      writeAll(repo, skillWith('carol', 'new', '0.1.0'))
      repo.write('publishers/bob/profile.json', JSON.stringify({ name: 'Robert', login: 'bob' }))
    })
    await step('fix it, delete a server, record a review', '2026-03-04T00:00:00Z', async () => {
      writeAll(repo, skillWith('alice', 'code-review', '1.3.0', {}, 'fixed'))
      repo.remove('publishers/bob/github-review')
      const head = repo.git(['rev-parse', 'HEAD']).trim()
      const review = buildReview({
        toolVersion: 'test',
        checks: ['validate'],
        source: { kind: 'git', base: head, head },
        packages: [
          {
            id: 'alice/web-deploy',
            publisher: 'alice',
            name: 'web-deploy',
            path: 'publishers/alice/web-deploy',
            status: 'modified',
            verdict: 'pass',
            digest: await digestAt(repo, head, 'alice/web-deploy')
          }
        ],
        findings: [finding('skill-md/body-length', { package: 'alice/web-deploy', file: 'publishers/alice/web-deploy/SKILL.md' }, 'long')]
      })
      for (const r of reviewRecords(review)) repo.write(r.path, `${JSON.stringify(r.review, null, 2)}\n`)
    })
    await step('rename a package, docs elsewhere', '2026-03-05T00:00:00Z', () => {
      repo.git(['mv', 'publishers/carol/new', 'publishers/carol/renamed'])
      repo.write('publishers/carol/renamed/manifest.yaml', manifestYaml('renamed', { version: '"0.1.0"', tags: '[demo, test]' }))
      repo.write('publishers/carol/renamed/SKILL.md', `${skillMd('renamed')}\nInstructions.\n`)
      repo.write('README.md', '# Market\n')
    })
    await step('nothing', '2026-03-06T00:00:00Z', () => undefined)

    // The incremental chain read only what changed; the full chain read everything every time.
    // (The third build also reads the withheld code-review again for its catalog page, which now
    // says it is out of the Claude marketplace until fixed.)
    expect(reads.map((r) => r.inc)).toEqual([3, 2, 3, 2, 1, 0])
    expect(reads.slice(1).every((r) => r.full >= 4)).toBe(true)

    const registry = readRegistry(inc)
    expect(registrySchemaErrors(registry)).toEqual([])
    expect(registry.packages.map((p) => `${p.publisher}/${p.name}@${p.version}`)).toEqual([
      'alice/code-review@1.3.0',
      'alice/web-deploy@1.1.0',
      'bob/code-review@0.1.0',
      'carol/renamed@0.1.0'
    ])
    expect(entry(inc, 'alice/web-deploy')?.review).toEqual({
      verdict: 'pass',
      commit: expect.stringMatching(/^[a-f0-9]{40}$/),
      errors: 0,
      warnings: 1
    })
    expect(marketplace(inc).name).toBe('test-market')
    expect(marketplace(inc).owner).toEqual({ name: 'Test Org' })
    expect(marketplace(inc).plugins.find((p) => p.source === './publishers/bob/code-review')?.author).toEqual({ name: 'Robert' })
    // Twelve builds: over a minute on a loaded 2-core machine.
  }, 300_000)

  it('rebuilds a lost site folder from git with the same bytes, as a full build (no build record)', async () => {
    const before = filesOf(inc)
    rmSync(inc.site, { recursive: true, force: true })
    const { result } = await build(repo, inc)
    expect([result.mode, result.reason]).toEqual([
      'full',
      'the site folder has no record of the last build (.marketplace-actions-build.json)'
    ])
    expect(describeDifferences(before, filesOf(inc))).toEqual([])
  })

  it('rebuilds a site artifact that was tampered with at the next build that verifies it', async () => {
    const file = path.join(inc.site, 'publishers/alice/.well-known/agent-skills/web-deploy/1.1.0/web-deploy.tar.gz')
    const good = readFileSync(file)
    writeFileSync(file, Buffer.concat([good, Buffer.from('x')]))
    // An unchanged rebuild looks only at the record and the aggregate files (state.ts)...
    expect((await build(repo, inc)).result.mode).toBe('unchanged')
    // ...the next build of a change verifies every artifact it keeps.
    repo.write('publishers/carol/profile.json', JSON.stringify({ name: 'Carol', login: 'carol' }))
    commitAt(repo, 'profile', '2026-03-07T00:00:00Z')
    const { applied } = await build(repo, inc)
    expect(applied?.written.some((w) => w.endsWith('web-deploy/1.1.0/web-deploy.tar.gz'))).toBe(true)
    expect(readFileSync(file).equals(good)).toBe(true)
  })
})

describe('a package that cannot be published keeps its last good version; the rest publish', () => {
  let repo: TestRepo
  const out = outputDirs()
  let good: string

  beforeAll(async () => {
    repo = await newRepo()
    writeAll(repo, { ...skillWith('alice', 'stable', '1.0.0', {}, 'the good instructions'), ...skillWith('bob', 'other', '1.0.0') })
    good = commitAt(repo, 'good', '2026-04-01T00:00:00Z')
    await build(repo, out)
  })

  it('a broken manifest on main: error annotations, the last good version stays in registry.json and the skills index', async () => {
    repo.write('publishers/alice/stable/manifest.yaml', manifestYaml('stable', { version: '1.1' }))
    repo.write('publishers/alice/stable/SKILL.md', `${skillMd('stable')}\nthe broken instructions\n`)
    writeAll(repo, skillWith('bob', 'other', '1.1.0', {}, 'a real update'))
    writeAll(repo, {
      ...profile('dave'),
      'publishers/dave/fresh/manifest.yaml': 'name: fresh\ntype: skill\n',
      'publishers/dave/fresh/SKILL.md': skillMd('fresh')
    })
    commitAt(repo, 'break stable, update other, add a broken new one', '2026-04-02T00:00:00Z')
    const { result } = await build(repo, out)

    expect(result.withheld).toEqual(['alice/stable'])
    expect(result.updated.map((u) => u.id)).toEqual(['bob/other'])
    expect(result.added).toEqual([])
    const rules = result.findings.map((f) => `${f.severity} ${f.rule} ${f.package}`)
    expect(rules).toEqual(
      expect.arrayContaining([
        'error registry/manifest-invalid alice/stable',
        'error manifest/schema alice/stable',
        'error registry/manifest-invalid dave/fresh'
      ])
    )
    const invalid = result.findings.find((f) => f.rule === 'registry/manifest-invalid' && f.package === 'alice/stable')
    expect(invalid?.message).toMatch(/keeps serving version 1\.0\.0/)
    expect(invalid?.file).toBe('publishers/alice/stable/manifest.yaml')
    expect(result.findings.find((f) => f.package === 'dave/fresh' && f.rule === 'registry/manifest-invalid')?.message).toMatch(/left out/)

    expect(entry(out, 'alice/stable')?.version).toBe('1.0.0')
    expect(entry(out, 'alice/stable')?.commit).toBe(good)
    expect(entry(out, 'bob/other')?.version).toBe('1.1.0')
    expect(entry(out, 'dave/fresh')).toBeUndefined()
    // The skills index still serves the published files, not the broken ones.
    const served = readFileSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/stable/1.0.0/SKILL.md'), 'utf8')
    expect(served).toContain('the good instructions')
    // marketplace.json points at the repository's current files, so it lists only what is publishable there.
    expect(marketplace(out).plugins.map((p) => p.source)).toEqual(['./publishers/bob/other'])
  })

  it('a full build from scratch of the site serves the last good version from its commit', async () => {
    rmSync(out.site, { recursive: true, force: true })
    const { result } = await build(repo, out, { full: true })
    expect(result.withheld).toEqual(['alice/stable'])
    expect(readFileSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/stable/1.0.0/SKILL.md'), 'utf8')).toContain(
      'the good instructions'
    )
  })

  it('files changed without a new version: registry/version-reused, the published files stay', async () => {
    writeAll(repo, skillWith('bob', 'other', '1.1.0', {}, 'sneaky change under the same version'))
    commitAt(repo, 'change other without a bump', '2026-04-03T00:00:00Z')
    const published = entry(out, 'bob/other')
    const { result } = await build(repo, out)
    expect(result.findings.map((f) => f.rule)).toContain('registry/version-reused')
    // Only what changed is read: alice/stable, still broken but unchanged, was reported when it broke.
    expect(result.withheld).toEqual(['bob/other'])
    expect(entry(out, 'bob/other')).toEqual(published)
  })

  it("a rollback to an earlier version's exact files publishes that version again", async () => {
    writeAll(repo, skillWith('bob', 'other', '1.0.0'))
    commitAt(repo, 'roll other back to 1.0.0', '2026-04-04T00:00:00Z')
    const { result } = await build(repo, out)
    const e = entry(out, 'bob/other')
    expect(result.updated).toEqual([{ id: 'bob/other', version: '1.0.0', previousVersion: '1.1.0' }])
    expect(e?.version).toBe('1.0.0')
    expect(e?.commit).toBe(good)
    expect(e?.updated_at).toBe('2026-04-01T00:00:00Z')
    expect(e?.versions?.map((v) => v.version)).toEqual(['1.1.0', '1.0.0'])
    expect(registrySchemaErrors(readRegistry(out))).toEqual([])
  })

  it('fixing the manifest publishes the new version', async () => {
    writeAll(repo, skillWith('alice', 'stable', '1.1.0', {}, 'the fixed instructions'))
    commitAt(repo, 'fix stable', '2026-04-05T00:00:00Z')
    const { result } = await build(repo, out)
    expect(result.withheld).toEqual([])
    expect(entry(out, 'alice/stable')?.version).toBe('1.1.0')
    expect(marketplace(out).plugins.map((p) => p.source)).toEqual(['./publishers/alice/stable', './publishers/bob/other'])
  })
})

describe('other packages that cannot be published', () => {
  it('an invalid publisher login, a file above the package limit, a skill without SKILL.md, an unmappable server', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    const server = JSON.stringify({
      name: 'io.github.erin/img',
      description: 'An image-only server.',
      version: '1.0.0',
      packages: [{ registryType: 'oci', identifier: 'ghcr.io/erin/img', version: '1.0.0', transport: { type: 'stdio' } }]
    })
    writeAll(repo, {
      'marketplace.config.yaml': 'limits:\n  package_bytes: 4096\n',
      ...validSkill('Bad_Login', 'thing'),
      ...skillWith('alice', 'huge', '1.0.0', { 'data.bin': 'x'.repeat(5000) }),
      ...profile('carol'),
      'publishers/carol/tool-only/manifest.yaml': manifestYaml('tool-only', { entrypoint: 'tool.js' }),
      'publishers/carol/tool-only/tool.js': 'module.exports = 1\n',
      ...profile('erin'),
      'publishers/erin/img/manifest.yaml': manifestYaml('img', { type: 'mcp-server', entrypoint: 'server.json' }),
      'publishers/erin/img/server.json': server,
      ...skillWith('ok', 'fine', '1.0.0')
    })
    commitAt(repo, 'mixed', '2026-05-01T00:00:00Z')
    const { result } = await build(repo, out)
    const by = (rule: string) => result.findings.filter((f) => f.rule === rule).map((f) => f.package)
    expect(by('registry/publisher-invalid')).toEqual(['Bad_Login/thing'])
    expect(by('registry/package-unreadable')).toEqual(['alice/huge'])
    expect(by('registry/skill-not-indexed')).toEqual(['carol/tool-only'])
    expect(by('registry/mcp-server-not-listed')).toEqual(['erin/img'])
    expect(readRegistry(out).packages.map((p) => `${p.publisher}/${p.name}`)).toEqual(['carol/tool-only', 'erin/img', 'ok/fine'])
    expect(rootIndex(out).skills.map((s) => s.name)).toEqual(['fine'])
    expect(marketplace(out).plugins.map((p) => p.name)).toEqual(['tool-only', 'fine'])
  })
})

describe('review records', () => {
  it('shows the latest review result; a stale or unreadable record is left out with a warning', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, {
      ...skillWith('alice', 'reviewed', '1.0.0'),
      ...skillWith('alice', 'stale', '1.0.0'),
      ...skillWith('alice', 'garbled', '1.0.0')
    })
    const c1 = commitAt(repo, 'three', '2026-06-01T00:00:00Z')
    const record = (name: string, digest: string) => {
      const review = buildReview({
        toolVersion: 'test',
        checks: ['validate', 'safety'],
        source: { kind: 'git', base: c1, head: c1 },
        packages: [
          { id: `alice/${name}`, publisher: 'alice', name, path: `publishers/alice/${name}`, status: 'added', verdict: 'fail', digest }
        ],
        findings: [
          finding('manifest/schema', { package: `alice/${name}`, file: 'x' }, 'an error'),
          finding('skill-md/body-length', { package: `alice/${name}`, file: 'y' }, 'a warning'),
          finding('skill-md/body-length', { package: 'alice/other', file: 'z' }, 'not this package')
        ]
      })
      return `${JSON.stringify(reviewRecords(review)[0]?.review, null, 2)}\n`
    }
    repo.write('publishers/alice/reviewed/review.json', record('reviewed', await digestAt(repo, c1, 'alice/reviewed')))
    repo.write('publishers/alice/stale/review.json', record('stale', `sha256:${'0'.repeat(64)}`))
    repo.write('publishers/alice/garbled/review.json', '{not json')
    commitAt(repo, 'review records', '2026-06-02T00:00:00Z')
    const { result } = await build(repo, out)
    expect(entry(out, 'alice/reviewed')?.review).toEqual({ verdict: 'fail', commit: c1, errors: 1, warnings: 1 })
    expect(entry(out, 'alice/stale')?.review).toBeUndefined()
    expect(entry(out, 'alice/garbled')?.review).toBeUndefined()
    const ruleOf = (id: string) => result.findings.filter((f) => f.package === id).map((f) => [f.rule, f.severity])
    expect(ruleOf('alice/garbled')).toEqual([['registry/review-invalid', 'warning']])
    expect(ruleOf('alice/stale')).toEqual([['registry/review-stale', 'warning']])
    expect(ruleOf('alice/reviewed')).toEqual([])
    expect(result.findings.find((f) => f.package === 'alice/stale')?.message).toMatch(
      /reviewed files with digest sha256:0{64}, but the registry publishes sha256:/
    )
    // review.json is not part of the digest: adding it published no new version.
    expect(result.updated).toEqual([])
    expect(entry(out, 'alice/reviewed')?.updated_at).toBe('2026-06-01T00:00:00Z')
  })
})

describe('same-named packages of two publishers', () => {
  it('the first published keeps the plain name in the marketplace-wide indexes; later ones are <login>-<name>', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, skillWith('alice', 'code-review', '1.0.0'))
    commitAt(repo, 'alice first', '2026-07-01T00:00:00Z')
    await build(repo, out)
    writeAll(repo, { ...skillWith('Bob', 'code-review', '2.0.0'), ...skillWith('carol', 'bob-code-review', '1.0.0') })
    commitAt(repo, 'then Bob, and a package literally named bob-code-review', '2026-07-02T00:00:00Z')
    const { result } = await build(repo, out)

    expect(rootIndex(out).skills.map((s) => [s.name, s.url])).toEqual([
      ['bob-code-review', '../../publishers/carol/.well-known/agent-skills/bob-code-review/1.0.0/SKILL.md'],
      [
        'bob-code-review-' + createHash('sha256').update('Bob/code-review').digest('hex').slice(0, 8),
        '../../publishers/Bob/.well-known/agent-skills/code-review/2.0.0/SKILL.md'
      ],
      ['code-review', '../../publishers/alice/.well-known/agent-skills/code-review/1.0.0/SKILL.md']
    ])
    expect(publisherIndexOf(out, 'Bob').skills.map((s) => s.name)).toEqual(['code-review'])
    expect(
      marketplace(out)
        .plugins.map((p) => p.name)
        .sort()
    ).toEqual(
      rootIndex(out)
        .skills.map((s) => s.name)
        .sort()
    )
    expect(result.findings.filter((f) => f.rule === 'registry/install-name-qualified').map((f) => f.package)).toEqual(['Bob/code-review'])

    // When the first owner leaves, the name passes to the next oldest.
    repo.remove('publishers/alice')
    commitAt(repo, 'alice leaves', '2026-07-03T00:00:00Z')
    await build(repo, out)
    expect(rootIndex(out).skills.map((s) => s.name)).toEqual(['bob-code-review', 'code-review'])
    expect(rootIndex(out).skills.find((s) => s.name === 'code-review')?.url).toContain('/publishers/Bob/')
  })
})

describe('skills index and artifacts', () => {
  it('SKILL.md for one-file skills, a .tar.gz with SKILL.md at its root for the others, each with its sha256', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, skillWith('alice', 'solo', '1.0.0'))
    writeAll(repo, skillWith('alice', 'multi', '2.0.0', { 'scripts/run.sh': '#!/bin/sh\necho hi\n', 'reference.md': '# Ref\n' }))
    repo.write('publishers/alice/multi/scripts/run.sh', '#!/bin/sh\necho hi\n', 0o755)
    // The review only warns about a lowercase skill.md; the artifact stores it as SKILL.md.
    writeAll(repo, {
      'publishers/alice/lower/manifest.yaml': manifestYaml('lower', { entrypoint: 'skill.md' }),
      'publishers/alice/lower/skill.md': skillMd('lower')
    })
    commitAt(repo, 'skills', '2026-08-01T00:00:00Z')
    await build(repo, out)

    const index = publisherIndexOf(out, 'alice')
    expect(index.$schema).toBe(DISCOVERY)
    for (const s of index.skills) {
      const bytes = readFileSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills', s.url))
      expect(s.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`)
    }
    expect(index.skills.map((s) => [s.name, s.type, s.url])).toEqual([
      ['lower', 'skill-md', 'lower/1.0.0/SKILL.md'],
      ['multi', 'archive', 'multi/2.0.0/multi.tar.gz'],
      ['solo', 'skill-md', 'solo/1.0.0/SKILL.md']
    ])
    expect(readFileSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/solo/1.0.0/SKILL.md'), 'utf8')).toBe(
      `${skillMd('solo')}\nInstructions.\n`
    )
    const tar = gunzipSync(readFileSync(path.join(out.site, 'publishers/alice/.well-known/agent-skills/multi/2.0.0/multi.tar.gz')))
    const names: string[] = []
    for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
      const name = tar
        .subarray(at, at + 100)
        .toString('utf8')
        .replace(/\0.*$/s, '')
      const size = parseInt(
        tar
          .subarray(at + 124, at + 136)
          .toString('utf8')
          .replace(/\0.*$/s, '')
          .trim(),
        8
      )
      names.push(
        `${name} ${tar
          .subarray(at + 100, at + 108)
          .toString('utf8')
          .replace(/\0.*$/s, '')
          .trim()}`
      )
      at += 512 + Math.ceil(size / 512) * 512
    }
    // manifest.yaml is the marketplace's, not the skill's: it is not in the artifact.
    expect(names).toEqual(['SKILL.md 000644', 'reference.md 000644', 'scripts/run.sh 000755'])
    expect(existsSync(path.join(out.site, '.nojekyll'))).toBe(true)
  })

  it('keeps files it does not own in the site folder, and never writes through a symlink', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, skillWith('alice', 'solo', '1.0.0'))
    commitAt(repo, 'one', '2026-08-01T00:00:00Z')
    mkdirSync(out.site, { recursive: true })
    writeFileSync(path.join(out.site, 'index.html'), '<h1>Our marketplace</h1>\n')
    mkdirSync(path.join(out.site, '.well-known/agent-skills'), { recursive: true })
    writeFileSync(path.join(out.site, '.well-known/agent-skills/stale.json'), '{}')
    const { applied } = await build(repo, out)
    expect(existsSync(path.join(out.site, 'index.html'))).toBe(true)
    expect(applied?.deleted.some((d) => d.endsWith('.well-known/agent-skills/stale.json'))).toBe(true)

    const linked = outputDirs()
    mkdirSync(linked.root, { recursive: true })
    symlinkSync('/etc/hostname', path.join(linked.root, 'registry.json'))
    await expect(build(repo, linked)).rejects.toThrow(/registry.json is not a regular file \(a symlink\)/)
    expect(() => new RegistryOutputs(repo.dir, repo.dir)).toThrow(/must not be the marketplace root/)
    expect(() => new RegistryOutputs(repo.dir, path.join(repo.dir, 'publishers', 'site'))).toThrow(/must not be inside publishers/)
  })
})

describe('the removal guard', () => {
  it('refuses to drop more than the configured share of the packages unless forced, and writes nothing', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) writeAll(repo, skillWith('alice', `pkg-${n}`, '1.0.0'))
    commitAt(repo, 'eight', '2026-09-01T00:00:00Z')
    await build(repo, out)
    const before = filesOf(out)

    // One removal is always allowed, whatever the share.
    repo.remove('publishers/alice/pkg-h')
    commitAt(repo, 'remove one', '2026-09-02T00:00:00Z')
    expect((await build(repo, out)).result.refused).toBeUndefined()
    const afterOne = filesOf(out)
    expect(describeDifferences(before, afterOne).length).toBeGreaterThan(0)

    // Three of seven (43%) is more than the default 25%.
    for (const n of ['e', 'f', 'g']) repo.remove(`publishers/alice/pkg-${n}`)
    commitAt(repo, 'remove three', '2026-09-03T00:00:00Z')
    const refused = await build(repo, out)
    expect(refused.result.refused).toEqual({ removed: 3, previous: 7, share: 3 / 7 })
    expect(refused.applied).toBeUndefined()
    expect(refused.result.findings.map((f) => f.rule)).toEqual(['registry/too-many-removed'])
    expect(refused.result.files).toEqual([])
    expect(describeDifferences(afterOne, filesOf(out))).toEqual([])

    // A config that allows it, or --force.
    repo.write('marketplace.config.yaml', 'registry:\n  max_removed_share: 0.5\n')
    commitAt(repo, 'allow half', '2026-09-04T00:00:00Z')
    expect((await build(repo, out)).result.refused).toBeUndefined()
    expect(readRegistry(out).packages).toHaveLength(4)

    for (const n of ['b', 'c', 'd']) repo.remove(`publishers/alice/pkg-${n}`)
    commitAt(repo, 'remove three of four', '2026-09-05T00:00:00Z')
    expect((await build(repo, out)).result.refused?.removed).toBe(3)
    const forced = await build(repo, out, { force: true })
    expect(forced.result.refused).toBeUndefined()
    expect(readRegistry(out).packages.map((p) => p.name)).toEqual(['pkg-a'])
  })
})

describe('when the build cannot be incremental', () => {
  it('falls back to a full build when the recorded commit is gone from the history, or the config changed', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, skillWith('alice', 'one', '1.0.0'))
    commitAt(repo, 'one', '2026-10-01T00:00:00Z')
    writeAll(repo, skillWith('alice', 'two', '1.0.0'))
    commitAt(repo, 'two', '2026-10-02T00:00:00Z')
    await build(repo, out)
    // History rewritten: the recorded commit is no longer an ancestor.
    repo.git(['reset', '-q', '--hard', 'HEAD~1'])
    writeAll(repo, skillWith('alice', 'three', '1.0.0'))
    commitAt(repo, 'three instead', '2026-10-03T00:00:00Z')
    const rewritten = await build(repo, out)
    expect(rewritten.result.mode).toBe('full')
    expect(rewritten.result.reason).toMatch(/is not an ancestor/)
    expect(readRegistry(out).packages.map((p) => p.name)).toEqual(['one', 'three'])

    const upgraded = await build(repo, out, { toolVersion: 'test-2' })
    expect([upgraded.result.mode, upgraded.result.reason]).toEqual([
      'full',
      'registry.json was written by another version of marketplace-actions (test)'
    ])
    // The index head names registry.json by its bytes, so it moves with it.
    expect(upgraded.applied?.written).toEqual(['.registry/index.json', 'registry.json'])
    expect(readRegistry(out).generator).toEqual({ name: 'marketplace-actions', version: 'test-2' })
    await build(repo, out)

    repo.write('marketplace.config.yaml', 'marketplace:\n  name: renamed\n')
    commitAt(repo, 'config', '2026-10-04T00:00:00Z')
    const config = await build(repo, out)
    expect([config.result.mode, config.result.reason]).toEqual(['full', 'marketplace.config.yaml changed'])
    expect(marketplace(out).name).toBe('renamed')
  })
})

describe('the stats service URL', () => {
  it('is copied from the config to registry.json, and adding, changing or removing it moves updated_at', async () => {
    const repo = await newRepo()
    const out = outputDirs()
    writeAll(repo, skillWith('alice', 'one', '1.0.0'))
    commitAt(repo, 'one', '2026-10-01T00:00:00Z')
    await build(repo, out)
    expect(readRegistry(out)).not.toHaveProperty('stats_url')

    repo.write('marketplace.config.yaml', 'marketplace:\n  stats_url: https://stats.example.org\n')
    commitAt(repo, 'stats', '2026-10-02T00:00:00Z')
    expect((await build(repo, out)).applied?.written).toEqual(['.registry/index.json', 'registry.json'])
    expect(readRegistry(out)).toMatchObject({ stats_url: 'https://stats.example.org', updated_at: '2026-10-02T00:00:00Z' })
    expect(registrySchemaErrors(readRegistry(out))).toEqual([])
    // Nothing new: nothing written.
    expect((await build(repo, out)).applied?.written).toEqual([])

    repo.write('marketplace.config.yaml', 'marketplace:\n  name: renamed\n')
    commitAt(repo, 'no stats', '2026-10-03T00:00:00Z')
    await build(repo, out)
    expect(readRegistry(out)).not.toHaveProperty('stats_url')
    expect(readRegistry(out).updated_at).toBe('2026-10-03T00:00:00Z')
  })
})
