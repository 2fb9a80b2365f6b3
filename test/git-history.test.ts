// introducedByParentDiff against `git log --first-parent` (introducingCommits): when the last build's
// commit is the built commit's first parent, the diff between them says what the log would.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { diffCommits } from '../src/core/git/changes.js'
import { GitSnapshot } from '../src/core/git/git-snapshot.js'
import { commitFacts, introducedByParentDiff, introducingCommits } from '../src/core/git/history.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'

const ONE = 'publishers/alice/one'
const TWO = 'publishers/alice/two'
const THREE = 'publishers/bob/three'
const DIRS = [ONE, TWO, THREE]

describe('introducedByParentDiff', () => {
  let repo: TestRepo
  /** [since, head] pairs where since is head's first parent. */
  const steps: [string, string, string][] = []

  beforeAll(async () => {
    repo = await makeRepo()
    for (const dir of DIRS) {
      repo.write(`${dir}/manifest.yaml`, `name: ${dir}\n`)
      repo.write(`${dir}/SKILL.md`, `# ${dir}\n`)
      repo.write(`${dir}/doc.md`, `doc of ${dir}\n`)
    }
    let last = repo.commit('base')
    const step = (what: string, change: () => void) => {
      change()
      const next = repo.commit(what)
      steps.push([what, last, next])
      last = next
    }
    step('a file changed, and a review record alone', () => {
      repo.write(`${ONE}/SKILL.md`, '# one, better\n')
      repo.write(`${TWO}/review.json`, '{}\n')
    })
    step('a file moved from one package to another', () => repo.git(['mv', `${THREE}/doc.md`, `${ONE}/moved.md`]))
    step('a file renamed inside a package', () => repo.git(['mv', `${TWO}/doc.md`, `${TWO}/guide.md`]))
    step('nothing in a package', () => repo.write('README.md', '# readme\n'))
    // A merge: the package changed on the side branch, another on the main line before it.
    repo.git(['checkout', '-q', '-b', 'side'])
    repo.write(`${THREE}/SKILL.md`, '# three, from the side\n')
    repo.commit('side work')
    repo.git(['checkout', '-q', 'main'])
    step('on main', () => repo.write(`${TWO}/SKILL.md`, '# two, on main\n'))
    repo.git(['merge', '-q', '--no-ff', 'side', '-m', 'merge side'])
    const merge = repo.git(['rev-parse', 'HEAD']).trim()
    steps.push(['a merge', last, merge])
  })

  afterAll(async () => {
    await repo.cleanup()
  })

  it('finds what git log --first-parent finds from the first parent, for every kind of change and a merge', async () => {
    const seen: Record<string, string[]> = {}
    for (const [what, since, head] of steps) {
      const snapshot = new GitSnapshot(repo.dir, head)
      try {
        const facts = await commitFacts(snapshot)
        expect(facts.parents[0]).toBe(since)
        const fromDiff = introducedByParentDiff(await diffCommits(repo.dir, since, head), DIRS, facts.stamp)
        expect(fromDiff).toEqual(await introducingCommits(repo.dir, head, DIRS, since))
        seen[what] = [...fromDiff.keys()]
      } finally {
        await snapshot.close()
      }
    }
    expect(seen).toEqual({
      'a file changed, and a review record alone': [ONE],
      'a file moved from one package to another': [ONE, THREE],
      'a file renamed inside a package': [TWO],
      'nothing in a package': [],
      'on main': [TWO],
      'a merge': [THREE]
    })
  })
})
