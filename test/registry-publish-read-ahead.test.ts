// The publish stage's read-ahead (src/core/registry/build/publish.ts): a package's publisher profile
// is asked with its files, so the stage does not wait for a round trip to git per new publisher.
import { describe, it, expect } from '@jest/globals'
import { withAuthor } from '../src/core/registry/build/publish.js'
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
