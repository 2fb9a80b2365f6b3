// The marketplace config: defaults from the schema, located configuration errors kept apart from
// findings, and rule severities / allowances applied in one place.
import { describe, it, expect } from '@jest/globals'
import { ConfigError, DEFAULT_LIMITS } from '../src/core/config/config.js'
import { parseConfig } from '../src/core/config/parse-config.js'
import { applyPolicy, countFindings, finding } from '../src/core/findings/findings.js'
import { validateFiles, validSkill, manifestYaml, type Files } from './helpers/marketplace.js'

const bytes = (s: string) => new TextEncoder().encode(s)

describe('parseConfig', () => {
  it('fills every default from the schema (the spec limits: 100 KiB per file, 500 KiB per package)', () => {
    const config = parseConfig(bytes(''), 'marketplace.config.yaml')
    expect(config.limits).toEqual(DEFAULT_LIMITS)
    expect(DEFAULT_LIMITS.file_bytes).toBe(102400)
    expect(DEFAULT_LIMITS.package_bytes).toBe(512000)
    expect(config.maintainers).toEqual([])
  })

  it('keeps given values and defaults the rest', () => {
    const config = parseConfig(bytes('limits:\n  file_bytes: 2048\nmaintainers: [octocat]\n'), 'c.yaml')
    expect(config.limits.file_bytes).toBe(2048)
    expect(config.limits.package_bytes).toBe(DEFAULT_LIMITS.package_bytes)
    expect(config.maintainers).toEqual(['octocat'])
  })

  it('reports schema mistakes as a ConfigError located at file:line:column', () => {
    expect(() => parseConfig(bytes('limits:\n  file_bytes: -1\n'), 'marketplace.config.yaml')).toThrow(ConfigError)
    expect(() => parseConfig(bytes('limits:\n  file_bytes: -1\n'), 'marketplace.config.yaml')).toThrow(
      /marketplace\.config\.yaml:2:15: config field `limits\.file_bytes`/
    )
  })

  it('rejects unknown rule ids, in rules and in allow', () => {
    expect(() => parseConfig(bytes('rules:\n  manifest/nope: off\n'), 'c.yaml')).toThrow(/c\.yaml:2:3: unknown rule id `manifest\/nope`/)
    const allow = 'allow:\n  - rule: nope/nope\n    package: alice/demo\n    reason: because we said so\n'
    expect(() => parseConfig(bytes(allow), 'c.yaml')).toThrow(/unknown rule id `nope\/nope` in allow/)
  })

  it('requires a reason for every allowance', () => {
    expect(() => parseConfig(bytes('allow:\n  - rule: manifest/schema\n    package: alice/demo\n'), 'c.yaml')).toThrow(/reason/)
  })

  it('takes the stats service URL over https, or http on loopback only, without credentials, query or fragment', () => {
    const url = (u: string) => () => parseConfig(bytes(`marketplace:\n  stats_url: ${JSON.stringify(u)}\n`), 'c.yaml')
    for (const ok of [
      'https://stats.example.org',
      'https://stats.example.org/',
      'https://x.workers.dev/market-a',
      'http://127.0.0.1:8787',
      'http://localhost:8787/s',
      'http://[::1]:9000'
    ])
      expect(url(ok)().marketplace.stats_url).toBe(ok)
    for (const bad of [
      'http://stats.example.org',
      'https://user:pass@stats.example.org',
      'https://stats.example.org/?key=1',
      'https://stats.example.org/#x',
      'ftp://stats.example.org',
      'https://',
      'http://127.0.0.1.evil.org'
    ])
      expect(url(bad)).toThrow(/c\.yaml:2:14: config field `marketplace\.stats_url`/)
  })

  it('rejects YAML that does not parse, and aliases', () => {
    expect(() => parseConfig(bytes('limits: [\n'), 'c.yaml')).toThrow(/c\.yaml:\d+:\d+: YAML syntax error/)
    expect(() => parseConfig(bytes('a: &x 1\nb: *x\n'), 'c.yaml')).toThrow(ConfigError)
  })
})

describe('applyPolicy', () => {
  const base = [
    finding('skill-md/body-length', { package: 'alice/demo', file: 'publishers/alice/demo/SKILL.md', line: 1 }, 'long'),
    finding('manifest/schema', { package: 'alice/demo', file: 'publishers/alice/demo/manifest.yaml', line: 2 }, 'bad'),
    finding('manifest/schema', { package: 'bob/x', file: 'publishers/bob/x/manifest.yaml', line: 2 }, 'bad')
  ]
  const config = parseConfig(bytes(''), 'c.yaml')

  it('drops a rule set to off and changes severities', () => {
    const out = applyPolicy(base, { ...config, rules: { 'skill-md/body-length': 'off', 'manifest/schema': 'warning' } })
    expect(out.map((f) => `${f.rule}:${f.severity}`)).toEqual(['manifest/schema:warning', 'manifest/schema:warning'])
  })

  it('marks an allowed finding with its reason; it stays visible but does not count', () => {
    const reason = 'Reviewed by hand on 2026-11-01'
    const out = applyPolicy(base, { ...config, allow: [{ rule: 'manifest/schema', package: 'alice/demo', reason }] })
    expect(out.find((f) => f.package === 'alice/demo' && f.rule === 'manifest/schema')?.allowed).toBe(reason)
    expect(out.find((f) => f.package === 'bob/x')?.allowed).toBeUndefined()
    expect(countFindings(out).error).toBe(1)
  })

  it('limits an allowance to one file when it names one', () => {
    const out = applyPolicy(base, {
      ...config,
      allow: [{ rule: 'manifest/schema', package: 'alice/demo', file: 'other.yaml', reason: 'only for other.yaml' }]
    })
    expect(out.every((f) => f.allowed === undefined)).toBe(true)
  })
})

describe('config in a validate run', () => {
  it('applies the marketplace config found at the root', async () => {
    const files = { ...validSkill('alice', 'demo'), 'publishers/alice/demo/manifest.yaml': manifestYaml('other') }
    expect((await validateFiles(files)).verdict).toBe('fail')
    const relaxed = { ...files, 'marketplace.config.yaml': 'rules:\n  manifest/name-mismatch: warning\n' }
    const review = await validateFiles(relaxed)
    expect(review.verdict).toBe('pass')
    expect(review.counts.warning).toBe(1)
  })

  it('fails the run with a ConfigError for a broken config, not with findings', async () => {
    await expect(
      validateFiles({ ...validSkill('alice', 'demo'), 'marketplace.config.yaml': 'limits: {file_bytes: "big"}\n' })
    ).rejects.toThrow(ConfigError)
  })

  it('uses the configured limits (a lower parse cap makes the manifest too large)', async () => {
    const files: Files = { ...validSkill('alice', 'demo'), 'marketplace.config.yaml': 'limits:\n  manifest_bytes: 256\n' }
    files['publishers/alice/demo/manifest.yaml'] = `${manifestYaml('demo')}${'# comment line\n'.repeat(30)}`
    const review = await validateFiles(files)
    expect(review.findings.map((f) => f.rule)).toContain('file/too-large-to-parse')
  })
})
