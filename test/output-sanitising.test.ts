// File names are the publisher's: a name with a newline must not print a workflow command
// (`::error ...` at the start of a log line) in the command line's output, and ESC or other C0
// controls must not reach the PR comment or the job summary. A real package on disk with such
// names goes through the safety scan and every reporter.
import { describe, it, expect, afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runOnSource } from '../src/core/review/source.js'
import { safetyCheck } from '../src/core/checks/safety/index.js'
import { formatText } from '../src/report/text.js'
import { renderComment } from '../src/report/comment.js'
import { renderReviewSummary } from '../src/report/job-summary.js'
import { escapeHtml } from '../src/report/html.js'
import { plain } from '../src/report/plain.js'
import { escapeHidden } from '../src/core/parse/text.js'
import { rng } from './helpers/random.js'
import { validSkill, writeFiles } from './helpers/marketplace.js'

const root = mkdtempSync(path.join(tmpdir(), 'mpa-output-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('hostile file names in every output', () => {
  it('never start a log line with :: and never carry ESC', async () => {
    writeFiles(root, {
      ...validSkill('alice', 'demo'),
      'publishers/alice/demo/notes\n::error file=README.md::forged.md': 'x\n',
      'publishers/alice/demo/esc\u001b[31mred.md': 'x\n'
    })
    const review = await runOnSource({ kind: 'directory', root }, [safetyCheck], { toolVersion: 'test' })
    expect(review.findings.filter((f) => f.rule === 'name/control-character')).toHaveLength(2)
    const outputs = {
      cli: formatText(review, { color: false }),
      comment: renderComment(review),
      summary: renderReviewSummary('Safety', review)
    }
    for (const [name, text] of Object.entries(outputs)) {
      expect([name, text.split('\n').filter((l) => l.trimStart().startsWith('::'))]).toEqual([name, []])
      expect([name, text.includes('\u001b')]).toEqual([name, false])
    }
    expect(outputs.cli).toContain('notes\\x0a:\\x3aerror file=README.md:\\x3aforged.md')
  })

  it('escapeHtml shows C0 controls as text', () => {
    expect(escapeHtml('a\u001b[31mb\u0007c\td')).toBe('a&#92;x1b&#91;31mb&#92;x07c d') // renders as a\x1b[31mb\x07c d
  })

  it('plain() passes printable ASCII through and escapes everything else as the full set of escapes does', () => {
    // plain() returns printable ASCII without "::" or "##[" as it is (one test instead of four
    // passes); every other string gets every escape. Held to the escapes applied in full.
    const full = (t: string) =>
      escapeHidden(t)
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .replace(/::/g, ':\\x3a')
        .replace(/##\[/g, '#\\x23[')
    const pieces = [
      'a',
      'Z',
      '0',
      '-',
      '/',
      ' ',
      '~',
      ':',
      '#',
      '[',
      '::',
      '##[',
      '\n',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u00ad',
      '\u200b',
      '\u202e',
      '\ufeff',
      'é',
      'д',
      '\u{e0041}'
    ]
    const random = rng(15)
    for (let i = 0; i < 5000; i++) {
      let t = ''
      for (let n = Math.floor(random() * 8); n > 0; n--) t += pieces[Math.floor(random() * pieces.length)]
      expect([t, plain(t)]).toEqual([t, full(t)])
    }
    expect(plain('alice/demo-skill')).toBe('alice/demo-skill')
    expect(plain('a::b')).toBe('a:\\x3ab')
    expect(plain('##[error]')).toBe('#\\x23[error]')
  })
})
