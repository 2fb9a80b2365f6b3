// One failing and one passing case per validate rule, on real files in a temp directory.
// (SKILL.md, server.json and source rules have their own test files.)
import { describe, it, expect } from '@jest/globals'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import {
  validateFiles,
  validSkill,
  validServer,
  manifestYaml,
  skillMd,
  profile,
  rulesOf,
  tempMarketplace,
  type Files
} from './helpers/marketplace.js'
import { validateSource } from '../src/core/review/source.js'

const D = 'publishers/alice/demo'

interface Case {
  rule: string
  failing: Files
  passing: Files
  /** Where the failing case's finding must point: file and, when given, line:column. */
  at: { file: string; line?: number; column?: number }
}

const cases: Case[] = [
  {
    rule: 'layout/publisher-name',
    failing: { ...validSkill('Alice_Smith', 'demo') },
    passing: validSkill('alice-smith', 'demo'),
    at: { file: 'publishers/Alice_Smith' }
  },
  {
    rule: 'layout/package-name',
    failing: {
      ...profile('alice'),
      'publishers/alice/Demo/manifest.yaml': manifestYaml('demo'),
      'publishers/alice/Demo/SKILL.md': skillMd('demo')
    },
    passing: validSkill('alice', 'demo'),
    at: { file: 'publishers/alice/Demo' }
  },
  {
    rule: 'layout/stray-file',
    failing: { ...validSkill('alice', 'demo'), 'publishers/alice/notes.md': '# notes' },
    passing: { ...validSkill('alice', 'demo'), 'publishers/README.md': 'namespaces live here' },
    at: { file: 'publishers/alice/notes.md' }
  },
  {
    rule: 'manifest/missing',
    failing: { ...profile('alice'), [`${D}/manifest.yml`]: manifestYaml('demo'), [`${D}/SKILL.md`]: skillMd('demo') },
    passing: validSkill('alice', 'demo'),
    at: { file: `${D}/manifest.yaml` }
  },
  {
    rule: 'manifest/schema',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('demo', { version: '1.0' }) },
    passing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('demo', { version: '"1.0.0-beta.1+build.7"' }) },
    at: { file: `${D}/manifest.yaml`, line: 3, column: 10 }
  },
  {
    rule: 'manifest/name-mismatch',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('other') },
    passing: validSkill('alice', 'demo'),
    at: { file: `${D}/manifest.yaml`, line: 1, column: 7 }
  },
  {
    rule: 'profile/missing',
    failing: { [`${D}/manifest.yaml`]: manifestYaml('demo'), [`${D}/SKILL.md`]: skillMd('demo') },
    passing: validSkill('alice', 'demo'),
    at: { file: 'publishers/alice/profile.json' }
  },
  {
    rule: 'profile/schema',
    failing: {
      ...validSkill('alice', 'demo'),
      'publishers/alice/profile.json': '{\n  "name": "Alice",\n  "url": "http://example.com"\n}\n'
    },
    passing: {
      ...validSkill('alice', 'demo'),
      'publishers/alice/profile.json': '{\n  "name": "Alice",\n  "url": "https://example.com"\n}\n'
    },
    at: { file: 'publishers/alice/profile.json', line: 3, column: 10 }
  },
  {
    rule: 'profile/login-mismatch',
    failing: { ...validSkill('alice', 'demo'), 'publishers/alice/profile.json': '{"name": "Alice", "login": "bob"}' },
    passing: { ...validSkill('alice', 'demo'), 'publishers/alice/profile.json': '{"name": "Alice", "login": "ALICE"}' },
    at: { file: 'publishers/alice/profile.json', line: 1, column: 28 }
  },
  {
    rule: 'entrypoint/missing',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'tool.ts' }) },
    passing: {
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'tool.ts' }),
      [`${D}/tool.ts`]: 'export const run = (): number => 1\n'
    },
    at: { file: `${D}/manifest.yaml`, line: 5, column: 13 }
  },
  {
    rule: 'entrypoint/outside-package',
    failing: {
      ...validSkill('alice', 'demo'),
      ...validSkill('alice', 'other'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'sub/../../other/SKILL.md' })
    },
    passing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: './docs/../SKILL.md' }) },
    at: { file: `${D}/manifest.yaml`, line: 5, column: 13 }
  },
  {
    rule: 'entrypoint/type-mismatch',
    failing: {
      ...validServer('alice', 'demo'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { type: 'mcp-server', entrypoint: 'README.md' }),
      [`${D}/README.md`]: '# x'
    },
    passing: validServer('alice', 'demo'),
    at: { file: `${D}/manifest.yaml`, line: 2, column: 7 }
  },
  {
    rule: 'skill/skill-md-missing',
    failing: {
      ...profile('alice'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'tool.js' }),
      [`${D}/tool.js`]: 'export default 1\n'
    },
    passing: {
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'tool.js' }),
      [`${D}/tool.js`]: 'export default 1\n'
    },
    at: { file: `${D}/manifest.yaml`, line: 2, column: 7 }
  },
  {
    rule: 'skill/skill-md-case',
    failing: {
      ...profile('alice'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'skill.md' }),
      [`${D}/skill.md`]: skillMd('demo')
    },
    passing: validSkill('alice', 'demo'),
    at: { file: `${D}/skill.md` }
  },
  {
    rule: 'yaml/syntax',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}tags: [a, b\n` },
    passing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}tags: [a, b]\n` },
    at: { file: `${D}/manifest.yaml` }
  },
  {
    rule: 'yaml/duplicate-key',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}version: "2.0.0"\n` },
    passing: validSkill('alice', 'demo'),
    at: { file: `${D}/manifest.yaml`, line: 6, column: 1 }
  },
  {
    rule: 'yaml/alias-limit',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}${bomb(6)}` },
    // A couple of anchors stay under the default cap of 20.
    passing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}x-a: &a [1]\nx-b: *a\n` },
    at: { file: `${D}/manifest.yaml`, line: 6 }
  },
  {
    rule: 'yaml/custom-tag',
    failing: {
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { description: '!!python/object:os.system "echo pwned"' })
    },
    passing: {
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { description: '!!str "explicitly a string"' })
    },
    at: { file: `${D}/manifest.yaml`, line: 4 }
  },
  {
    rule: 'json/syntax',
    failing: { ...validSkill('alice', 'demo'), 'publishers/alice/profile.json': '{\n  "name": "Alice",\n}\n' },
    passing: validSkill('alice', 'demo'),
    at: { file: 'publishers/alice/profile.json', line: 3, column: 1 }
  },
  {
    rule: 'json/duplicate-key',
    failing: { ...validSkill('alice', 'demo'), 'publishers/alice/profile.json': '{"name": "Alice",\n "name": "Eve"}' },
    passing: validSkill('alice', 'demo'),
    at: { file: 'publishers/alice/profile.json', line: 2, column: 2 }
  },
  {
    rule: 'file/encoding',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: utf16(manifestYaml('demo')) },
    passing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `\uFEFF${manifestYaml('demo').replace(/\n/g, '\r\n')}` },
    at: { file: `${D}/manifest.yaml` }
  },
  {
    rule: 'file/too-large-to-parse',
    failing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}${'# padding\n'.repeat(7000)}` },
    passing: { ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: `${manifestYaml('demo')}${'# padding\n'.repeat(100)}` },
    at: { file: `${D}/manifest.yaml` }
  }
]

