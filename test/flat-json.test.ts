// The JSON fast path must give JSON.parse's value only when the full parser would find nothing
// to report; anything it would report (duplicate keys, nesting, syntax) goes the full way, located.
import { describe, expect, it } from '@jest/globals'
import { parseFastJson } from '../src/core/parse/flat-json.js'
import { MAX_NESTING, parseJson } from '../src/core/parse/located.js'

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`

describe('parseFastJson', () => {
  it.each([
    '{"name": "Alice", "login": "alice"}',
    '{\n  "name": "Publisher p",\n  "login": "p"\n}\n',
    '{"a": {"b": [1, {"c": null}], "d": "x: y"}, "e": [{"f": true}, {"f": false}]}',
    '{"quote \\" and colon\\":": "v", "k": "\\\\"}',
    '{"__proto__": {"polluted": true}}',
    '[1, "two", {"three": 3}]',
    '"just a string"',
    nested(MAX_NESTING)
  ])('reads %s as JSON.parse does', (text) => {
    expect(parseFastJson(text, MAX_NESTING)).toEqual({ value: JSON.parse(text) })
  })

  it.each([
    ['a duplicate top-level key', '{"name": "Alice", "name": "Eve"}'],
    ['a duplicate key nested in an array', '{"list": [{"a": 1, "a": 2}]}'],
    ['a duplicate __proto__', '{"__proto__": 1, "__proto__": 2}'],
    ['a duplicate written with an escape', '{"a": 1, "\\u0061": 2}'],
    ['nesting past the limit', nested(MAX_NESTING + 1)],
    ['a trailing comma', '{"a": 1,}'],
    ['a comment', '{"a": 1 // no\n}'],
    ['no content', '  \n'],
    ['an unterminated string', '{"a": "b'],
    ['a byte order mark', '\uFEFF{"a": 1}']
  ])('gives up on %s', (_what, text) => {
    expect(parseFastJson(text, MAX_NESTING)).toBeUndefined()
  })
})

describe('parseJson with the fast path', () => {
  it('locates a value only when asked, at the same place as the full parse', () => {
    const parsed = parseJson('{\n  "name": "Alice",\n  "login": "bob"\n}\n')
    expect(parsed.doc?.value).toEqual({ name: 'Alice', login: 'bob' })
    expect(parsed.doc?.locate(['login'])).toMatchObject({ line: 3, column: 12 })
    expect(parsed.doc?.locate(['login'], 'key')).toMatchObject({ line: 3, column: 3 })
    expect(parsed.doc?.locate(['missing'])).toMatchObject({ line: 1, column: 1 })
  })

  it('still reports a duplicate key, a nesting bomb and a syntax error, located', () => {
    expect(parseJson('{"name": "Alice",\n "name": "Eve"}').problems).toEqual([
      expect.objectContaining({ rule: 'json/duplicate-key', position: expect.objectContaining({ line: 2, column: 2 }) })
    ])
    expect(parseJson(nested(MAX_NESTING + 5)).problems).toEqual([expect.objectContaining({ rule: 'json/syntax' })])
    expect(parseJson('{\n  "name": "Alice",\n}\n').problems[0]).toMatchObject({ rule: 'json/syntax', position: { line: 3, column: 1 } })
  })
})
