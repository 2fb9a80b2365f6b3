// The `marketplace-actions` command line as users run it: the bundled dist/cli/index.js in its own
// node process, with argv, cwd and environment, judged by exit code, stdout/stderr and the --json
// file. (Build it first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLI_BUNDLE, REPO_ROOT, cleanEnv, runNode, type RunResult } from './helpers/run-node.js'
import { countsOf, reviewSchemaErrors, type ReviewDoc } from './helpers/review-schema.js'
import { EXAMPLE_MARKETPLACE, exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'

const cli = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> =>
  runNode(CLI_BUNDLE, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? cleanEnv() })

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/
const ESC = '\u001b'
const INVALID = 'examples/fixtures/invalid-marketplace'

const readReview = (file: string): ReviewDoc => JSON.parse(readFileSync(file, 'utf8')) as ReviewDoc

/** The text report's blocks: a header line (package id or `marketplace`) and its indented lines. */
function blocks(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  let current: string[] | undefined
  for (const line of stdout.split('\n')) {
    if (line === '') {
      current = undefined
    } else if (!line.startsWith(' ')) {
      current = []
      out.set(line, current)
    } else {
      current?.push(line)
    }
  }
  return out
}

/** A valid skill package's files, for commits that add one. */
function validSkillFiles(login: string, name: string): Record<string, string> {
  const dir = `publishers/${login}/${name}`
  return {
    [`${dir}/manifest.yaml`]: `name: ${name}\ntype: skill\nversion: "1.0.0"\ndescription: "A test skill that does one thing well."\nentrypoint: SKILL.md\n`,
    [`${dir}/SKILL.md`]: `---\nname: ${name}\ndescription: Does one thing well. Use it when that thing is needed.\n---\n\n# ${name}\n\nInstructions.\n`
  }
}

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-cli-test-'))
})
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
})

