// The Markdown regions (markdown.ts) and a fence's heading (fence-context.ts) are found by
// looking only at the lines and places that can matter: a line whose first character after at
// most three spaces is a backtick, a tilde or `>`; a `#` at a line start. These tests hold them to
// the plain versions they replace (every line cut out and tried against the regexes; the heading
// regex run over the text before each fence), on generated Markdown full of near misses (four
// spaces, tabs, carriage returns, U+2028, unclosed and nested fences) and on every Markdown
// file of the fixtures and the safety corpus.
import { describe, it, expect } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { markdownRegions, type Region } from '../src/core/checks/safety/markdown.js'
import { fenceRole, headingBefore } from '../src/core/checks/safety/fence-context.js'
import { fenceLanguage, type Language } from '../src/core/checks/safety/file.js'
import { rng } from './helpers/random.js'

/** markdown.ts's findRegions before the line filter: every line cut out and tried. */
function plainRegions(text: string): Region[] {
  const regions: Region[] = []
  let offset = 0
  let fence: { char: string; length: number; start: number; contentStart: number; language?: Language } | undefined
  let proseStart = 0
  const prose: [number, number][] = []
  for (const line of text.split('\n')) {
    const lineEnd = offset + line.length
    const bare = line.replace(/\r$/, '')
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === '`' ? '`' : '~'}{${fence.length},}\\s*$`).exec(bare)
      if (close) {
        regions.push({
          kind: 'fence',
          start: fence.start,
          end: lineEnd,
          contentStart: fence.contentStart,
          ...(fence.language ? { language: fence.language } : {})
        })
        fence = undefined
        proseStart = lineEnd + 1
      }
    } else {
      const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(bare)
      if (open && !(open[2]?.startsWith('`') && open[3]?.includes('`'))) {
        prose.push([proseStart, offset])
        const language = fenceLanguage(open[3] ?? '')
        fence = {
          char: open[2]?.[0] ?? '`',
          length: open[2]?.length ?? 3,
          start: offset,
          contentStart: lineEnd + 1,
          ...(language ? { language } : {})
        }
      } else if (/^ {0,3}>/.test(bare)) {
        regions.push({ kind: 'quote', start: offset, end: lineEnd })
      }
    }
    offset = lineEnd + 1
  }
  if (fence)
    regions.push({
      kind: 'fence',
      start: fence.start,
      end: text.length,
      contentStart: fence.contentStart,
      ...(fence.language ? { language: fence.language } : {})
    })
  else prose.push([proseStart, text.length])
  for (const [from, to] of prose) {
    const part = text.slice(from, to)
    for (const m of part.matchAll(/<!--[\s\S]*?(?:-->|$)/g))
      regions.push({ kind: 'comment', start: from + m.index, end: from + m.index + m[0].length })
    for (const m of part.matchAll(/(`{1,16})(?!`)([\s\S]{0,2000}?[^`])\1(?!`)/g)) {
      if (!m[0].includes('\n\n')) regions.push({ kind: 'inline-code', start: from + m.index, end: from + m.index + m[0].length })
    }
  }
  return regions.sort((a, b) => a.start - b.start)
}

