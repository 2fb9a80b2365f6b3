// The published-versions index (.registry/) over real git repositories: the review gives the same
// verdicts whether it reads the index or registry.json, reads only the index when it matches the
// base's registry.json, goes back to registry.json when the index is missing, stale, partial or
// edited, and the registry build writes the index byte-identically on full and incremental builds.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validSkill } from './helpers/marketplace.js'
import { digestAt, gitAuthor, move, pullRequest, registryJson, write, reviewChange, type Edit } from './helpers/pull-request.js'
import { build, commitAt, describeDifferences, filesOf, outputDirs, removeOutputDirs, writeAll } from './helpers/registry.js'
import { versionBumpCheck } from '../src/core/checks/release/version-bump.js'
import { namespaceCheck } from '../src/core/checks/release/namespace.js'
import { readPublished } from '../src/core/checks/release/published.js'
import { publishedIndexFiles } from '../src/core/registry/build/published-index.js'
import { PUBLISHED_INDEX_FILE, publishedShardName, shardPath } from '../src/core/registry/published-index.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import type { TreeEntry } from '../src/core/snapshot/types.js'
import type { Review } from '../src/core/review/review.js'
import type { Registry } from '../src/generated/schema-types.js'
import { VALIDATORS } from '../src/generated/validators.js'
import { runScores } from '../src/io/run-scores.js'
import { builtRegistry, fullStats, marketplaceRoot, removeRoots, writeStats } from './helpers/scores.js'

const dir = (login: string, name: string) => `publishers/${login}/${name}`

function skill(login: string, name: string, version: string, extra = ''): Record<string, string> {
  return {
    [`${dir(login, name)}/manifest.yaml`]: manifestYaml(name, { version: `"${version}"` }),
    [`${dir(login, name)}/SKILL.md`]: `${skillMd(name)}${extra}`
  }
}

/** A snapshot that records every path read from git. */
class RecordingSnapshot extends GitSnapshot {
  readonly reads: string[] = []
  override read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    this.reads.push(entry.path)
    return super.read(entry, maxBytes)
  }
}

let repo: TestRepo
/** The same marketplace twice: with registry.json only, and with the index the build writes beside it. */
let plain: string
let indexed: string
const digests: Record<string, string> = {}

/** The index files for a registry.json's exact bytes, as the build writes them. */
function indexFor(bytes: string): Record<string, string> {
  const registry = JSON.parse(bytes) as Registry
  const files = publishedIndexFiles(registry, Buffer.from(bytes), 'sha1')
  return Object.fromEntries(files.map((f) => [f.path, Buffer.from(f.bytes ?? new Uint8Array()).toString('utf8')]))
}

beforeAll(async () => {
  repo = await makeRepo()
  for (const login of ['alice', 'bob'])
    repo.write(`publishers/${login}/profile.json`, profile(login)[`publishers/${login}/profile.json`] as string)
  for (const files of [
    skill('alice', 'web-deploy', '1.0.0'),
    skill('alice', 'code-review', '1.2.0'),
    skill('alice', 'old-tool', '1.0.0'),
    skill('bob', 'notes', '2.0.0')
  ])
    for (const [p, content] of Object.entries(files)) repo.write(p, content)
  const c0 = repo.commit('publish', { author: gitAuthor('alice') })
  for (const [login, name] of [
    ['alice', 'web-deploy'],
    ['alice', 'code-review'],
    ['alice', 'old-tool'],
    ['bob', 'notes']
  ] as const)
    digests[`${login}/${name}`] = await digestAt(repo, c0, login, name)
  const at = (id: string, version: string) => ({ version, digest: digests[id] as string, commit: c0, published_at: '2026-03-20T09:30:00Z' })
  repo.remove(dir('alice', 'old-tool'))
  const registry = registryJson([
    { publisher: 'alice', name: 'code-review', versions: [at('alice/code-review', '1.2.0')] },
    // Removed from the tree, still recorded: its version 1.0.0 names those files for good.
    { publisher: 'alice', name: 'old-tool', versions: [at('alice/old-tool', '1.0.0')] },
    { publisher: 'alice', name: 'web-deploy', versions: [at('alice/web-deploy', '1.0.0')] },
    { publisher: 'bob', name: 'notes', versions: [at('bob/notes', '2.0.0')] }
  ])
  repo.write('registry.json', registry)
  plain = repo.commit('rebuild the registry', { author: gitAuthor('octocat') })
  repo.git(['checkout', '-q', '-b', 'indexed'])
  for (const [p, content] of Object.entries(indexFor(registry))) repo.write(p, content)
  indexed = repo.commit('rebuild the registry with its index', { author: gitAuthor('octocat') })
  repo.git(['checkout', '-q', 'main'])
})

