// One `file:line:column` for every reporter, and file names from a pull request that can neither
// break a line nor smuggle a workflow command (`::add-mask::`, `::error::`, `##[error]`) into a
// terminal, a job log, the job summary or the PR comment.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { formatLocation } from '../src/report/location.js'
import { plain, plainLines } from '../src/report/plain.js'
import { formatText } from '../src/report/text.js'
import { renderComment } from '../src/report/comment.js'
import { renderReviewSummary } from '../src/report/job-summary.js'
import { buildReview, type Review } from '../src/core/review/review.js'
import { finding } from '../src/core/findings/findings.js'
import { CLI_BUNDLE, cleanEnv, runNode } from './helpers/run-node.js'
import { validSkill, writeFiles } from './helpers/marketplace.js'

/** A name git and Linux accept: a newline, then what the runner would take as commands. */
const HOSTILE = 'notes\n::add-mask::hunter2\n::error file=x::forged\r##[error]legacy\u001b[31m.md'
const FILE = `publishers/mallory/pkg/${HOSTILE}`

/** A line the Actions runner would read as a workflow command (v2 after leading spaces; v1 anywhere). */
const isCommand = (line: string): boolean => line.trimStart().startsWith('::') || line.includes('##[')

function reviewOf(file: string): Review {
  return buildReview({
    toolVersion: 'test',
    checks: ['safety'],
    source: { kind: 'directory' },
    packages: [{ id: 'mallory/pkg', publisher: 'mallory', name: 'pkg', status: 'checked', verdict: 'fail' }],
    findings: [finding('name/control-character', { package: 'mallory/pkg', file, line: 3, column: 7 }, 'a bad name', 'Rename it.')]
  })
}

describe('formatLocation', () => {
  it('is file:line:column, the column defaulting to 1, the file alone without a line, empty without a file', () => {
    expect(formatLocation({ file: 'publishers/a/b/SKILL.md', line: 4, column: 9 })).toBe('publishers/a/b/SKILL.md:4:9')
    expect(formatLocation({ file: 'publishers/a/b/SKILL.md', line: 4 })).toBe('publishers/a/b/SKILL.md:4:1')
    expect(formatLocation({ file: 'publishers/a/b/SKILL.md' })).toBe('publishers/a/b/SKILL.md')
    expect(formatLocation({})).toBe('')
  })

  it('escapes every control character, so a file name stays on one line and commands stay text', () => {
    const shown = formatLocation({ file: FILE, line: 3, column: 7 })
    expect(shown).toBe(
      'publishers/mallory/pkg/notes\\x0a:\\x3aadd-mask:\\x3ahunter2\\x0a:\\x3aerror file=x:\\x3aforged\\x0d#\\x23[error]legacy\\x1b[31m.md:3:7'
    )
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
    expect(shown).not.toContain('::')
    expect(shown).not.toContain('##[')
  })

  it('shows hidden and bidi characters as escapes too', () => {
    expect(formatLocation({ file: 'publishers/a/b/invoice\u202Efdp.md' })).toBe('publishers/a/b/invoice\\u{202e}fdp.md')
  })
})

describe('plain text for terminals and logs', () => {
  it('keeps ordinary text as it is', () => {
    expect(plain('version 1.0.0 of alice/web-deploy: see https://example.com/a?b=c')).toBe(
      'version 1.0.0 of alice/web-deploy: see https://example.com/a?b=c'
    )
  })

  it('breaks a command that the text itself holds, even on one line', () => {
    expect(plain('::add-mask::x')).toBe(':\\x3aadd-mask:\\x3ax')
    expect(plain(':::')).not.toContain('::')
    expect(plain('x ##[warning]y')).toBe('x #\\x23[warning]y')
  })

  it('indents the lines of a multi-line fix under the first, each one escaped', () => {
    expect(plainLines('Start it with\n---\n::error::x', '    ')).toBe('Start it with\n    ---\n    :\\x3aerror:\\x3ax')
  })
})

describe('every reporter shows the hostile name escaped', () => {
  const review = reviewOf(FILE)

  it('the terminal report: no line the runner would read as a command', () => {
    const text = formatText(review, { color: false })
    expect(text).toContain('  publishers/mallory/pkg/notes\\x0a:\\x3aadd-mask:\\x3ahunter2')
    expect(text.split('\n').filter(isCommand)).toEqual([])
  })

  it('the job summary and the PR comment: the location is one escaped line of text', () => {
    for (const md of [renderReviewSummary('Safety scan', review), renderComment(review)]) {
      const cell = /<code>(publishers\/mallory\/pkg\/notes[^<]*)<\/code>/.exec(md)?.[1]
      expect(cell).toBeDefined()
      expect(cell).not.toMatch(/[\r\n]/)
      expect(cell).toContain('notes&#92;x0a:&#92;x3aadd-mask')
      expect(md.split('\n').filter(isCommand)).toEqual([])
    }
  })
})

describe('the CLI on a package with such a file name (the bundled CLI, as a workflow step runs it)', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'mpa-location-'))
    writeFiles(root, { ...validSkill('mallory', 'pkg'), [FILE]: 'hello\n' })
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('reports the name escaped on its location line and prints no workflow command', async () => {
    const r = await runNode(CLI_BUNDLE, ['scan', '--root', root], { cwd: root, env: cleanEnv() })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      '  publishers/mallory/pkg/notes\\x0a:\\x3aadd-mask:\\x3ahunter2\\x0a:\\x3aerror file=x:\\x3aforged\\x0d#\\x23[error]legacy\\x1b[31m.md  error  name/control-character\n'
    )
    expect(r.stdout.split(/\r?\n|\r/).filter(isCommand)).toEqual([])
    expect(r.stderr).toBe('')
  })
})
