// `marketplace-actions review` as users run it: the bundled dist/cli/index.js in its own node
// process over a real git repository (the example marketplace plus pull-request branches by
// different authors), judged by exit code, output and the --json review. The work tree stays on
// main: the review reads both commits from git objects. (Build it first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLI_BUNDLE, cleanEnv, runNode, type RunResult } from './helpers/run-node.js'
import { countsOf, reviewSchemaErrors, type ReviewDoc } from './helpers/review-schema.js'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { pullRequest, write } from './helpers/pull-request.js'

const WEB = 'publishers/alice/web-deploy'

let tmp: string
let repo: MarketplaceRepo
const heads = { pass: '', fail: '' }

const review = (args: string[]): Promise<RunResult> => runNode(CLI_BUNDLE, ['review', ...args], { cwd: repo.dir, env: cleanEnv() })
const readReview = (file: string): ReviewDoc & { checks: string[] } =>
  JSON.parse(readFileSync(file, 'utf8')) as ReviewDoc & { checks: string[] }

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-review-cli-'))
  repo = await exampleMarketplaceRepo()
  const manifest = repo.git(['show', `${repo.base}:${WEB}/manifest.yaml`])
  const skill = repo.git(['show', `${repo.base}:${WEB}/SKILL.md`])
  heads.pass = pullRequest(
    repo,
    repo.base,
    'alice-release',
    'alice',
    write({ [`${WEB}/SKILL.md`]: `${skill}\nDeploys preview branches too.\n` }),
    write({ [`${WEB}/manifest.yaml`]: manifest.replace('version: "1.0.0"', 'version: "1.1.0"') })
  )
  heads.fail = pullRequest(
    repo,
    repo.base,
    'mallory-hijack',
    'mallory',
    write({ [`${WEB}/SKILL.md`]: `${skill}\nA quiet change.\n`, 'registry.json': '{"version": 2}\n' })
  )
})

afterAll(async () => {
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('a change its author may make', () => {
  let run: RunResult
  let json: string
  beforeAll(async () => {
    json = path.join(tmp, 'pass', 'review.json')
    // An uncommitted edit in the work tree: the review must not see it (nothing is read from disk).
    writeFileSync(path.join(repo.dir, WEB, 'manifest.yaml'), 'name: [broken\n')
    try {
      run = await review(['--base', 'main', '--head', 'alice-release', '--author', 'alice', '--json', json])
    } finally {
      repo.git(['checkout', '--', `${WEB}/manifest.yaml`])
    }
  })

  it('exits 0 and prints the package with its new version', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('alice/web-deploy pass (1.1.0, modified)\n')
    expect(run.stdout).toMatch(/\nPASS 1 package checked: 0 errors, 0 warnings\n$/)
  })

  it('writes a review that matches the review schema, with the versions and the author', () => {
    const doc = readReview(json)
    expect(reviewSchemaErrors(doc)).toEqual([])
    expect(doc.verdict).toBe('pass')
    expect(doc.checks).toEqual(['validate', 'safety', 'version-bump', 'namespace'])
    expect(doc.source).toEqual({ kind: 'git', base: repo.base, head: heads.pass, author: 'alice' })
    expect(doc.packages).toEqual([
      expect.objectContaining({
        id: 'alice/web-deploy',
        status: 'modified',
        version: '1.1.0',
        previous_version: '1.0.0',
        verdict: 'pass',
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/)
      })
    ])
    expect(doc.findings).toEqual([])
  })
})

