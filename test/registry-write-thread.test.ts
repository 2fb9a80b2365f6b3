// The registry build's second thread (src/io/write-thread.ts, handed its files by
// src/io/registry-output.ts): a build writes the same bytes with it as without, over real git
// repositories; a write that fails on the thread fails the build with the message the same write
// gives on one thread, and loses nothing; and what is handed over and not yet written is bounded.
import { describe, it, expect, afterAll } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validServer, validSkill, type Files } from './helpers/marketplace.js'
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
import type { RegistryOutputsOptions } from '../src/io/registry-output.js'
import { SLOTS, SLOT_BYTES, WriteThread } from '../src/io/write-thread.js'
import { ConfigError } from '../src/core/errors.js'

const repos: TestRepo[] = []
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()))
  removeOutputDirs()
})

/** The thread from the first file on, and never. */
const THREAD: RegistryOutputsOptions = { threadAfter: 0 }
const ONE: RegistryOutputsOptions = { threads: 1 }

/** Every kind of package: skills with and without scripts, an MCP server, a hostile body, a broken manifest, and enough packages for several batches. */
function marketplace(): Files {
  const files: Files = { ...fixtureFiles(), ...validServer('carol', 'db-tools'), ...profile('dave') }
  files['publishers/dave/broken/manifest.yaml'] = 'name: broken\ntype: skill\nversion: [\n'
  files['publishers/dave/broken/SKILL.md'] = `${skillMd('broken')}\nSteps.\n`
  for (let i = 0; i < 60; i++) Object.assign(files, validSkill(`pub${i % 6}`, `tool-${i}`))
  files['publishers/pub0/tool-0/scripts/run.sh'] = '#!/bin/sh\necho run\n'
  return files
}

