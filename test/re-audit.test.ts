// Re-audits split over an Actions matrix, as users run them: `review`/`scan --shard i/n` of the
// bundled CLI over a real git repository, one process per shard, then `merge`. The merged review
// and SARIF must be exactly what one job checking every package writes; an incomplete or mixed
// set of reports is refused; a package's shard never moves when other packages come and go.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLI_BUNDLE, cleanEnv, runNode, type RunResult } from './helpers/run-node.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, skillMd } from './helpers/marketplace.js'
import { SECRETS } from './helpers/safety.js'
import { reviewSchemaErrors } from './helpers/review-schema.js'
import { parseShard, shardOf } from '../src/core/review/shard.js'
import type { Review } from '../src/core/review/review.js'

const SHARDS = 3
// Every test runs the CLI several times as separate processes; a shared 2-core machine can be slow.
jest.setTimeout(300_000)
let repo: TestRepo
let tmp: string
let head: string

const cli = (args: string[]): Promise<RunResult> => runNode(CLI_BUNDLE, args, { cwd: repo.dir, env: cleanEnv(), timeoutMs: 120000 })
const out = (name: string) => path.join(tmp, name)
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Review

function addPackage(login: string, name: string, skill = skillMd(name)): void {
  repo.write(`publishers/${login}/${name}/manifest.yaml`, manifestYaml(name))
  repo.write(`publishers/${login}/${name}/SKILL.md`, skill)
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-re-audit-'))
  repo = await makeRepo()
  for (const login of ['alice', 'bob', 'carol', 'dave']) {
    repo.write(`publishers/${login}/profile.json`, JSON.stringify({ name: `${login} example`, login }))
    for (let i = 0; i < 8; i++) addPackage(login, `tool-${i}`)
  }
  // What a re-audit must find, in every kind of place: a secret and a broken manifest in a
  // package, a misnamed package, a file beside the packages, a misnamed publisher and its
  // missing profile, a link that leaves its package.
  addPackage('alice', 'leaky', `${skillMd('leaky')}\nConfigure the client:\n\n    aws_access_key_id = ${SECRETS.aws}\n`)
  repo.write('publishers/bob/broken/manifest.yaml', manifestYaml('broken', { version: '1.0' }))
  repo.write('publishers/bob/broken/SKILL.md', skillMd('broken'))
  addPackage('bob', 'Wrong_Name')
  repo.write('publishers/bob/notes.txt', 'stray\n')
  addPackage('Bad_Login', 'thing')
  addPackage('carol', 'linky')
  repo.symlink('publishers/carol/linky/passwd', '../../../../etc/passwd')
  head = repo.commit('the marketplace')
})

afterAll(async () => {
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('the shard of a package', () => {
  it('parses i/n and refuses anything else with how to write it', () => {
    expect(parseShard('3/20')).toEqual({ index: 3, count: 20 })
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 })
    for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '1/1001', '-1/3', '1.5/3'])
      expect(() => parseShard(bad)).toThrow(/is not i\/n .*write it as 3\/20/)
  })

  it('is SHA-256 of the id: a fixed function, the same on every machine and version', () => {
    // Pinned values: changing the function would move every package of a running re-audit.
    // SHA-256("alice/tool-0") starts 30e72673: 0x30e72673 % 20 = 7, so shard 8.
    expect([shardOf('alice/tool-0', 20), shardOf('bob/broken', 20), shardOf('alice', 20), shardOf('publisher-7/package-3', 1000)]).toEqual([
      8, 3, 2, 176
    ])
    expect(shardOf('alice/tool-0', 1)).toBe(1)
  })

  it('spreads packages evenly: 20,000 ids over 20 shards, each within 15% of the mean', () => {
    const counts = new Array<number>(21).fill(0)
    for (let p = 0; p < 2000; p++)
      for (let i = 0; i < 10; i++) {
        const k = shardOf(`publisher-${p}/package-${i}`, 20)
        counts[k] = (counts[k] ?? 0) + 1
      }
    expect(counts[0]).toBe(0)
    for (const c of counts.slice(1)) expect(Math.abs(c - 1000)).toBeLessThan(150)
  })
})

