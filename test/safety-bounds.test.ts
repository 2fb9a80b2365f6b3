// The scan's cost is bounded by the config's limits, whatever a package holds: a 100 MB file is a
// finding and is never read, and a package of 100,000 files is scanned up to files_per_package
// and ends with a finding. Reads are counted through the Snapshot interface (no timing here:
// speed is measured by scripts/bench-safety.ts).
import { describe, it, expect, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Snapshot, TreeEntry } from '../src/core/snapshot/types.js'
import { DirectorySnapshot } from '../src/core/snapshot/directory-snapshot.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { DEFAULT_LIMITS } from '../src/core/config/config.js'
import { scanPackage } from '../src/core/checks/safety/index.js'
import { GIT_ENV, makeRepo, type TestRepo } from './helpers/git-repo.js'
import { PKG, rulesOf } from './helpers/safety.js'

/** A snapshot that records what was read through it. */
function counting(inner: Snapshot): Snapshot & { reads: string[]; bytes: number } {
  const out = {
    kind: inner.kind,
    description: inner.description,
    reads: [] as string[],
    bytes: 0,
    list: (dir: string) => inner.list(dir),
    walk: (dir: string) => inner.walk(dir),
    stat: (p: string) => inner.stat(p),
    async read(entry: TreeEntry, maxBytes: number) {
      out.reads.push(entry.path)
      const bytes = await inner.read(entry, maxBytes)
      out.bytes += bytes.length
      return bytes
    },
    close: () => inner.close()
  }
  return out
}

const cleanup: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const c of cleanup) await c()
})

describe('a 100 MB file', () => {
  it('is one size/file finding and is never read', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mpa-big-'))
    cleanup.push(() => rmSync(root, { recursive: true, force: true }))
    const dir = path.join(root, PKG.dir)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'SKILL.md'), '# demo\n')
    // Sparse: 100 MB long, no disk used.
    const fd = openSync(path.join(dir, 'huge.bin'), 'w')
    ftruncateSync(fd, 100 * 1024 * 1024)
    closeSync(fd)
    const snapshot = counting(new DirectorySnapshot(root))
    const findings = await scanPackage(snapshot, PKG, DEFAULT_LIMITS)
    expect(findings.map((f) => [f.rule, f.file])).toEqual([
      ['size/package', PKG.dir],
      ['size/file', `${PKG.dir}/huge.bin`]
    ])
    expect(findings[1]?.message).toContain('104,857,600 bytes')
    expect(snapshot.reads).toEqual([`${PKG.dir}/SKILL.md`])
  })
})

describe('100,000 files in one package (git)', () => {
  let repo: TestRepo
  it('scans the first files_per_package files and ends with a size/file-count finding', async () => {
    repo = await makeRepo()
    cleanup.push(() => repo.cleanup())
    // git fast-import writes the whole tree in one go: one blob, 100,000 paths (in directories
    // of 1,000: fast-import slows down quadratically on one huge directory). unpackLimit=0 keeps
    // its pack: by default fast-import explodes a pack of under 100 objects into loose ones, and
    // `ls-tree -l` then opens and inflates the loose blob again for each of the 100,000 entries'
    // sizes (10 s of git's time here, 16-24 s under load, past jest's timeout beside other suites);
    // from a pack the same listing takes 0.1 s. What this case proves is the scan's own bound
    // (files and bytes read), not git's speed on loose objects.
    const count = 100_000
    const lines = [
      'blob',
      'mark :1',
      'data 6',
      'hello',
      '',
      'commit refs/heads/main',
      'mark :2',
      'committer T <t@example.com> 1700000000 +0000',
      'data 4',
      'big',
      ''
    ]
    for (let i = 0; i < count; i++)
      lines.push(`M 100644 :1 ${PKG.dir}/files/${String(Math.floor(i / 1000)).padStart(3, '0')}/${String(i % 1000).padStart(3, '0')}.md`)
    lines.push('')
    execFileSync('git', ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet'], {
      cwd: repo.dir,
      input: lines.join('\n'),
      env: { ...process.env, ...GIT_ENV },
      maxBuffer: 64 * 1024 * 1024
    })
    const head = repo.git(['rev-parse', 'refs/heads/main']).trim()
    const snapshot = counting(new GitSnapshot(repo.dir, head))
    cleanup.push(() => snapshot.close())
    const findings = await scanPackage(snapshot, PKG, DEFAULT_LIMITS)
    expect(rulesOf(findings)).toEqual(['size/file-count', 'size/package'])
    expect(findings.find((f) => f.rule === 'size/file-count')?.message).toContain('100,000 files')
    expect(snapshot.reads).toHaveLength(DEFAULT_LIMITS.files_per_package)
    expect(snapshot.bytes).toBe(DEFAULT_LIMITS.files_per_package * 6)
  })
})

describe('a package far over its size limit', () => {
  it('is read up to four times limits.package_bytes, then the scan stops with a finding', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mpa-budget-'))
    cleanup.push(() => rmSync(root, { recursive: true, force: true }))
    const dir = path.join(root, PKG.dir)
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, `f${String(i).padStart(2, '0')}.md`), `${'x'.repeat(399)}\n`)
    const snapshot = counting(new DirectorySnapshot(root))
    const findings = await scanPackage(snapshot, PKG, { ...DEFAULT_LIMITS, package_bytes: 1000 })
    expect(snapshot.reads).toHaveLength(10)
    expect(snapshot.bytes).toBe(4000)
    const stop = findings.filter((f) => f.rule === 'size/package')
    expect(stop.map((f) => f.file)).toEqual([PKG.dir, `${PKG.dir}/f10.md`])
    expect(stop[1]?.message).toContain('10 files from this one on were not scanned')
  })
})
