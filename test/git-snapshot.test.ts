import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { FileTooLargeError, type TreeEntry } from '../src/core/snapshot/types.js'
import { GitError, onGitCommand, resolveCommit, runGit, type GitCommand } from '../src/core/git/git.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { commitStamp, isoSeconds } from '../src/core/git/history.js'

const PKG = 'publishers/alice/pkg'
const GITLINK = '0123456789abcdef0123456789abcdef01234567'
const ODD = ['with space.md', 'ünïcödé.md', '-dash.md', 'new\nline.md', ':(glob)*.md', 'back\\slash.md']
const BIG = Buffer.alloc(300 * 1024, 'x')

let repo: TestRepo
let sha: string
let snapshot: GitSnapshot

function recordGit(): { commands: GitCommand[]; stop: () => void } {
  const commands: GitCommand[] = []
  return { commands, stop: onGitCommand((c) => commands.push(c)) }
}

function brief(entries: TreeEntry[]) {
  return entries.map(({ path, kind, mode, size }) => ({ path, kind, mode, size }))
}

beforeAll(async () => {
  repo = await makeRepo()
  repo.write('registry.json', '{}\n')
  repo.write('--', 'a root file named like the end of options\n')
  repo.write('publishers/alice/profile.json', '{"name":"Alice"}\n')
  repo.write(`${PKG}/manifest.yaml`, 'name: pkg\n')
  repo.write(`${PKG}/run.sh`, '#!/bin/sh\necho hi\n', 0o755)
  repo.symlink(`${PKG}/link`, '../../../registry.json')
  repo.symlink(`${PKG}/escape`, '/etc')
  repo.write(`${PKG}/docs/guide/deep.md`, '# deep\n')
  repo.write(`${PKG}/big.bin`, BIG)
  for (const name of ODD) repo.write(`${PKG}/${name}`, `content of ${name}`)
  repo.write('publishers/alice/pkg-two/manifest.yaml', 'name: pkg-two\n')
  repo.write('publishers/alice/pkg2/manifest.yaml', 'name: pkg2\n')
  repo.git(['update-index', '--add', '--cacheinfo', `160000,${GITLINK},${PKG}/sub`])
  sha = repo.commit('snapshot fixture')
  snapshot = new GitSnapshot(repo.dir, sha)
})

afterAll(async () => {
  await snapshot.close()
  await repo.cleanup()
})

