// Before any suite runs: bring stale bundles up to date, so the suites that run dist/ test the
// source as it is (a bundle is stale when its sources no longer match the digest it was built
// from), and give the run a temporary folder of its own, so the teardown can tell whether a
// suite left anything behind.
import { mkdirSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { tsImport } from 'tsx/esm/api'

// Plain JavaScript: jest loads its global setup outside the ts-jest transform; tsx loads the
// TypeScript it needs.

/** @typedef {{ base: string, tmp: string, rulesFile: string }} RunFolders */

export default async function globalSetup() {
  /** @type {{ bundle(names: string[]): Promise<void>, staleBundles(): string[] }} */
  const { bundle, staleBundles } = await tsImport('../../scripts/bundle.ts', import.meta.url)
  const stale = staleBundles()
  if (stale.length) {
    console.log(`\nRebuilding bundles whose sources changed: ${stale.join(', ')}`)
    await bundle(stale)
  }
  const base = mkdtempSync(path.join(os.tmpdir(), 'marketplace-actions-jest-'))
  const tmp = path.join(base, 'tmp')
  mkdirSync(tmp)
  const rulesFile = path.join(base, 'rules.txt')
  globalThis.__MARKETPLACE_TEST_RUN__ = { base, tmp, rulesFile }
  // Workers start after this and inherit the environment: os.tmpdir() is `tmp` in every suite.
  process.env.TMPDIR = tmp
  process.env.MARKETPLACE_TEST_RULES_FILE = rulesFile
}