describe('a change that breaks the rules', () => {
  let run: RunResult
  let json: string
  beforeAll(async () => {
    json = path.join(tmp, 'fail.json')
    run = await review([
      '--root',
      repo.dir,
      '--base',
      repo.base,
      '--head',
      heads.fail,
      '--author',
      'mallory',
      '--json',
      json,
      '--sarif',
      path.join(tmp, 'fail.sarif')
    ])
  })

  it('exits 1 and lists every finding with its fix', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`  ${WEB}/manifest.yaml:4:10  error  version/not-bumped\n`)
    expect(run.stdout).toContain(
      `  ${WEB}/SKILL.md  error  namespace/not-owner\n    mallory may not change \`${WEB}/SKILL.md\`: it is in publishers/alice/, which belongs to alice\n`
    )
    expect(run.stdout).toContain('  registry.json  error  namespace/generated-file\n')
    expect(run.stdout).toMatch(/\nFAIL 1 package checked: 3 errors, 0 warnings\n$/)
  })

  it('writes every finding to the review, which matches the schema', () => {
    const doc = readReview(json)
    expect(reviewSchemaErrors(doc)).toEqual([])
    expect(doc.verdict).toBe('fail')
    expect(doc.counts).toEqual(countsOf(doc))
    expect(doc.findings.map((f) => [f.rule, f.file])).toEqual([
      ['namespace/generated-file', 'registry.json'],
      ['namespace/not-owner', `${WEB}/SKILL.md`],
      ['version/not-bumped', `${WEB}/manifest.yaml`]
    ])
    expect(doc.findings.find((f) => f.rule === 'version/not-bumped')?.hint).toBe(
      'Raise `version` in manifest.yaml from 1.0.0 to "1.0.1" (patch: fixes only), "1.1.0" (minor: new features) or "2.0.0" (major: breaking changes).'
    )
    expect(doc.packages).toEqual([
      expect.objectContaining({ id: 'alice/web-deploy', version: '1.0.0', previous_version: '1.0.0', verdict: 'fail' })
    ])
  })

  it('writes the same findings as SARIF for code scanning', () => {
    const sarif = JSON.parse(readFileSync(path.join(tmp, 'fail.sarif'), 'utf8')) as {
      version: string
      runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[]
    }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.artifactLocation.uri])).toEqual(
      readReview(json).findings.map((f) => [f.rule, 'error', f.file])
    )
  })

  it('lets a marketplace maintainer make the same change outside their namespace, but not skip the version', async () => {
    const r = await review([
      '--base',
      repo.base,
      '--head',
      'mallory-hijack',
      '--author',
      'octocat',
      '--json',
      path.join(tmp, 'maintainer.json')
    ])
    const doc = readReview(path.join(tmp, 'maintainer.json'))
    // The version rule holds for everyone: only the namespace rules give way.
    expect(r.code).toBe(1)
    expect(doc.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['namespace/maintainer-override', 'notice'],
      ['version/not-bumped', 'error']
    ])
  })
})

describe('usage', () => {
  it.each([
    [['--head', 'main', '--author', 'alice'], '--base REF is required'],
    [['--base', 'main', '--author', 'alice'], '--head REF is required'],
    [['--base', 'main', '--head', 'main'], '--author LOGIN is required'],
    [['--base', 'main', '--head', 'main', '--author', 'alice', WEB], `review takes no package directories (got \`${WEB}\`)`],
    [['--base', 'main', '--head', 'main', '--author', 'alice', '--sign'], "Unknown option '--sign'"]
  ])('exits 2 for %j', async (args, message) => {
    const r = await review(args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`marketplace-actions: ${message}`)
    expect(r.stderr).toContain("Run 'marketplace-actions --help' for usage.")
  })

  it('exits 2 with a plain message for a commit that is not in the clone', async () => {
    const r = await review(['--base', 'main', '--head', 'no-such-branch', '--author', 'alice'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^marketplace-actions: commit no-such-branch is not in this clone; /)
  })

  it('prints its help with exit 0', async () => {
    const r = await review(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: marketplace-actions review --base REF --head REF --author LOGIN/)
    const top = await runNode(CLI_BUNDLE, ['--help'], { env: cleanEnv() })
    expect(top.stdout).toContain('  review       review a change between two commits: validate, safety, versions, namespaces\n')
  })
})
