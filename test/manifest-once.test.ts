// One parse of a package's manifest per run, shared by validate and version-bump: the same result
// as checkManifest, each caller with a findings list of its own, and a change to the listing is a
// different manifest.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DirectorySnapshot } from '../src/core/snapshot/directory-snapshot.js'
import { checkManifest } from '../src/core/checks/validate/manifest.js'
import { manifestOnce } from '../src/core/checks/validate/manifest-once.js'
import { defaultConfig } from '../src/core/config/config.js'
import { packageRef } from '../src/core/marketplace/paths.js'

let root: string
const ref = packageRef('alice', 'pkg')

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'mpa-manifest-once-'))
  mkdirSync(path.join(root, ref.dir), { recursive: true })
  // A manifest with findings (a name that is not the folder's, no description), so they can be compared.
  writeFileSync(path.join(root, ref.dir, 'manifest.yaml'), 'name: other\ntype: skill\nversion: "1.2.3"\nentrypoint: SKILL.md\n')
  writeFileSync(path.join(root, ref.dir, 'SKILL.md'), '# pkg\n')
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('manifestOnce', () => {
  it('gives checkManifest’s result, parsed once for every caller of the run', async () => {
    const snapshot = new DirectorySnapshot(root)
    const config = defaultConfig()
    const files = await snapshot.walk(ref.dir)
    const direct = await checkManifest(snapshot, ref, files, config)
    const first = await manifestOnce(snapshot, ref, files, config)
    const second = await manifestOnce(snapshot, ref, files, config)
    expect(first.findings.length).toBeGreaterThan(0)
    expect(first.findings).toEqual(direct.findings)
    expect(first.manifest).toEqual(direct.manifest)
    expect(first.valid).toBe(direct.valid)
    expect(first.fieldAt?.('version')).toEqual(direct.fieldAt?.('version'))
    // The same parse (its locator is the same function), and a findings list of each caller's own.
    expect(second.fieldAt).toBe(first.fieldAt)
    first.findings.push(...direct.findings)
    expect(second.findings).toEqual(direct.findings)
    await snapshot.close()
  })

  it('parses again for another listing, config or snapshot', async () => {
    const snapshot = new DirectorySnapshot(root)
    const config = defaultConfig()
    const files = await snapshot.walk(ref.dir)
    const once = await manifestOnce(snapshot, ref, files, config)
    const withoutManifest = await manifestOnce(
      snapshot,
      ref,
      files.filter((f) => !f.path.endsWith('manifest.yaml')),
      config
    )
    expect(withoutManifest.findings.map((f) => f.rule)).toEqual(['manifest/missing'])
    expect((await manifestOnce(snapshot, ref, files, defaultConfig())).fieldAt).not.toBe(once.fieldAt)
    const other = new DirectorySnapshot(root)
    expect((await manifestOnce(other, ref, files, config)).fieldAt).not.toBe(once.fieldAt)
    await Promise.all([snapshot.close(), other.close()])
  })
})