describe.each([
  ['review', ['review'], ['review', '--all']],
  ['scan', ['scan', '--head', 'HEAD'], ['scan', '--head', 'HEAD']]
])('%s --shard i/3, merged', (name, shardArgs, wholeArgs) => {
  const shardFile = (i: number) => out(`${name}-shard-${i}.json`)
  let whole: Review
  let merged: Review
  let mergeRun: RunResult

  beforeAll(async () => {
    // One process per shard, as the jobs of a matrix run them.
    const runs: RunResult[] = []
    for (let i = 1; i <= SHARDS; i++)
      runs.push(await cli([...shardArgs, '--shard', `${i}/${SHARDS}`, '--json', shardFile(i), '--no-color']))
    // A shard passes or fails on its own packages; together they fail (see below).
    for (const r of runs) expect([r.code, r.code === 0 || r.code === 1, r.stderr]).toEqual([r.code, true, ''])
    const all = await cli([...wholeArgs, '--json', out(`${name}-whole.json`), '--sarif', out(`${name}-whole.sarif`)])
    expect([all.code, all.stderr]).toEqual([1, ''])
    whole = read(out(`${name}-whole.json`))
    mergeRun = await cli([
      'merge',
      ...Array.from({ length: SHARDS }, (_, i) => shardFile(i + 1)),
      '--json',
      out(`${name}-merged.json`),
      '--sarif',
      out(`${name}-merged.sarif`),
      '--summary',
      out(`${name}-summary.md`),
      '--issue-body',
      out(`${name}-issue.md`),
      '--no-color'
    ])
    merged = read(out(`${name}-merged.json`))
  })

  it('each shard is a valid review of its own packages, recording i/n, the commit and the toolkit version', () => {
    const seen = new Set<string>()
    for (let i = 1; i <= SHARDS; i++) {
      const shard = read(shardFile(i))
      expect(reviewSchemaErrors(shard)).toEqual([])
      expect(shard.shard).toEqual({ index: i, count: SHARDS, marketplace_packages: whole.packages.length })
      expect(shard.source?.head).toBe(head)
      expect(shard.tool.version).toBe(whole.tool.version)
      // Every shard has work, and holds only its own packages.
      expect(shard.packages.length).toBeGreaterThan(3)
      for (const p of shard.packages) {
        expect(shardOf(p.id, SHARDS)).toBe(i)
        seen.add(p.id)
      }
    }
    expect(seen.size).toBe(whole.packages.length)
  })

  it('the merged review is exactly the review of every package in one run, and so is its SARIF', () => {
    expect(mergeRun.code).toBe(1)
    expect(mergeRun.stderr).toBe('')
    expect(whole.packages.length).toBe(4 * 8 + 5)
    expect(merged).toEqual(whole)
    expect(readFileSync(out(`${name}-merged.sarif`), 'utf8')).toBe(readFileSync(out(`${name}-whole.sarif`), 'utf8'))
  })

  it('found every planted problem, secrets masked', () => {
    const rules = new Set(merged.findings.map((f) => f.rule))
    expect([...rules]).toEqual(expect.arrayContaining(['secret/token', 'escape/symlink']))
    if (name === 'review') {
      expect([...rules]).toEqual(
        expect.arrayContaining(['manifest/schema', 'layout/package-name', 'layout/stray-file', 'layout/publisher-name'])
      )
    }
    expect(readFileSync(out(`${name}-merged.json`), 'utf8')).not.toContain(SECRETS.aws)
  })

  it('writes the job summary and a tracking issue body listing the failing packages', () => {
    const issue = readFileSync(out(`${name}-issue.md`), 'utf8')
    expect(issue).toContain('<!-- marketplace-actions:re-audit -->')
    expect(issue).toContain('<code>alice/leaky</code>')
    expect(issue).toContain('<code>carol/linky</code>')
    expect(issue).not.toContain('alice/tool-0')
    expect(issue).toContain(head)
    const summary = readFileSync(out(`${name}-summary.md`), 'utf8')
    expect(summary).toMatch(/^## Marketplace re-audit: ❌ fail/)
    expect(summary.indexOf('alice/leaky')).toBeLessThan(summary.indexOf('alice/tool-0'))
  })
})

describe('merge refuses a set it cannot vouch for', () => {
  const shard = (i: number) => out(`review-shard-${i}.json`)
  const refused = async (files: string[], message: RegExp) => {
    const r = await cli(['merge', ...files, '--json', out('refused.json')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  }

  it('a missing shard', async () => {
    await refused([shard(1), shard(3)], /shard 2 of 3 missing: only 2 report\(s\) given/)
  })

  it('a duplicate shard', async () => {
    const copy = out('copy-of-shard-1.json')
    writeFileSync(copy, readFileSync(shard(1)))
    await refused([shard(1), shard(2), shard(3), copy], /shard 1\/3 is given twice: .*review-shard-1\.json and .*copy-of-shard-1\.json/)
  })

  it('shards of a different n', async () => {
    const other = out('two-1.json')
    expect((await cli(['review', '--shard', '1/2', '--json', other])).code).toBe(1)
    await refused([shard(1), shard(2), shard(3), other], /has shard count 2 but .* has 3: merge the reports of one split only/)
  })

  it('shards of different commits', async () => {
    addPackage('erin', 'later')
    repo.commit('later')
    const later = out('later-2.json')
    try {
      await cli(['review', '--shard', '2/3', '--json', later])
    } finally {
      repo.git(['reset', '-q', '--hard', head])
    }
    await refused([shard(1), later, shard(3)], /has commit .* but .* has .*: run every shard on the same commit/)
  })

  it('shards of different toolkit versions', async () => {
    const doc = read(shard(2))
    doc.tool.version = '0.0.9'
    const old = out('old-2.json')
    writeFileSync(old, JSON.stringify(doc))
    await refused(
      [shard(1), old, shard(3)],
      /has toolkit version "0\.0\.9" but .* has ".*": run every shard with the same marketplace-actions release/
    )
  })

  it('a report that is no shard, or was edited to claim another shard', async () => {
    await refused([out('review-whole.json')], /is not a shard report \(it has no `shard`\)/)
    const doc = read(shard(2))
    doc.shard = { index: 1, count: SHARDS, marketplace_packages: doc.shard?.marketplace_packages ?? 0 }
    const forged = out('forged.json')
    writeFileSync(forged, JSON.stringify(doc))
    await refused([forged, shard(2), shard(3)], /forged\.json \(shard 1\/3\) lists package .*, which belongs to shard 2/)
  })

  it('a shard of a change, or of named directories, is refused before anything runs', async () => {
    const r = await cli(['scan', '--base', 'HEAD', '--shard', '1/2'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/a shard is a slice of every package .* cannot be combined with a base commit/)
    const r2 = await cli(['review', '--shard', '1/2', '--base', 'HEAD'])
    expect(r2.code).toBe(2)
    expect(r2.stderr).toMatch(/--shard re-audits every package at --head: drop --base/)
  })
})

describe('membership is stable', () => {
  it('adding and removing other packages moves no package to another shard', async () => {
    const before = new Map<string, number>()
    for (let i = 1; i <= SHARDS; i++) for (const p of read(out(`review-shard-${i}.json`)).packages) before.set(p.id, i)
    addPackage('zed', 'newcomer')
    for (let i = 0; i < 5; i++) addPackage('alice', `extra-${i}`)
    repo.remove('publishers/dave/tool-3')
    repo.commit('others come and go')
    try {
      const after = new Map<string, number>()
      for (let i = 1; i <= SHARDS; i++) {
        const file = out(`moved-${i}.json`)
        await cli(['review', '--shard', `${i}/${SHARDS}`, '--json', file])
        for (const p of read(file).packages) after.set(p.id, i)
      }
      expect(after.size).toBe(before.size + 6 - 1)
      for (const [id, i] of before) if (id !== 'dave/tool-3') expect([id, after.get(id)]).toEqual([id, i])
    } finally {
      repo.git(['reset', '-q', '--hard', head])
    }
  })
})
