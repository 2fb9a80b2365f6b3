// Skill archives are byte-reproducible: the same files give the same .tar.gz whatever the machine,
// day, time zone or umask, so a client's digest check sees an update only when content changed.
// Layout: SKILL.md at the root, no directories, no links, no `..`, modes from git, nothing a
// client reading plain ustar headers would misname.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { extract, pack, type Header } from 'tar-stream'
import { gzipSync } from 'fflate'
import { gunzipSync } from 'node:zlib'
import { archivePathProblem, buildArchive, type ArchiveFile } from '../src/core/registry/build/archive.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { commitAt, filesOf, writeAll } from './helpers/registry.js'
import { manifestYaml, profile, skillMd } from './helpers/marketplace.js'
import { CLI_BUNDLE, cleanEnv } from './helpers/run-node.js'

const enc = (s: string) => Buffer.from(s, 'utf8')

const FILES: ArchiveFile[] = [
  { path: 'scripts/run.sh', mode: '100755', bytes: enc('#!/bin/sh\necho run\n') },
  { path: 'SKILL.md', mode: '100644', bytes: enc('---\nname: demo\ndescription: A demo.\n---\n\n# Demo\n') },
  { path: 'reference/a/b/c.md', mode: '100644', bytes: enc('# deep\n') },
  { path: 'empty.txt', mode: '100644', bytes: new Uint8Array() }
]

async function entries(gz: Uint8Array): Promise<{ header: Header; body: Buffer }[]> {
  const out: { header: Header; body: Buffer }[] = []
  const ex = extract()
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = []
      stream.on('data', (c) => chunks.push(c as Buffer))
      stream.on('end', () => {
        out.push({ header, body: Buffer.concat(chunks) })
        next()
      })
      stream.resume()
    })
    ex.on('finish', resolve)
    ex.on('error', reject)
  })
  ex.end(gunzipSync(gz))
  await done
  return out
}

describe('buildArchive', () => {
  it('stores files only, sorted, with fixed metadata and modes from git', async () => {
    const gz = await buildArchive(FILES)
    const list = await entries(gz)
    expect(list.map((e) => e.header.name)).toEqual(['SKILL.md', 'empty.txt', 'reference/a/b/c.md', 'scripts/run.sh'])
    for (const { header } of list) {
      expect(header.type).toBe('file')
      expect(header.mtime?.getTime()).toBe(0)
      expect([header.uid, header.gid, header.uname, header.gname]).toEqual([0, 0, '', ''])
      expect(header.pax).toBeFalsy()
    }
    expect(list.map((e) => (e.header.mode ?? 0).toString(8))).toEqual(['644', '644', '644', '755'])
    expect(list.find((e) => e.header.name === 'scripts/run.sh')?.body.toString()).toBe('#!/bin/sh\necho run\n')
    expect(list.find((e) => e.header.name === 'empty.txt')?.body.length).toBe(0)
  })

  it('writes a fixed gzip header: no mtime, no file name, level 9, OS byte 3', async () => {
    const gz = await buildArchive(FILES)
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3])
  })

  it('does not depend on the order the files are given in', async () => {
    const a = await buildArchive(FILES)
    const b = await buildArchive([...FILES].reverse())
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
  })

  it('is read by the system tar the same way', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mpa-archive-'))
    try {
      writeFileSync(path.join(dir, 'a.tar.gz'), await buildArchive(FILES))
      const listing = execFileSync('tar', ['--numeric-owner', '-tvzf', path.join(dir, 'a.tar.gz')], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' }
      })
      const rows = listing
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/))
      expect(rows.map((r) => [r[0], r[1], r[r.length - 1]])).toEqual([
        ['-rw-r--r--', '0/0', 'SKILL.md'],
        ['-rw-r--r--', '0/0', 'empty.txt'],
        ['-rw-r--r--', '0/0', 'reference/a/b/c.md'],
        ['-rwxr-xr-x', '0/0', 'scripts/run.sh']
      ])
      expect(rows.every((r) => r.includes('1970-01-01'))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('writes the bytes tar-stream pack() writes for the same entries (sizes around a block, long paths, modes)', async () => {
    const sizes = [0, 1, 100, 511, 512, 513, 1023, 1024, 1025, 4096, 70_000]
    const files: ArchiveFile[] = sizes.map((n, i) => ({
      path: i === 3 ? `${'d'.repeat(150)}/${'f'.repeat(100)}` : i === 4 ? `a/${'b'.repeat(99)}` : `dir${i}/file-${n}.bin`,
      mode: i % 3 === 0 ? '100755' : '100644',
      bytes: Buffer.alloc(n, (i * 37) % 251)
    }))
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1))
    const reference = await new Promise<Buffer>((resolve, reject) => {
      const stream = pack()
      const chunks: Buffer[] = []
      stream.on('data', (c) => chunks.push(c as Buffer))
      stream.on('end', () => resolve(Buffer.concat(chunks)))
      stream.on('error', reject)
      for (const f of sorted)
        stream.entry(
          {
            name: f.path,
            type: 'file',
            size: f.bytes.length,
            mode: f.mode === '100755' ? 0o755 : 0o644,
            mtime: new Date(0),
            uid: 0,
            gid: 0,
            uname: '',
            gname: ''
          },
          Buffer.from(f.bytes)
        )
      stream.finalize()
    })
    // Twice, and after a larger archive: the reused buffer must leave nothing of an earlier one.
    const expected = Buffer.from(gzipSync(reference, { level: 9, mtime: 0 }))
    expect(Buffer.from(await buildArchive(files)).equals(expected)).toBe(true)
    await buildArchive([{ path: 'big.bin', mode: '100644', bytes: Buffer.alloc(300_000, 7) }])
    expect(Buffer.from(await buildArchive(files)).equals(expected)).toBe(true)
    expect(Buffer.from(await buildArchive(FILES)).equals(Buffer.from(await buildArchive([...FILES].reverse())))).toBe(true)
  })

  it('refuses paths a client could misread or that leave the skill folder', async () => {
    expect(archivePathProblem('SKILL.md')).toBeUndefined()
    const long = `${'d'.repeat(150)}/${'f'.repeat(100)}`
    expect(archivePathProblem(long)).toBeUndefined()
    expect(archivePathProblem(`${'d'.repeat(156)}/f`)).toMatch(/longer than a tar header/)
    expect(archivePathProblem('f'.repeat(101))).toMatch(/longer than a tar header/)
    expect(archivePathProblem('../escape')).toMatch(/plain relative path/)
    expect(archivePathProblem('/abs')).toMatch(/plain relative path/)
    expect(archivePathProblem('a//b')).toMatch(/plain relative path/)
    expect(archivePathProblem('dir\\file')).toMatch(/backslash/)
    expect(archivePathProblem('café.md')).toMatch(/printable ASCII/)
    await expect(buildArchive([...FILES, { path: '../x', mode: '100644', bytes: enc('x') }])).rejects.toThrow(/cannot archive/)
    // A long path that fits is stored so that a plain ustar reader gets it back whole.
    const list = await entries(await buildArchive([{ path: long, mode: '100644', bytes: enc('x') }]))
    expect(list.map((e) => [e.header.name, e.header.pax])).toEqual([[long, null]])
  })
})

