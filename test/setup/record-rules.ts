// In every suite: record the rule id of every finding the core makes, for the rule-coverage check
// in the global teardown.
import { afterAll } from '@jest/globals'
import { appendFileSync } from 'node:fs'
import { observeFindings } from '../../src/core/findings/findings.js'

const seen = new Set<string>()
const stop = observeFindings((rule) => seen.add(rule))

afterAll(() => {
  stop()
  const file = process.env.MARKETPLACE_TEST_RULES_FILE
  if (file && seen.size) appendFileSync(file, `${[...seen].join('\n')}\n`)
})
