// The validate-manifest action as the runner runs it: dist/validate-manifest/index.js in its own
// node process, inputs as INPUT_* variables, a real event payload, outputs, job summary and
// annotations read back from the files and stdout the runner would read. The marketplace is a
// real git repository with a base commit and pull-request heads. (Build first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runAction, pullRequestEvent, pushEvent, type ActionRun, type ActionRunOptions } from './helpers/actions-runner.js'
import { countsOf, reviewSchemaErrors, type ReviewDoc } from './helpers/review-schema.js'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'

const ZERO_SHA = '0'.repeat(40)
/** A package directory name written to break HTML, markdown tables and mentions. */
const HOSTILE = 'pwn<img src=x onerror=alert(1)>@octocat|*x*'
const HOSTILE_ID = `bob/${HOSTILE}`

function skillFiles(dir: string, manifest: Record<string, string>, skillName: string): Record<string, string> {
  return {
    [`${dir}/manifest.yaml`]: Object.entries(manifest)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(''),
    [`${dir}/SKILL.md`]: `---\nname: ${skillName}\ndescription: Does one thing well. Use it when that thing is needed.\n---\n\n# ${skillName}\n\nInstructions.\n`
  }
}

const validSkill = (login: string, name: string) =>
  skillFiles(
    `publishers/${login}/${name}`,
    { name, type: 'skill', version: '"1.0.0"', description: '"A test skill that does one thing well."', entrypoint: 'SKILL.md' },
    name
  )

let tmp: string
let repo: MarketplaceRepo
/** Heads of the pull-request branches, each branched from repo.base. */
const heads = { fail: '', pass: '', config: '', afterConfig: '' }

function branch(name: string, files: Record<string, string>, message: string): string {
  repo.git(['checkout', '-q', '-b', name, repo.base])
  for (const [file, content] of Object.entries(files)) repo.write(file, content)
  return repo.commit(message)
}

const run = (options: Omit<ActionRunOptions, 'workspace' | 'tmp'>): Promise<ActionRun> =>
  runAction('validate-manifest', { workspace: repo.dir, tmp, ...options })

const reportOf = (r: ActionRun): ReviewDoc => JSON.parse(readFileSync(r.outputs.report as string, 'utf8')) as ReviewDoc

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-action-test-'))
  // The base: the example marketplace without a config file (so every rule has its default).
  repo = await exampleMarketplaceRepo({ withConfig: false })
  const webDeploy = repo.git(['show', `${repo.base}:publishers/alice/web-deploy/manifest.yaml`])

  heads.fail = branch(
    'pr-fail',
    {
      // line 4, column 10: `version: 1.0` is a number
      'publishers/alice/web-deploy/manifest.yaml': webDeploy.replace('version: "1.0.0"', 'version: 1.0'),
      ...skillFiles(
        `publishers/bob/${HOSTILE}`,
        {
          name: 'hostile',
          type: 'skill',
          version: '"<b>1</b>"',
          description: '"<img src=x onerror=alert(1)> ping @octocat, see [here](https://e.vil)"',
          tags: '["[click](https://e.vil)", "@octocat", "<script>x</script>"]',
          entrypoint: 'SKILL.md'
        },
        'hostile'
      )
    },
    'break web-deploy and add a hostile package'
  )
  heads.pass = branch('pr-pass', validSkill('bob', 'new-skill'), 'add bob/new-skill')
  // A PR that turns a rule off in the config it adds, and breaks that rule.
  const mismatch = skillFiles(
    'publishers/bob/mismatch',
    {
      name: 'other-name',
      type: 'skill',
      version: '"1.0.0"',
      description: '"A package whose manifest name is not its directory."',
      entrypoint: 'SKILL.md'
    },
    'mismatch'
  )
  heads.config = branch(
    'pr-config',
    { 'marketplace.config.yaml': 'rules:\n  manifest/name-mismatch: off\n', ...mismatch },
    'turn name-mismatch off'
  )
  // Once that config is on the base, a later change to the package is judged by it.
  repo.write('publishers/bob/mismatch/SKILL.md', `${mismatch['publishers/bob/mismatch/SKILL.md']}\nMore instructions.\n`)
  heads.afterConfig = repo.commit('touch bob/mismatch')
  repo.git(['checkout', '-q', 'main'])
})

