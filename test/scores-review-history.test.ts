// Review pass/fail history from the git history of review.json records.
import { describe, it, expect } from '@jest/globals'
import { makeRepo } from './helpers/git-repo.js'
import { reviewHistory } from '../src/core/git/review-history.js'
import { scoreAll } from '../src/core/scores/formula.js'

const record = (verdict: 'pass' | 'fail') => JSON.stringify({ verdict, note: 'only the verdict is read' })

describe('reviewHistory', () => {
  it('lists every recorded verdict of each package, oldest first, dated by its commit', async () => {
    const repo = await makeRepo()
    try {
      repo.write('publishers/alice/demo/review.json', record('pass'))
      repo.write('publishers/bob/tool/review.json', record('fail'))
      repo.commit('first reviews')
      repo.write('publishers/alice/demo/review.json', record('fail'))
      repo.write('publishers/alice/demo/nested/review.json', record('fail')) // not a record: not at the package root
      repo.commit('second')
      repo.write('publishers/alice/demo/review.json', record('pass'))
      repo.write('publishers/bob/tool/review.json', 'not json')
      repo.commit('third')
      const history = await reviewHistory(repo.dir)
      expect(history.get('alice/demo')?.map((r) => r.pass)).toEqual([true, false, true])
      expect(history.get('bob/tool')?.map((r) => r.pass)).toEqual([false])
      for (const r of history.get('alice/demo') ?? []) expect(r.at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    } finally {
      await repo.cleanup()
    }
  })

  it('gives nothing, not an error, for a folder that is not a git repository', async () => {
    expect((await reviewHistory('/')).size).toBe(0)
  })

  it('lets an earlier failure lower the review component of the score', () => {
    const now = '2026-11-01T00:00:00Z'
    const at = '2026-10-01T00:00:00Z'
    const [clean] = scoreAll(
      [
        {
          id: 'a/x',
          reviews: [
            { pass: true, at },
            { pass: true, at },
            { pass: true, at }
          ]
        }
      ],
      now
    )
    const [mixed] = scoreAll(
      [
        {
          id: 'a/x',
          reviews: [
            { pass: true, at },
            { pass: false, at: '2026-09-01T00:00:00Z' },
            { pass: true, at }
          ]
        }
      ],
      now
    )
    expect(mixed!.score).toBeLessThan(clean!.score)
  })
})
