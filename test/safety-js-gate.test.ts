// The gate in front of the JavaScript analysis (MAY_HIT in src/core/checks/safety/js-code.ts): a
// script without any of its tokens is not parsed, so the gate must never hide a hit. Every hostile
// construct the analysis knows, spelled plainly, through escapes and assembled from pieces, and
// scripts generated from hostile and harmless fragments, give the same hits with the gate as
// without it; so does every script of the fixtures and the safety corpus.
import { describe, it, expect } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { MAY_HIT, codeStart, jsHits, mayHit } from '../src/core/checks/safety/js-code.js'
import { rng } from './helpers/random.js'

const HOSTILE = [
  'const run = eval\nrun(x)',
  '(0, eval)(src)',
  "globalThis['ev' + 'al'](src)",
  'window[`ev${"al"}`](src)',
  "self[['e', 'val'].join('')](src)",
  'const F = Function\nF(src)()',
  '[].constructor.constructor(src)()',
  "[]['constr' + 'uctor']['constr' + 'uctor'](src)()",
  "''[String.fromCharCode(99,111,110,115,116,114,117,99,116,111,114)][atob('Y29uc3RydWN0b3I=')](src)()",
  "({})[Buffer.from('Y29uc3RydWN0b3I=', 'base64')](src)",
  "({})['ROTCURTSNOC'.split('').reverse().join('').toLowerCase()](src)",
  '(() => {}).constructor(src)()',
  'const e = \\u0065val\ne(src)',
  "globalThis['\\x65val'](src)",
  "x['\\u0063onstructor'](src)",
  "await import('data:text/javascript;base64,' + code)",
  "require(['child', 'process'].join('_')).execSync(cmd)",
  "const n = Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString()\nawait import(n)",
  'require(String.fromCharCode(102, 115))',
  "const { execSync } = require('child_process')\nexecSync(Buffer.from(h, 'hex').toString())",
  "const p = require('path')\nconst os = require('os')\nfs.readFileSync(p.join(os.homedir(), '.aws', 'credentials'))",
  "fs.appendFileSync(path.join(os.homedir(), '.zshrc'), line)",
  "fs.readFileSync(path.resolve(os.homedir(), '.ssh', 'id_rsa'))"
]

// What a script may open with: comments whose prose holds the gate's tokens ("run", "from", "self").
const OPENINGS = [
  '// Runs the report from the folder itself and joins the results.\n',
  '/* Imports nothing; resolves the system path from window size. */\n',
  '// a\n\n  // b: eval, require, constructor\r\n\t/** global\n * fork + exec\n */\n',
  ''
]

// Fragments of a script: harmless ones without any token of the gate, and the hostile ones above.
const HARMLESS = [
  'export interface Options {\n  limit: number\n}\n',
  'export function pick(items: string[], n: number): string[] {\n  return items.filter((i) => i.length > n).slice(0, n)\n}\n',
  'const total = items.reduce((a, b) => a * b, 1)\n',
  '// notes: sort the list, keep the first ten\n',
  'let x = [1, 2, 3].map((n) => n * 2)\n',
  'class Box {\n  size = 0\n}\n',
  "const label = 'value'\n"
]

