// Every rule in the catalog has tests: its id appears in at least one test file.
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { RULES } from '../src/core/findings/rules.js'

describe('rule catalog', () => {
  const tests = readdirSync('test')
    .filter((f) => f.endsWith('.test.ts') && f !== 'rules-coverage.test.ts')
    .map((f) => readFileSync(`test/${f}`, 'utf8'))
    .join('\n')

  it.each(Object.keys(RULES))('%s is exercised by a test', (id) => {
    expect(tests.includes(`'${id}'`)).toBe(true)
  })
})