afterAll(async () => {
  await repo?.cleanup()
  removeOutputDirs()
})

/** Pull requests that exercise every use of the published record, each made on both bases. */
const PULL_REQUESTS: Record<string, { login: string; edits: Edit[]; rules: string[] }> = {
  // The registry records old-tool 1.0.0 with other files.
  'republished with other files': {
    login: 'alice',
    edits: [write(skill('alice', 'old-tool', '1.0.0', '\nNew text.\n'))],
    rules: ['version/republished']
  },
  // The same files under the same version: nothing to say.
  'republished unchanged': { login: 'alice', edits: [write(skill('alice', 'old-tool', '1.0.0'))], rules: [] },
  // bob publishes exactly alice's old-tool files under another name: only the registry knows them.
  'duplicate digest across publishers': {
    login: 'bob',
    edits: [write(Object.fromEntries(Object.entries(skill('alice', 'old-tool', '1.0.0')).map(([p, c]) => [p.replace('alice', 'bob'), c])))],
    rules: ['namespace/duplicate-content']
  },
  renamed: { login: 'alice', edits: [move(dir('alice', 'code-review'), dir('alice', 'code-review-2'))], rules: ['version/renamed'] },
  'not bumped': {
    login: 'alice',
    edits: [write({ [`${dir('alice', 'web-deploy')}/SKILL.md`]: `${skillMd('web-deploy')}\nMore.\n` })],
    rules: ['version/not-bumped']
  },
  bumped: { login: 'alice', edits: [write(skill('alice', 'web-deploy', '1.1.0', '\nMore.\n'))], rules: [] },
  'new package': { login: 'bob', edits: [write(skill('bob', 'fresh', '0.1.0'))], rules: [] }
}

describe('the review with and without the index', () => {
  it.each(Object.keys(PULL_REQUESTS))('gives the same verdict: %s', async (name) => {
    const pr = PULL_REQUESTS[name] as (typeof PULL_REQUESTS)[string]
    const slug = name.replace(/\W+/g, '-')
    const [fromPlain, fromIndex] = (await Promise.all(
      (
        [
          ['plain', plain],
          ['indexed', indexed]
        ] as const
      ).map(([label, base]) =>
        reviewChange(repo, base, pullRequest(repo, base, `${slug}-${label}`, pr.login, ...pr.edits), pr.login, [versionBumpCheck])
      )
    )) as [Review, Review]
    expect(fromPlain.findings.map((f) => f.rule)).toEqual(pr.rules)
    expect(fromIndex.findings).toEqual(fromPlain.findings)
    expect(fromIndex.packages).toEqual(fromPlain.packages)
    expect(fromIndex.verdict).toBe(fromPlain.verdict)
  })
})