describe('the gate in front of the JavaScript analysis', () => {
  it.each(HOSTILE)('keeps every hit: %s', (src) => {
    const all = jsHits(src, true, { gate: false })
    expect(all.length).toBeGreaterThan(0)
    expect(jsHits(src, true)).toEqual(all)
    expect(jsHits(src, false)).toEqual(jsHits(src, false, { gate: false }))
  })

  it('skips a script with none of its tokens, which has no hit when parsed either', () => {
    const tool = HARMLESS.join('')
    expect(MAY_HIT.test(tool)).toBe(false)
    expect(jsHits(tool, true, { gate: false })).toEqual([])
  })

  it('reads a script from where its code starts, after the comments it opens with', () => {
    expect(codeStart('// run from here\nexport const a = 1\n')).toBe('// run from here\n'.length)
    expect(codeStart('/* a */ /* b */\n// c\nx')).toBe('/* a */ /* b */\n// c\n'.length)
    expect(codeStart('export const a = 1 // run\n')).toBe(0)
    // A line comment ends at every line terminator JavaScript knows, not only \n.
    expect(codeStart('// note\u2028eval(src)')).toBe('// note'.length)
    expect(codeStart('// note\u2029eval(src)')).toBe('// note'.length)
    expect(codeStart('// note\reval(src)')).toBe('// note\r'.length)
    // A hashbang is a node (InterpreterDirective), an unterminated block comment is left to the
    // parser, and any other opening (a BOM, a non-breaking space) ends the skip.
    expect(codeStart('#!/usr/bin/env node\n// run\n')).toBe(0)
    expect(codeStart('/* eval(src)')).toBe(0)
    expect(codeStart('\ufeff// run\n')).toBe(0)
    expect(codeStart('\u00a0// run\n')).toBe(0)
    expect(codeStart('// only a comment')).toBe('// only a comment'.length)
    const unterminated = '/* (0, eval)(src)'
    expect(mayHit(unterminated)).toBe(true)
    expect(jsHits(unterminated, false)).toEqual(jsHits(unterminated, false, { gate: false }))
  })

  it.each(OPENINGS.filter(Boolean))('skips a harmless script that opens with a comment holding tokens: %j', (opening) => {
    const tool = opening + HARMLESS.join('')
    expect(MAY_HIT.test(tool)).toBe(true)
    expect(mayHit(tool)).toBe(false)
    expect(jsHits(tool, true, { gate: false })).toEqual([])
    expect(jsHits(tool, true)).toEqual([])
  })

  it.each(['// note\u2028(0, eval)(src)', '// note\u2029(0, eval)(src)', '// note\r(0, eval)(src)', '/* a */(0, eval)(src)'])(
    'keeps the hit of code right after a comment: %j',
    (src) => {
      const all = jsHits(src, false, { gate: false })
      expect(all.length).toBeGreaterThan(0)
      expect(jsHits(src, false)).toEqual(all)
      expect(jsHits(src, true)).toEqual(jsHits(src, true, { gate: false }))
    }
  )

  it('gives the same hits on generated scripts of hostile and harmless fragments', () => {
    const random = rng(15)
    let skipped = 0
    let withHits = 0
    for (let n = 0; n < 400; n++) {
      const parts: string[] = []
      const count = 1 + Math.floor(random() * 4)
      for (let i = 0; i < count; i++) {
        const pool = random() < 0.3 ? HOSTILE : HARMLESS
        parts.push(pool[Math.floor(random() * pool.length)] as string)
      }
      const src = (OPENINGS[Math.floor(random() * OPENINGS.length)] as string) + parts.join('\n')
      const typescript = random() < 0.5
      const all = jsHits(src, typescript, { gate: false })
      expect(jsHits(src, typescript)).toEqual(all)
      if (!mayHit(src)) skipped++
      if (all.length) withHits++
    }
    // Both sides of the gate are exercised.
    expect(skipped).toBeGreaterThan(20)
    expect(withHits).toBeGreaterThan(20)
  })

  it('gives the same hits on every script of the fixtures and the safety corpus', () => {
    const scripts: string[] = []
    const visit = (dir: string) => {
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, d.name)
        if (d.isDirectory()) visit(file)
        else if (d.isFile() && /\.(?:[cm]?js|[cm]?ts|tsx|jsx)$/.test(d.name)) scripts.push(file)
      }
    }
    visit(path.join(process.cwd(), 'test', 'fixtures'))
    expect(scripts.length).toBeGreaterThan(10)
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8')
      const typescript = /\.(?:[cm]?ts|tsx)$/.test(file)
      expect({ file, hits: jsHits(text, typescript) }).toEqual({ file, hits: jsHits(text, typescript, { gate: false }) })
    }
  })
})
