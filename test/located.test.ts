// Safe, located parsing of YAML and JSON.
import { describe, it, expect } from '@jest/globals'
import { nestingDepth, parseJson, parseYaml } from '../src/core/parse/located.js'
import { decodeText } from '../src/core/parse/text.js'
import { rng } from './helpers/random.js'

const yaml = (text: string, maxAliases = 20) => parseYaml(text, { maxAliases })

describe('parseYaml', () => {
  it('locates values and keys by path, 1-based', () => {
    const { doc } = yaml('name: demo\ntags:\n  - a\n  - b\n')
    expect(doc?.locate(['tags', 1])).toMatchObject({ line: 4, column: 5 })
    expect(doc?.locate(['name'], 'key')).toMatchObject({ line: 1, column: 1 })
    // A path that does not exist falls back to its nearest ancestor.
    expect(doc?.locate(['tags', 9])).toMatchObject({ line: 3, column: 3 })
  })

  it('accepts CRLF line ends with the same positions', () => {
    const { doc } = yaml('name: demo\r\nversion: 1.0\r\n')
    expect(doc?.value).toEqual({ name: 'demo', version: 1 })
    expect(doc?.locate(['version'])).toMatchObject({ line: 2, column: 10 })
  })

  it('adds a line offset (frontmatter starts on line 2)', () => {
    const { doc } = parseYaml('name: x\n', { maxAliases: 0, lineOffset: 1 })
    expect(doc?.locate(['name'])).toMatchObject({ line: 2, column: 7 })
  })

  it('rejects a second document', () => {
    expect(yaml('a: 1\n---\nb: 2\n').problems[0]?.rule).toBe('yaml/syntax')
  })

  it('keeps a merge key as a plain key (YAML 1.2 core schema: no merges)', () => {
    const { doc } = yaml('base: &b {x: 1}\n<<: *b\n')
    expect(Object.keys(doc?.value as object)).toContain('<<')
  })

  it('turns __proto__ into an own property, never a prototype', () => {
    const value = yaml('__proto__: {polluted: yes}\n').doc?.value as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses !!binary and !!timestamp style tags the core schema lacks, and local tags', () => {
    expect(yaml('a: !!binary aGVsbG8=\n').problems[0]?.rule).toBe('yaml/custom-tag')
    expect(yaml('a: !include other.yaml\n').problems[0]?.rule).toBe('yaml/custom-tag')
  })

  it('counts anchors and aliases against the cap before expanding anything', () => {
    const text = 'a: &a [x]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    expect(yaml(text, 10).doc).toBeDefined()
    const refused = yaml(text, 3)
    expect(refused.problems[0]).toMatchObject({ rule: 'yaml/alias-limit', position: { line: 1 } })
  })
})

describe('parseJson', () => {
  it('locates values, keys and array items', () => {
    const { doc } = parseJson('{\n  "a": [1, {"b": true}]\n}')
    expect(doc?.locate(['a', 1, 'b'])).toMatchObject({ line: 2, column: 18 })
    expect(doc?.locate(['a'], 'key')).toMatchObject({ line: 2, column: 3 })
  })

  it('reports comments, trailing commas and duplicate keys, each located', () => {
    expect(parseJson('{"a": 1, // c\n}').problems.map((p) => p.rule)).toContain('json/syntax')
    expect(parseJson('{"a": 1,}').problems[0]?.message).toMatch(/trailing commas/)
    expect(parseJson('{"a": 1, "a": 2}').problems[0]).toMatchObject({ rule: 'json/duplicate-key', position: { line: 1, column: 10 } })
    expect(parseJson('').problems[0]?.rule).toBe('json/syntax')
  })

  it('keeps __proto__ as an own property', () => {
    const value = parseJson('{"__proto__": {"polluted": true}}').doc?.value as Record<string, unknown>
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('decodeText', () => {
  it('drops a UTF-8 BOM and refuses invalid UTF-8 and NUL bytes', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ ok: true, text: 'a' })
    expect(decodeText(new Uint8Array([0xc3, 0x28])).ok).toBe(false)
    expect(decodeText(new Uint8Array([0x61, 0x00, 0x62])).ok).toBe(false)
  })

  it('accepts and decodes exactly what a fatal TextDecoder does (overlong forms, surrogates, truncations)', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    const reference = (bytes: Uint8Array) => {
      if (bytes.includes(0)) return false
      try {
        const text = fatal.decode(bytes)
        return text.startsWith('\uFEFF') ? text.slice(1) : text
      } catch {
        return false
      }
    }
    // Edge sequences, then random mixes of them with ASCII and random bytes.
    const edges = [
      [0xef, 0xbb, 0xbf], // BOM
      [0xc0, 0x80], // overlong NUL
      [0xc1, 0xbf], // overlong
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // surrogate U+D800
      [0xed, 0x9f, 0xbf], // U+D7FF
      [0xf4, 0x8f, 0xbf, 0xbf], // U+10FFFF
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf0, 0x9f, 0x98], // truncated
      [0xe2, 0x80, 0xae], // U+202E
      [0xc3, 0xa9],
      [0x80],
      [0xff],
      [0xfe],
      [0x61, 0x62]
    ]
    const next = rng(15)
    const cases: number[][] = edges.map((e) => [...e])
    for (let i = 0; i < 3000; i++) {
      const bytes: number[] = []
      for (let k = Math.floor(next() * 6); k >= 0; k--) {
        if (next() < 0.7) bytes.push(...(edges[Math.floor(next() * edges.length)] as number[]))
        else bytes.push(1 + Math.floor(next() * 255))
      }
      cases.push(bytes)
    }
    for (const bytes of cases) {
      const decoded = decodeText(Uint8Array.from(bytes))
      expect({ bytes, got: decoded.ok ? decoded.text : false }).toEqual({ bytes, got: reference(Uint8Array.from(bytes)) })
    }
    // A view into a larger buffer decodes only its own bytes.
    const whole = Uint8Array.from([0x78, 0xc3, 0xa9, 0x79])
    expect(decodeText(whole.subarray(1, 3))).toEqual({ ok: true, text: 'é' })
  })
})

describe('nesting bombs', () => {
  // ~10,000 nested flow brackets make the yaml package exhaust memory and kill the process.
  it('refuses YAML nested deeper than MAX_NESTING before parsing, located at the start', () => {
    const n = 10000
    const r = yaml(`name: x\nbomb: ${'['.repeat(n)}${']'.repeat(n)}\n`)
    expect(r.doc).toBeUndefined()
    expect(r.problems[0]).toMatchObject({ rule: 'yaml/syntax', position: { line: 1 } })
    expect(r.problems[0]?.message).toMatch(/nested 10000 levels deep; more than 100/)
  })

  it('refuses JSON nested deeper than MAX_NESTING instead of overflowing the stack', () => {
    const r = parseJson(`${'['.repeat(100000)}${']'.repeat(100000)}`)
    expect(r.problems[0]?.rule).toBe('json/syntax')
  })

  it('does not count brackets inside strings or comments', () => {
    expect(nestingDepth(`a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nc: [1, [2]]\n`, 'yaml')).toBe(2)
    expect(nestingDepth(`{"a": "${'['.repeat(500)}\\"["}`, 'json')).toBe(1)
    expect(yaml(`description: "${'['.repeat(500)}"\n`).doc).toBeDefined()
  })
})