describe('what the review reads', () => {
  const read = async (commit: string, ids: string[]) => {
    const snapshot = new RecordingSnapshot(repo.dir, commit)
    try {
      const published = await readPublished(snapshot, ids)
      const holders = await published.holders(digests['alice/old-tool'] as string)
      return { published, holders, reads: snapshot.reads, versions: ids.map((id) => published.versions(id)) }
    } finally {
      await snapshot.close()
    }
  }

  it('reads the head and the shards it needs, never registry.json, when the index matches', async () => {
    const r = await read(indexed, ['alice/old-tool', 'bob/new'])
    expect(r.published.source).toBe('index')
    expect(r.reads).not.toContain('registry.json')
    expect(r.reads).toContain(PUBLISHED_INDEX_FILE)
    expect(r.reads).toContain(shardPath(publishedShardName('alice/old-tool')))
    expect(r.holders).toEqual(['alice/old-tool'])
    expect(r.versions[0]?.map((v) => v.version)).toEqual(['1.0.0'])
    expect(r.versions[1]).toEqual([])
  })

  it('reads registry.json when there is no index', async () => {
    const r = await read(plain, ['alice/old-tool'])
    expect(r.published.source).toBe('registry')
    expect(r.reads).toContain('registry.json')
    expect(r.holders).toEqual(['alice/old-tool'])
  })

  const variant = (name: string, ...edits: Edit[]) => pullRequest(repo, indexed, name, 'octocat', ...edits)
  const oldToolShard = () => shardPath(publishedShardName('alice/old-tool'))

  it('does not trust an index built for another registry.json (stale), and reads the new registry', async () => {
    const current = readFileSync(path.join(repo.dir, 'registry.json'), 'utf8')
    const stale = variant(
      'stale-index',
      write({ 'registry.json': current.replaceAll(digests['alice/old-tool'] as string, digests['bob/notes'] as string) })
    )
    const r = await read(stale, ['alice/old-tool'])
    expect(r.published.source).toBe('registry')
    expect(r.versions[0]?.[0]?.digest).toBe(digests['bob/notes'])
  })

  it('does not trust a shard whose bytes are not the ones the head lists (edited), nor a missing one (partial)', async () => {
    const edited = variant('edited-shard', write({ [oldToolShard()]: '{"packages": {}}\n' }))
    const r1 = await read(edited, ['alice/old-tool'])
    expect(r1.published.source).toBe('registry')
    expect(r1.versions[0]?.map((v) => v.version)).toEqual(['1.0.0'])
    const partial = variant('partial-index', (r) => r.remove(oldToolShard()))
    expect((await read(partial, ['alice/old-tool'])).published.source).toBe('registry')
    const badHead = variant('bad-head', write({ [PUBLISHED_INDEX_FILE]: '{"format": 1,' }))
    expect((await read(badHead, ['alice/old-tool'])).published.source).toBe('registry')
  })

  it('fails closed when the index cannot be used and registry.json is broken', async () => {
    const broken = variant('broken-registry', write({ 'registry.json': '{"version": 2, "packages": [}\n' }))
    const snapshot = new GitSnapshot(repo.dir, broken)
    try {
      await expect(readPublished(snapshot, ['alice/old-tool'])).rejects.toThrow(/^registry\.json on the base commit .* is not valid JSON/)
    } finally {
      await snapshot.close()
    }
  })

  it('gives the same verdict on a stale index as registry.json does', async () => {
    // registry.json now records web-deploy 1.1.0 with other files; the index still says nothing of it.
    const current = readFileSync(path.join(repo.dir, 'registry.json'), 'utf8')
    const doc = JSON.parse(current) as Registry
    const web = doc.packages.find((p) => p.name === 'web-deploy')
    web?.versions?.unshift({
      version: '1.1.0',
      digest: digests['bob/notes'] as string,
      commit: web.commit as string,
      published_at: '2026-03-21T00:00:00Z'
    })
    const stale = variant('stale-verdict', write({ 'registry.json': `${JSON.stringify(doc, null, 2)}\n` }))
    const head = pullRequest(repo, stale, 'stale-verdict-pr', 'alice', write(skill('alice', 'web-deploy', '1.1.0', '\nMore.\n')))
    const review = await reviewChange(repo, stale, head, 'alice', [versionBumpCheck])
    expect(review.findings.map((f) => f.rule)).toEqual(['version/republished'])
  })
})

describe('the index is generated', () => {
  it('is a generated file for the namespace check: a pull request may not touch it', async () => {
    const head = pullRequest(repo, indexed, 'touch-index', 'alice', write({ [oldShard()]: '{"packages": {}}\n' }))
    const review = await reviewChange(repo, indexed, head, 'alice', [namespaceCheck])
    expect(review.findings.map((f) => [f.rule, f.file])).toEqual([['namespace/generated-file', oldShard()]])
    expect(review.findings[0]?.message).toMatch(/published-versions index/)
  })
  const oldShard = () => shardPath(publishedShardName('alice/old-tool'))
})

