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
})
