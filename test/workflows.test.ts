// The workflows we ship (examples/workflows/) and run (.github/workflows/): minimal permissions,
// a concurrency group, and every third-party action pinned to a full commit SHA.
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
const files = ['examples/workflows', '.github/workflows'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => path.join(dir, f))
)

interface Workflow {
  permissions?: unknown
  concurrency?: unknown
  jobs: Record<string, { permissions?: unknown; steps?: { uses?: string }[] }>
}

describe.each(files)('%s', (file) => {
  const text = readFileSync(file, 'utf8')
  const wf = parse(text) as Workflow

  it('sets permissions explicitly, never write-all', () => {
    expect(wf.permissions !== undefined || Object.values(wf.jobs).every((j) => j.permissions !== undefined)).toBe(true)
    expect(text).not.toMatch(/write-all/)
  })

  it('has a concurrency group', () => {
    expect(wf.concurrency).toBeDefined()
  })

  it('pins every third-party action to a full commit SHA with its version, and this toolkit to its release', () => {
    const uses = Object.values(wf.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.uses).filter((u): u is string => !!u))
    for (const u of uses) {
      if (u.startsWith('signetai/marketplace-actions')) expect(u).toMatch(new RegExp(`@v${pkg.version.replace(/\./g, '\\.')}$`))
      else expect([u, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u)]).toEqual([u, true])
    }
    // The version stays beside each SHA as a comment, for the humans who update them.
    for (const line of text.split('\n').filter((l) => /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40}/.test(l))) expect(line).toMatch(/# v\d/)
  })
})

describe('the pull_request_target review', () => {
  const text = readFileSync('examples/workflows/marketplace-review.yml', 'utf8')
  it('never checks out the pull request head', () => {
    expect(text).toMatch(/ref: \$\{\{ github\.event\.pull_request\.base\.sha \}\}/)
    expect(text).not.toMatch(/ref: \$\{\{ github\.event\.pull_request\.head/)
    expect(text).not.toMatch(/npm (ci|install)|yarn|pnpm/)
  })
})