describe('a build with the write thread', () => {
  it('writes the same bytes as on one thread: a first build, an incremental one and a --full one', async () => {
    const repo = await committedRepo(repos, marketplace())
    const threaded = outputDirs()
    const single = outputDirs()
    for (const [out, writer] of [
      [threaded, THREAD],
      [single, ONE]
    ] as const) {
      const { result } = await build(repo, out, {}, writer)
      // The broken manifest is reported and left out, on both.
      expect(result.packageCount).toBe(65)
    }
    expect(describeDifferences(filesOf(threaded), filesOf(single))).toEqual([])
    expect(outputsWithRecord(threaded).record).toEqual(outputsWithRecord(single).record)
    expect(filesOf(threaded).size).toBeGreaterThan(300)

    // One package changed, one added (new folders on the thread), one removed: incrementally, then with --full.
    const steps: [() => void, { full?: boolean }][] = [
      [
        () => {
          writeAll(repo, {
            'publishers/pub1/tool-1/manifest.yaml': manifestYaml('tool-1', { version: '"1.1.0"' }),
            ...validSkill('erin', 'new-one')
          })
          repo.remove('publishers/pub2/tool-2')
        },
        {}
      ],
      [
        () => {
          writeAll(repo, {
            'publishers/pub3/tool-3/manifest.yaml': manifestYaml('tool-3', { version: '"2.0.0"' }),
            ...validSkill('frank', 'other')
          })
          repo.remove('publishers/pub4/tool-4')
        },
        { full: true }
      ]
    ]
    for (const [[change, options], i] of steps.map((s, i) => [s, i] as const)) {
      change()
      commitAt(repo, `change ${i}`, `2026-03-0${i + 2}T10:00:00Z`)
      for (const [out, writer] of [
        [threaded, THREAD],
        [single, ONE]
      ] as const) {
        const { applied } = await build(repo, out, options, writer)
        expect(applied?.written.length).toBeGreaterThan(0)
        expect(applied?.deleted.length).toBeGreaterThan(0)
      }
      const a = outputsWithRecord(threaded)
      const b = outputsWithRecord(single)
      expect(describeDifferences(a.files, b.files)).toEqual([])
      expect(a.record).toEqual(b.record)
    }
    expect(existsSync(path.join(threaded.site, 'publishers/frank/.well-known/agent-skills/other'))).toBe(true)
  })

  it('fails on a write the thread cannot make with the message one thread gives, and loses nothing', async () => {
    const repo = await committedRepo(repos, marketplace())
    const messages: string[] = []
    for (const writer of [THREAD, ONE]) {
      const out = outputDirs()
      await build(repo, out, {}, writer)
      const registry = readFileSync(path.join(out.root, 'registry.json'))
      const marketplaceJson = readFileSync(path.join(out.root, '.claude-plugin/marketplace.json'))
      // A site folder whose path leaves room for its first files but not for a package's folders
      // (PATH_MAX is 4,096 bytes): the build's shallow files are written, a deeper folder fails.
      let site = tempDir()
      while (site.length < 4040) site = path.join(site, 'd'.repeat(Math.min(200, 4040 - site.length)))
      mkdirSync(site, { recursive: true })
      const failed = await build(repo, { root: out.root, site }, { full: true }, writer).then(
        () => undefined,
        (e: unknown) => e as Error
      )
      expect(failed?.message).toMatch(/^ENAMETOOLONG: name too long, mkdir '.*dddd\//)
      messages.push((failed?.message ?? '').replace(site, '<site>'))
      // The last build's root files in place, nothing set aside left beside them, no build record.
      expect(readFileSync(path.join(out.root, 'registry.json'))).toEqual(registry)
      expect(readFileSync(path.join(out.root, '.claude-plugin/marketplace.json'))).toEqual(marketplaceJson)
      expect(readdirSync(out.root).filter((f) => f.endsWith('.tmp'))).toEqual([])
      expect(readdirSync(path.join(out.root, '.claude-plugin')).filter((f) => f.endsWith('.tmp'))).toEqual([])
      expect(existsSync(path.join(site, '.marketplace-actions-build.json'))).toBe(false)
    }
    expect(messages[0]).toBe(messages[1])
  })
})

describe('WriteThread', () => {
  it('makes the folders, then the files, in the order they were handed over', async () => {
    const dir = tempDir()
    const thread = new WriteThread()
    try {
      expect(thread.add([path.join(dir, 'a'), path.join(dir, 'a/b')], path.join(dir, 'a/b/one'), Buffer.from('one'))).toBeUndefined()
      expect(thread.add([], path.join(dir, 'a/b/two'), Buffer.from('two'))).toBeUndefined()
      // The same path twice: the last bytes win, as on one thread.
      expect(thread.add([], path.join(dir, 'a/b/one'), Buffer.from('again'))).toBeUndefined()
      expect(thread.busy).toBe(true)
      await thread.drain()
      expect(thread.busy).toBe(false)
      expect(readFileSync(path.join(dir, 'a/b/one'), 'utf8')).toBe('again')
      expect(readFileSync(path.join(dir, 'a/b/two'), 'utf8')).toBe('two')
      expect(readdirSync(path.join(dir, 'a/b')).sort()).toEqual(['one', 'two'])
    } finally {
      await thread.close()
    }
  })

  it('holds at most SLOTS slots of files not yet written: the next one waits, then goes in order', async () => {
    const dir = tempDir()
    const thread = new WriteThread()
    try {
      // Nothing the thread answers arrives while this loop runs: each file fills a slot of its own.
      const full = (i: number) => Buffer.alloc(SLOT_BYTES - 1024, i)
      for (let i = 0; i < SLOTS; i++) expect(thread.add([], path.join(dir, `f${i}`), full(i))).toBeUndefined()
      // The next file does not fit in the last slot's room: it waits for a slot.
      const next = Buffer.alloc(2048, 9)
      const waiting = thread.add([], path.join(dir, 'next'), next)
      expect(waiting).toBeInstanceOf(Promise)
      // A file larger than a slot goes alone and counts as one; it waits behind the one before it.
      const large = Buffer.alloc(SLOT_BYTES * 2 + 3, 7)
      const waitingLarge = thread.add([], path.join(dir, 'large'), large)
      expect(waitingLarge).toBeInstanceOf(Promise)
      await Promise.all([waiting, waitingLarge])
      await thread.drain()
      for (let i = 0; i < SLOTS; i++) expect(readFileSync(path.join(dir, `f${i}`)).equals(full(i))).toBe(true)
      expect(readFileSync(path.join(dir, 'next')).equals(next)).toBe(true)
      expect(readFileSync(path.join(dir, 'large')).equals(large)).toBe(true)
    } finally {
      await thread.close()
    }
  })

  it('stops at the first error: nothing after it is written, and every later call throws it', async () => {
    const dir = tempDir()
    const notAFolder = path.join(dir, 'file')
    writeFileSync(notAFolder, 'x')
    const thread = new WriteThread()
    try {
      expect(thread.add([], path.join(dir, 'before'), Buffer.from('before'))).toBeUndefined()
      expect(thread.add([notAFolder], path.join(notAFolder, 'inside'), Buffer.from('inside'))).toBeUndefined()
      expect(thread.add([], path.join(dir, 'after'), Buffer.from('after'))).toBeUndefined()
      const failure = await thread.drain().then(
        () => undefined,
        (e: unknown) => e
      )
      expect(failure).toBeInstanceOf(ConfigError)
      expect((failure as Error).message).toBe(`${notAFolder} is not a folder; the build does not write through links`)
      expect(() => thread.add([], path.join(dir, 'later'), Buffer.from('later'))).toThrow(failure)
      expect(readFileSync(path.join(dir, 'before'), 'utf8')).toBe('before')
      expect(existsSync(path.join(dir, 'after'))).toBe(false)
      expect(existsSync(path.join(dir, 'later'))).toBe(false)
    } finally {
      await thread.close()
    }
  })

  it('gives a system error back with its code and its located message', async () => {
    const dir = tempDir()
    const thread = new WriteThread()
    try {
      expect(thread.add([], path.join(dir, 'missing/file'), Buffer.from('x'))).toBeUndefined()
      const failure = (await thread.drain().then(
        () => undefined,
        (e: unknown) => e
      )) as NodeJS.ErrnoException
      expect(failure.message).toBe(`ENOENT: no such file or directory, open '${path.join(dir, 'missing/file')}'`)
      expect(failure.code).toBe('ENOENT')
      expect(failure.syscall).toBe('open')
    } finally {
      await thread.close()
    }
  })
})
