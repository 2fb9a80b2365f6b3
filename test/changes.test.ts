import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { diffCommits, reviewRange } from '../src/core/git/changes.js'
import { onGitCommand, type GitCommand } from '../src/core/git/git.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { packageRefOf, type PackageRef } from '../src/core/marketplace/paths.js'

const ref = (publisher: string, name: string): PackageRef => ({
  publisher,
  name,
  id: `${publisher}/${name}`,
  dir: `publishers/${publisher}/${name}`
})
const P = 'publishers'

describe('packageRefOf', () => {
  it('maps paths inside a package, and nothing else', () => {
    expect(packageRefOf('publishers/alice/pkg/manifest.yaml')).toEqual(ref('alice', 'pkg'))
    expect(packageRefOf('publishers/alice/pkg/docs/a/b.md')).toEqual(ref('alice', 'pkg'))
    expect(packageRefOf('publishers/alice/profile.json')).toBeUndefined()
    expect(packageRefOf('publishers/alice/pkg')).toBeUndefined()
    expect(packageRefOf('publishers/README.md')).toBeUndefined()
    expect(packageRefOf('registry.json')).toBeUndefined()
    expect(packageRefOf('other/alice/pkg/manifest.yaml')).toBeUndefined()
  })
})

describe('diffCommits', () => {
  let repo: TestRepo
  let c0: string
  let c1: string

  beforeAll(async () => {
    repo = await makeRepo()
    const files: Record<string, string> = {
      'registry.json': '{"packages":[]}\n',
      '.github/workflows/ci.yml': 'on: pull_request\n',
      'publishers/README.md': '# Publishers\n',
      'publishers/alice/profile.json': '{"name":"Alice"}\n',
      'publishers/alice/keep/manifest.yaml': 'name: keep\nversion: 1.0.0\n',
      'publishers/alice/keep/SKILL.md': '# Keep\nthe first version\n',
      'publishers/alice/old/manifest.yaml': 'name: old\nversion: 0.1.0\ndescription: moves to a new name\n',
      'publishers/alice/old/SKILL.md': '# Old\nthis skill is about to be renamed\n',
      'publishers/bob/profile.json': '{"name":"Bob"}\n',
      'publishers/bob/gone/manifest.yaml': 'name: gone\nversion: 9.9.9\n',
      'publishers/bob/src/manifest.yaml': 'name: src\nversion: 2.0.0\n',
      'publishers/bob/src/move.md': 'a document that moves from src to dst unchanged\n',
      'publishers/bob/dst/manifest.yaml': 'name: dst\nversion: 3.0.0\n',
      'publishers/bob/typed/run.sh': '#!/bin/sh\necho typed\n',
      'publishers/bob/typed/tool.ts': 'export const tool = 1\n'
    }
    for (const [path, content] of Object.entries(files)) repo.write(path, content)
    c0 = repo.commit('base')

    repo.write('publishers/carol/profile.json', '{"name":"Carol"}\n')
    repo.write('publishers/carol/new/manifest.yaml', 'name: new\ntype: mcp-server\n')
    repo.write('publishers/alice/keep/SKILL.md', '# Keep\nthe second version\n')
    repo.git(['mv', 'publishers/alice/old', 'publishers/alice/renamed'])
    repo.remove('publishers/bob/gone')
    repo.write('publishers/alice/profile.json', '{"name":"Alice A."}\n')
    repo.write('publishers/alice/stray.txt', 'not in a package\n')
    repo.write('registry.json', '{"packages":[1]}\n')
    repo.write('publishers/README.md', '# Publishers!\n')
    repo.write('.github/workflows/x.yml', 'on: push\n')
    repo.git(['mv', 'publishers/bob/src/move.md', 'publishers/bob/dst/move.md'])
    repo.write('publishers/bob/typed/run.sh', '#!/bin/sh\necho typed\n', 0o755)
    repo.remove('publishers/bob/typed/tool.ts')
    repo.symlink('publishers/bob/typed/tool.ts', '../../../registry.json')
    c1 = repo.commit('head')
  })

  afterAll(async () => {
    await repo.cleanup()
  })

  it('classifies packages, publisher files and everything else', async () => {
    const m = { oldMode: '100644', newMode: '100644' }
    expect(await diffCommits(repo.dir, c0, c1)).toEqual({
      base: c0,
      head: c1,
      packages: [
        { ref: ref('alice', 'keep'), status: 'modified', paths: [{ status: 'modified', path: `${P}/alice/keep/SKILL.md`, ...m }] },
        {
          ref: ref('alice', 'old'),
          status: 'deleted',
          renamedTo: ref('alice', 'renamed'),
          paths: [
            { status: 'deleted', path: `${P}/alice/old/SKILL.md`, oldMode: '100644' },
            { status: 'deleted', path: `${P}/alice/old/manifest.yaml`, oldMode: '100644' }
          ]
        },
        {
          ref: ref('alice', 'renamed'),
          status: 'renamed',
          renamedFrom: ref('alice', 'old'),
          paths: [
            { status: 'renamed', path: `${P}/alice/renamed/SKILL.md`, oldPath: `${P}/alice/old/SKILL.md`, ...m },
            { status: 'renamed', path: `${P}/alice/renamed/manifest.yaml`, oldPath: `${P}/alice/old/manifest.yaml`, ...m }
          ]
        },
        {
          ref: ref('bob', 'dst'),
          status: 'modified',
          paths: [{ status: 'renamed', path: `${P}/bob/dst/move.md`, oldPath: `${P}/bob/src/move.md`, ...m }]
        },
        {
          ref: ref('bob', 'gone'),
          status: 'deleted',
          paths: [{ status: 'deleted', path: `${P}/bob/gone/manifest.yaml`, oldMode: '100644' }]
        },
        { ref: ref('bob', 'src'), status: 'modified', paths: [{ status: 'deleted', path: `${P}/bob/src/move.md`, oldMode: '100644' }] },
        {
          ref: ref('bob', 'typed'),
          status: 'modified',
          paths: [
            { status: 'modified', path: `${P}/bob/typed/run.sh`, oldMode: '100644', newMode: '100755' },
            { status: 'type-changed', path: `${P}/bob/typed/tool.ts`, oldMode: '100644', newMode: '120000' }
          ]
        },
        { ref: ref('carol', 'new'), status: 'added', paths: [{ status: 'added', path: `${P}/carol/new/manifest.yaml`, newMode: '100644' }] }
      ],
      publishers: [
        {
          login: 'alice',
          paths: [
            { status: 'modified', path: `${P}/alice/profile.json`, ...m },
            { status: 'added', path: `${P}/alice/stray.txt`, newMode: '100644' }
          ]
        },
        { login: 'carol', paths: [{ status: 'added', path: `${P}/carol/profile.json`, newMode: '100644' }] }
      ],
      other: [
        { status: 'added', path: '.github/workflows/x.yml', newMode: '100644' },
        { status: 'modified', path: 'publishers/README.md', ...m },
        { status: 'modified', path: 'registry.json', ...m }
      ]
    })
  })

  it('reports nothing between a commit and itself', async () => {
    expect(await diffCommits(repo.dir, c1, c1)).toEqual({ base: c1, head: c1, packages: [], publishers: [], other: [] })
  })

  it('sees a package replaced by a file as deleted, the file as a publisher file', async () => {
    repo.git(['checkout', '-q', '-b', 'flatten', c1])
    repo.remove('publishers/alice/keep')
    repo.write('publishers/alice/keep', 'now a file\n')
    const flat = repo.commit('flatten keep')
    repo.git(['checkout', '-q', 'main'])
    const changes = await diffCommits(repo.dir, c1, flat)
    expect(changes.packages.map((p) => [p.ref.id, p.status])).toEqual([['alice/keep', 'deleted']])
    expect(changes.publishers).toEqual([{ login: 'alice', paths: [{ status: 'added', path: `${P}/alice/keep`, newMode: '100644' }] }])
  })

  it('reviews a PR from its merge base, not from the base branch tip', async () => {
    repo.git(['checkout', '-q', '-b', 'feature', c1])
    repo.write('publishers/carol/new/SKILL.md', '# New\n')
    const feature = repo.commit('feature work', { author: 'Carol <carol@example.com>' })
    repo.git(['checkout', '-q', 'main'])
    repo.write('publishers/bob/dst/manifest.yaml', 'name: dst\nversion: 3.0.1\n')
    repo.commit('main moves on')

    const range = await reviewRange(repo.dir, 'main', 'feature')
    expect(range).toEqual({ base: c1, head: feature })
    const changes = await diffCommits(repo.dir, range.base, range.head)
    expect(changes.packages).toEqual([
      { ref: ref('carol', 'new'), status: 'modified', paths: [{ status: 'added', path: `${P}/carol/new/SKILL.md`, newMode: '100644' }] }
    ])
    await expect(reviewRange(repo.dir, 'main', 'no-such-pr')).rejects.toThrow(/fetch-depth: 0/)
  })

  it('gives the same changes when a running cat-file says which folders exist (FolderLookup), with no ls-tree', async () => {
    repo.git(['checkout', '-q', '-b', 'to-file', c1])
    repo.remove('publishers/alice/keep')
    repo.write('publishers/alice/keep', 'now a file\n')
    repo.write('publishers/bob/dst/SKILL.md', '# Dst\n')
    const flat = repo.commit('keep becomes a file')
    repo.git(['checkout', '-q', 'main'])
    for (const [base, head] of [
      [c0, c1],
      [c1, c0],
      [c1, flat],
      [c0, flat]
    ] as const) {
      const snapshot = new GitSnapshot(repo.dir, head)
      const commands: GitCommand[] = []
      const stop = onGitCommand((c) => commands.push(c))
      try {
        const looked = await diffCommits(repo.dir, base, head, undefined, snapshot)
        stop()
        expect(looked).toEqual(await diffCommits(repo.dir, base, head))
        expect(looked.packages.length).toBeGreaterThan(0)
        expect(commands.map((c) => c.args.find((a) => !a.startsWith('-') && !a.includes('=')))).toEqual(['diff-tree', 'cat-file'])
      } finally {
        stop()
        await snapshot.close()
      }
    }
  })

  it('takes full commit ids only', async () => {
    await expect(diffCommits(repo.dir, 'main', c1)).rejects.toThrow(/not a full commit id/)
  })
})

