// runChecks: a check that waits on git (waitsOnGit) starts with the first check, the others run one
// after another; either way the review is assembled in the checks' order, and a failure is the
// first one in that order, thrown only once every started check has finished.
import { describe, it, expect } from '@jest/globals'
import { runChecks } from '../src/core/review/pipeline.js'
import type { Check, CheckContext, CheckResult } from '../src/core/checks/check.js'
import type { Snapshot } from '../src/core/snapshot/types.js'
import { defaultConfig } from '../src/core/config/config.js'
import { packageRef } from '../src/core/marketplace/paths.js'

const ref = packageRef('alice', 'pkg')
const ctx: CheckContext = {
  head: {} as unknown as Snapshot,
  selection: { targets: [{ ref, status: 'added' }], publishers: ['alice'], findings: [] },
  config: defaultConfig()
}

/** A promise settled from outside, and a log of what happened in which order. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

function check(id: Check['id'], run: () => Promise<CheckResult>, waitsOnGit?: boolean): Check {
  return waitsOnGit ? { id, run, waitsOnGit } : { id, run }
}

const facts = (version: string): CheckResult => ({ findings: [], packages: { [ref.id]: { version } } })

describe('runChecks', () => {
  it('starts a check that waits on git at once, and applies every result in the checks’ order', async () => {
    const log: string[] = []
    const validateDone = gate()
    const checks = [
      check('validate', async () => {
        log.push('validate started')
        await validateDone.opened
        log.push('validate done')
        return facts('1.0.0')
      }),
      check('safety', async () => {
        log.push('safety started')
        return facts('2.0.0')
      }),
      // Listed last, finished first: its facts must still be applied last.
      check(
        'version-bump',
        async () => {
          log.push('version-bump started')
          await ticks(1)
          log.push('version-bump done')
          validateDone.open()
          return facts('3.0.0')
        },
        true
      )
    ]
    const review = await runChecks(checks, ctx, { toolVersion: 'test' })
    expect(log).toEqual(['version-bump started', 'validate started', 'version-bump done', 'validate done', 'safety started'])
    expect(review.checks).toEqual(['validate', 'safety', 'version-bump'])
    expect(review.packages[0]?.version).toBe('3.0.0')
  })

  it('runs checks that do not wait on git one after another, as before', async () => {
    const log: string[] = []
    const slow = (id: Check['id']) =>
      check(id, async () => {
        log.push(`${id} started`)
        await ticks(2)
        log.push(`${id} done`)
        return facts('1.0.0')
      })
    await runChecks([slow('validate'), slow('safety')], ctx, { toolVersion: 'test' })
    expect(log).toEqual(['validate started', 'validate done', 'safety started', 'safety done'])
  })

  it('throws the first failure in the checks’ order, after every started check has finished', async () => {
    let releaseSettled = false
    let safetyStarted = false
    const checks = [
      check('validate', async () => {
        await ticks(1)
        throw new Error('validate failed')
      }),
      check('safety', async () => {
        safetyStarted = true
        return facts('1.0.0')
      }),
      check(
        'version-bump',
        async () => {
          await ticks(5)
          releaseSettled = true
          throw new Error('version-bump failed')
        },
        true
      ),
      check(
        'namespace',
        async () => {
          await ticks(3)
          return { findings: [] }
        },
        true
      )
    ]
    await expect(runChecks(checks, ctx, { toolVersion: 'test' })).rejects.toThrow('validate failed')
    expect(releaseSettled).toBe(true)
    expect(safetyStarted).toBe(false)
  })

  it('throws a failure of a check that waits on git when the checks before it pass', async () => {
    const checks = [
      check('validate', async () => facts('1.0.0')),
      check(
        'version-bump',
        async () => {
          throw new Error('registry.json is broken')
        },
        true
      )
    ]
    await expect(runChecks(checks, ctx, { toolVersion: 'test' })).rejects.toThrow('registry.json is broken')
  })
})