describe('GitSnapshot', () => {
  it('describes the commit', () => {
    expect(snapshot.kind).toBe('git')
    expect(snapshot.description).toBe(`commit ${sha.slice(0, 12)}`)
  })

  it('lists the root and a directory, sorted, with kinds from modes', async () => {
    expect(brief(await snapshot.list(''))).toEqual([
      { path: '--', kind: 'file', mode: '100644', size: 42 },
      { path: 'publishers', kind: 'directory', mode: '040000', size: 0 },
      { path: 'registry.json', kind: 'file', mode: '100644', size: 3 }
    ])
    const entries = await snapshot.list(PKG)
    expect(entries.map((e) => e.path)).toEqual(
      [
        ...ODD.map((n) => `${PKG}/${n}`),
        ...['big.bin', 'docs', 'escape', 'link', 'manifest.yaml', 'run.sh', 'sub'].map((n) => `${PKG}/${n}`)
      ].sort((a, b) => (a < b ? -1 : 1))
    )
    const byName = new Map(entries.map((e) => [e.path.slice(PKG.length + 1), e]))
    expect(byName.get('run.sh')).toMatchObject({ kind: 'file', mode: '100755', size: 18 })
    expect(byName.get('manifest.yaml')).toMatchObject({ kind: 'file', mode: '100644', size: 10 })
    expect(byName.get('link')).toMatchObject({ kind: 'symlink', mode: '120000', size: '../../../registry.json'.length })
    expect(byName.get('escape')).toMatchObject({ kind: 'symlink', mode: '120000', size: 4 })
    expect(byName.get('sub')).toEqual({ path: `${PKG}/sub`, kind: 'submodule', mode: '160000', size: 0, oid: GITLINK })
    expect(byName.get('docs')).toMatchObject({ kind: 'directory', mode: '040000', size: 0 })
    expect(byName.get('big.bin')).toMatchObject({ kind: 'file', size: BIG.length })
    for (const entry of entries) expect(entry.oid).toMatch(/^[0-9a-f]{40}$/)
  })

  it('accepts a trailing slash and lists nothing for absent dirs, files, links and submodules', async () => {
    expect(await snapshot.list(`${PKG}/docs/`)).toHaveLength(1)
    expect(await snapshot.list('missing')).toEqual([])
    expect(await snapshot.list(`${PKG}/manifest.yaml`)).toEqual([])
    expect(await snapshot.list(`${PKG}/escape`)).toEqual([])
    expect(await snapshot.list(`${PKG}/sub`)).toEqual([])
  })

  it('walks one package only, recursively, without directories', async () => {
    const rec = recordGit()
    const entries = await snapshot.walk(PKG)
    rec.stop()
    const paths = entries.map((e) => e.path)
    expect(paths).toContain(`${PKG}/docs/guide/deep.md`)
    expect(paths).toContain(`${PKG}/sub`)
    expect(paths).toContain(`${PKG}/new\nline.md`)
    expect(paths.every((p) => p.startsWith(`${PKG}/`))).toBe(true)
    expect(entries.some((e) => e.kind === 'directory')).toBe(false)
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    expect(paths).toHaveLength(ODD.length + 7)
    expect(rec.commands).toHaveLength(1)
    // The package itself, no trailing slash: the listing also says what the path is (see prefetch).
    expect(rec.commands[0]?.args.slice(-2)).toEqual(['--', PKG])
  })

  it('walks the whole tree from the root', async () => {
    const paths = (await snapshot.walk('')).map((e) => e.path)
    expect(paths).toContain('registry.json')
    expect(paths).toContain('publishers/alice/pkg-two/manifest.yaml')
    expect(paths).toHaveLength(ODD.length + 7 + 5)
  })

  it('stats files, directories, links and submodules, and never resolves through them', async () => {
    expect(await snapshot.stat(`${PKG}/manifest.yaml`)).toMatchObject({ kind: 'file', size: 10 })
    expect(await snapshot.stat(PKG)).toMatchObject({ path: PKG, kind: 'directory', mode: '040000' })
    expect(await snapshot.stat('publishers/alice/pkg/')).toMatchObject({ path: PKG, kind: 'directory' })
    expect(await snapshot.stat(`${PKG}/link`)).toMatchObject({ kind: 'symlink' })
    expect(await snapshot.stat(`${PKG}/sub`)).toMatchObject({ kind: 'submodule', oid: GITLINK })
    expect(await snapshot.stat('')).toMatchObject({ path: '', kind: 'directory', oid: expect.stringMatching(/^[0-9a-f]{40}$/) })
    expect(await snapshot.stat('missing.json')).toBeUndefined()
    expect(await snapshot.stat('--')).toMatchObject({ path: '--', kind: 'file' })
    expect(await snapshot.stat(`${PKG}/escape/passwd`)).toBeUndefined()
    expect(await snapshot.stat(`${PKG}/link/x`)).toBeUndefined()
    expect(await snapshot.stat(`${PKG}/manifest.yaml/x`)).toBeUndefined()
    expect(await snapshot.stat(`${PKG}/sub/README.md`)).toBeUndefined()
    // `pkg` is a prefix of `pkg-two` and `pkg2`, never a match for them
    expect(await snapshot.stat('publishers/alice/pk')).toBeUndefined()
  })

  it('handles unusual names literally', async () => {
    for (const name of ODD) {
      const entry = await snapshot.stat(`${PKG}/${name}`)
      expect(entry).toMatchObject({ path: `${PKG}/${name}`, kind: 'file' })
      expect(Buffer.from(await snapshot.read(entry as TreeEntry, 1000)).toString('utf8')).toBe(`content of ${name}`)
    }
  })

  it('reads files, many at once, through one cat-file process', async () => {
    const fresh = new GitSnapshot(repo.dir, sha)
    const entries = (await fresh.walk(PKG)).filter((e) => e.kind === 'file')
    const rec = recordGit()
    const contents = await Promise.all(entries.map((e) => fresh.read(e, 1024 * 1024)))
    rec.stop()
    await fresh.close()
    expect(rec.commands.map((c) => c.args.join(' '))).toEqual(['cat-file --batch'])
    const byPath = new Map(entries.map((e, i) => [e.path, Buffer.from(contents[i] as Uint8Array)]))
    expect(byPath.get(`${PKG}/manifest.yaml`)?.toString()).toBe('name: pkg\n')
    expect(byPath.get(`${PKG}/run.sh`)?.toString()).toBe('#!/bin/sh\necho hi\n')
    expect(byPath.get(`${PKG}/docs/guide/deep.md`)?.toString()).toBe('# deep\n')
    expect(byPath.get(`${PKG}/big.bin`)?.equals(BIG)).toBe(true)
  })

  it('refuses a blob above maxBytes without asking git for it', async () => {
    const fresh = new GitSnapshot(repo.dir, sha)
    const big = (await fresh.stat(`${PKG}/big.bin`)) as TreeEntry
    const rec = recordGit()
    await expect(fresh.read(big, 1024)).rejects.toBeInstanceOf(FileTooLargeError)
    await expect(fresh.read(big, 1024)).rejects.toMatchObject({ path: `${PKG}/big.bin`, size: BIG.length, limit: 1024 })
    rec.stop()
    expect(rec.commands).toEqual([])
    // A size that lies (an entry not from ls-tree) is caught as the blob streams past, unbuffered.
    await expect(fresh.read({ ...big, size: 10 }, 1024)).rejects.toBeInstanceOf(FileTooLargeError)
    expect(Buffer.from(await fresh.read((await fresh.stat(`${PKG}/manifest.yaml`)) as TreeEntry, 1024)).toString()).toBe('name: pkg\n')
    await fresh.close()
  })

  it('stays in step with git after a missing object or a tree', async () => {
    const fresh = new GitSnapshot(repo.dir, sha)
    const manifest = (await fresh.stat(`${PKG}/manifest.yaml`)) as TreeEntry
    const docs = (await fresh.stat(`${PKG}/docs`)) as TreeEntry
    const results = await Promise.allSettled([
      fresh.read({ ...manifest, oid: 'e'.repeat(40) }, 1024),
      fresh.read({ ...docs, kind: 'file' }, 1024),
      fresh.read(manifest, 1024)
    ])
    await fresh.close()
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/is missing in this clone/) } })
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/is a tree, not a blob/) } })
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: Buffer.from('name: pkg\n') })
  })

  it('never reads links, submodules or directories', async () => {
    for (const path of [`${PKG}/link`, `${PKG}/sub`, `${PKG}/docs`]) {
      const entry = (await snapshot.stat(path)) as TreeEntry
      await expect(snapshot.read(entry, 1024)).rejects.toThrow(/not a regular file/)
    }
  })

  it('rejects paths that are not inside the marketplace', async () => {
    for (const bad of ['../x', '/etc', 'a//b', './a', 'a/../b']) {
      await expect(snapshot.stat(bad)).rejects.toThrow(/not a path inside the marketplace/)
      await expect(snapshot.list(bad)).rejects.toThrow(/not a path inside the marketplace/)
    }
  })

  it('refuses reads after close', async () => {
    const fresh = new GitSnapshot(repo.dir, sha)
    const entry = (await fresh.stat(`${PKG}/manifest.yaml`)) as TreeEntry
    await fresh.read(entry, 100)
    await fresh.close()
    await expect(fresh.read(entry, 100)).rejects.toThrow(/closed/)
  })

  it('opens a ref, and takes only full commit ids directly', async () => {
    const opened = await GitSnapshot.open(repo.dir, 'main')
    expect(opened.commit).toBe(sha)
    await opened.close()
    await expect(GitSnapshot.open(repo.dir, 'no-such-branch')).rejects.toThrow(/fetch-depth: 0/)
    expect(() => new GitSnapshot(repo.dir, 'main')).toThrow(/not a full commit id/)
  })
})

