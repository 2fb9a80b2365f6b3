// The bundled example marketplace passes; the invalid one fails with exactly the rules its
// packages were written to break (see examples/fixtures/invalid-marketplace/README.md).
import { describe, it, expect } from '@jest/globals'
import { validateSource } from '../src/core/review/source.js'
import { VALIDATORS } from '../src/generated/validators.js'

const run = (root: string) => validateSource({ kind: 'directory', root }, { toolVersion: 'test' })

describe('examples/marketplace', () => {
  it('passes with no findings and covers a SKILL.md skill, a skill with tool.ts and an MCP server', async () => {
    const review = await run('examples/marketplace')
    expect(review.findings).toEqual([])
    expect(review.verdict).toBe('pass')
    expect(review.packages.map((p) => `${p.id}:${p.type}`)).toEqual([
      'alice/code-review:skill',
      'alice/web-deploy:skill',
      'bob/github-review:mcp-server'
    ])
    expect(VALIDATORS['review'](review)).toBe(true)
  })
})

describe('examples/fixtures/invalid-marketplace', () => {
  it('reports what each package breaks', async () => {
    const review = await run('examples/fixtures/invalid-marketplace')
    expect(VALIDATORS['review'](review)).toBe(true)
    const byPackage: Record<string, string[]> = {}
    for (const f of review.findings) (byPackage[f.package ?? '-'] ??= []).push(f.rule)
    for (const k of Object.keys(byPackage)) byPackage[k] = [...new Set(byPackage[k])].sort()
    expect(byPackage).toEqual({
      '-': ['layout/stray-file', 'profile/missing'],
      'mallory/Wrong_Name': ['layout/package-name', 'manifest/schema', 'skill-md/schema'],
      'mallory/alias-bomb': ['yaml/alias-limit'],
      'mallory/bad-fields': ['manifest/schema'],
      // Issue 10: the unknown key is its own rule, and a bare Bash in allowed-tools is an error.
      'mallory/bad-frontmatter': ['skill-md/name-mismatch', 'skill-md/schema', 'skill-md/unknown-key', 'skill-md/unrestricted-shell'],
      'mallory/broken-tool': ['source/syntax'],
      'mallory/duplicate-key': ['yaml/duplicate-key'],
      'mallory/name-mismatch': ['manifest/name-mismatch'],
      'mallory/no-entrypoint': ['entrypoint/missing'],
      'mallory/no-skill-md': ['skill/skill-md-missing'],
      'mallory/range-server': ['server-json/schema', 'server-json/version-range'],
      'mallory/type-mismatch': ['entrypoint/type-mismatch']
    })
    expect(review.packages.find((p) => p.id === 'noprofile/ok-skill')?.verdict).toBe('pass')
  })
})
