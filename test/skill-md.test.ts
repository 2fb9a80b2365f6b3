import { describe, expect, it } from '@jest/globals'
import { checkSkillMd, SKILL_BODY_MAX_LINES, type SkillMdContext } from '../src/core/checks/validate/skill-md.js'
import type { Finding } from '../src/core/findings/findings.js'

const ctx: SkillMdContext = {
  package: 'alice/web-deploy',
  file: 'publishers/alice/web-deploy/SKILL.md',
  dirName: 'web-deploy',
  maxAliases: 20,
  maxFrontmatterBytes: 8192
}

const VALID_FRONT = 'name: web-deploy\ndescription: Deploys static sites to Cloudflare Pages. Use when the user asks to publish a site.\n'
const BODY = '# Web deploy\n\nRun `wrangler pages deploy`.\n'

/** A SKILL.md with the given frontmatter lines (frontmatter starts on line 2). */
function skill(front: string, body = BODY): string {
  return `---\n${front}---\n${body}`
}

function check(text: string, over: Partial<SkillMdContext> = {}): Promise<Finding[]> {
  return checkSkillMd(text, { ...ctx, ...over })
}

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1)
  return findings[0] as Finding
}

describe('checkSkillMd: passing files', () => {
  it('accepts the minimal frontmatter', async () => {
    expect(await check(skill(VALID_FRONT))).toEqual([])
  })

  it('accepts every key of the specification', async () => {
    const front =
      VALID_FRONT +
      'license: Apache-2.0\ncompatibility: Requires wrangler and network access\nmetadata:\n  author: alice\n  version: "1.0"\nallowed-tools: Bash(wrangler:*) Read\n'
    expect(await check(skill(front))).toEqual([])
  })

  it('accepts CRLF line endings and a BOM', async () => {
    const text = '\uFEFF' + skill(VALID_FRONT + 'allowed-tools: Bash(git:*) Read\n').replace(/\n/g, '\r\n')
    expect(await check(text)).toEqual([])
  })

  it('accepts a body without a trailing newline and a `---` rule inside the body', async () => {
    expect(await check(skill(VALID_FRONT, '# Title\n\n---\n\nmore'))).toEqual([])
  })

  it('accepts trailing blanks after the delimiters', async () => {
    expect(await check(`---  \n${VALID_FRONT}--- \n${BODY}`)).toEqual([])
  })
})

describe('skill-md/frontmatter', () => {
  it('reports a file without frontmatter at line 1 and shows the skeleton to add', async () => {
    const f = only(await check('# Web deploy\n\nInstructions.\n'))
    expect(f).toMatchObject({ rule: 'skill-md/frontmatter', severity: 'error', line: 1, column: 1, file: ctx.file, package: ctx.package })
    expect(f.message).toContain('`---`')
    expect(f.hint).toContain('name: web-deploy')
    expect(f.hint).toContain('description:')
  })

  it('reports blank lines before the opening delimiter', async () => {
    const f = only(await check(`\n\n${skill(VALID_FRONT)}`))
    expect(f).toMatchObject({ rule: 'skill-md/frontmatter', severity: 'error', line: 1, column: 1 })
    expect(f.message).toContain('2 blank lines before the opening `---`')
    expect(f.hint).toContain('very first line')
  })

  it('reports a frontmatter that lacks only its opening line', async () => {
    const f = only(await check(`${VALID_FRONT}---\n${BODY}`))
    expect(f.message).toContain('no opening `---`')
    expect(f.hint).toContain('above line 1')
  })

  it('reports an unclosed frontmatter and guesses where the closing line belongs', async () => {
    const f = only(await check(`---\n${VALID_FRONT}# Web deploy\n\ntext\n`))
    expect(f).toMatchObject({ rule: 'skill-md/frontmatter', severity: 'error', line: 1, column: 1 })
    expect(f.message).toContain('never closed')
    expect(f.hint).toContain('before line 4')
  })

  it('reports an empty file', async () => {
    const f = only(await check(''))
    expect(f).toMatchObject({ rule: 'skill-md/frontmatter', line: 1, column: 1 })
    expect(f.message).toBe('SKILL.md is empty')
  })

  it('reports an empty frontmatter block and says which keys to add', async () => {
    const f = only(await check('---\n# only a comment\n---\nbody\n'))
    expect(f).toMatchObject({ rule: 'skill-md/frontmatter', severity: 'error', line: 1 })
    expect(f.message).toContain('is empty')
    expect(f.hint).toContain('name: web-deploy')
  })

  it('does not accept `---` with text after it as the opening line', async () => {
    expect(only(await check(`--- name: web-deploy\n${VALID_FRONT}---\n`)).rule).toBe('skill-md/frontmatter')
  })
})

