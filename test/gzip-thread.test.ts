// The skill archives gzipped on a second thread (src/io/gzip-thread.ts, used by the publish stage
// through BuildOptions.gzip): the same bytes and digests as on one thread, a build that writes and
// records the same files in the same order, a failure on the thread that fails the build with the
// archive named and no build record, and a bound on the archives in the making.
//
// The thread is real here: node starts a worker only from JavaScript it can load as it is, so the
// suite bundles src/io/gzip-thread.ts with esbuild (as scripts/bundle.ts makes its chunk) into a
// temporary folder and names that file as the worker's entry; the calling side is the source.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createHash } from 'node:crypto'
import type { TestRepo } from './helpers/git-repo.js'
import { profile, skillMd, validServer, validSkill, type Files } from './helpers/marketplace.js'
import { fixtureFiles } from './helpers/catalog-fixture.js'
import {
  build,
  commitAt,
  committedRepo,
  describeDifferences,
  filesOf,
  outputDirs,
  outputsWithRecord,
  tempDir,
  removeOutputDirs,
  writeAll
} from './helpers/registry.js'
import { REPO_ROOT } from './helpers/run-node.js'
import { GzipThread, archiveGzip, canStartThread } from '../src/io/gzip-thread.js'
import { buildArchive, buildArchiveWith, type ArchiveFile } from '../src/core/registry/build/archive.js'
import { gzipArchive, type ArchiveGzip, type GzippedArchive } from '../src/core/registry/build/archive-gzip.js'
import { ARCHIVE_BYTES_AHEAD, ARCHIVES_AHEAD } from '../src/core/registry/build/publish.js'

const repos: TestRepo[] = []
let entry: URL

beforeAll(async () => {
  const { build: esbuild } = await import('esbuild')
  const file = path.join(tempDir(), 'gzip-thread.js')
  await esbuild({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['src/io/gzip-thread.ts'],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'warning'
  })
  entry = pathToFileURL(file)
}, 60_000)

afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()))
  removeOutputDirs()
})

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Every kind of package, and enough skills with scripts (archives) to fill the publish stage's window twice. */
function marketplace(skills = 60): Files {
  const files: Files = { ...fixtureFiles(), ...validServer('carol', 'db-tools'), ...profile('dave') }
  files['publishers/dave/broken/manifest.yaml'] = 'name: broken\ntype: skill\nversion: [\n'
  files['publishers/dave/broken/SKILL.md'] = `${skillMd('broken')}\nSteps.\n`
  for (let i = 0; i < skills; i++) {
    Object.assign(files, validSkill(`pub${i % 6}`, `tool-${i}`))
    // Two in three with a script: an archive; the rest served as their SKILL.md.
    if (i % 3 !== 0) files[`publishers/pub${i % 6}/tool-${i}/scripts/run.sh`] = `#!/bin/sh\necho ${'run '.repeat(i * 40)}\n`
  }
  return files
}

/**
 * A gzip port that answers only once the build has asked it nothing for IDLE_MS (the build then waits on an answer: its
 * window is full, or the stage is done), every archive asked so far at once, the latest first. How full the window
 * gets so does not depend on how fast the machine is.
 */
const IDLE_MS = 200

class LatePort implements ArchiveGzip {
  asked = 0
  making = 0
  most = 0
  bytes = 0
  mostBytes = 0
  largest = 0
  private pending: { size: number; gz: Uint8Array; resolve: (a: GzippedArchive) => void }[] = []
  private timer: NodeJS.Timeout | undefined

  gzip(tar: Uint8Array): Promise<GzippedArchive> {
    const size = tar.byteLength
    this.asked++
    this.most = Math.max(this.most, ++this.making)
    this.bytes += size
    this.mostBytes = Math.max(this.mostBytes, this.bytes)
    this.largest = Math.max(this.largest, size)
    const gz = gzipArchive(tar)
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.answerAll(), IDLE_MS)
    return new Promise((resolve) => this.pending.push({ size, gz, resolve }))
  }

  private answerAll(): void {
    for (const p of this.pending.reverse()) {
      this.making--
      this.bytes -= p.size
      p.resolve({ bytes: p.gz, sha256: sha256(p.gz) })
    }
    this.pending = []
  }
}

