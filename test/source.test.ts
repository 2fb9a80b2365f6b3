import { describe, expect, it } from '@jest/globals'
import { checkSource, isSourceFile, MAX_SYNTAX_FINDINGS } from '../src/core/checks/validate/syntax.js'
import type { Finding } from '../src/core/findings/findings.js'

const PKG = 'alice/web-deploy'

function check(text: string, name = 'tool.ts'): Finding[] {
  return checkSource(text, { package: PKG, file: `publishers/alice/web-deploy/${name}` })
}

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1)
  return findings[0] as Finding
}

describe('isSourceFile', () => {
  it.each(['tool.ts', 'tool.mts', 'tool.cts', 'tool.tsx', 'tool.js', 'tool.mjs', 'tool.cjs', 'tool.jsx', 'src/types.d.ts', 'TOOL.TS'])(
    'is true for %s',
    (path) => expect(isSourceFile(path)).toBe(true)
  )

  it.each(['SKILL.md', 'server.json', 'tool.ts.bak', 'tool.json', 'ts', '.ts/readme', 'tool.py'])('is false for %s', (path) =>
    expect(isSourceFile(path)).toBe(false)
  )
})

describe('checkSource: passing files', () => {
  it('accepts modern TypeScript', () => {
    const src = [
      "import data from './data.json' with { type: 'json' }",
      "import type { Foo } from './foo.js'",
      'enum Mode { A, B }',
      'export abstract class Tool<T extends object = {}> {',
      '  @logged run(input: T): Promise<Foo | undefined> { return Promise.resolve(undefined) }',
      '}',
      'function logged(v: unknown, _c: ClassMethodDecoratorContext) { return v }',
      'const cfg = { mode: Mode.A } satisfies Record<string, Mode>',
      'export async function main(): Promise<void> {',
      '  await using handle = open()',
      '  console.log(data, cfg, handle as unknown as string, <const>["a"])',
      '}',
      'declare function open(): AsyncDisposable',
      'await main()'
    ].join('\n')
    expect(check(src, 'tool.ts')).toEqual([])
  })

  it('accepts JSX in .tsx and .jsx', () => {
    expect(check('export const A = (p: { n: number }) => <div className="x">{p.n}</div>\n', 'tool.tsx')).toEqual([])
    expect(check('export const A = (p) => <><b>{p.n}</b></>\n', 'tool.jsx')).toEqual([])
  })

  it('accepts CommonJS with a top-level return in .cjs and a hashbang', () => {
    expect(check("#!/usr/bin/env node\nconst fs = require('fs')\nif (!fs) return\nmodule.exports = {}\n", 'tool.cjs')).toEqual([])
  })

  it('accepts top-level await in .mjs and a declaration file', () => {
    expect(check('const x = await import("./a.mjs")\nexport { x }\n', 'tool.mjs')).toEqual([])
    expect(check('export function f(a: string): void\nexport const x: number\n', 'types.d.ts')).toEqual([])
  })

  it('ignores files that are not sources', () => {
    expect(check('this is { not code', 'README.md')).toEqual([])
  })

  it('parses without running: top-level side effects never happen', () => {
    const g = globalThis as Record<string, unknown>
    expect(check('globalThis.__sourceCheckRan = true\nprocess.exit(1)\nthrow new Error("ran")\n', 'tool.js')).toEqual([])
    expect(g.__sourceCheckRan).toBeUndefined()
  })
})

