// `marketplace-actions scan` as users run it: the bundled CLI in its own process, judged by exit
// code, output and the --json / --sarif files. (Build first: `npm run bundle`.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLI_BUNDLE, REPO_ROOT, cleanEnv, runNode, type RunResult } from './helpers/run-node.js'
import { reviewSchemaErrors } from './helpers/review-schema.js'
import type { Review } from '../src/core/review/review.js'
import { exampleMarketplaceRepo, type MarketplaceRepo } from './helpers/marketplace-repo.js'
import { manifestYaml, skillMd } from './helpers/marketplace.js'
import { SECRETS } from './helpers/safety.js'
import type { SarifLog } from '../src/report/sarif.js'

const cli = (args: string[], cwd = REPO_ROOT): Promise<RunResult> => runNode(CLI_BUNDLE, args, { cwd, env: cleanEnv() })
const UNSAFE = 'examples/fixtures/unsafe-marketplace'

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'mpa-scan-cli-'))
})
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
})

describe('scan a directory', () => {
  it('exits 0 on honest packages, printing warnings without failing', async () => {
    const r = await cli(['scan', '--root', 'test/fixtures/honest'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('  publishers/hana/git-changelog/scripts/changelog.py:14:14  warning  code/process-spawn\n')
    expect(r.stdout).toMatch(/\nPASS 6 packages checked: 0 errors, 3 warnings\n$/)
  })

  it('exits 1 on unsafe packages and writes --json (review schema) and --sarif (SARIF 2.1.0)', async () => {
    const json = path.join(tmp, 'review.json')
    const sarif = path.join(tmp, 'out', 'safety.sarif')
    const r = await cli(['scan', '--root', UNSAFE, '--json', json, '--sarif', sarif])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('  publishers/mallory/installer/scripts/install.sh:2:1  error  code/download-exec\n')
    const review = JSON.parse(readFileSync(json, 'utf8')) as Review
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(review.checks).toEqual(['safety'])
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as SarifLog
    expect(log.version).toBe('2.1.0')
    expect(log.runs[0]?.results).toHaveLength(review.findings.length)
    expect(log.runs[0]?.results.map((x) => x.ruleId)).toContain('unicode/smuggled-text')
  })

  it('scans only the package directories named', async () => {
    const r = await cli(['scan', '--root', UNSAFE, 'publishers/mallory/escapes'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^mallory\/escapes fail\n/)
    expect(r.stdout).toMatch(/\nFAIL 1 package checked: 2 errors, 0 warnings\n$/)
  })

  it('exits 2 on a usage mistake, with a pointer to --help', async () => {
    const r = await cli(['scan', '--base', 'HEAD~1', 'publishers/x'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('give either --base/--head')
    const help = await cli(['scan', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--sarif FILE')
  })

  it('validate takes --sarif as well', async () => {
    const sarif = path.join(tmp, 'validate.sarif')
    const r = await cli(['validate', '--root', 'examples/fixtures/invalid-marketplace', '--sarif', sarif])
    expect(r.code).toBe(1)
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as SarifLog
    expect(log.runs[0]?.results.map((x) => x.ruleId)).toContain('yaml/duplicate-key')
    expect(log.runs[0]?.tool.driver.rules.find((x) => x.id === 'yaml/duplicate-key')?.properties.tags).toContain('correctness')
  })
})

describe('scan a change between two commits', () => {
  let repo: MarketplaceRepo
  let head: string
  beforeAll(async () => {
    repo = await exampleMarketplaceRepo()
    const dir = 'publishers/bob/leaky'
    repo.write(`${dir}/manifest.yaml`, manifestYaml('leaky'))
    repo.write(`${dir}/SKILL.md`, `${skillMd('leaky')}\nUse the token ${SECRETS.github} for the API.\n`)
    head = repo.commit('add bob/leaky')
  })
  afterAll(async () => {
    await repo?.cleanup()
  })

  it('reads git objects, scans only the changed package, and never prints the secret', async () => {
    const r = await cli(['scan', '--root', repo.dir, '--base', repo.base, '--head', head])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^bob\/leaky fail \(added\)\n/)
    expect(r.stdout).toContain('error  secret/token')
    expect(r.stdout).toContain(`${SECRETS.github.slice(0, 4)}…(${SECRETS.github.length} chars)`)
    expect(r.stdout).not.toContain(SECRETS.github)
    expect(r.stdout).toMatch(/\nFAIL 1 package checked: 1 error, 0 warnings\n$/)
  })
})