describe('validate a directory', () => {
  let valid: RunResult
  let invalid: RunResult
  let validJson: string
  let invalidJson: string
  beforeAll(async () => {
    validJson = path.join(tmp, 'valid', 'review.json') // the parent does not exist yet
    invalidJson = path.join(tmp, 'invalid-review.json')
    ;[valid, invalid] = await Promise.all([
      cli(['validate', '--root', 'examples/marketplace', '--json', validJson]),
      cli(['validate', '--root', INVALID, '--json', invalidJson])
    ])
  })

  it('passes the example marketplace: exit 0, one pass line per package, no colour in a pipe', () => {
    expect(valid.stderr).toBe('')
    expect(valid.code).toBe(0)
    expect(valid.stdout).toContain('alice/code-review pass (1.2.0)\n')
    expect(valid.stdout).toContain('alice/web-deploy pass (1.0.0)\n')
    expect(valid.stdout).toContain('bob/github-review pass (0.3.1)\n')
    expect(valid.stdout).toMatch(/\nPASS 3 packages checked: 0 errors, 0 warnings\n$/)
    expect(valid.stdout).not.toMatch(ANSI)
  })

  it('writes a --json review that matches the review schema and the exit code', () => {
    const review = readReview(validJson)
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.verdict).toBe('pass')
    expect(review.source).toEqual({ kind: 'directory' })
    expect(review.packages.map((p) => [p.id, p.status, p.verdict])).toEqual([
      ['alice/code-review', 'checked', 'pass'],
      ['alice/web-deploy', 'checked', 'pass'],
      ['bob/github-review', 'checked', 'pass']
    ])
    expect(review.counts).toEqual({ error: 0, warning: 0, notice: 0 })
  })

  it('fails the invalid fixture with exit 1, grouped by package, with file:line:column and fixes', () => {
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toBe('')
    expect(invalid.stdout).not.toMatch(ANSI)
    const groups = blocks(invalid.stdout)

    const badFields = groups.get('mallory/bad-fields fail')
    expect(badFields).toBeDefined()
    expect(badFields).toContain('  publishers/mallory/bad-fields/manifest.yaml:3:10  error  manifest/schema')
    expect(badFields).toContain('    manifest field `version` must be a string, not an integer (1)')
    expect(badFields?.some((l) => l.startsWith('    fix: Quote the value'))).toBe(true)

    // Every location line sits under the package it is about; publisher-level ones under `marketplace`.
    for (const [header, lines] of groups) {
      const locations = lines.filter((l) => /^ {2}\S/.test(l))
      if (header === 'marketplace') {
        expect(locations.map((l) => l.trim().split(/\s+/)[0])).toEqual([
          'publishers/mallory/notes.txt',
          'publishers/noprofile/profile.json'
        ])
        continue
      }
      const m = /^(\S+) (pass|fail)/.exec(header)
      if (!m) continue // the summary line
      for (const l of locations) expect(l.startsWith(`  publishers/${m[1]}`)).toBe(true)
      expect(locations.length > 0).toBe(m[2] === 'fail')
    }
    expect(groups.get('mallory/duplicate-key fail')).toContain(
      '  publishers/mallory/duplicate-key/manifest.yaml:4:1  error  yaml/duplicate-key'
    )
    expect(groups.get('mallory/broken-tool fail (1.0.0)')).toContain('  publishers/mallory/broken-tool/tool.ts:1:35  error  source/syntax')
    expect(groups.has('noprofile/ok-skill pass (1.0.0)')).toBe(true)
    // Issue 10: bad-frontmatter's unknown key is a skill-md/unknown-key warning, no longer an error.
    expect(invalid.stdout).toMatch(/\nFAIL 12 packages checked: \d+ errors, 1 warning\n$/)
  })

  it('writes a schema-valid --json review for a failing run, consistent with the text and exit code', () => {
    const review = readReview(invalidJson)
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.verdict).toBe('fail')
    expect(review.counts).toEqual(countsOf(review))
    expect(review.counts.error).toBeGreaterThan(0)
    expect(invalid.stdout).toContain(
      `FAIL ${review.packages.length} packages checked: ${review.counts.error} errors, ${review.counts.warning} warning${review.counts.warning === 1 ? '' : 's'}`
    )
    for (const f of review.findings) {
      expect(f.rule).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/)
      expect(['error', 'warning', 'notice']).toContain(f.severity)
      expect(f.file).toMatch(/^publishers\//)
      expect(f.message.length).toBeGreaterThan(0)
    }
    // Each package's verdict agrees with its findings, and the text shows the same verdict.
    for (const p of review.packages) {
      const errors = review.findings.filter((f) => f.package === p.id && f.severity === 'error' && f.allowed === undefined)
      expect([p.id, p.verdict]).toEqual([p.id, errors.length ? 'fail' : 'pass'])
      expect(invalid.stdout).toMatch(new RegExp(`^${p.id} ${p.verdict}`, 'm'))
    }
  })

  it('colours only when asked: --color forces ANSI (even with NO_COLOR), --no-color and the default do not', async () => {
    const [forced, off, noColorEnv] = await Promise.all([
      cli(['validate', '--root', 'examples/marketplace', '--color'], { env: cleanEnv({ NO_COLOR: '1' }) }),
      cli(['validate', '--root', 'examples/marketplace', '--no-color']),
      cli(['validate', '--root', 'examples/marketplace'], { env: cleanEnv({ NO_COLOR: '1' }) })
    ])
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('\u001b[32mpass\u001b[0m')
    expect(forced.stdout).toContain('\u001b[32mPASS\u001b[0m')
    for (const r of [off, noColorEnv]) {
      expect(r.code).toBe(0)
      expect(r.stdout).not.toMatch(ANSI)
      expect(r.stdout).toBe(valid.stdout)
    }
  })
})