describe('byte-reproducible across time zones, clocks and umasks (the CLI in separate processes)', () => {
  let repo: TestRepo
  let tmp: string

  beforeAll(async () => {
    repo = await makeRepo()
    tmp = mkdtempSync(path.join(tmpdir(), 'mpa-repro-'))
    writeAll(repo, {
      ...profile('alice'),
      'publishers/alice/multi/manifest.yaml': manifestYaml('multi'),
      'publishers/alice/multi/SKILL.md': skillMd('multi'),
      'publishers/alice/multi/tool.ts': 'export const tool = 1\n',
      'publishers/alice/multi/docs/usage.md': '# Usage\n'
    })
    repo.write('publishers/alice/multi/run.sh', '#!/bin/sh\n', 0o755)
    commitAt(repo, 'one skill with several files', '2026-01-01T00:00:00Z')
    // A clock that lies: loaded before the CLI, it moves Date and Date.now by FAKE_NOW_OFFSET ms.
    writeFileSync(
      path.join(tmp, 'fake-clock.mjs'),
      `const offset = Number(process.env.FAKE_NOW_OFFSET ?? 0)
const Real = Date
class Fake extends Real {
  constructor(...args) { super(...(args.length ? args : [Real.now() + offset])) }
  static now() { return Real.now() + offset }
}
globalThis.Date = Fake
`
    )
  })

  afterAll(async () => {
    await repo.cleanup()
    rmSync(tmp, { recursive: true, force: true })
  })

  function buildIn(label: string, env: Record<string, string>, umask: string): Map<string, Buffer> {
    const root = path.join(tmp, label, 'root')
    const site = path.join(tmp, label, 'site')
    const script = `umask ${umask} && mkdir -p "${root}" && cd "${root}" && exec "${process.execPath}" "${CLI_BUNDLE}" build --root "${repo.dir}" --out "${site}" --json "${path.join(tmp, label, 'build.json')}"`
    const r = spawnSync('sh', ['-c', script], {
      env: cleanEnv({ ...env, NODE_OPTIONS: `--import ${path.join(tmp, 'fake-clock.mjs')}` }),
      encoding: 'utf8'
    })
    expect([r.status, r.stderr]).toEqual([0, ''])
    // registry.json is written beside the repository (--root); take the site and the indexes.
    return filesOf({ root: path.join(tmp, label, 'none'), site })
  }

  it('gives identical site files, and identical archive digests', () => {
    const utc = buildIn('utc', { TZ: 'UTC', FAKE_NOW_OFFSET: '0' }, '022')
    rmSync(path.join(repo.dir, 'registry.json'), { force: true })
    rmSync(path.join(repo.dir, '.claude-plugin'), { recursive: true, force: true })
    const later = buildIn('later', { TZ: 'Pacific/Kiritimati', FAKE_NOW_OFFSET: String(400 * 86400 * 1000), LANG: 'de_DE.UTF-8' }, '077')
    expect([...utc.keys()]).toEqual([...later.keys()])
    for (const [k, v] of utc) expect([k, v.equals(later.get(k) as Buffer)]).toEqual([k, true])
    const archive = [...utc.keys()].find((k) => k.endsWith('.tar.gz')) as string
    expect(archive).toBe('site/publishers/alice/.well-known/agent-skills/multi/1.0.0/multi.tar.gz')
    const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`
    const index = JSON.parse((utc.get('site/.well-known/agent-skills/index.json') as Buffer).toString()) as { skills: { digest: string }[] }
    expect(index.skills[0]?.digest).toBe(sha(utc.get(archive) as Buffer))
    expect(sha(later.get(archive) as Buffer)).toBe(sha(utc.get(archive) as Buffer))
    // The umask decides the modes of the written files, never the bytes.
    expect(readFileSync(path.join(tmp, 'later', 'site', archive.slice('site/'.length))).equals(utc.get(archive) as Buffer)).toBe(true)
  })
})