describe('GzipThread', () => {
  it('gives the bytes and SHA-256 of the gzip on this thread, for archives small and large', async () => {
    const thread = new GzipThread({ entry, after: 0 })
    try {
      const sets: ArchiveFile[][] = [
        [{ path: 'SKILL.md', mode: '100644', bytes: Buffer.from('---\nname: a\ndescription: b\n---\n') }],
        [
          { path: 'SKILL.md', mode: '100644', bytes: Buffer.from('# s\n') },
          { path: 'scripts/run.sh', mode: '100755', bytes: Buffer.from('#!/bin/sh\n') },
          { path: 'empty', mode: '100644', bytes: new Uint8Array() }
        ],
        // Larger than the tar buffer kept between archives on one thread (1 MB), and barely compressible.
        [{ path: 'SKILL.md', mode: '100644', bytes: Uint8Array.from({ length: 1_500_000 }, (_, i) => (i * 2654435761) >>> 24) }]
      ]
      const made = await Promise.all(sets.map((files) => buildArchiveWith(thread, files)))
      expect(thread.started).toBe(true)
      for (const [i, files] of sets.entries()) {
        const here = await buildArchive(files)
        expect(Buffer.from(made[i]?.bytes ?? []).equals(Buffer.from(here))).toBe(true)
        expect(made[i]?.sha256).toBe(sha256(here))
      }
    } finally {
      await thread.close()
    }
  })

  it('copies a tar that shares its memory rather than taking it from its owner', async () => {
    const thread = new GzipThread({ entry, after: 0 })
    try {
      const whole = Buffer.from('0123456789'.repeat(100))
      const part = whole.subarray(10, 510)
      const made = await thread.gzip(part)
      expect(whole.length).toBe(1000)
      expect(Buffer.from(made.bytes).equals(Buffer.from(gzipArchive(Buffer.from('0123456789'.repeat(50)))))).toBe(true)
    } finally {
      await thread.close()
    }
  })

  it('does not start for a build of fewer archives than it waits for, nor from a source file', async () => {
    const few = new GzipThread({ entry, after: 2 })
    try {
      for (let i = 0; i < 2; i++) await few.gzip(Buffer.from(`tar ${i}`))
      expect(few.started).toBe(false)
      await few.gzip(Buffer.from('tar 2'))
      expect(few.started).toBe(true)
    } finally {
      await few.close()
    }
    // Under jest the module is TypeScript: node cannot start it as a worker, so everything stays here.
    expect(canStartThread(new URL('../src/io/gzip-thread.ts', import.meta.url))).toBe(false)
    const source = new GzipThread({ after: 0 })
    await source.gzip(Buffer.from('tar'))
    expect(source.started).toBe(false)
    await source.close()
    expect(archiveGzip(1)).toBeUndefined()
    expect(archiveGzip(2)).toBeInstanceOf(GzipThread)
  })

  it('rejects every archive in the making when the thread fails, and every one after', async () => {
    const dir = tempDir()
    const throws = path.join(dir, 'throws.js')
    writeFileSync(
      throws,
      "import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => { throw new Error('no memory for the window') })\n"
    )
    const thread = new GzipThread({ entry: pathToFileURL(throws), after: 0 })
    try {
      const results = await Promise.allSettled([thread.gzip(Buffer.from('a')), thread.gzip(Buffer.from('b'))])
      for (const r of results) {
        expect(r.status).toBe('rejected')
        expect((r as PromiseRejectedResult).reason.message).toBe('the gzip thread failed: no memory for the window')
      }
      await expect(thread.gzip(Buffer.from('c'))).rejects.toThrow('the gzip thread failed: no memory for the window')
    } finally {
      await thread.close()
    }
    const exits = path.join(dir, 'exits.js')
    writeFileSync(exits, "import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => process.exit(3))\n")
    const gone = new GzipThread({ entry: pathToFileURL(exits), after: 0 })
    try {
      await expect(gone.gzip(Buffer.from('a'))).rejects.toThrow('internal error: the gzip thread stopped (exit code 3)')
    } finally {
      await gone.close()
    }
  })
})

