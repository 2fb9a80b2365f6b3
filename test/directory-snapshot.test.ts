import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DirectorySnapshot } from '../src/core/snapshot/directory-snapshot.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { FileTooLargeError, type TreeEntry } from '../src/core/snapshot/types.js'
import { makeRepo } from './helpers/git-repo.js'

const PKG = 'publishers/alice/pkg'
let base: string
let root: string
let outside: string
let snapshot: DirectorySnapshot
let hasFifo = false

function put(path: string, content: string | Buffer, mode?: number): void {
  const file = join(root, path)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, content)
  if (mode !== undefined) chmodSync(file, mode)
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'marketplace-dir-'))
  root = join(base, 'marketplace')
  outside = join(base, 'outside')
  mkdirSync(outside, { recursive: true })
  writeFileSync(join(outside, 'secret.txt'), 'secret\n')
  put('registry.json', '{}\n')
  put('.git/HEAD', 'ref: refs/heads/main\n')
  put(`${PKG}/manifest.yaml`, 'name: pkg\n', 0o644)
  put(`${PKG}/run.sh`, '#!/bin/sh\n', 0o744)
  put(`${PKG}/docs/guide/deep.md`, '# deep\n')
  put(`${PKG}/big.bin`, Buffer.alloc(10_000, 'x'))
  put(`${PKG}/.git/config`, '[core]\n') // only the snapshot root's .git is skipped
  put(`${PKG}/ünï côdé.md`, 'odd\n')
  symlinkSync(join(outside, 'secret.txt'), join(root, PKG, 'secret-link'))
  symlinkSync(outside, join(root, PKG, 'dir-link'))
  linkSync(join(root, PKG, 'manifest.yaml'), join(root, PKG, 'hardlink.yaml'))
  try {
    execFileSync('mkfifo', [join(root, PKG, 'pipe')])
    hasFifo = true
  } catch {
    hasFifo = false
  }
  snapshot = new DirectorySnapshot(root)
})

afterAll(async () => {
  await snapshot.close()
  rmSync(base, { recursive: true, force: true })
})

