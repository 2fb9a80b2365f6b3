// The PR comment's markdown: everything from a pull request renders as text.
import { describe, it, expect } from '@jest/globals'
import { COMMENT_MARKER, MAX_COMMENT_CHARS, renderComment } from '../src/report/comment.js'
import { escapeHtml } from '../src/report/html.js'
import { buildReview } from '../src/core/review/review.js'
import { finding } from '../src/core/findings/findings.js'

const hostile =
  '<img src=x onerror=alert(1)> @octocat @acme/team #12 acme/repo#3 [click](https://evil.example) ![x](https://evil.example/x.png?d=secret) www.evil.example **bold** `code` | cell \u202Eevil\u202C\nsecond line'

function reviewWith(message: string, count = 1, pkg = 'mallory/pkg') {
  return buildReview({
    toolVersion: '1.0.0',
    checks: ['validate'],
    packages: [
      {
        id: pkg,
        publisher: pkg.split('/')[0] as string,
        name: pkg.split('/')[1] as string,
        status: 'added',
        verdict: 'pass',
        version: '1.0.0'
      }
    ],
    findings: Array.from({ length: count }, (_, i) =>
      finding('manifest/schema', { package: pkg, file: `publishers/${pkg}/manifest.yaml`, line: i + 1, column: 1 }, message, message)
    )
  })
}

describe('escapeHtml', () => {
  const out = escapeHtml(hostile)
  it.each([
    ['HTML tags', '<img'],
    ['@-mentions', '@octocat'],
    ['team mentions', '@acme/team'],
    ['issue references (as written or as an entity)', ' #12'],
    ['issue references behind an entity', '&#35;12'],
    ['cross-repo references', 'repo#3'],
    ['markdown links', '](http'],
    ['bare URLs', 'https://'],
    ['www links', 'www.evil'],
    ['emphasis', '**bold**'],
    ['code spans', '`code`'],
    ['table pipes', '| cell'],
    ['bidi overrides', '\u202E'],
    ['newlines', '\n']
  ])('neutralises %s', (_what, raw) => {
    expect(out).not.toContain(raw)
  })

  it('still reads as the same words', () => {
    expect(out.replace(/&#8203;/g, '')).toContain('octocat')
    expect(out).toContain('onerror=alert')
  })
})

describe('renderComment', () => {
  it('starts with the hidden marker and a verdict heading, lists packages and findings with location and fix', () => {
    const body = renderComment(reviewWith('field is wrong'))
    expect(body.startsWith(`${COMMENT_MARKER}\n## ❌ Marketplace review failed: 1 error`)).toBe(true)
    expect(body).toContain('<code>mallory/pkg</code>')
    expect(body).toContain('<b>manifest/schema</b> at <code>publishers/mallory/pkg/manifest.yaml:1:1</code>')
    expect(body).toContain('<i>Fix:</i> field is wrong')
    expect(body).toContain('<details open>')
  })

  it('escapes hostile messages, package names and hints', () => {
    const body = renderComment(reviewWith(hostile, 1, 'mallory/pkg'))
    for (const raw of ['<img', '@octocat', '](https', '\u202E', 'www.evil']) expect(body).not.toContain(raw)
    // Only the marker is an HTML comment: a hostile `<!--` cannot hide the rest of the comment.
    expect(renderComment(reviewWith('<!-- hide')).split('<!--').length).toBe(2)
  })

  it('collapses long lists per package and stays under the size limit', () => {
    const many = renderComment(reviewWith('x', 100), { maxFindingsPerPackage: 10 })
    expect(many.match(/<b>manifest\/schema<\/b>/g)).toHaveLength(10)
    expect(many).toContain('…and 90 more')
    const huge = renderComment(reviewWith('y'.repeat(3000), 200), { maxFindingsPerPackage: 200 })
    expect(huge.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS + 500)
    expect(huge).toContain("cut here to fit GitHub's size limit")
  })

  it('says pass without findings', () => {
    const review = buildReview({ toolVersion: '1', checks: ['validate'], packages: [], findings: [] })
    expect(renderComment(review)).toContain('## ✅ Marketplace review passed')
  })
})

describe('escapeHtml entities', () => {
  it('escapes each character once: an apostrophe stays one entity, not a mangled one', () => {
    expect(escapeHtml("skill's #1")).toBe('skill&#39;s &#35;&#8203;1')
    expect(escapeHtml('a & b')).toBe('a &amp; b')
  })
})
