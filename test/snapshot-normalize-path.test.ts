// normalizePath's quick answer for a plain path (src/core/snapshot/types.ts) against the rule it
// shortens: every part non-empty, not `.` or `..`, no NUL; one trailing slash dropped. Paths built
// from the pieces that matter (slashes, dots, NUL, names) are held to the same answer or error.
import { describe, it, expect } from '@jest/globals'
import { normalizePath } from '../src/core/snapshot/types.js'
import { rng } from './helpers/random.js'

/** The rule as written before the quick path: split and look at every part. */
function byParts(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  if (trimmed === '') return ''
  if (trimmed.includes('\0') || trimmed.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new Error('not a path inside the marketplace')
  return trimmed
}

function outcome(f: (p: string) => string, path: string): string {
  try {
    return `ok ${f(path)}`
  } catch {
    return 'error'
  }
}

describe('normalizePath', () => {
  it.each([
    '',
    '/',
    '//',
    'a',
    'a/',
    'a//',
    '/a',
    'a//b',
    '.',
    '..',
    './a',
    'a/.',
    'a/..',
    'a/../b',
    '.git',
    'a/.hidden',
    'a/..b',
    'a\0b',
    'a/b/c'
  ])('answers %j as the rule does', (path) => {
    expect(outcome(normalizePath, path)).toBe(outcome(byParts, path))
  })

  it('answers 20,000 generated paths as the rule does', () => {
    const random = rng(42)
    const pieces = ['/', '/', '.', '..', 'a', 'bc', '.d', 'e.', '\0', 'publishers', '-', ' ']
    let errors = 0
    for (let n = 0; n < 20_000; n++) {
      let path = ''
      for (let i = 1 + Math.floor(random() * 7); i > 0; i--) path += pieces[Math.floor(random() * pieces.length)] as string
      const expected = outcome(byParts, path)
      expect(outcome(normalizePath, path)).toBe(expected)
      if (expected === 'error') errors++
    }
    // Both answers are exercised.
    expect(errors).toBeGreaterThan(2_000)
    expect(errors).toBeLessThan(18_000)
  })
})