describe('skill-md/schema', () => {
  it('reports every missing required key at once, on the frontmatter', async () => {
    const findings = await check(skill('license: MIT\n'))
    expect(findings.map((f) => f.rule)).toEqual(['skill-md/schema', 'skill-md/schema'])
    expect(findings.map((f) => f.message)).toEqual([
      'the SKILL.md frontmatter is missing the required field `name`',
      'the SKILL.md frontmatter is missing the required field `description`'
    ])
    for (const f of findings) expect(f).toMatchObject({ severity: 'error', line: 2, column: 1 })
    expect(findings[0]?.hint).toContain('lowercase ASCII')
  })

  it('rejects allowed-tools written as a list, pointing at the list', async () => {
    const f = only(await check(skill(`${VALID_FRONT}allowed-tools: [Read, Grep]\n`)))
    expect(f).toMatchObject({ rule: 'skill-md/schema', severity: 'error', line: 4, column: 16 })
    expect(f.message).toBe('SKILL.md frontmatter field `allowed-tools` must be a string, not a list')
    expect(f.hint).toContain('space-separated string')
    expect(f.hint).toContain('allowed-tools: "Bash(git:*) Bash(jq:*) Read"')
  })

  it('rejects allowed-tools as a block list too', async () => {
    const f = only(await check(skill(`${VALID_FRONT}allowed-tools:\n  - Read\n  - Grep\n`)))
    expect(f).toMatchObject({ rule: 'skill-md/schema', line: 5, column: 3 })
  })

  it('rejects a non-ASCII name', async () => {
    const findings = await check(skill('name: wéb-deploy\ndescription: Deploys sites.\n'))
    const schema = findings.find((f) => f.rule === 'skill-md/schema')
    expect(schema).toMatchObject({ severity: 'error', line: 2, column: 7 })
    expect(schema?.message).toBe('SKILL.md frontmatter field `name` has an invalid value "wéb-deploy"')
    expect(schema?.hint).toContain('lowercase ASCII letters')
  })

  it.each([
    ['uppercase', 'Web-Deploy'],
    ['a leading hyphen', '-web-deploy'],
    ['a double hyphen', 'web--deploy'],
    ['an underscore', 'web_deploy']
  ])('rejects a name with %s', async (_what, name) => {
    const schema = (await check(skill(`name: ${name}\ndescription: Deploys sites.\n`))).filter((f) => f.rule === 'skill-md/schema')
    expect(schema).toHaveLength(1)
    expect(schema[0]).toMatchObject({ line: 2, column: 7 })
  })

  it('rejects a name longer than 64 characters', async () => {
    const name = 'a'.repeat(65)
    const f = await check(skill(`name: ${name}\ndescription: x\n`), { dirName: name })
    expect(only(f).message).toBe('SKILL.md frontmatter field `name` is too long (65 characters, at most 64)')
  })

  it('rejects a description over 1024 characters and a blank one', async () => {
    const long = only(await check(skill(`name: web-deploy\ndescription: ${'d'.repeat(1025)}\n`)))
    expect(long).toMatchObject({ rule: 'skill-md/schema', line: 3, column: 14 })
    expect(long.message).toBe('SKILL.md frontmatter field `description` is too long (1025 characters, at most 1024)')
    const blank = only(await check(skill('name: web-deploy\ndescription: "   "\n')))
    expect(blank.message).toContain('`description` has an invalid value "   "')
    expect(blank.hint).toContain('when an agent should use it')
    expect(only(await check(skill('name: web-deploy\ndescription: ""\n'))).message).toBe(
      'SKILL.md frontmatter field `description` is empty'
    )
  })

  it('rejects an empty or over-long compatibility and accepts 500 characters', async () => {
    expect(only(await check(skill(`${VALID_FRONT}compatibility: ""\n`))).message).toBe(
      'SKILL.md frontmatter field `compatibility` is empty'
    )
    expect(only(await check(skill(`${VALID_FRONT}compatibility: ${'c'.repeat(501)}\n`))).message).toContain(
      'too long (501 characters, at most 500)'
    )
    expect(await check(skill(`${VALID_FRONT}compatibility: ${'c'.repeat(500)}\n`))).toEqual([])
  })

  it('rejects metadata values that are not strings, each at its value, with a quoting hint', async () => {
    const findings = await check(skill(`${VALID_FRONT}metadata:\n  author: alice\n  version: 2\n  beta: true\n  nested: {a: b}\n`))
    expect(findings.map((f) => [f.rule, f.line, f.column, f.message])).toEqual([
      ['skill-md/schema', 6, 12, 'SKILL.md frontmatter field `metadata.version` must be a string, not an integer (2)'],
      ['skill-md/schema', 7, 9, 'SKILL.md frontmatter field `metadata.beta` must be a string, not a boolean (true)'],
      ['skill-md/schema', 8, 11, 'SKILL.md frontmatter field `metadata.nested` must be a string, not a mapping']
    ])
    expect(findings[0]?.hint).toMatch(/quote/i)
  })

  it('rejects metadata that is not a mapping', async () => {
    expect(only(await check(skill(`${VALID_FRONT}metadata: [a, b]\n`))).message).toBe(
      'SKILL.md frontmatter field `metadata` must be a mapping, not a list'
    )
  })

  it('rejects a license that is not a string', async () => {
    const f = only(await check(skill(`${VALID_FRONT}license: 2024\n`)))
    expect(f).toMatchObject({ line: 4, column: 10 })
    expect(f.message).toContain('`license` must be a string')
    expect(f.hint).toMatch(/quote/i)
    expect(f.hint).toContain('SPDX')
  })

  // Issue 10: a key outside the Agent Skills and Claude Code keys is its own rule, a warning by
  // default (it was a skill-md/schema error, which blocked honest skills).
  it('reports any other key as skill-md/unknown-key, at the key, suggesting metadata', async () => {
    const f = only(await check(skill(`${VALID_FRONT}category: deploy\n`)))
    expect(f).toMatchObject({ rule: 'skill-md/unknown-key', severity: 'warning', line: 4, column: 1 })
    expect(f.message).toBe(
      'the SKILL.md frontmatter has the key `category`, which neither the Agent Skills specification nor Claude Code defines: clients ignore it'
    )
    expect(f.hint).toContain('metadata:')
    expect(f.hint).not.toContain('x-')
  })

  it('suggests the right key for a typo', async () => {
    const f = only(await check(skill(`${VALID_FRONT}allowed_tools: Bash\n`)))
    expect(f.hint).toContain('Did you mean `allowed-tools`?')
  })

  it('rejects a frontmatter that is not a mapping', async () => {
    const f = only(await check(skill('- name\n- description\n')))
    expect(f).toMatchObject({ rule: 'skill-md/schema', line: 2 })
    expect(f.message).toBe('the SKILL.md frontmatter must be a mapping, not a list')
  })
})