function bomb(depth: number): string {
  let out = 'x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
  for (let i = 1; i <= depth; i++)
    out += `x-${i}: &l${i} [${Array(9)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`
  return out
}

function utf16(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf16le'))
}

describe.each(cases)('$rule', ({ rule, failing, passing, at }) => {
  it('reports the failing case, located, with a fix', async () => {
    const review = await validateFiles(failing)
    const hit = review.findings.find((f) => f.rule === rule)
    expect(hit).toBeDefined()
    expect(hit?.file).toBe(at.file)
    if (at.line !== undefined) expect(hit?.line).toBe(at.line)
    if (at.column !== undefined) expect(hit?.column).toBe(at.column)
    expect(hit?.message.length).toBeGreaterThan(10)
    expect(hit?.hint?.length).toBeGreaterThan(10)
    expect(review.verdict).toBe(hit?.severity === 'error' ? 'fail' : review.verdict)
  })

  it('passes the passing case', async () => {
    const review = await validateFiles(passing)
    expect(rulesOf(review)).toEqual([])
    expect(review.verdict).toBe('pass')
  })
})

describe('entrypoint/not-a-file', () => {
  it('reports an entrypoint that is a symlink, without following it', async () => {
    const { root, cleanup } = tempMarketplace({
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: manifestYaml('demo', { entrypoint: 'tool.ts' })
    })
    try {
      symlinkSync('/etc/passwd', join(root, D, 'tool.ts'))
      const review = await validateSource({ kind: 'directory', root }, { toolVersion: 'test' })
      const hit = review.findings.find((f) => f.rule === 'entrypoint/not-a-file')
      expect(hit?.file).toBe(`${D}/tool.ts`)
      expect(hit?.message).toMatch(/symlink/)
    } finally {
      cleanup()
    }
  })

  it('reports a SKILL.md that is a symlink', async () => {
    const { root, cleanup } = tempMarketplace({
      ...profile('alice'),
      [`${D}/manifest.yaml`]: manifestYaml('demo'),
      'elsewhere/SKILL.md': skillMd('demo')
    })
    try {
      symlinkSync('../../../elsewhere/SKILL.md', join(root, D, 'SKILL.md'))
      const review = await validateSource({ kind: 'directory', root }, { toolVersion: 'test' })
      expect(rulesOf(review)).toContain('entrypoint/not-a-file')
    } finally {
      cleanup()
    }
  })
})