describe('PACKAGE_DIR arguments', () => {
  it('checks one package named relative to the current directory', async () => {
    const r = await cli(['validate', '--root', 'examples/marketplace', 'examples/marketplace/publishers/alice/web-deploy'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('alice/web-deploy pass (1.0.0)\n\nPASS 1 package checked: 0 errors, 0 warnings\n')
  })

  it('checks a publisher named relative to the root, and a package from inside the root', async () => {
    const [publisher, fromInside] = await Promise.all([
      cli(['validate', '--root', 'examples/marketplace', 'publishers/bob']),
      cli(['validate', '--root', '../..', '.'], { cwd: path.join(EXAMPLE_MARKETPLACE, 'publishers', 'alice') })
    ])
    expect(publisher.code).toBe(0)
    expect(publisher.stdout).toBe('bob/github-review pass (0.3.1)\n\nPASS 1 package checked: 0 errors, 0 warnings\n')
    expect(fromInside.code).toBe(0)
    expect(fromInside.stdout).toContain('alice/code-review pass')
    expect(fromInside.stdout).toContain('alice/web-deploy pass')
    expect(fromInside.stdout).not.toContain('bob/')
  })

  it('checks only the named failing package of the invalid fixture', async () => {
    const r = await cli(['validate', '--root', INVALID, 'publishers/mallory/bad-fields', '--json', path.join(tmp, 'one.json')])
    expect(r.code).toBe(1)
    const review = readReview(path.join(tmp, 'one.json'))
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.packages.map((p) => p.id)).toEqual(['mallory/bad-fields'])
    expect(new Set(review.findings.map((f) => f.package))).toEqual(new Set(['mallory/bad-fields']))
  })

  it('refuses a directory outside the root with exit 2 and says why', async () => {
    const r = await cli(['validate', '--root', 'examples/marketplace', tmp])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`\`${tmp}\` is not inside the marketplace root ${EXAMPLE_MARKETPLACE}`)
  })

  it('refuses a directory inside the root that is not a publisher or package', async () => {
    const r = await cli(['validate', '--root', 'examples/marketplace', 'examples/marketplace/publishers/alice/web-deploy/tool.ts'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^marketplace-actions: .*tool\.ts/)
  })
})

describe('usage', () => {
  it('exits 2 on an unknown option or command, pointing at --help', async () => {
    const [option, command] = await Promise.all([cli(['validate', '--frobnicate']), cli(['frobnicate'])])
    for (const r of [option, command]) {
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toContain("Run 'marketplace-actions --help' for usage.")
    }
    expect(option.stderr).toMatch(/^marketplace-actions: .*'--frobnicate'/)
    expect(command.stderr).toMatch(/^marketplace-actions: unknown command `frobnicate`/)
  })

  it('--help exits 0 with the usage and the commands; validate --help shows its options; no command prints the usage and exits 2', async () => {
    const [help, validateHelp, none] = await Promise.all([cli(['--help']), cli(['validate', '--help']), cli([])])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: marketplace-actions <command>/)
    expect(help.stdout).toMatch(/^ {2}validate +check manifests/m)
    expect(validateHelp.code).toBe(0)
    expect(validateHelp.stdout).toMatch(/^Usage: marketplace-actions validate/)
    expect(validateHelp.stdout).toContain('--base REF')
    expect(none.code).toBe(2)
    expect(none.stdout).toBe(help.stdout)
  })

  it('--version prints the package.json version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
    const [long, short] = await Promise.all([cli(['--version']), cli(['-v'])])
    expect(long.code).toBe(0)
    expect(long.stdout).toBe(`${pkg.version}\n`)
    expect(short.stdout).toBe(`${pkg.version}\n`)
  })

  it('refuses --base or --head together with package directories', async () => {
    for (const flag of ['--base', '--head']) {
      const r = await cli(['validate', '--root', 'examples/marketplace', flag, 'HEAD', 'publishers/bob'])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('give either --base/--head')
    }
  })

  it('reads a root-relative directory even when run from inside the root', async () => {
    const r = await cli(['validate', '--root', '../..', 'publishers/bob'], { cwd: path.join(EXAMPLE_MARKETPLACE, 'publishers', 'bob') })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('bob/github-review pass')
  })

  it('exits 2 when an explicitly named --config file does not exist', async () => {
    const r = await cli(['validate', '--root', 'examples/marketplace', '--config', 'no-such-config.yaml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('config file no-such-config.yaml does not exist')
  })
})

describe('git mode on a real repository', () => {
  let repo: MarketplaceRepo
  let head: string
  let changed: RunResult
  let byName: RunResult
  let headOnly: RunResult
  const json = (name: string) => path.join(tmp, `git-${name}.json`)

  beforeAll(async () => {
    repo = await exampleMarketplaceRepo()
    // The second commit breaks one package, adds a valid one and leaves the third alone.
    const manifest = readFileSync(path.join(repo.dir, 'publishers/alice/web-deploy/manifest.yaml'), 'utf8')
    repo.write('publishers/alice/web-deploy/manifest.yaml', manifest.replace('version: "1.0.0"', 'version: 1.0'))
    for (const [file, content] of Object.entries(validSkillFiles('bob', 'new-skill'))) repo.write(file, content)
    head = repo.commit('break web-deploy, add new-skill')
    const cwd = tmp // --root is what finds the repository, not the current directory
    ;[changed, byName, headOnly] = await Promise.all([
      cli(['validate', '--root', repo.dir, '--base', repo.base, '--head', head, '--json', json('changed')], { cwd }),
      cli(['validate', '--root', repo.dir, '--base', 'HEAD~1', '--json', json('by-name')], { cwd }),
      cli(['validate', '--root', repo.dir, '--head', repo.base, '--json', json('head-only')], { cwd })
    ])
  })
  afterAll(async () => {
    await repo?.cleanup()
  })

  it('reviews exactly the changed packages between --base and --head and exits 1 on the error', () => {
    expect(changed.stderr).toBe('')
    expect(changed.code).toBe(1)
    const review = readReview(json('changed'))
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.source).toEqual({ kind: 'git', base: repo.base, head })
    expect(review.packages.map((p) => [p.id, p.status, p.verdict])).toEqual([
      ['alice/web-deploy', 'modified', 'fail'],
      ['bob/new-skill', 'added', 'pass']
    ])
    expect(review.verdict).toBe('fail')
    expect(review.counts).toEqual(countsOf(review))
    expect(review.findings.map((f) => [f.package, f.rule, f.file, f.line, f.column])).toEqual([
      ['alice/web-deploy', 'manifest/schema', 'publishers/alice/web-deploy/manifest.yaml', 4, 10]
    ])
    // The untouched packages are neither in the review nor in the text.
    expect(changed.stdout).not.toContain('alice/code-review')
    expect(changed.stdout).not.toContain('bob/github-review')
    expect(changed.stdout).toContain('alice/web-deploy fail (modified)')
    expect(changed.stdout).toContain('bob/new-skill pass (1.0.0, added)')
    expect(changed.stdout).toContain('  publishers/alice/web-deploy/manifest.yaml:4:10  error  manifest/schema')
  })

  it('accepts ref names and defaults --head to HEAD', () => {
    expect(byName.code).toBe(1)
    expect(readReview(json('by-name'))).toEqual(readReview(json('changed')))
  })

  it('--head alone checks every package at that commit', () => {
    expect(headOnly.code).toBe(0)
    const review = readReview(json('head-only'))
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.source).toEqual({ kind: 'git', head: repo.base })
    expect(review.packages.map((p) => [p.id, p.status])).toEqual([
      ['alice/code-review', 'checked'],
      ['alice/web-deploy', 'checked'],
      ['bob/github-review', 'checked']
    ])
  })

  it('exits 2 naming a --base ref that is not in the clone', async () => {
    const r = await cli(['validate', '--root', repo.dir, '--base', 'no-such-ref', '--json', json('missing')])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^marketplace-actions: commit no-such-ref is not in this clone/)
    expect(r.stderr).not.toContain('internal error')
    expect(() => readFileSync(json('missing'))).toThrow() // no review for a run that did not happen
  })
})

