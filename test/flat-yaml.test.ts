// The flat YAML fast path must give exactly the value the full parser gives, or give up.
import { describe, expect, it } from '@jest/globals'
import { parseDocument } from 'yaml'
import { parseFlatYaml } from '../src/core/parse/flat-yaml.js'
import { parseYaml } from '../src/core/parse/located.js'

const full = (text: string): unknown =>
  parseDocument(text, { uniqueKeys: true, schema: 'core', merge: false, version: '1.2', prettyErrors: false }).toJS()

const VALUES = [
  'plain words here',
  'Deploy static sites to Cloudflare Pages.',
  'http://example.com/a#b',
  'C# and F# #not a comment',
  'value # a comment',
  'it is: a mapping',
  'ends with colon:',
  '"quoted: text # kept"',
  '"with \\"escape\\""',
  "'single ''quoted'''",
  "'single # kept'",
  '[review, git, quality]',
  '[]',
  '[ a ,b ]',
  '[a, b,]',
  '[a: b]',
  '[a:b, c]',
  '["q", r]',
  '[1, 2]',
  'true',
  'True',
  'FALSE',
  'null',
  'Null',
  '~',
  '1.0.0',
  '"1.0.0"',
  '0x1F',
  '.inf',
  '-dash',
  '&anchor value',
  '*alias',
  '!!str tagged',
  '|',
  '>',
  'a {b}',
  'a [b]',
  "don't stop",
  'trailing spaces   ',
  'ünïcode words',
  '@at',
  '`tick`',
  '%percent',
  '? question'
]

describe('parseFlatYaml', () => {
  it('gives the full parser value for every flat text it accepts', () => {
    let accepted = 0
    for (const v of VALUES) {
      for (const text of [`name: x\ndescription: ${v}\n`, `# comment\nkey: ${v}`, `a: ${v}\n\nb: ${v}\n`]) {
        const fast = parseFlatYaml(text)
        let expected: unknown
        try {
          expected = full(text)
        } catch {
          expected = undefined
        }
        if (fast !== undefined) {
          accepted++
          expect({ text, value: fast }).toEqual({ text, value: expected })
        }
      }
    }
    expect(accepted).toBeGreaterThan(30)
  })

  it('reads a line as /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/ does (it matches the line by hand)', () => {
    const LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/
    const keys = ['a', 'A_b-9', '_x', '9a', '-a', 'a.b', 'a b', 'é', 'a:b', '']
    const rests = ['', ' ', ':', '  value', ' value', 'value', ' a\u2028b', ' a\u2029', ' \u2028', '\tv', ' "q"', ' [a, b]', ' x # c']
    let accepted = 0
    for (const key of keys) {
      for (const rest of rests) {
        const line = `${key}:${rest}`
        const m = LINE.exec(line)
        const flat = parseFlatYaml(line)
        // Where the pattern refuses the line, so does the flat path; where it accepts, the key is its first group.
        if (!m) expect({ line, flat }).toEqual({ line, flat: undefined })
        else if (flat) {
          expect(Object.keys(flat)).toEqual([m[1]])
          accepted++
        }
      }
    }
    expect(accepted).toBeGreaterThan(5)
  })

  it('leaves anything but a flat mapping to the full parser', () => {
    for (const text of [
      'a: 1\na: 2\n',
      'a:\n  b: c\n',
      'a: b\n  continued\n',
      'list:\n- a\n',
      '---\na: b\n',
      'a: b\r\n',
      'a:\tb\n',
      '__proto__: x\n',
      '"quoted key": v\n',
      '',
      '# only a comment\n',
      'a: b\u0085\n',
      'a: \ud83d\ude00\n'
    ])
      expect(parseFlatYaml(text)).toBeUndefined()
  })

  it('reads the usual manifest and keeps locating through the full parser', () => {
    const text =
      '# yaml-language-server: $schema=https://example.com/manifest.schema.json\nname: code-review\ntype: skill\nversion: "1.2.0"\ndescription: Review a diff for bugs, missing tests and unclear names.\ntags: [review, git, quality]\nentrypoint: SKILL.md\nlicense: MIT\n'
    expect(parseFlatYaml(text)).toEqual(full(text))
    const parsed = parseYaml(text, { maxAliases: 0, lineOffset: 2 })
    expect(parsed.doc?.value).toEqual(full(text))
    expect(parsed.doc?.locate(['version'])).toMatchObject({ line: 6, column: 10 })
    expect(parsed.doc?.locate(['tags', 1])).toMatchObject({ line: 8, column: 16 })
  })
})
