// The re-audit through the root action, as the jobs of examples/workflows/re-audit.yml run it:
// dist/review/index.js with `scope: all` and `shard: i/n` in one process per shard job, then with
// `merge:` over the folder the reports were downloaded to. (Build first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAction, type ActionRun } from './helpers/actions-runner.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, skillMd } from './helpers/marketplace.js'
import { SECRETS } from './helpers/safety.js'
import type { Review } from '../src/core/review/review.js'

jest.setTimeout(300_000)

let repo: TestRepo
let tmp: string
let head: string
const shardRuns: ActionRun[] = []

const schedule = (action: string, inputs: Record<string, string>) =>
  runAction(action, { workspace: repo.dir, tmp, event: {}, eventName: 'schedule', inputs, env: { GITHUB_SHA: head } })
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Review

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-re-audit-action-'))
  repo = await makeRepo()
  for (const login of ['alice', 'bob', 'carol']) {
    repo.write(`publishers/${login}/profile.json`, JSON.stringify({ name: `${login} example`, login }))
    for (let i = 0; i < 4; i++) {
      repo.write(`publishers/${login}/tool-${i}/manifest.yaml`, manifestYaml(`tool-${i}`))
      repo.write(`publishers/${login}/tool-${i}/SKILL.md`, skillMd(`tool-${i}`))
    }
  }
  repo.write('publishers/alice/leaky/manifest.yaml', manifestYaml('leaky'))
  repo.write('publishers/alice/leaky/SKILL.md', `${skillMd('leaky')}\n    aws_access_key_id = ${SECRETS.aws}\n`)
  head = repo.commit('the marketplace')
  const downloads = path.join(tmp, 'downloads')
  for (const i of [1, 2]) {
    const report = path.join(tmp, `shard-${i}.json`)
    const run = await schedule('review', { scope: 'all', shard: `${i}/2`, head, report, 'fail-on-error': 'false', 'max-annotations': '0' })
    shardRuns.push(run)
    // As actions/download-artifact lays them out: one folder per artifact.
    mkdirSync(path.join(downloads, `re-audit-shard-${i}`), { recursive: true })
    copyFileSync(report, path.join(downloads, `re-audit-shard-${i}`, `re-audit-shard-${i}.json`))
  }
})

afterAll(async () => {
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('shard jobs', () => {
  it('each re-audits its shard of every package with validate and safety, and records i/n', () => {
    const packages = new Set<string>()
    for (const [i, run] of shardRuns.entries()) {
      expect([run.code, run.stderr]).toEqual([0, ''])
      const report = read(run.outputs.report as string)
      expect(report.shard).toEqual({ index: i + 1, count: 2, marketplace_packages: 13 })
      expect(report.checks).toEqual(['validate', 'safety'])
      expect(report.source?.head).toBe(head)
      expect(run.outputs.packages).toBe(String(report.packages.length))
      for (const p of report.packages) packages.add(p.id)
    }
    expect(packages.size).toBe(13)
  })

  it('a shard without scope all is a configuration error', async () => {
    const run = await schedule('review', { shard: '1/2', head })
    expect(run.code).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    expect(run.commands).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/^Configuration error: input `shard` .* set `scope: all`/) })
    )
  })

  it('safety-scan takes a shard too', async () => {
    const run = await schedule('safety-scan', { scope: 'all', shard: '2/2', head, 'fail-on-error': 'false' })
    expect(run.code).toBe(0)
    const report = read(run.outputs.report as string)
    expect(report.shard).toMatchObject({ index: 2, count: 2 })
    expect(report.checks).toEqual(['safety'])
  })
})

describe('the merge job', () => {
  it('merges the downloaded reports into one review, SARIF, summary and issue body, and fails on the failing package', async () => {
    const run = await schedule('review', { merge: path.join(tmp, 'downloads') })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ verdict: 'fail', failing: '1', packages: '13' })
    const merged = read(run.outputs.report as string)
    expect(merged.shard).toBeUndefined()
    expect(merged.packages).toHaveLength(13)
    expect(merged.findings.filter((f) => f.severity === 'error').map((f) => [f.package, f.rule])).toEqual([['alice/leaky', 'secret/token']])
    const sarif = JSON.parse(readFileSync(run.outputs.sarif as string, 'utf8')) as { runs: { results: unknown[] }[] }
    expect(sarif.runs[0]?.results.length).toBe(merged.findings.length)
    expect(readFileSync(run.outputs['issue-body'] as string, 'utf8')).toContain('<code>alice/leaky</code>')
    expect(run.summary).toMatch(/^## Marketplace re-audit: ❌ fail/)
    expect(run.commands).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/1 error\(s\) found in 1 package/) })
    )
  })

  it('refuses a set with a shard missing, naming it', async () => {
    const run = await schedule('review', { merge: path.join(tmp, 'downloads', 're-audit-shard-1') })
    expect(run.code).toBe(1)
    expect(run.outputs.verdict).toBe('error')
    expect(run.outputs.report).toBeUndefined()
    expect(run.commands).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/^Configuration error: shard 2 of 2 missing/) })
    )
  })
})