describe('skill-md/name-mismatch', () => {
  it('reports a name other than the directory name, at the value', async () => {
    const f = only(await check(skill('name: deploy\ndescription: Deploys sites.\n')))
    expect(f).toMatchObject({ rule: 'skill-md/name-mismatch', severity: 'error', line: 2, column: 7, end_line: 2, end_column: 13 })
    expect(f.message).toBe('SKILL.md `name` is "deploy", but the skill\'s directory is `web-deploy`; they must be the same')
    expect(f.hint).toContain('Set `name: web-deploy`')
  })

  it('reports a non-ASCII lookalike of the directory name as a mismatch too', async () => {
    const rules = (await check(skill('name: web-dеploy\ndescription: x\n'))).map((f) => f.rule)
    expect(rules).toEqual(['skill-md/schema', 'skill-md/name-mismatch'])
  })

  it('passes when the name equals the directory name', async () => {
    expect(await check(skill('name: pdf\ndescription: x\n'), { dirName: 'pdf' })).toEqual([])
  })
})

describe('skill-md/body-length', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n'

  it('warns about a 600-line body at its first line past 500', async () => {
    const f = only(await check(skill(VALID_FRONT, lines(600))))
    // Frontmatter: lines 1-4, body: lines 5-604; line 505 is the 501st body line.
    expect(f).toMatchObject({ rule: 'skill-md/body-length', severity: 'warning', line: 505, column: 1 })
    expect(f.message).toContain('600 lines long (lines 5-604)')
    expect(f.hint).toContain('references/')
  })

  it(`accepts a body of exactly ${SKILL_BODY_MAX_LINES} lines`, async () => {
    expect(await check(skill(VALID_FRONT, lines(SKILL_BODY_MAX_LINES)))).toEqual([])
  })

  it('counts CRLF bodies the same', async () => {
    const f = only(await check(skill(VALID_FRONT, lines(600)).replace(/\n/g, '\r\n')))
    expect(f).toMatchObject({ rule: 'skill-md/body-length', line: 505 })
  })

  it('counts the body at the edge: with and without a final newline, blank lines, nothing after the closing line', async () => {
    const max = SKILL_BODY_MAX_LINES
    const bare = (n: number) => lines(n).slice(0, -1)
    expect(await check(skill(VALID_FRONT, bare(max)))).toEqual([])
    expect(only(await check(skill(VALID_FRONT, bare(max + 1))))).toMatchObject({ rule: 'skill-md/body-length', line: 4 + max + 1 })
    expect(only(await check(skill(VALID_FRONT, lines(max) + '\n')))).toMatchObject({ rule: 'skill-md/body-length', line: 4 + max + 1 })
    expect(only(await check(skill(VALID_FRONT, '\n'.repeat(max + 1))))).toMatchObject({ rule: 'skill-md/body-length' })
    expect(await check(skill(VALID_FRONT, '\n'.repeat(max)))).toEqual([])
    expect(await check(`---\n${VALID_FRONT}---`)).toEqual([])
    expect(await check(`---\n${VALID_FRONT}---\n`)).toEqual([])
  })

  it('still measures the body when the frontmatter is missing', async () => {
    const rules = (await check(lines(700))).map((f) => [f.rule, f.line])
    expect(rules).toEqual([
      ['skill-md/frontmatter', 1],
      ['skill-md/body-length', 501]
    ])
  })
})