describe('the registry build writes the index', () => {
  it('beside registry.json, matching its schemas, byte-identical on full and incremental builds; stale shards go', async () => {
    const b = await makeRepo()
    try {
      writeAll(b, { ...validSkill('alice', 'one'), ...validSkill('bob', 'two') })
      commitAt(b, 'two packages', '2026-01-01T10:00:00Z')
      const out = outputDirs()
      const first = await build(b, out)
      const root = (p: string) => path.join(out.root, p)
      const head = JSON.parse(readFileSync(root(PUBLISHED_INDEX_FILE), 'utf8')) as {
        registry: { object_id: string }
        shards: Record<string, string>
      }
      expect(VALIDATORS['published-index'](head)).toBe(true)
      // The head names registry.json by the blob id git gives it.
      expect(head.registry.object_id).toBe(b.git(['hash-object', root('registry.json')]).trim())
      for (const name of Object.keys(head.shards)) {
        const doc = JSON.parse(readFileSync(root(`.registry/${name}`), 'utf8')) as unknown
        expect(VALIDATORS[name.startsWith('published/') ? 'published-shard' : 'digest-shard'](doc)).toBe(true)
      }
      expect(Object.keys(head.shards).filter((n) => n.startsWith('published/'))).toHaveLength(
        new Set(['alice/one', 'bob/two'].map(publishedShardName)).size
      )
      expect(first.applied?.written).toEqual(expect.arrayContaining([PUBLISHED_INDEX_FILE]))

      // Incremental: a third package; then a full build of the same commit into fresh folders.
      writeAll(b, validSkill('carol', 'three'))
      commitAt(b, 'a third', '2026-01-02T10:00:00Z')
      const second = await build(b, out)
      expect(second.result.mode).toBe('incremental')
      const touched = new Set([PUBLISHED_INDEX_FILE, shardPath(publishedShardName('carol/three'))])
      const writtenIndex = (second.applied?.written ?? []).filter((p) => p.startsWith('.registry/'))
      // Only the head and the shards holding the new package (its id's and its digest's) are rewritten.
      expect(writtenIndex).toContain(shardPath(publishedShardName('carol/three')))
      expect(writtenIndex.filter((p) => !touched.has(p) && !p.startsWith('.registry/digests/'))).toEqual([])
      expect(writtenIndex.filter((p) => p.startsWith('.registry/digests/'))).toHaveLength(1)
      const full = outputDirs()
      await build(b, full, { full: true })
      const index = (m: Map<string, Buffer>) => new Map([...m].filter(([k]) => k.startsWith('root/')))
      expect(describeDifferences(index(filesOf(out)), index(filesOf(full)))).toEqual([])

      // A removed package's shards go when nothing else is in them.
      b.remove(dir('carol', 'three'))
      commitAt(b, 'remove three', '2026-01-03T10:00:00Z')
      await build(b, out, { force: true })
      const onDisk = ['published', 'digests'].flatMap((folder) => readdirSync(root(`.registry/${folder}`)).map((n) => `${folder}/${n}`))
      const listed = Object.keys((JSON.parse(readFileSync(root(PUBLISHED_INDEX_FILE), 'utf8')) as typeof head).shards)
      expect(onDisk.sort()).toEqual(listed.sort())
      const rebuilt = outputDirs()
      await build(b, rebuilt, { full: true })
      expect(describeDifferences(index(filesOf(out)), index(filesOf(rebuilt)))).toEqual([])
      expect(existsSync(root(PUBLISHED_INDEX_FILE))).toBe(true)
    } finally {
      await b.cleanup()
    }
  })
})

describe('the scores job keeps the index current', () => {
  it('derives the index again when it rewrites registry.json, so reviews keep reading the index', async () => {
    const registry = await builtRegistry()
    const root = marketplaceRoot(registry)
    try {
      const before = readFileSync(path.join(root, 'registry.json'))
      for (const f of publishedIndexFiles(registry, before, 'sha1')) {
        mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true })
        writeFileSync(path.join(root, f.path), f.bytes ?? new Uint8Array())
      }
      const run = await runScores({ root, stats: writeStats(root, fullStats()) })
      expect(run.written).toContain(path.join(root, 'registry.json'))
      const after = readFileSync(path.join(root, 'registry.json'))
      expect(after.equals(before)).toBe(false)
      const head = JSON.parse(readFileSync(path.join(root, PUBLISHED_INDEX_FILE), 'utf8')) as { registry: { object_id: string } }
      expect(head.registry.object_id).toBe(repo.git(['hash-object', path.join(root, 'registry.json')]).trim())
    } finally {
      removeRoots()
    }
  })
})
