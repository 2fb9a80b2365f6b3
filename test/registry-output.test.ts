// The registry build's writer on its own (src/io/registry-output.ts): files land in a fresh site
// folder, an existing file with the same bytes is left alone, a changed one is replaced whole, and
// nothing is ever written through a symlink, whether at the file or on a folder on the way.
import { describe, it, expect, afterAll } from '@jest/globals'
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { RegistryOutputs } from '../src/io/registry-output.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function place(): { root: string; site: string; outside: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-registry-output-'))
  dirs.push(dir)
  const root = path.join(dir, 'root')
  mkdirSync(root)
  const outside = path.join(dir, 'outside')
  mkdirSync(outside)
  return { root, site: path.join(dir, 'site'), outside }
}

const bytes = (s: string) => new TextEncoder().encode(s)
const ARTIFACT = 'publishers/alice/.well-known/agent-skills/solo/1.0.0/SKILL.md'

describe('RegistryOutputs.write', () => {
  it('creates a fresh site folder and the folders on the way', async () => {
    const { root, site } = place()
    const out = new RegistryOutputs(root, site)
    await out.write({ area: 'site', path: ARTIFACT, bytes: bytes('one\n') })
    await out.write({ area: 'site', path: 'publishers/alice/.well-known/agent-skills/solo/1.0.0/files.json', bytes: bytes('{}\n') })
    await out.write({ area: 'root', path: 'registry.json', bytes: bytes('{"packages":[]}\n') })
    expect(readFileSync(path.join(site, ARTIFACT), 'utf8')).toBe('one\n')
    expect(readFileSync(path.join(site, 'publishers/alice/.well-known/agent-skills/solo/1.0.0/files.json'), 'utf8')).toBe('{}\n')
    expect(readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe('{"packages":[]}\n')
  })

  it('leaves a file with the same bytes alone and replaces a changed one whole', async () => {
    const { root, site } = place()
    await new RegistryOutputs(root, site).write({ area: 'site', path: ARTIFACT, bytes: bytes('one\n') })
    const before = statSync(path.join(site, ARTIFACT))

    await new RegistryOutputs(root, site).write({ area: 'site', path: ARTIFACT, bytes: bytes('one\n') })
    expect(statSync(path.join(site, ARTIFACT)).ino).toBe(before.ino)

    // Same size, other bytes: compared byte for byte, not by size.
    await new RegistryOutputs(root, site).write({ area: 'site', path: ARTIFACT, bytes: bytes('two\n') })
    expect(readFileSync(path.join(site, ARTIFACT), 'utf8')).toBe('two\n')
    expect(statSync(path.join(site, ARTIFACT)).ino).not.toBe(before.ino)
  })

  it('never writes through a symlink at the file or on the way, and says which file', async () => {
    const { root, site, outside } = place()
    await new RegistryOutputs(root, site).write({ area: 'site', path: ARTIFACT, bytes: bytes('one\n') })
    const target = path.join(outside, 'victim')
    writeFileSync(target, 'keep\n')
    rmSync(path.join(site, ARTIFACT))
    symlinkSync(target, path.join(site, ARTIFACT))
    await expect(new RegistryOutputs(root, site).write({ area: 'site', path: ARTIFACT, bytes: bytes('one\n') })).rejects.toThrow(
      /SKILL\.md is not a regular file \(a symlink\)/
    )
    expect(readFileSync(target, 'utf8')).toBe('keep\n')
    expect(lstatSync(path.join(site, ARTIFACT)).isSymbolicLink()).toBe(true)

    const version = path.join(site, 'publishers/alice/.well-known/agent-skills/solo/2.0.0')
    symlinkSync(outside, version)
    await expect(
      new RegistryOutputs(root, site).write({
        area: 'site',
        path: 'publishers/alice/.well-known/agent-skills/solo/2.0.0/SKILL.md',
        bytes: bytes('x')
      })
    ).rejects.toThrow(/a folder on the way to .* is a symlink/)
    expect(readFileSync(target, 'utf8')).toBe('keep\n')
    expect(() => statSync(path.join(outside, 'SKILL.md'))).toThrow()
  })

  it('writes into a site folder that is itself a link to a folder: the user named it', async () => {
    const { root, site, outside } = place()
    symlinkSync(outside, site)
    await new RegistryOutputs(root, site).write({ area: 'site', path: ARTIFACT, bytes: bytes('one\n') })
    expect(readFileSync(path.join(outside, ARTIFACT), 'utf8')).toBe('one\n')
  })
})