describe('DirectorySnapshot', () => {
  it('describes the directory and ignores the root .git', async () => {
    expect(snapshot.kind).toBe('directory')
    expect(snapshot.description).toBe(`directory ${root}`)
    expect((await snapshot.list('')).map((e) => e.path)).toEqual(['publishers', 'registry.json'])
    expect(await snapshot.stat('.git/HEAD')).toBeUndefined()
    expect(await snapshot.list('.git')).toEqual([])
  })

  it('reports kinds, modes and sizes from lstat, never following links', async () => {
    const entries = await snapshot.list(PKG)
    const byName = new Map(entries.map((e) => [e.path.slice(PKG.length + 1), e]))
    expect(entries.map((e) => e.path)).toEqual([...entries.map((e) => e.path)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    expect(byName.get('manifest.yaml')).toEqual({ path: `${PKG}/manifest.yaml`, kind: 'file', mode: '100644', size: 10, links: 2 })
    expect(byName.get('hardlink.yaml')).toMatchObject({ kind: 'file', links: 2 })
    expect(byName.get('run.sh')).toMatchObject({ kind: 'file', mode: '100755', links: 1 })
    expect(byName.get('secret-link')).toEqual({
      path: `${PKG}/secret-link`,
      kind: 'symlink',
      mode: '120000',
      size: join(outside, 'secret.txt').length
    })
    expect(byName.get('dir-link')).toMatchObject({ kind: 'symlink', size: outside.length })
    expect(byName.get('docs')).toEqual({ path: `${PKG}/docs`, kind: 'directory', mode: '040000', size: 0 })
    expect(byName.get('.git')).toMatchObject({ kind: 'directory' })
    expect(byName.get('ünï côdé.md')).toMatchObject({ kind: 'file', size: 4 })
    if (hasFifo) expect(byName.get('pipe')).toEqual({ path: `${PKG}/pipe`, kind: 'other', mode: '010000', size: 0 })
  })

  it('walks files below a directory without entering linked directories', async () => {
    const paths = (await snapshot.walk(PKG)).map((e) => e.path)
    expect(paths).toContain(`${PKG}/docs/guide/deep.md`)
    expect(paths).toContain(`${PKG}/dir-link`)
    expect(paths).toContain(`${PKG}/.git/config`)
    expect(paths.some((p) => p.includes('secret.txt'))).toBe(false)
    expect(paths.some((p) => p.endsWith('/docs') || p.endsWith('/guide'))).toBe(false)
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    expect((await snapshot.walk('')).map((e) => e.path)).toEqual(['registry.json', ...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
  })

  it('stats paths but never through a link or a file', async () => {
    expect(await snapshot.stat(`${PKG}/docs/guide/deep.md`)).toMatchObject({ kind: 'file', size: 7 })
    expect(await snapshot.stat(`${PKG}/dir-link`)).toMatchObject({ kind: 'symlink' })
    expect(await snapshot.stat(`${PKG}/dir-link/secret.txt`)).toBeUndefined()
    expect(await snapshot.list(`${PKG}/dir-link`)).toEqual([])
    expect(await snapshot.stat(`${PKG}/manifest.yaml/x`)).toBeUndefined()
    expect(await snapshot.stat('missing')).toBeUndefined()
    expect(await snapshot.stat('')).toMatchObject({ kind: 'directory' })
  })

  it('reads regular files only', async () => {
    const manifest = (await snapshot.stat(`${PKG}/manifest.yaml`)) as TreeEntry
    expect(Buffer.from(await snapshot.read(manifest, 100)).toString()).toBe('name: pkg\n')
    const link = (await snapshot.stat(`${PKG}/secret-link`)) as TreeEntry
    await expect(snapshot.read(link, 100)).rejects.toThrow(/not a regular file/)
    await expect(snapshot.read((await snapshot.stat(`${PKG}/docs`)) as TreeEntry, 100)).rejects.toThrow(/not a regular file/)
  })

  it('refuses a link or FIFO even when the entry claims to be a file', async () => {
    const forged = (path: string): TreeEntry => ({ path, kind: 'file', mode: '100644', size: 1 })
    await expect(snapshot.read(forged(`${PKG}/secret-link`), 100)).rejects.toThrow(/cannot be opened as a regular file/)
    await expect(snapshot.read(forged(`${PKG}/dir-link/secret.txt`), 100)).rejects.toThrow(/not a regular file/)
    await expect(snapshot.read(forged('.git/HEAD'), 100)).rejects.toThrow(/not a regular file/)
    if (hasFifo) await expect(snapshot.read(forged(`${PKG}/pipe`), 100)).rejects.toThrow(/not a regular file/)
  })

  it('refuses a file above maxBytes, also when its entry understates the size', async () => {
    const big = (await snapshot.stat(`${PKG}/big.bin`)) as TreeEntry
    await expect(snapshot.read(big, 1000)).rejects.toBeInstanceOf(FileTooLargeError)
    await expect(snapshot.read({ ...big, size: 1 }, 1000)).rejects.toMatchObject({ size: 10_000, limit: 1000 })
    expect((await snapshot.read(big, 10_000)).length).toBe(10_000)
  })

  it("walks by the listing's types alone: the same paths and kinds as walk, links and FIFOs included", async () => {
    const kinds = (await snapshot.walk(PKG)).map(({ path, kind }) => ({ path, kind }))
    expect(snapshot.walkKinds(PKG)).toEqual(kinds)
    expect(kinds).toContainEqual({ path: `${PKG}/secret-link`, kind: 'symlink' })
    expect(kinds).toContainEqual({ path: `${PKG}/dir-link`, kind: 'symlink' })
    expect(kinds).toContainEqual({ path: `${PKG}/docs/guide/deep.md`, kind: 'file' })
    if (hasFifo) expect(kinds).toContainEqual({ path: `${PKG}/pipe`, kind: 'other' })
    expect(snapshot.walkKinds(`${PKG}/dir-link`)).toEqual([])
    expect(snapshot.walkKinds('publishers/nobody')).toEqual([])
  })

  it('reads synchronously with the same guards, a borrowed read valid until the next', () => {
    const listed = new Map(snapshot.walkKinds(PKG).map((e) => [e.path, e]))
    const manifest = listed.get(`${PKG}/manifest.yaml`)!
    const borrowed = snapshot.readNow(manifest, 100, true)
    expect(Buffer.from(borrowed).toString()).toBe('name: pkg\n')
    const owned = snapshot.readNow(manifest, 100, false)
    snapshot.readNow(listed.get(`${PKG}/run.sh`)!, 100, true) // reuses the scratch buffer
    expect(Buffer.from(owned).toString()).toBe('name: pkg\n')
    expect(Buffer.from(borrowed).toString()).not.toBe('name: pkg\n')
    expect(() => snapshot.readNow(listed.get(`${PKG}/secret-link`)!, 100, true)).toThrow(/not a regular file/)
    expect(() => snapshot.readNow({ path: `${PKG}/secret-link`, kind: 'file' }, 100, true)).toThrow(/cannot be opened as a regular file/)
    expect(() => snapshot.readNow(listed.get(`${PKG}/big.bin`)!, 1000, true)).toThrow(FileTooLargeError)
    expect(snapshot.readNow(listed.get(`${PKG}/big.bin`)!, 10_000, true).length).toBe(10_000)
    if (hasFifo) expect(() => snapshot.readNow({ path: `${PKG}/pipe`, kind: 'file' }, 100, true)).toThrow(/not a regular file/)
    expect(snapshot.statNow(`${PKG}/run.sh`)).toEqual({ path: `${PKG}/run.sh`, kind: 'file', mode: '100755', size: 10, links: 1 })
  })

  it('lists and walks in path order, folders of a few entries and of many, with or without subfolders', async () => {
    const order = (paths: string[]) => [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    // Names whose order by UTF-16 code unit differs from a locale's or by length, written out of order.
    const names = ['b', 'B', 'a-1', 'a', 'a.md', 'a_', 'Z9', 'é', '\u{1F600}', 'ﬀ', '10', '9', 'a b', '~x', '-y']
    for (const [folder, count, sub] of [
      ['order/few', 5, false],
      ['order/few-sub', 5, true],
      ['order/many', names.length, false],
      ['order/many-sub', names.length, true]
    ] as const) {
      for (const name of names.slice(0, count).reverse()) put(`${folder}/${name}`, name)
      if (sub) put(`${folder}/m/inner.md`, 'x')
      const listed = (await snapshot.list(folder)).map((e) => e.path)
      expect(listed).toEqual(order(listed))
      expect(listed).toHaveLength(count + (sub ? 1 : 0))
      const walked = snapshot.walkKinds(folder).map((e) => e.path)
      expect(walked).toEqual(order(walked))
      expect(walked).toHaveLength(count + (sub ? 1 : 0))
      expect((await snapshot.walk(folder)).map((e) => e.path)).toEqual(walked)
    }
  })

  it('rejects paths that would leave the root', async () => {
    for (const bad of ['..', '../outside/secret.txt', '/etc/passwd', `${PKG}/../../..`, 'a//b']) {
      await expect(snapshot.stat(bad)).rejects.toThrow(/not a path inside the marketplace/)
      await expect(snapshot.list(bad)).rejects.toThrow(/not a path inside the marketplace/)
      expect(() => snapshot.walkKinds(bad)).toThrow(/not a path inside the marketplace/)
      await expect(snapshot.read({ path: bad, kind: 'file', mode: '100644', size: 1 }, 10)).rejects.toThrow(
        /not a path inside the marketplace/
      )
    }
  })
})

describe('DirectorySnapshot and GitSnapshot', () => {
  it('see a checked-out commit the same way', async () => {
    const repo = await makeRepo()
    try {
      repo.write(`${PKG}/manifest.yaml`, 'name: pkg\n')
      repo.write(`${PKG}/run.sh`, '#!/bin/sh\n', 0o755)
      repo.write(`${PKG}/a b/ünï.md`, 'odd\n')
      repo.write(`${PKG}/-dash`, 'dash\n')
      repo.write(`${PKG}/docs-x.md`, 'sorts beside docs/\n')
      repo.write(`${PKG}/docs/z.md`, 'z\n')
      repo.symlink(`${PKG}/link`, '../../../outside')
      repo.write('publishers/alice/profile.json', '{}\n')
      const sha = repo.commit('fixture')
      const git = new GitSnapshot(repo.dir, sha)
      const dir = new DirectorySnapshot(repo.dir)
      const shape = (entries: TreeEntry[]) => entries.map(({ path, kind, mode, size }) => ({ path, kind, mode, size }))
      for (const path of ['', 'publishers', PKG]) {
        expect(shape(await dir.list(path))).toEqual(shape(await git.list(path)))
        expect(shape(await dir.walk(path))).toEqual(shape(await git.walk(path)))
      }
      for (const entry of await git.walk('')) {
        if (entry.kind === 'file') expect(await dir.read(entry, 100)).toEqual(Buffer.from(await git.read(entry, 100)))
      }
      await git.close()
    } finally {
      await repo.cleanup()
    }
  })
})