describe('manifest parsing edge cases', () => {
  it('reports every schema error at once, each at its own line', async () => {
    const review = await validateFiles({
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]:
        'name: demo\ntype: plugin\nversion: 1.0\ndescription: ""\nentrypoint: SKILL.md\ntags: [Deploy]\nentry_point: x\n'
    })
    const lines = review.findings.filter((f) => f.rule === 'manifest/schema').map((f) => f.line)
    expect(lines).toEqual([2, 3, 4, 6, 7])
  })

  it('reports a missing required field at the start of the manifest with the field named', async () => {
    const review = await validateFiles({ ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('demo', { version: '' }) })
    const hit = review.findings.find((f) => f.rule === 'manifest/schema')
    expect(hit?.message).toContain('`version`')
    expect(hit?.hint).toContain('1.0.0')
    expect(hit?.line).toBe(1)
  })

  it('suggests the intended field for a typo', async () => {
    const review = await validateFiles({
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: `${manifestYaml('demo')}min_signet_verison: "1.0.0"\n`
    })
    expect(review.findings.find((f) => f.rule === 'manifest/schema')?.hint).toContain('min_signet_version')
  })

  it('treats __proto__ as a plain (unknown) key and pollutes nothing', async () => {
    const review = await validateFiles({
      ...validSkill('alice', 'demo'),
      [`${D}/manifest.yaml`]: `${manifestYaml('demo')}__proto__:\n  polluted: true\n`
    })
    expect(review.findings.find((f) => f.rule === 'manifest/schema')?.message).toContain('__proto__')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('accepts x- extension fields and the yaml-language-server comment', async () => {
    const text = `# yaml-language-server: $schema=https://raw.githubusercontent.com/signetai/marketplace-actions/main/schemas/manifest.schema.json\n${manifestYaml('demo')}x-internal-id: "42"\n`
    expect((await validateFiles({ ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: text })).verdict).toBe('pass')
  })

  it('reports an empty manifest as a schema error, not a crash', async () => {
    const review = await validateFiles({ ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: '' })
    expect(rulesOf(review)).toEqual(['manifest/schema'])
  })

  it('escapes hidden characters in names shown in messages', async () => {
    const review = await validateFiles({ ...validSkill('alice', 'demo'), [`${D}/manifest.yaml`]: manifestYaml('"de\u202Emo"') })
    const msg = review.findings.find((f) => f.rule === 'manifest/name-mismatch')?.message ?? ''
    expect(msg).toContain('\\u{202e}')
    expect(msg).not.toContain('\u202E')
  })
})

describe('selection', () => {
  it('checks only the named package directories', async () => {
    const files = { ...validSkill('alice', 'demo'), ...validSkill('bob', 'tool'), 'publishers/bob/broken/manifest.yaml': 'name: [' }
    const review = await validateFiles(files, ['publishers/alice/demo'])
    expect(review.packages.map((p) => p.id)).toEqual(['alice/demo'])
    expect(review.verdict).toBe('pass')
    const bob = await validateFiles(files, ['publishers/bob'])
    expect(bob.packages.map((p) => p.id)).toEqual(['bob/broken', 'bob/tool'])
    expect(bob.verdict).toBe('fail')
  })

  it('rejects a directory that is not a publisher or package as a usage error', async () => {
    await expect(validateFiles(validSkill('alice', 'demo'), ['src'])).rejects.toThrow(/publishers\/<login>/)
    await expect(validateFiles(validSkill('alice', 'demo'), ['publishers/alice/nope'])).rejects.toThrow(/not a directory/)
  })
})
