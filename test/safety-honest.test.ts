// The corpus of honest packages (test/fixtures/honest): real skills with scripts that start git,
// emoji (ZWJ sequences, flags, keycaps), Japanese, Arabic, Hebrew and Persian text, long Markdown,
// an MCP server with an https remote and secret variables without defaults. The scan must find no
// error in it; each warning is listed with why it is right.
import { describe, it, expect } from '@jest/globals'
import { runOnSource, validateSource } from '../src/core/review/source.js'
import { safetyCheck } from '../src/core/checks/safety/index.js'

const ROOT = 'test/fixtures/honest'

describe('honest packages', () => {
  it('have no safety errors, and only the warnings a reviewer should see', async () => {
    const review = await runOnSource({ kind: 'directory', root: ROOT }, [safetyCheck], { toolVersion: 'test' })
    expect(review.packages.map((p) => p.id)).toEqual([
      'hana/git-changelog',
      'ines/api-reference',
      'lena/pages-deploy',
      'lena/weather-mcp',
      'omar/rtl-docs',
      'sam/secret-hygiene'
    ])
    expect(review.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(review.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      // changelog.py runs `git log` with a list of arguments: ordinary, but where a reviewer looks.
      ['code/process-spawn', 'publishers/hana/git-changelog/scripts/changelog.py', 14],
      // tool.ts runs `npx wrangler@3.78.0` through child_process.execFile: the same.
      ['code/process-spawn', 'publishers/lena/pages-deploy/tool.ts', 3],
      // A security skill quotes an attack in a code block, introduced as an example (the
      // documented decision: a quoted attack is a warning, because agents read quotes too).
      ['injection/quoted-example', 'publishers/sam/secret-hygiene/SKILL.md', 27]
    ])
    expect(review.verdict).toBe('pass')
  })

  it('are valid packages too, so the corpus is what publishers really submit', async () => {
    const review = await validateSource({ kind: 'directory', root: ROOT }, { toolVersion: 'test' })
    expect(review.findings).toEqual([])
  })
})

describe('examples/marketplace', () => {
  it('scans clean: no findings at all', async () => {
    const review = await runOnSource({ kind: 'directory', root: 'examples/marketplace' }, [safetyCheck], { toolVersion: 'test' })
    expect(review.findings).toEqual([])
    expect(review.packages).toHaveLength(3)
  })
})
