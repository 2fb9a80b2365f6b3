// The review asks git per run, not per package: a pull request adding many packages lists their
// folders together, once per commit, for every check (issue 15). The number of git processes of a
// review must not grow with the number of packages added, and the review must say the same thing
// about each package as a review of that package alone.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { onGitCommand } from '../src/core/git/git.js'
import { runOnSource } from '../src/core/review/source.js'
import { REVIEW_CHECKS } from '../src/core/review/checks.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'

const MAINTAINER = 'octocat'

function manifest(name: string): string {
  return `name: ${name}\ntype: skill\nversion: "1.0.0"\ndescription: Package ${name} for the review test.\nentrypoint: SKILL.md\n`
}

function skill(name: string): string {
  return `---\nname: ${name}\ndescription: Package ${name} for the review test.\n---\n\n# ${name}\n\nRead the diff and list what changed.\n`
}

let repo: TestRepo
const heads: Record<string, string> = {}
let base: string

/** Publishers p0..p5 with two packages each at the base; PRs adding 1 or 12 packages. */
beforeAll(async () => {
  repo = await makeRepo()
  repo.write('marketplace.config.yaml', `maintainers:\n  - ${MAINTAINER}\n`)
  for (let p = 0; p < 6; p++) {
    repo.write(`publishers/p${p}/profile.json`, `{"name":"P${p}"}\n`)
    for (let k = 0; k < 2; k++) {
      repo.write(`publishers/p${p}/pkg-${p}-${k}/manifest.yaml`, manifest(`pkg-${p}-${k}`))
      repo.write(`publishers/p${p}/pkg-${p}-${k}/SKILL.md`, skill(`pkg-${p}-${k}`))
    }
  }
  // A package of the same name under another publisher: the duplicate-content search must look at it.
  repo.write('publishers/p1/new-0/manifest.yaml', manifest('new-0'))
  repo.write('publishers/p1/new-0/SKILL.md', skill('new-0'))
  base = repo.commit('marketplace')
  for (const count of [1, 12]) {
    repo.git(['checkout', '-q', '-B', `add-${count}`, base])
    for (let i = 0; i < count; i++) {
      const login = `n${i % 4}`
      repo.write(`publishers/${login}/profile.json`, `{"name":"N${i % 4}"}\n`)
      repo.write(`publishers/${login}/new-${i}/manifest.yaml`, manifest(`new-${i}`))
      repo.write(`publishers/${login}/new-${i}/SKILL.md`, skill(`new-${i}`))
      if (i % 3 === 1) repo.write(`publishers/${login}/new-${i}/tool.py`, `print("tool ${i}")\n`)
    }
    heads[count] = repo.commit(`add ${count}`)
  }
  repo.git(['checkout', '-q', '-B', 'bump', base])
  repo.write('publishers/p2/pkg-2-0/manifest.yaml', manifest('pkg-2-0').replace('1.0.0', '1.1.0'))
  repo.write('publishers/p2/pkg-2-0/SKILL.md', `${skill('pkg-2-0')}\nOne more step.\n`)
  heads.bump = repo.commit('bump pkg-2-0')
})

afterAll(async () => {
  await repo.cleanup()
})

async function review(head: string) {
  const commands: string[] = []
  const argv: (readonly string[])[] = []
  const stop = onGitCommand((c) => {
    commands.push(c.args.find((a) => !a.startsWith('-')) ?? '')
    argv.push(c.args)
  })
  try {
    const result = await runOnSource({ kind: 'git', repo: repo.dir, base, head, author: MAINTAINER }, REVIEW_CHECKS, {
      toolVersion: 'test'
    })
    return { result, commands, argv }
  } finally {
    stop()
  }
}

describe('a review of many added packages', () => {
  it('starts as many git processes for 12 added packages as for 1', async () => {
    const one = await review(heads[1] as string)
    const twelve = await review(heads[12] as string)
    expect(one.result.packages).toHaveLength(1)
    expect(twelve.result.packages).toHaveLength(12)
    expect(twelve.commands.length).toBe(one.commands.length)
    // Per commit: the changed packages, the publishers' profiles. At the base: the config, registry.json, the
    // publishers (ownership), every package folder and the same-named ones (duplicate search).
    expect(twelve.commands.filter((c) => c === 'ls-tree').length).toBeLessThanOrEqual(9)
    expect(twelve.commands.filter((c) => c === 'log')).toHaveLength(1)
  })

  it('says the same about a package as a review of it alone', async () => {
    const one = await review(heads[1] as string)
    const twelve = await review(heads[12] as string)
    const alone = one.result.packages.find((p) => p.id === 'n0/new-0')
    const together = twelve.result.packages.find((p) => p.id === 'n0/new-0')
    expect(alone).toBeDefined()
    expect(together).toEqual(alone)
    const of = (r: typeof one, id: string) => r.result.findings.filter((f) => f.package === id).map((f) => [f.rule, f.severity])
    // Its files are p1/new-0's: the duplicate search found it through the one listing.
    expect(of(one, 'n0/new-0').map(([rule]) => rule)).toContain('namespace/duplicate-content')
    expect(of(twelve, 'n0/new-0')).toEqual(of(one, 'n0/new-0'))
    expect(twelve.result.verdict).toBe(one.result.verdict)
  })
})

describe('a review of one changed package', () => {
  it('asks git only about that package, its publisher and the files the checks read at the base', async () => {
    const { result, commands, argv } = await review(heads.bump as string)
    expect(result.packages.map((p) => p.id)).toEqual(['p2/pkg-2-0'])
    expect(result.verdict).toBe('pass')
    // Two refs, the merge base, the diff, one listing and one blob reader per commit.
    expect(commands.sort()).toEqual(['cat-file', 'cat-file', 'diff-tree', 'ls-tree', 'ls-tree', 'merge-base', 'rev-parse', 'rev-parse'])
    // Nothing that lists every publisher (namespaces are looked up by path) or the whole index.
    const paths = argv.filter((a) => a.includes('ls-tree')).flatMap((a) => a.slice(a.indexOf('--') + 1))
    expect(paths).not.toContain('publishers/')
    expect(paths).not.toContain('.registry')
    expect(paths).toContain('publishers/p2/pkg-2-0')
    expect(paths).toContain('publishers/p2/profile.json')
  })
})