afterAll(async () => {
  await repo?.cleanup()
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('a failing pull request', () => {
  let failing: ActionRun
  let lenient: ActionRun
  let fewAnnotations: ActionRun
  beforeAll(async () => {
    ;[failing, lenient, fewAnnotations] = await Promise.all([
      run({ event: pullRequestEvent(repo.base, heads.fail) }),
      run({ event: pullRequestEvent(repo.base, heads.fail), inputs: { 'fail-on-error': 'false' } }),
      run({ event: pullRequestEvent(repo.base, heads.fail), inputs: { 'max-annotations': '1' } })
    ])
  })

  it('fails the step (exit 1) and sets the outputs', () => {
    expect(failing.stderr).toBe('')
    expect(failing.code).toBe(1)
    expect(failing.outputs).toEqual({
      verdict: 'fail',
      errors: expect.stringMatching(/^[1-9]\d*$/),
      warnings: '0',
      notices: '0',
      packages: '2',
      report: path.join(failing.runnerTemp, 'marketplace-actions', 'validate-report.json')
    })
    expect(failing.commands).toContainEqual({
      level: 'error',
      properties: {},
      message: `${failing.outputs.errors} error(s) found in the changed packages; see the annotations and the job summary.`
    })
  })

  it('writes a report that matches the review schema and the outputs, with only the changed packages', () => {
    const report = reportOf(failing)
    expect(reviewSchemaErrors(report)).toEqual([])
    expect(report.verdict).toBe('fail')
    expect(report.source).toMatchObject({ kind: 'git', base: repo.base, head: heads.fail })
    expect(report.packages.map((p) => [p.id, p.status, p.verdict])).toEqual([
      ['alice/web-deploy', 'modified', 'fail'],
      [HOSTILE_ID, 'added', 'fail']
    ])
    expect(report.counts).toEqual(countsOf(report))
    expect(String(report.counts.error)).toBe(failing.outputs.errors)
    expect(String(report.counts.warning)).toBe(failing.outputs.warnings)
    expect(String(report.packages.length)).toBe(failing.outputs.packages)
  })

  it('annotates each finding on its file, line and column', () => {
    const report = reportOf(failing)
    const version = failing.annotations.find((a) => a.properties.file === 'publishers/alice/web-deploy/manifest.yaml')
    expect(version).toEqual({
      level: 'error',
      properties: {
        title: 'manifest/schema (alice/web-deploy)',
        file: 'publishers/alice/web-deploy/manifest.yaml',
        line: '4',
        endLine: '4',
        col: '10',
        endColumn: '13'
      },
      message: expect.stringMatching(/^manifest field `version` must be a string, not an integer \(1\)\nFix: Quote the value/)
    })
    // One annotation per finding, on the same place as the report says.
    expect(failing.annotations).toHaveLength(report.findings.length)
    const placed = (file?: string, line?: number | string, col?: number | string) => `${file}:${line ?? ''}:${col ?? ''}`
    expect(failing.annotations.map((a) => placed(a.properties.file, a.properties.line, a.properties.col)).sort()).toEqual(
      report.findings.map((f) => placed(f.file, f.line, f.column)).sort()
    )
    for (const a of failing.annotations) expect(a.properties.file?.startsWith('publishers/')).toBe(true)
    expect(failing.annotations.some((a) => a.properties.title === `layout/package-name (${HOSTILE_ID})`)).toBe(true)
  })

  it('writes a job summary with a table of the packages, escaping what the pull request wrote', () => {
    const s = failing.summary
    expect(s).toMatch(/^## Manifest validation: ❌ fail\n/)
    expect(s).toContain('<table><tr><th>Package</th>')
    expect(s).toContain('<tr><td><code>alice/web-deploy</code></td><td></td><td>modified</td><td>❌</td></tr>')
    expect(s).toContain('<code>bob/pwn&lt;img src=x onerror=alert&#40;1&#41;&gt;@&#8203;octocat&#124;&#42;x&#42;</code>')
    expect(s).toContain('<td>&lt;b&gt;1&lt;/b&gt;</td>') // the manifest's version column
    expect(s).toContain('publishers/alice/web-deploy/manifest.yaml:4:10')
    // Nothing from the pull request can become markup, a link or a mention.
    expect(s).not.toContain('<img')
    expect(s).not.toContain('<b>')
    expect(s).not.toContain('<script')
    expect(s).not.toContain('@octocat')
    expect(s).not.toContain('https://e.vil')
    expect(s).not.toContain('](')
    expect(s).not.toMatch(/\|\*x\*/)
  })

  it('with fail-on-error: false, passes the step but still reports verdict fail', () => {
    expect(lenient.code).toBe(0)
    expect(lenient.outputs.verdict).toBe('fail')
    expect(lenient.outputs.errors).toBe(failing.outputs.errors)
    expect(lenient.annotations).toEqual(failing.annotations)
    expect(lenient.commands.filter((c) => c.level === 'error')).toEqual([])
  })

  it('writes at most max-annotations annotations; the outputs and report keep every finding', () => {
    expect(fewAnnotations.code).toBe(1)
    expect(fewAnnotations.annotations).toHaveLength(1)
    expect(fewAnnotations.outputs.errors).toBe(failing.outputs.errors)
    expect(reportOf(fewAnnotations).findings).toHaveLength(reportOf(failing).findings.length)
  })
})

describe('a passing pull request', () => {
  it('exits 0 with verdict pass, reviewing only the added package', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.pass) })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ verdict: 'pass', errors: '0', warnings: '0', notices: '0', packages: '1' })
    expect(r.annotations).toEqual([])
    expect(r.commands.filter((c) => c.level === 'error')).toEqual([])
    const report = reportOf(r)
    expect(reviewSchemaErrors(report)).toEqual([])
    expect(report.packages.map((p) => [p.id, p.status, p.verdict, p.version])).toEqual([['bob/new-skill', 'added', 'pass', '1.0.0']])
    expect(r.summary).toMatch(/^## Manifest validation: ✅ pass\n/)
    expect(r.summary).toContain('<tr><td><code>bob/new-skill</code></td><td>1.0.0</td><td>added</td><td>✅</td></tr>')
    expect(r.summary).not.toContain('<th>Severity</th>') // no findings table
  })
})

