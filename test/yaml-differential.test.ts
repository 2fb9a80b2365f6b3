// parseYaml (src/core/parse/located.ts: the flat fast path of flat-yaml.ts, else the positional
// parser) against the positional parser alone (yaml's parseDocument), over valid manifests and
// SKILL.md frontmatter of many shapes and thousands of seeded mutations of them: for every text it
// must give exactly the positional parser's value, or exactly its located problems; and where the
// flat path read a text, its locator (flat-yaml-locate.ts) must give the positional parser's
// position for every path. Several seeds
// (YAML_DIFF_SEEDS=a,b,c and YAML_DIFF_MUTATIONS=n to try more). It found three ways the flat path
// parted from yaml: a trailing line of spaces, a U+FEFF in a list, a `null` key.
import { describe, it, expect } from '@jest/globals'
import { parseYaml, parseYamlDocument } from '../src/core/parse/located.js'
import { parseFlatYaml } from '../src/core/parse/flat-yaml.js'
import { rng } from './helpers/random.js'

const OPTIONS = { maxAliases: 20 }

// Shapes publishers write: block lists, nested maps, block scalars, quoted strings with escapes,
// numbers and booleans of every core spelling, comments, flow collections, multi-line plain text.
const VALID = [
  `name: review-helper\ntype: skill\nversion: "1.2.0"\ndescription: >\n  Reviews pull requests\n  and writes a summary.\ntags:\n  - review\n  - git\nentrypoint: SKILL.md\n`,
  `# yaml-language-server: $schema=x\nname: deploy\ntype: mcp-server\nversion: 0.3.1\nauthor:\n  name: Ada Lovelace\n  url: https://example.com/ada\nrepository: {type: git, url: "https://example.com/r.git"}\nkeywords: [a, b, "c d"]\n`,
  `name: notes\ndescription: |\n  Line one.\n\n  Line three, indented:\n    code here\nlicense: MIT\n`,
  `name: x\ndescription: |-\n  keep\n  no final newline\nnotes: >+\n  kept\n\nother: value\n`,
  `counts:\n  int: 42\n  neg: -7\n  plus: +3\n  oct: 0o17\n  hex: 0x1F\n  big: 12345678901234567890\n  under: 1_000\n  bin: 0b101\n  float: 3.25\n  exp: 1e3\n  dot: .5\n  inf: .inf\n  ninf: -.Inf\n  nan: .NaN\n  lead: 007\n  trail: 7.\n`,
  `flags:\n  a: true\n  b: False\n  c: TRUE\n  d: yes\n  e: no\n  f: on\n  g: ~\n  h: null\n  i: NULL\n  j:\n  k: Null\n`,
  `quoted:\n  d: "tab\\tnew\\nline \\u00e9 \\x41 \\U0001F600 \\/ \\\\ \\""\n  s: 'it''s'\n  e: ""\n  multi: "one\n    two"\n`,
  `list:\n- a\n- b: 1\n  c: 2\n- - nested\n  - more\n- {x: 1, y: [2, 3]}\n- "quoted"\n- 'single'\n`,
  `plain: this is a long\n  plain scalar over\n  three lines\nurl: http://example.com:8080/path?q=1#frag\ncolon: a:b\nhash: a#b\n`,
  `---\nname: with-marker\n`,
  `name: anchors\nbase: &b {x: 1}\nother: *b\n`,
  `empty: []\nobj: {}\nspaces:   value   \n"quoted key": 1\n'single key': 2\n`,
  `metadata:\n  author: someone\n  version: "1.0"\n  tags:\n    - one\n    - two\nallowed-tools: Read, Grep, Bash(git diff:*)\n`,
  `unicode: "caf\\u00e9"\nraw: café ü 日本\nemoji: 🙂\n`,
  `k: v # comment\n# full line comment\nk2: "v2" # another\nk3: [a, b] # list\n`,
  `1: one\n2.5: two\ntrue: yes\n`,
  `? complex\n: key\n`,
  `null: n\n~: t\n`,
  `__proto__: {polluted: true}\nname: x\n`,
  `a: 1\na: 2\n`,
  `a:\n\tb: 1\n`,
  `text: >\n  folded\n   more indented\n  back\n`,
  `seq: [a, b\n  , c]\nmap: {a: 1,\n  b: 2}\n`,
  `!!str tagged: x\nv: !!int "3"\n`,
  `%YAML 1.2\n---\na: 1\n`,
  `a: 1\n---\nb: 2\n`,
  `a: [1, 2]]\n`,
  `- top\n- level\n- list\n`,
  `just a string\n`,
  ``,
  `# only a comment\n`
]