describe('cost follows the change', () => {
  const PUBLISHERS = 200
  const PACKAGES_EACH = 10
  const CHANGED = 'publishers/pub-0123/pkg-7'
  let repo: TestRepo
  let base: string
  let head: string

  beforeAll(async () => {
    repo = await makeRepo()
    const parts: string[] = []
    const file = (path: string, content: string): void => {
      parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`)
    }
    const commit = (message: string): void => {
      parts.push(`commit refs/heads/main\ncommitter Test <test@example.com> 1700000000 +0000\ndata ${message.length}\n${message}\n`)
    }
    commit('2000 packages')
    for (let p = 0; p < PUBLISHERS; p++) {
      const login = `pub-${String(p).padStart(4, '0')}`
      file(`publishers/${login}/profile.json`, `{"name":"${login}"}\n`)
      for (let k = 0; k < PACKAGES_EACH; k++) {
        file(`publishers/${login}/pkg-${k}/manifest.yaml`, `name: pkg-${k}\npublisher: ${login}\n`)
        file(`publishers/${login}/pkg-${k}/SKILL.md`, `# ${login} pkg-${k}\n`)
      }
    }
    commit('change one package')
    file(`${CHANGED}/SKILL.md`, '# changed\n')
    file(`${CHANGED}/extra.md`, 'more\n')
    repo.git(['fast-import', '--quiet'], parts.join(''))
    head = repo.git(['rev-parse', 'main']).trim()
    base = repo.git(['rev-parse', 'main~1']).trim()
  })

  afterAll(async () => {
    await repo.cleanup()
  })

  it('asks git only about the changed package', async () => {
    expect(repo.git(['ls-tree', '-r', '--name-only', head]).split('\n').filter(Boolean)).toHaveLength(
      PUBLISHERS * (1 + 2 * PACKAGES_EACH) + 1
    )
    const commands: GitCommand[] = []
    const stop = onGitCommand((c) => commands.push(c))
    const changes = await diffCommits(repo.dir, base, head)
    const snapshot = new GitSnapshot(repo.dir, head)
    const files = await snapshot.walk(CHANGED)
    await snapshot.close()
    stop()

    expect(changes.packages).toEqual([
      {
        ref: ref('pub-0123', 'pkg-7'),
        status: 'modified',
        paths: [
          { status: 'modified', path: `${CHANGED}/SKILL.md`, oldMode: '100644', newMode: '100644' },
          { status: 'added', path: `${CHANGED}/extra.md`, newMode: '100644' }
        ]
      }
    ])
    expect(changes.publishers).toEqual([])
    expect(changes.other).toEqual([])
    expect(files.map((f) => f.path)).toEqual([`${CHANGED}/SKILL.md`, `${CHANGED}/extra.md`, `${CHANGED}/manifest.yaml`])

    // One diff-tree over the two commits, then only ls-tree calls narrowed to the package.
    expect(commands.map((c) => c.args.find((a) => !a.startsWith('-')))).toEqual(['diff-tree', 'ls-tree', 'ls-tree', 'ls-tree'])
    for (const { args } of commands.filter((c) => c.args.includes('ls-tree'))) {
      const paths = args.slice(args.indexOf('--') + 1)
      expect(paths.length).toBeGreaterThan(0)
      for (const path of paths) expect(path === CHANGED || path === `${CHANGED}/`).toBe(true)
    }
  })
})
