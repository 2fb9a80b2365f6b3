// `marketplace-actions publish` in a real clone: the review runs on exactly what would be
// proposed, a passing package gets its branch (and the commands to open the pull request, as
// `gh` is absent here), a failing one gets nothing, and the user's branch, index and working tree
// are left as they were.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import path from 'node:path'
import { publish } from '../src/cli/commands/publish.js'
import type { Io } from '../src/cli/shared.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, validSkill } from './helpers/marketplace.js'
import { commitAt, writeAll } from './helpers/registry.js'
import { cleanEnv } from './helpers/run-node.js'
import { GIT_ENV } from './helpers/git-repo.js'

let repo: TestRepo

function io(cwd: string) {
  const out = { stdout: '', stderr: '' }
  const value: Io = {
    cwd,
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    // No gh on this PATH: publish prints the commands instead of running them.
    env: cleanEnv({ ...(GIT_ENV as Record<string, string>), PATH: path.dirname('/usr/bin/git') })
  }
  return { io: value, out }
}

beforeAll(async () => {
  repo = await makeRepo()
  writeAll(repo, validSkill('alice', 'demo'))
  commitAt(repo, 'demo 1.0.0', '2026-01-01T00:00:00Z')
})

afterAll(async () => {
  await repo.cleanup()
})

describe('marketplace-actions publish', () => {
  it('refuses a change without a version bump: exit 1, the findings printed, no branch', async () => {
    repo.write(
      'publishers/alice/demo/SKILL.md',
      '---\nname: demo\ndescription: Does one thing well. Use it when needed.\n---\n\nChanged.\n'
    )
    const { io: i, out } = io(path.join(repo.dir, 'publishers/alice/demo'))
    expect(await publish(['--base', 'main'], i)).toBe(1)
    expect(out.stdout).toMatch(/version/)
    expect(out.stderr).toMatch(/the review found errors/)
    expect(repo.git(['branch', '--list', 'publish/*']).trim()).toBe('')
  })

  it('creates the branch for a passing release and prints the push and gh commands; HEAD, index and work tree untouched', async () => {
    repo.write('publishers/alice/demo/manifest.yaml', manifestYaml('demo', { version: '"1.1.0"' }))
    const head = repo.git(['rev-parse', 'HEAD']).trim()
    const status = repo.git(['status', '--porcelain'])
    const { io: i, out } = io(repo.dir)
    expect(await publish(['publishers/alice/demo', '--base', 'main'], i)).toBe(0)
    expect(out.stdout).toContain('Created branch publish/alice-demo-1.1.0')
    expect(out.stdout).toContain('`gh` is not installed. Open the pull request with:')
    expect(out.stdout).toContain(`git -C ${repo.dir} push --set-upstream origin publish/alice-demo-1.1.0`)
    expect(out.stdout).toContain("gh pr create --head publish/alice-demo-1.1.0 --base main --title 'Publish @alice/demo@1.1.0'")
    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(head)
    expect(repo.git(['status', '--porcelain'])).toBe(status)
    expect(repo.git(['show', 'publish/alice-demo-1.1.0:publishers/alice/demo/manifest.yaml'])).toContain('version: "1.1.0"')
    expect(repo.git(['rev-parse', 'publish/alice-demo-1.1.0^']).trim()).toBe(head)
  })

  it('refuses a folder that is not a package', async () => {
    const { io: i } = io(repo.dir)
    await expect(publish(['publishers'], i)).rejects.toThrow(/is not a package folder/)
  })
})