/** The heading the role reads, as before: the last match of the heading regex in the text before the fence. */
function plainHeading(text: string, fenceStart: number): string {
  return [...text.slice(0, fenceStart).matchAll(/^ {0,3}#{1,6}[ \t]+(.+)$/gm)].pop()?.[1] ?? ''
}

const PIECES = [
  '```',
  '```bash',
  '```sh\r',
  '````',
  '~~~',
  '~~~python',
  '``` x`y',
  '`',
  '``',
  'code `x` here',
  '>',
  '> quoted',
  ' >',
  '    >',
  '#',
  '# Title',
  '## Examples',
  '### Run this',
  '####### seven',
  '#no-space',
  '  # indented',
  '    # four',
  '\t# tab',
  ' #\t\ttabbed',
  'Run the following:',
  'For example:',
  'never run this',
  'attackers use',
  'Install with:',
  'plain words.',
  '<!-- hidden -->',
  '<!--',
  '-->',
  '   ',
  '    ',
  '\t',
  '\r',
  '\u2028',
  '\u2029',
  'text',
  ' ',
  '.',
  '!'
]

function generated(seed: number, count: number): string[] {
  const next = rng(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T
  return Array.from({ length: count }, () => {
    const parts: string[] = []
    const lines = 1 + Math.floor(next() * 30)
    for (let i = 0; i < lines; i++) {
      const pieces = 1 + Math.floor(next() * 3)
      let line = ''
      for (let k = 0; k < pieces; k++) line += (k && next() < 0.5 ? ' ' : '') + pick(PIECES)
      parts.push(line)
      if (next() < 0.15) parts.push('')
    }
    return parts.join(next() < 0.1 ? '\r\n' : '\n')
  })
}

function markdownFiles(): string[] {
  const out: string[] = []
  const visit = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, d.name)
      if (d.isDirectory()) visit(file)
      else if (d.isFile() && /\.(?:md|markdown)$/i.test(d.name)) out.push(file)
    }
  }
  visit(path.join(process.cwd(), 'test', 'fixtures'))
  return out
}

/** Every offset a fence can start at: the start of the text and each place after a line feed. */
function lineStarts(text: string): number[] {
  const out = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1)
  return out
}

function expectSame(text: string, label: string): void {
  expect({ label, regions: markdownRegions(text) }).toEqual({ label, regions: plainRegions(text) })
  for (const at of lineStarts(text)) {
    expect({ label, at, heading: headingBefore(text, at) }).toEqual({ label, at, heading: plainHeading(text, at) })
    // Asked at offsets out of order, the kept headings of the text still answer the same.
    expect(['run', 'example']).toContain(fenceRole(text, at, at % 2 === 0))
  }
  for (const at of lineStarts(text).reverse())
    expect({ label, at, heading: headingBefore(text, at) }).toEqual({ label, at, heading: plainHeading(text, at) })
}

describe('Markdown regions and fence headings by line filter', () => {
  it('match the plain line-by-line versions on generated Markdown', () => {
    const texts = generated(20261129, 1500)
    let fences = 0
    for (const [i, text] of texts.entries()) {
      expectSame(text, `generated #${i}`)
      fences += plainRegions(text).filter((r) => r.kind === 'fence').length
    }
    // The generator must reach what the filter skips and what it keeps.
    expect(fences).toBeGreaterThan(500)
    expect(texts.filter((t) => plainHeading(t, t.length) !== '').length).toBeGreaterThan(500)
    // Texts whose backticks are in fences and whose prose holds none (not searched for code spans).
    const fencedOnly = texts.filter((t) => {
      const regions = plainRegions(t)
      return regions.some((r) => r.kind === 'fence') && !regions.some((r) => r.kind === 'inline-code')
    })
    expect(fencedOnly.length).toBeGreaterThan(100)
  })

  it('match them on every Markdown file of the fixtures and the safety corpus', () => {
    const files = markdownFiles()
    expect(files.length).toBeGreaterThan(20)
    for (const file of files) expectSame(readFileSync(file, 'utf8'), file)
  })

  it('match them on the edge cases one by one', () => {
    for (const text of [
      '',
      '#',
      '# a',
      '   # three spaces',
      '    # four spaces',
      '## a\r\n```\r\nx\r\n```',
      'x\u2028# after a line separator\n```\ncode',
      'x\r# after a carriage return\n```sh\ncode\n```',
      '```\n# inside a fence\n```\n```\nnext',
      '````\n```\n````',
      '~~~\n```\n~~~',
      ' ```\n   ```\n    ```',
      '> quote\n >> nested\n    > code, not a quote'
    ])
      expectSame(text, JSON.stringify(text))
  })
})
