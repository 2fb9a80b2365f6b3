// After the run: fail it if a suite left files in the temporary folder, and, when the whole
// suite ran, if a rule of the catalog was never emitted by any test's fixture.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tsImport } from 'tsx/esm/api'

/** Folders tsx and Node keep in the temporary folder for their own caches. */
const TOOL_CACHES = /^(tsx-\d+|node-compile-cache)$/

/** @param {{ nonFlagArgs?: string[], testNamePattern?: string, onlyChanged?: boolean, findRelatedTests?: boolean }} config */
export default async function globalTeardown(config) {
  const run = globalThis.__MARKETPLACE_TEST_RUN__
  if (!run) return
  const problems = []
  // Caches of the tools the suites run (tsx, Node's compile cache) are not a suite's leftovers;
  // they go with the run's folder below.
  const left = readdirSync(run.tmp).filter((name) => !TOOL_CACHES.test(name))
  if (left.length) problems.push(`test suites left ${left.length} item(s) in their temporary folder: ${left.sort().join(', ')}`)
  const wholeSuite = !config.nonFlagArgs?.length && !config.testNamePattern && !config.onlyChanged && !config.findRelatedTests
  if (wholeSuite) {
    /** @type {{ RULES: Record<string, unknown> }} */
    const { RULES } = await tsImport('../../src/core/findings/rules.ts', import.meta.url)
    const emitted = new Set(existsSync(run.rulesFile) ? readFileSync(run.rulesFile, 'utf8').split('\n') : [])
    const missing = Object.keys(RULES).filter((id) => !emitted.has(id))
    if (missing.length) problems.push(`no test fixture emits these rules (add a fixture that triggers each): ${missing.join(', ')}`)
  }
  rmSync(run.base, { recursive: true, force: true })
  if (problems.length) throw new Error(problems.join('\n'))
}