describe('file/too-large-to-parse', () => {
  it('does not parse a frontmatter over the cap, and says how large it is', async () => {
    const front = `${VALID_FRONT}compatibility: ${'c'.repeat(300)}\n`
    const f = only(await check(skill(front), { maxFrontmatterBytes: 200 }))
    expect(f).toMatchObject({ rule: 'file/too-large-to-parse', severity: 'error', line: 2, column: 1 })
    expect(f.message).toContain(`is ${Buffer.byteLength(front)} bytes, more than the 200 bytes`)
  })

  it('counts bytes, not characters', async () => {
    const front = `name: web-deploy\ndescription: ${'é'.repeat(60)}\n`
    expect(front.length).toBeLessThan(100)
    expect(only(await check(skill(front), { maxFrontmatterBytes: 100 })).rule).toBe('file/too-large-to-parse')
    expect(await check(skill(front), { maxFrontmatterBytes: 200 })).toEqual([])
  })
})

describe('hostile frontmatter', () => {
  it('stops an alias bomb before expanding it', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`
      )
    const f = only(await check(skill(`${VALID_FRONT}${bomb.join('\n')}\n`)))
    expect(f).toMatchObject({ rule: 'yaml/alias-limit', severity: 'error', line: 4 })
    expect(f.message).toContain('more than the 20 allowed')
  })

  it('refuses a custom tag such as !!python/object', async () => {
    const f = only(await check(skill(`${VALID_FRONT}payload: !!python/object/apply:os.system ["id"]\n`)))
    expect(f).toMatchObject({ rule: 'yaml/custom-tag', severity: 'error', line: 4, column: 10 })
    expect(f.message).toContain('python/object')
  })

  it('refuses a local tag', async () => {
    expect(only(await check(skill(`name: !shell web-deploy\ndescription: x\n`))).rule).toBe('yaml/custom-tag')
  })

  it('reports a duplicate key at its second occurrence', async () => {
    const f = only(await check(skill(`${VALID_FRONT}name: other\n`)))
    expect(f).toMatchObject({ rule: 'yaml/duplicate-key', severity: 'error', line: 4, column: 1 })
  })

  it('treats `__proto__` as an unknown key and pollutes no prototype', async () => {
    const f = only(await check(skill(`${VALID_FRONT}__proto__:\n  polluted: yes\n`)))
    expect(f).toMatchObject({ rule: 'skill-md/unknown-key', severity: 'warning', line: 4, column: 1 })
    expect(f.message).toContain('the key `__proto__`')
    expect(f.hint).toContain('Remove `__proto__`')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reports YAML syntax errors with file lines', async () => {
    const f = only(await check(skill(`${VALID_FRONT}tags: [a, b\n`)))
    expect(f.rule).toBe('yaml/syntax')
    expect(f.line).toBeGreaterThanOrEqual(4)
    expect(f.message).toContain('YAML syntax error')
  })

  it('keeps positions right in a CRLF file with a BOM', async () => {
    const text = '\uFEFF' + skill(`${VALID_FRONT}allowed-tools: [Read]\n`).replace(/\n/g, '\r\n')
    expect(only(await check(text))).toMatchObject({ rule: 'skill-md/schema', line: 4, column: 16 })
  })
})