describe('runGit', () => {
  it('reports the command, exit code and stderr', async () => {
    const error = await runGit(repo.dir, ['cat-file', '-p', 'nonexistent-object']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitError)
    expect(error).toMatchObject({ exitCode: 128, args: ['cat-file', '-p', 'nonexistent-object'] })
    expect((error as GitError).stderr).toMatch(/nonexistent-object/)
  })

  it('explains a commit missing from a shallow clone', async () => {
    await expect(resolveCommit(repo.dir, 'f'.repeat(40))).rejects.toThrow(
      `commit ${'f'.repeat(40)} is not in this clone; fetch it, or with actions/checkout set fetch-depth: 0`
    )
    await expect(resolveCommit(repo.dir, '--output=x')).rejects.toThrow(/is not in this clone/)
  })

  it('passes input on stdin', async () => {
    const out = await runGit(repo.dir, ['hash-object', '--stdin'], { input: 'hello\n' })
    expect(out.toString().trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
  })
})

describe('GitSnapshot listings kept for the run', () => {
  const PATHS = [
    '',
    'publishers',
    'publishers/alice',
    PKG,
    `${PKG}/docs`,
    `${PKG}/docs/guide`,
    `${PKG}/docs/guide/deep.md`,
    `${PKG}/manifest.yaml`,
    `${PKG}/link`,
    `${PKG}/escape`,
    `${PKG}/sub`,
    `${PKG}/absent`,
    `${PKG}/manifest.yaml/inside`,
    `${PKG}/link/inside`,
    ...ODD.map((name) => `${PKG}/${name}`),
    'publishers/alice/pkg-two',
    'publishers/alice/pkg2',
    'publishers/alice/profile.json',
    'publishers/nobody/pkg'
  ]

  async function answers(s: GitSnapshot) {
    const out: unknown[] = []
    for (const path of PATHS) {
      out.push(path, brief(await s.list(path)), path === '' ? 'root' : brief(await s.walk(path)), await s.stat(path))
    }
    return out
  }

  it('answers list, walk and stat from a prefetched listing exactly as git does, without asking git again', async () => {
    const fresh = new GitSnapshot(repo.dir, sha)
    const kept = new GitSnapshot(repo.dir, sha)
    try {
      const expected = await answers(fresh)
      // Folders, a file, a symlink and absent paths, listed together.
      await kept.prefetch([PKG, 'publishers/alice/pkg-two', 'publishers/alice/profile.json', `${PKG}/link`, 'publishers/nobody/pkg'])
      const { commands, stop } = recordGit()
      const below = PATHS.filter((p) =>
        [PKG, 'publishers/alice/pkg-two', 'publishers/nobody/pkg'].some((d) => p === d || p.startsWith(`${d}/`))
      )
      for (const path of below) {
        await kept.list(path)
        await kept.walk(path)
        await kept.stat(path)
      }
      stop()
      expect(commands).toEqual([])
      expect(await answers(kept)).toEqual(expected)
      // The whole publishers folder listed at once answers the same.
      const whole = new GitSnapshot(repo.dir, sha)
      await whole.prefetch(['publishers'])
      expect(await answers(whole)).toEqual(expected)
      await whole.close()
    } finally {
      await fresh.close()
      await kept.close()
    }
  })

  it('lists many folders in one git command, and reads a folder’s files in one round trip', async () => {
    const s = new GitSnapshot(repo.dir, sha)
    try {
      const { commands, stop } = recordGit()
      await s.prefetch([PKG, 'publishers/alice/pkg-two', 'publishers/alice/pkg2'])
      const files = (await s.walk(PKG)).filter((e) => e.kind === 'file' && e.size < 1024)
      const read = await Promise.all(files.map(async (e) => Buffer.from(await s.read(e, 1024)).toString('utf8')))
      stop()
      expect(commands.map((c) => c.args.find((a) => a === 'ls-tree' || a === 'cat-file'))).toEqual(['ls-tree', 'cat-file'])
      expect(read).toContain('name: pkg\n')
      expect(read).toContain('# deep\n')
      // A file read ahead still obeys the caller's limit.
      const big = (await s.walk(PKG)).find((e) => e.path === `${PKG}/big.bin`) as TreeEntry
      await expect(s.read(big, 1024)).rejects.toThrow(FileTooLargeError)
    } finally {
      await s.close()
    }
  })

  it('lists a folder once when checks running side by side ask for it at the same time', async () => {
    const s = new GitSnapshot(repo.dir, sha)
    try {
      const { commands, stop } = recordGit()
      // The same folder, a folder inside it, and the folder again once listed.
      const [walked, inside] = await Promise.all([s.walk(PKG), s.walk(`${PKG}/docs`), s.prefetch([PKG, 'publishers/alice/pkg2'])])
      await s.prefetch([PKG])
      stop()
      const listings = commands.filter((c) => c.args.includes('ls-tree'))
      expect(listings.map((c) => c.args.slice(c.args.indexOf('--') + 1))).toEqual([[PKG], ['publishers/alice/pkg2']])
      expect(walked.map((e) => e.path)).toEqual((await snapshot.walk(PKG)).map((e) => e.path))
      expect(inside.map((e) => e.path)).toEqual([`${PKG}/docs/guide/deep.md`])
    } finally {
      await s.close()
    }
  })

  it('lets a failed listing be asked again', async () => {
    const s = new GitSnapshot(repo.dir, 'f'.repeat(40)) // no such commit
    try {
      await expect(Promise.all([s.walk(PKG), s.walk(PKG)])).rejects.toBeInstanceOf(GitError)
      const { commands, stop } = recordGit()
      await expect(s.walk(PKG)).rejects.toBeInstanceOf(GitError)
      stop()
      expect(commands.filter((c) => c.args.includes('ls-tree'))).toHaveLength(1)
    } finally {
      await s.close()
    }
  })

  it('lists every folder below a folder in one command', async () => {
    const dirs = (await snapshot.directories('publishers')).map((e) => e.path)
    expect(dirs).toEqual(['publishers/alice', PKG, 'publishers/alice/pkg-two', `${PKG}/docs`, `${PKG}/docs/guide`, 'publishers/alice/pkg2'])
  })
})

describe('folders looked up through the snapshot’s cat-file (isTreeAt)', () => {
  it('says which paths are folders, at this commit or another, in step with reads, with no other git process', async () => {
    const s = new GitSnapshot(repo.dir, sha)
    const { commands, stop } = recordGit()
    try {
      const before = repo.git(['commit-tree', '-m', 'empty', repo.git(['mktree'], '').trim()]).trim()
      const asked = await Promise.all([
        s.isTreeAt(sha, PKG),
        s.isTreeAt(sha, `${PKG}/docs/guide`),
        s.isTreeAt(sha, 'publishers'),
        s.isTreeAt(sha, `${PKG}/manifest.yaml`),
        s.isTreeAt(sha, `${PKG}/link`),
        s.isTreeAt(sha, `${PKG}/escape`),
        s.isTreeAt(sha, `${PKG}/sub`), // a gitlink whose commit the clone does not have
        s.isTreeAt(sha, 'publishers/nobody/pkg'),
        s.isTreeAt(sha, `${PKG}/with space.md`),
        s.isTreeAt(before, PKG),
        s
          .read(
            {
              path: `${PKG}/manifest.yaml`,
              kind: 'file',
              mode: '100644',
              oid: repo.git(['rev-parse', `${sha}:${PKG}/manifest.yaml`]).trim(),
              size: 10
            },
            100
          )
          .then(String)
      ])
      expect(asked).toEqual([true, true, true, false, false, false, false, false, false, false, 'name: pkg\n'])
      // A path cat-file would not read as written is refused, for the caller to ask ls-tree.
      for (const odd of [`${PKG}/new\nline.md`, `./${PKG}`, `${PKG} `, ''])
        await expect(s.isTreeAt(sha, odd)).rejects.toThrow('cannot look up')
      await expect(s.isTreeAt('HEAD', PKG)).rejects.toThrow('cannot look up')
      expect(await s.isTreeAt(sha, PKG)).toBe(true)
    } finally {
      stop()
      await s.close()
    }
    expect(commands.filter((c) => !c.args.includes('cat-file'))).toEqual([])
    expect(commands).toHaveLength(1)
  })
})

describe('the commit stamp from the snapshot’s cat-file (commitStamp)', () => {
  let own: TestRepo
  beforeAll(async () => {
    own = await makeRepo()
  })
  afterAll(async () => {
    await own.cleanup()
  })

  /** What the build asked `git show` before: `%H %ct`, parsed the way it parsed it. */
  const shown = (commit: string) => {
    const [sha = '', ct = '0'] = own.git(['show', '-s', '--format=%H %ct', commit]).trim().split(' ')
    return { commit: sha, time: isoSeconds(Number(ct)) }
  }
  /** A commit object written as is (git would refuse some of these headers from `commit`). */
  const literal = (tree: string, committer: string) =>
    own
      .git(
        ['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'],
        `tree ${tree}\nauthor A <a@x> 1 +0000\n${committer}\n\nmessage\ncommitter X <x> 99 +0000\n`
      )
      .trim()

  it('gives what `git show -s --format="%H %ct"` gives, for real and odd committer lines, with no git process of its own', async () => {
    own.write('a.txt', 'a\n')
    const commits = [own.commit('first')]
    own.git(['commit', '-q', '--allow-empty', '-m', 'later'], undefined)
    commits.push(own.git(['rev-parse', 'HEAD']).trim())
    const tree = own.git(['rev-parse', 'HEAD^{tree}']).trim()
    for (const committer of [
      'committer C <c@x> 1700000100 +0000',
      'committer C <c@x>   1700000200 -0700',
      'committer C <c@x> 1700000300',
      'committer C <c>x> 1700000400 +0000', // a '>' inside the address: git looks from the end
      'committer C <c@x>',
      'committer C <c@x> not-a-date +0000',
      'committer no address 1700000500 +0000',
      'committer C <c@x> 0042 +0000',
      'committer C <c@x> 1700000600 +',
      'committer C <c@x> 1700000700 -7 and more',
      'committer C <c@x>1700000800+0000'
    ])
      commits.push(literal(tree, committer))
    const { commands, stop } = recordGit()
    for (const commit of commits) {
      const s = new GitSnapshot(own.dir, commit)
      try {
        expect(await commitStamp(s)).toEqual(shown(commit))
      } finally {
        await s.close()
      }
    }
    stop()
    expect(commands.map((c) => c.args.filter((a) => !a.startsWith('-c') && !a.startsWith('core.')).join(' '))).toEqual(
      commits.map(() => 'cat-file --batch')
    )
  })

  it('stays in step when the object asked for is not a commit', async () => {
    const blob = own.git(['hash-object', '-w', '--stdin'], 'just a blob\n').trim()
    const s = new GitSnapshot(own.dir, blob)
    try {
      await expect(s.readCommit()).rejects.toThrow('is a blob, not a commit')
      const text = await s.read({ path: 'x', kind: 'file', mode: '100644', oid: blob, size: 12 }, 100)
      expect(text.toString()).toBe('just a blob\n')
    } finally {
      await s.close()
    }
  })
})
