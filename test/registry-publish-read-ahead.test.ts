// The publish stage's read-ahead (src/core/registry/build/publish.ts, src/core/concurrently.ts): up to
// PACKAGES_AHEAD packages read from git ahead of the one published, bounded by what they will hold, and
// a package's publisher profile asked with its files, so the stage does not wait for a round trip to
// git per new publisher.
import { describe, it, expect } from '@jest/globals'
import { PACKAGE_BYTES_AHEAD, PACKAGES_AHEAD, packageWeight, withAuthor } from '../src/core/registry/build/publish.js'
import { readAhead } from '../src/core/concurrently.js'
import type { TreeEntry } from '../src/core/snapshot/types.js'
import type { Authors } from '../src/core/registry/build/claude-plugins.js'
import type { ReadOutcome } from '../src/core/registry/build/model.js'
import { packageRef, type PackageRef } from '../src/core/marketplace/paths.js'

describe('withAuthor', () => {
  it("asks for the publisher's profile when the package's read starts, before the read is answered", async () => {
    const asked: string[] = []
    const reads: string[] = []
    let answer: (o: ReadOutcome) => void = () => undefined
    const authors: Authors = async (login) => {
      asked.push(login)
      return { name: login }
    }
    const read = withAuthor((ref: PackageRef) => {
      reads.push(ref.id)
      return new Promise<ReadOutcome>((resolve) => (answer = resolve))
    }, authors)
    const started = read(packageRef('alice', 'demo'))
    expect(asked).toEqual(['alice'])
    expect(reads).toEqual(['alice/demo'])
    const outcome: ReadOutcome = { ok: false, problem: 'manifest', detail: 'broken', findings: [] }
    answer(outcome)
    await expect(started).resolves.toBe(outcome)
  })

  it('leaves a failed profile read to the package that awaits it: nothing is thrown at the read, nothing goes unhandled', async () => {
    const failure = new Error('git died')
    const kept = new Map<string, Promise<undefined>>()
    const authors: Authors = (login) => {
      const p = kept.get(login) ?? Promise.reject<undefined>(failure)
      kept.set(login, p)
      return p
    }
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      const outcome: ReadOutcome = { ok: false, problem: 'manifest', detail: 'broken', findings: [] }
      await expect(withAuthor(async () => outcome, authors)(packageRef('bob', 'tool'))).resolves.toBe(outcome)
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
      // The package's turn: the same promise, rejected as it would have been when asked then.
      await expect(authors('bob')).rejects.toBe(failure)
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})

/** Reads of `items` that answer only when asked to, recording how many were started ahead of the one taken. */
function pendingReads(items: number) {
  const answers = new Map<number, (n: number) => void>()
  let started = 0
  const read = (i: number) => {
    started++
    return new Promise<number>((resolve) => answers.set(i, resolve))
  }
  return {
    items: Array.from({ length: items }, (_, i) => i),
    read,
    started: () => started,
    answer: (i: number) => answers.get(i)?.(i * 10)
  }
}

describe('readAhead', () => {
  it('starts at most `count` reads ahead and hands the answers over in order', async () => {
    const r = pendingReads(20)
    const outcomes = readAhead(r.items, r.read, { count: 4, bytes: Infinity, weigh: () => 1 })
    const got: number[] = []
    for (let taken = 0; taken < 20; taken++) {
      const next = outcomes.next()
      expect(r.started()).toBeLessThanOrEqual(taken + 1 + 4)
      r.answer(taken)
      got.push(await next)
    }
    expect(got).toEqual(r.items.map((i) => i * 10))
    expect(r.started()).toBe(20)
  })

  it('starts no read that would take what the reads ahead hold past `bytes`, but always the next one', async () => {
    const weights = [5, 5, 5, 40, 5, 5, 5, 5]
    const r = pendingReads(weights.length)
    const outcomes = readAhead(r.items, r.read, { count: 100, bytes: 12, weigh: (i) => weights[i] as number })
    const first = outcomes.next()
    // Taken: item 0. Ahead: items 1 and 2 (10 bytes); item 3 (40) would pass 12.
    expect(r.started()).toBe(3)
    r.answer(0)
    await first
    const second = outcomes.next()
    expect(r.started()).toBe(3) // ahead: item 2 (5); 5 + 40 > 12
    r.answer(1)
    await second
    const third = outcomes.next()
    // Nothing ahead once item 2 is taken: item 3 starts although it alone weighs more than `bytes`.
    expect(r.started()).toBe(4)
    r.answer(2)
    await third
    for (let i = 3; i < weights.length; i++) {
      const next = outcomes.next()
      r.answer(i)
      await expect(next).resolves.toBe(i * 10)
    }
    expect(r.started()).toBe(weights.length)
  })

  it('starts 32 reads ahead by default', () => {
    const r = pendingReads(100)
    void readAhead(r.items, r.read).next()
    expect(r.started()).toBe(33)
  })

  it('hands a failed read over when it is taken, in order', async () => {
    const failure = new Error('git died')
    const outcomes = readAhead([0, 1, 2], (i) => (i === 1 ? Promise.reject(failure) : Promise.resolve(i)))
    await expect(outcomes.next()).resolves.toBe(0)
    await expect(outcomes.next()).rejects.toBe(failure)
    await expect(outcomes.next()).resolves.toBe(2)
  })
})

describe("packageWeight and the publish stage's bounds", () => {
  const file = (path: string, size: number): TreeEntry => ({ path, kind: 'file', mode: '100644', size })

  it("weighs a listed package by its files' sizes, each at most what a read takes of it, and an unlisted one at the cap", () => {
    expect(packageWeight([file('p/a/SKILL.md', 3_000), file('p/a/manifest.yaml', 200)], 512_000)).toBe(3_200)
    expect(packageWeight([file('p/a/big.bin', 9_000_000), file('p/a/SKILL.md', 1_000)], 512_000)).toBe(513_000)
    expect(packageWeight(undefined, 512_000)).toBe(512_000)
  })

  it('reads 128 packages ahead, and as many packages as large as the default limit as before the count rose (32)', () => {
    expect(PACKAGES_AHEAD).toBe(128)
    expect(Math.floor(PACKAGE_BYTES_AHEAD / (500 * 1024))).toBe(32)
  })
})