describe('a build with the gzip thread', () => {
  it('writes and records the same files as on one thread: a first build, an incremental one and a --full one', async () => {
    const repo = await committedRepo(repos, marketplace())
    const threaded = outputDirs()
    const single = outputDirs()
    const thread = new GzipThread({ entry, after: 0 })
    try {
      const steps: [(() => void) | undefined, { full?: boolean }][] = [
        [undefined, {}],
        [
          () => {
            writeAll(repo, {
              'publishers/pub1/tool-1/scripts/run.sh': '#!/bin/sh\necho changed\n',
              'publishers/pub1/tool-1/manifest.yaml': readFileSync(
                path.join(repo.dir, 'publishers/pub1/tool-1/manifest.yaml'),
                'utf8'
              ).replace('1.0.0', '1.1.0'),
              ...validSkill('erin', 'new-one'),
              'publishers/erin/new-one/scripts/go.sh': '#!/bin/sh\necho go\n'
            })
            repo.remove('publishers/pub2/tool-2')
          },
          {}
        ],
        [() => writeAll(repo, { 'publishers/frank/other/scripts/x.py': 'print(1)\n', ...validSkill('frank', 'other') }), { full: true }]
      ]
      for (const [i, [change, options]] of steps.entries()) {
        if (change) {
          change()
          commitAt(repo, `change ${i}`, `2026-03-0${i + 1}T10:00:00Z`)
        }
        const a = await build(repo, threaded, { ...options, gzip: thread }, { threads: 1 })
        const b = await build(repo, single, options, { threads: 1 })
        expect(a.result.packageCount).toBe(b.result.packageCount)
        const x = outputsWithRecord(threaded)
        const y = outputsWithRecord(single)
        expect(describeDifferences(x.files, y.files)).toEqual([])
        // The record lists the files in the order they were written: the same order.
        expect(x.record).toEqual(y.record)
      }
      expect(thread.started).toBe(true)
      expect(existsSync(path.join(threaded.site, 'publishers/frank/.well-known/agent-skills/other'))).toBe(true)
    } finally {
      await thread.close()
    }
  })

  it('fails when the thread fails, naming the archive, and leaves the last root files and no build record', async () => {
    const repo = await committedRepo(repos, marketplace())
    const out = outputDirs()
    await build(repo, out, {}, { threads: 1 })
    const registry = readFileSync(path.join(out.root, 'registry.json'))
    expect(existsSync(path.join(out.site, '.marketplace-actions-build.json'))).toBe(true)
    const dir = tempDir()
    const throws = path.join(dir, 'throws.js')
    writeFileSync(
      throws,
      "import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => { throw new Error('disk of the mind full') })\n"
    )
    const thread = new GzipThread({ entry: pathToFileURL(throws), after: 0 })
    try {
      const failed = await build(repo, out, { full: true, gzip: thread }, { threads: 1 }).then(
        () => undefined,
        (e: unknown) => e as Error
      )
      // The first archive in the packages' order, whichever the thread failed on first.
      expect(failed?.message).toBe(
        'cannot make publishers/alice/.well-known/agent-skills/web-deploy/1.0.0/web-deploy.tar.gz: the gzip thread failed: disk of the mind full'
      )
      expect(readFileSync(path.join(out.root, 'registry.json'))).toEqual(registry)
      // The last build's record is taken away when a build starts writing: a failed one leaves none.
      expect(existsSync(path.join(out.site, '.marketplace-actions-build.json'))).toBe(false)
    } finally {
      await thread.close()
    }
  })

  it('keeps at most ARCHIVES_AHEAD archives in the making, and still writes them in order', async () => {
    const repo = await committedRepo(repos, marketplace(200))
    const slow = new LatePort()
    const slowOut = outputDirs()
    const single = outputDirs()
    await build(repo, slowOut, { gzip: slow }, { threads: 1 })
    await build(repo, single, {}, { threads: 1 })
    expect(slow.asked).toBeGreaterThan(2 * ARCHIVES_AHEAD)
    // Skills served as their SKILL.md take places in the window too: fewer archives than ARCHIVES_AHEAD may be in the making at once.
    expect(slow.most).toBeLessThanOrEqual(ARCHIVES_AHEAD)
    expect(slow.most).toBeGreaterThan(ARCHIVES_AHEAD / 2)
    expect(describeDifferences(filesOf(slowOut), filesOf(single))).toEqual([])
    expect(outputsWithRecord(slowOut).record).toEqual(outputsWithRecord(single).record)
  })

  it('keeps at most ARCHIVE_BYTES_AHEAD of package files behind the archives in the making, whatever their number', async () => {
    const files: Files = { ...profile('erin') }
    // 30 skills of four 95 KB scripts each (under the default limits): 11.4 MB, more than the window holds.
    for (let i = 0; i < 30; i++) {
      Object.assign(files, validSkill('erin', `big-${i}`))
      for (let k = 0; k < 4; k++) files[`publishers/erin/big-${i}/scripts/part-${k}.sh`] = `#!/bin/sh\n# ${i}-${k} ${'x'.repeat(95_000)}\n`
    }
    const repo = await committedRepo(repos, files)
    const slow = new LatePort()
    const slowOut = outputDirs()
    const single = outputDirs()
    await build(repo, slowOut, { gzip: slow }, { threads: 1 })
    await build(repo, single, {}, { threads: 1 })
    // The bound, one package's tar beyond it (the one just asked for), and the tar's own bytes in each archive within it
    // (five files: a header and padding each, and the end blocks, under 8 KB).
    expect(slow.mostBytes).toBeLessThanOrEqual(ARCHIVE_BYTES_AHEAD + slow.largest + slow.most * 8 * 1024)
    expect(slow.mostBytes).toBeGreaterThan(ARCHIVE_BYTES_AHEAD / 2)
    expect(slow.most).toBeLessThan(30)
    expect(describeDifferences(filesOf(slowOut), filesOf(single))).toEqual([])
    expect(outputsWithRecord(slowOut).record).toEqual(outputsWithRecord(single).record)
  })
})