describe('other events and scopes', () => {
  it('a push event reviews before..after', async () => {
    const r = await run({ event: pushEvent(repo.base, heads.fail) })
    expect(r.code).toBe(1)
    const report = reportOf(r)
    expect(report.source).toMatchObject({ kind: 'git', base: repo.base, head: heads.fail })
    expect(report.packages.map((p) => p.id)).toEqual(['alice/web-deploy', HOSTILE_ID])
  })

  it('a push that creates a branch (before = 000…) checks every package at after', async () => {
    const r = await run({ event: pushEvent(ZERO_SHA, heads.pass) })
    expect(r.code).toBe(0)
    expect(r.commands).toContainEqual({
      level: 'notice',
      properties: {},
      message: 'No base commit in the event or the `base` input: checking every package.'
    })
    expect(reportOf(r).packages.map((p) => [p.id, p.status])).toEqual([
      ['alice/code-review', 'checked'],
      ['alice/web-deploy', 'checked'],
      ['bob/github-review', 'checked'],
      ['bob/new-skill', 'checked']
    ])
  })

  it('scope: all checks every package at the head, changed or not', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.fail), inputs: { scope: 'all' } })
    expect(r.code).toBe(1)
    expect(r.outputs.packages).toBe('4')
    const report = reportOf(r)
    expect(reviewSchemaErrors(report)).toEqual([])
    expect(report.packages.map((p) => [p.id, p.status, p.verdict])).toEqual([
      ['alice/code-review', 'checked', 'pass'],
      ['alice/web-deploy', 'checked', 'fail'],
      ['bob/github-review', 'checked', 'pass'],
      [HOSTILE_ID, 'checked', 'fail']
    ])
    expect(r.summary).toContain('<code>bob/github-review</code>')
  })

  it('the base and head inputs override the event', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.fail), inputs: { base: 'main', head: 'pr-pass' } })
    expect(r.code).toBe(0)
    expect(reportOf(r).source).toMatchObject({ kind: 'git', base: repo.base, head: heads.pass })
  })
})