const INSERTS = [
  ':',
  ' ',
  '-',
  '"',
  "'",
  '#',
  '[',
  ']',
  '{',
  '}',
  ',',
  '\n',
  '  ',
  '|',
  '>',
  '?',
  '@',
  '`',
  '\\',
  'é',
  '\u2028',
  '\u00a0',
  '\ufeff',
  '0',
  '.',
  'e',
  '\r',
  'x: ',
  '- ',
  '\n  ',
  '\n-'
]

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n')
  const pos = Math.floor(next() * (text.length + 1))
  switch (Math.floor(next() * 6)) {
    case 0:
      return text.slice(0, pos) + text.slice(pos + 1)
    case 1:
    case 2:
      return text.slice(0, pos) + (INSERTS[Math.floor(next() * INSERTS.length)] as string) + text.slice(pos)
    case 3: {
      const i = Math.floor(next() * lines.length)
      lines.splice(i, 0, lines[i] as string)
      return lines.join('\n')
    }
    case 4: {
      const i = Math.floor(next() * lines.length)
      lines[i] = `  ${lines[i]}`
      return lines.join('\n')
    }
    default: {
      const i = Math.floor(next() * lines.length)
      lines[i] = (lines[i] as string).replace(/^ {1,2}/, '')
      return lines.join('\n')
    }
  }
}

// Flat texts too, so that mutations of the flat path's own shape are many.
const FLAT = [
  `# yaml-language-server: $schema=x\nname: review-1\ntype: skill\nversion: "1.0.0"\ndescription: "Reviews things. Use it for reviews."\ntags: [review, git]\nentrypoint: SKILL.md\nlicense: MIT\n`,
  `name: notes-2\ndescription: Takes notes, then sorts them\ntags: ['a', "b", c-d]\nhomepage: https://example.com/x # comment\n\n# end\n`
]

const SEEDS = (process.env.YAML_DIFF_SEEDS ?? '15,99,7').split(',').map(Number)
const MUTATIONS = Number(process.env.YAML_DIFF_MUTATIONS ?? 60)

function corpus(): string[] {
  const texts = [...VALID, ...FLAT]
  for (const seed of SEEDS) {
    const next = rng(seed)
    for (const base of [...VALID, ...FLAT, ...FLAT, ...FLAT]) {
      for (let k = 0; k < MUTATIONS; k++) {
        let text = base
        const times = 1 + Math.floor(next() * 3)
        for (let m = 0; m < times; m++) text = mutate(text, next)
        texts.push(text)
      }
    }
  }
  return texts
}

describe('parseYaml: the fast path gives the positional parser’s value or its problems', () => {
  const texts = corpus()

  it('for every valid and mutated text', () => {
    const differences: { text: string; fast: unknown; full: unknown }[] = []
    for (const text of texts) {
      const fast = parseYaml(text, OPTIONS)
      const full = parseYamlDocument(text, OPTIONS)
      const a = fast.doc ? { value: fast.doc.value } : { problems: fast.problems }
      const b = full.doc ? { value: full.doc.value } : { problems: full.problems }
      if (!Object.is(JSON.stringify(a, replacer), JSON.stringify(b, replacer))) differences.push({ text, fast: a, full: b })
    }
    expect(differences.slice(0, 5)).toEqual([])
  })

  it('locates a value read by the flat path where the positional parser does', () => {
    const text = FLAT[0] as string
    const fast = parseYaml(text, OPTIONS)
    const full = parseYamlDocument(text, OPTIONS)
    expect(parseFlatYaml(text)).toBeDefined()
    for (const path of [['tags', 1], ['description'], ['name'], ['missing']]) {
      expect(fast.doc?.locate(path)).toEqual(full.doc?.locate(path))
      expect(fast.doc?.locate(path, 'key')).toEqual(full.doc?.locate(path, 'key'))
    }
  })

  it('locates every path of every flat text where the positional parser does, without it', () => {
    const differences: { text: string; path: (string | number)[]; target: string; fast: unknown; full: unknown }[] = []
    let compared = 0
    for (const text of texts) {
      const value = parseFlatYaml(text)
      if (value === undefined) continue
      const fast = parseYaml(text, { ...OPTIONS, lineOffset: 1 })
      const full = parseYamlDocument(text, { ...OPTIONS, lineOffset: 1 })
      // Every key and list item, one past the end of a list, a path below a string, and a key that is not there.
      const paths: (string | number)[][] = [[], ['missing'], ['missing', 0], ['__proto__'], ['0']]
      for (const [key, v] of Object.entries(value)) {
        paths.push([key], [key, 'below'], [key, -1], [key, 0, 'deeper'])
        if (Array.isArray(v)) for (let i = 0; i <= v.length; i++) paths.push([key, i])
      }
      for (const path of paths) {
        for (const target of ['value', 'key'] as const) {
          compared++
          const a = fast.doc?.locate(path, target)
          const b = full.doc?.locate(path, target)
          if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ text, path, target, fast: a, full: b })
        }
      }
    }
    expect(compared).toBeGreaterThan(5000)
    expect(differences.slice(0, 5)).toEqual([])
  })

  it('exercises the fast path: many mutated texts take it', () => {
    expect(texts.filter((t) => parseFlatYaml(t) !== undefined).length).toBeGreaterThan(200)
  })
})

/** JSON with the numbers JSON cannot hold (NaN, ±Infinity, -0) and own `__proto__` keys kept apart. */
function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
    return `number:${String(Object.is(value, -0) ? '-0' : value)}`
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return { notPlain: String(value) }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === '__proto__' ? 'own:__proto__' : k, v]))
  }
  return value
}