describe('source/syntax', () => {
  it("reports a syntax error at babel's line and 1-based column", () => {
    const f = only(check('export function run(input: string) {\n  return input +\n}\n'))
    // Babel: (3:0); findings count columns from 1.
    expect(f).toMatchObject({
      rule: 'source/syntax',
      severity: 'error',
      package: PKG,
      file: 'publishers/alice/web-deploy/tool.ts',
      line: 3,
      column: 1
    })
    expect(f.message).toBe('syntax error in tool.ts: Unexpected token')
    expect(f.hint).toContain('parsed as TypeScript')
    expect(f.hint).toContain('never run')
  })

  it('drops babel\'s own "(line:column)" suffix from the message', () => {
    const f = only(check('const a = ;\n', 'tool.js'))
    expect(f).toMatchObject({ line: 1, column: 11 })
    expect(f.message).toBe('syntax error in tool.js: Unexpected token')
  })

  it('reports every recoverable error, in file order', () => {
    const findings = check('export { b }\nlet a = 1\nlet a = 2\nfunction f() { return 08 }\n', 'tool.mts')
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([
      [1, 10, "syntax error in tool.mts: Export 'b' is not defined."],
      [3, 5, "syntax error in tool.mts: Identifier 'a' has already been declared."],
      [4, 23, 'syntax error in tool.mts: Legacy octal literals are not allowed in strict mode.']
    ])
  })

  it('rejects a top-level return in an ES module', () => {
    const f = only(check('return 1\n', 'tool.mjs'))
    expect(f).toMatchObject({ line: 1, column: 1 })
    expect(f.message).toContain("'return' outside of function")
  })

  it('suggests .tsx for JSX in a .ts file', () => {
    const f = only(check('export const A = () => <div>hi</div>\n', 'tool.ts'))
    expect(f).toMatchObject({ rule: 'source/syntax', line: 1 })
    expect(f.hint).toBe(
      "The file parses as JSX, which a `.ts` file may not contain: rename it to `tool.tsx` and update the manifest's `entrypoint`."
    )
  })

  it('suggests .ts for TypeScript in a .js file, keeping the module kind', () => {
    expect(only(check('export function f(x: number): string { return String(x) }\n', 'tool.js')).hint).toContain('rename it to `tool.ts`')
    expect(only(check('export function f(x: number) { return x }\n', 'tool.mjs')).hint).toContain('rename it to `tool.mts`')
  })

  it('suggests .jsx for JSX in a .js file', () => {
    expect(only(check('export const A = () => <div />\n', 'tool.js')).hint).toContain('rename it to `tool.jsx`')
  })

  it('counts lines the way editors do, even after U+2028 in a string', () => {
    // Babel counts U+2028 as a line break; GitHub annotations and editors count only LF.
    const f = only(check('const s = "a\u2028b"; const = 1\n', 'tool.js'))
    expect(f).toMatchObject({ line: 1, column: 24 })
  })

  it('keeps positions right in CRLF files and with a BOM', () => {
    expect(only(check('const a = 1\r\nconst b = ;\r\n', 'tool.js'))).toMatchObject({ line: 2, column: 11 })
    expect(only(check('\uFEFFconst b = ;\n', 'tool.js'))).toMatchObject({ line: 1, column: 11 })
  })

  it(`lists at most ${MAX_SYNTAX_FINDINGS} errors and then says how many more there are`, () => {
    // Lines 3-60 each redeclare v0 or v1: 58 errors; the 26th is on line 28.
    const src = Array.from({ length: 60 }, (_, i) => `let v${i % 2} = ${i}`).join('\n')
    const findings = check(src, 'tool.mjs')
    expect(findings).toHaveLength(MAX_SYNTAX_FINDINGS + 1)
    const last = findings[MAX_SYNTAX_FINDINGS] as Finding
    expect(last).toMatchObject({ rule: 'source/syntax', severity: 'error', line: 28, column: 5 })
    expect(last.message).toBe('33 more syntax errors in tool.mjs from here on are not listed')
  })

  it('survives a binary-looking file', () => {
    const findings = check('\u0001\u0002{{{((([[[\u0000'.repeat(200), 'tool.js')
    expect(findings.length).toBeGreaterThan(0)
    expect(findings.length).toBeLessThanOrEqual(MAX_SYNTAX_FINDINGS + 1)
    for (const f of findings) expect(f.rule).toBe('source/syntax')
  })
})