describe('the config comes from the base commit', () => {
  it('a pull request that adds a config turning a rule off still gets that rule`s error', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.config) })
    expect(r.code).toBe(1)
    const report = reportOf(r)
    expect(report.packages.map((p) => [p.id, p.status, p.verdict])).toEqual([['bob/mismatch', 'added', 'fail']])
    expect(report.findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ['manifest/name-mismatch', 'error', 'publishers/bob/mismatch/manifest.yaml', 1]
    ])
    expect(r.annotations.map((a) => [a.properties.title, a.properties.file, a.properties.line])).toEqual([
      ['manifest/name-mismatch (bob/mismatch)', 'publishers/bob/mismatch/manifest.yaml', '1']
    ])
  })

  it('with scope all, the config still comes from the base, not from the pull request', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.config), inputs: { scope: 'all' } })
    expect(r.code).toBe(1)
    const report = reportOf(r)
    expect(report.packages.every((p) => p.status === 'checked')).toBe(true)
    expect(report.findings.map((f) => f.rule)).toEqual(['manifest/name-mismatch'])
    expect(report.source?.author).toBe('mallory')
  })

  it('once the config is on the base, the next change is judged by it', async () => {
    const r = await run({ event: pullRequestEvent(heads.config, heads.afterConfig) })
    expect(r.code).toBe(0)
    expect(r.outputs.verdict).toBe('pass')
    expect(reportOf(r).packages.map((p) => [p.id, p.status])).toEqual([['bob/mismatch', 'modified']])
  })
})

describe('configuration errors', () => {
  it('a bad input fails the step as a configuration error, with verdict error and no findings', async () => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.fail), inputs: { scope: 'sometimes' } })
    expect(r.code).toBe(1)
    expect(r.outputs).toEqual({ verdict: 'error' })
    expect(r.commands).toEqual([
      { level: 'error', properties: {}, message: 'Configuration error: input `scope` is `sometimes`; expected one of: changed, all' }
    ])
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error::Configuration error: input `scope`'))).toHaveLength(1)
    expect(r.annotations).toEqual([])
    expect(r.summary).toBe('')
    expect(existsSync(path.join(r.runnerTemp, 'marketplace-actions', 'validate-report.json'))).toBe(false)
  })

  it.each([
    ['fail-on-error', 'maybe', 'expected true or false'],
    ['max-annotations', '-1', 'expected a whole number from 0 to 1000']
  ])('input `%s: %s` is a configuration error', async (name, value, expected) => {
    const r = await run({ event: pullRequestEvent(repo.base, heads.pass), inputs: { [name]: value } })
    expect(r.code).toBe(1)
    expect(r.outputs).toEqual({ verdict: 'error' })
    expect(r.commands).toEqual([
      { level: 'error', properties: {}, message: `Configuration error: input \`${name}\` is \`${value}\`; ${expected}` }
    ])
  })

  it('a base commit missing from the clone (a shallow checkout) stops the check with verdict error, naming the commit', async () => {
    const missing = 'a'.repeat(40)
    const r = await run({ event: pullRequestEvent(missing, heads.pass) })
    expect(r.code).toBe(1)
    expect(r.outputs).toEqual({ verdict: 'error' })
    expect(r.annotations).toEqual([])
    expect(r.commands).toHaveLength(1)
    expect(r.commands[0]?.message).toBe(
      `Configuration error: commit ${missing} is not in this clone; fetch it, or with actions/checkout set fetch-depth: 0`
    )
  })
})