describe('a broken marketplace config', () => {
  let root: string
  beforeAll(() => {
    root = path.join(tmp, 'bad-config')
    cpSync(EXAMPLE_MARKETPLACE, root, { recursive: true })
    writeFileSync(path.join(root, 'marketplace.config.yaml'), 'limits:\n  file_bytes: -1\n')
    writeFileSync(path.join(root, 'unknown-rule.yaml'), '# rules\nrules:\n  manifest/no-such-rule: off\n')
  })

  it('exits 2 with the schema problem at file:line:column, and checks nothing', async () => {
    const r = await cli(['validate', '--root', root, '--json', path.join(tmp, 'bad-config.json')])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^marketplace-actions: invalid marketplace config:\nmarketplace\.config\.yaml:2:15: .*limits\.file_bytes/)
    expect(r.stderr).toContain('config field `limits.file_bytes` is -1, but must be >= 1')
    expect(r.stderr).not.toContain('internal error')
    expect(() => readFileSync(path.join(tmp, 'bad-config.json'))).toThrow()
  })

  it('exits 2 on an unknown rule id in a --config file, naming the file and line', async () => {
    const r = await cli(['validate', '--root', root, '--config', 'unknown-rule.yaml'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(
      'marketplace-actions: invalid marketplace config:\nunknown-rule.yaml:3:3: unknown rule id `manifest/no-such-rule`'
    )
  })
})

describe('hostile names', () => {
  it('escapes ANSI escapes and bidi controls in package directory names instead of printing them', async () => {
    const root = path.join(tmp, 'hostile')
    cpSync(EXAMPLE_MARKETPLACE, root, { recursive: true })
    const ansiName = 'x\u001b[31mred'
    const bidiName = 'evil\u202eexe.md'
    cpSync(path.join(root, 'publishers/alice/code-review'), path.join(root, 'publishers/alice', ansiName), { recursive: true })
    mkdirSync(path.join(root, 'publishers/bob', bidiName))
    const [plainRun, colourRun] = await Promise.all([
      cli(['validate', '--root', root, '--json', path.join(tmp, 'hostile.json')]),
      cli(['validate', '--root', root, '--color'])
    ])
    expect(plainRun.code).toBe(1)
    expect(plainRun.stdout).not.toContain(ESC)
    expect(plainRun.stdout).not.toContain('\u202e')
    expect(plainRun.stdout).toContain('alice/x\\x1b[31mred fail')
    expect(plainRun.stdout).toContain('bob/evil\\u{202e}exe.md fail')
    // With colour on, the only escapes are the tool's own SGR codes around its labels.
    expect(colourRun.code).toBe(1)
    expect(colourRun.stdout).not.toContain('\u202e')
    expect(colourRun.stdout).not.toContain('\u001b[31mred')
    // The JSON keeps the real names: it is data, escaped by whoever renders it.
    const review = readReview(path.join(tmp, 'hostile.json'))
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.packages.map((p) => p.id)).toEqual(expect.arrayContaining([`alice/${ansiName}`, `bob/${bidiName}`]))
  })
})
