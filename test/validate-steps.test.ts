// The validate check on a work tree runs its rules synchronously (checks/steps.ts's runNow over
// DirectorySnapshot's walkKinds/readNow); any other snapshot runs the same rules one awaited read
// at a time. Both must report exactly the same findings and facts: the same marketplace is checked
// through the directory and through a wrapper that hides it (so the async path is taken).
import { describe, it, expect, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { openSource } from '../src/core/review/source.js'
import { createValidateCheck } from '../src/core/checks/validate/index.js'
import { FileTooLargeError, type Snapshot } from '../src/core/snapshot/types.js'
import { DirectorySnapshot } from '../src/core/snapshot/directory-snapshot.js'
import { awaited, readBytes, runNow, runOn, type Steps } from '../src/core/checks/steps.js'
import { manifestYaml, skillMd, tempMarketplace, validServer, validSkill, profile, type Files } from './helpers/marketplace.js'

const cleanups: (() => void)[] = []
afterAll(() => cleanups.forEach((c) => c()))

function marketplace(): string {
  const pkg = (name: string) => `publishers/alice/${name}`
  const files: Files = {
    ...validSkill('alice', 'good'),
    ...validServer('alice', 'server'),
    ...profile('bob'),
    'publishers/carol/profile.json': '{ "name": ',
    [`${pkg('bad-yaml')}/manifest.yaml`]: 'name: bad-yaml\ntype: [skill\n',
    [`${pkg('bad-yaml')}/SKILL.md`]: skillMd('bad-yaml'),
    [`${pkg('schema')}/manifest.yaml`]: manifestYaml('schema', { version: 'one', license: '42' }),
    [`${pkg('schema')}/SKILL.md`]: skillMd('schema'),
    [`${pkg('renamed')}/manifest.yaml`]: manifestYaml('other-name'),
    [`${pkg('renamed')}/SKILL.md`]: skillMd('renamed'),
    [`${pkg('no-manifest')}/Manifest.yml`]: manifestYaml('no-manifest'),
    [`${pkg('binary')}/manifest.yaml`]: Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0xff]),
    [`${pkg('huge')}/manifest.yaml`]: `${manifestYaml('huge')}# ${'x'.repeat(300_000)}\n`,
    [`${pkg('huge')}/SKILL.md`]: skillMd('huge'),
    [`${pkg('lower-skill')}/manifest.yaml`]: manifestYaml('lower-skill', { entrypoint: 'skill.md' }),
    [`${pkg('lower-skill')}/skill.md`]: skillMd('lower-skill'),
    [`${pkg('tool')}/manifest.yaml`]: manifestYaml('tool', { entrypoint: 'src/tool.ts' }),
    [`${pkg('tool')}/SKILL.md`]: skillMd('tool'),
    [`${pkg('tool')}/src/tool.ts`]: 'export const x: number = (\n',
    [`${pkg('missing-entry')}/manifest.yaml`]: manifestYaml('missing-entry', { entrypoint: 'Tool.ts' }),
    [`${pkg('missing-entry')}/SKILL.md`]: skillMd('missing-entry'),
    [`${pkg('missing-entry')}/tool.ts`]: 'export {}\n',
    [`${pkg('outside')}/manifest.yaml`]: manifestYaml('outside', { entrypoint: '../good/SKILL.md' }),
    [`${pkg('outside')}/SKILL.md`]: skillMd('outside'),
    [`${pkg('bad-front')}/manifest.yaml`]: manifestYaml('bad-front'),
    [`${pkg('bad-front')}/SKILL.md`]: '---\nname: [\n---\nbody\n',
    [`${pkg('linked')}/manifest.yaml`]: manifestYaml('linked', { entrypoint: 'tool.ts' }),
    [`${pkg('linked-manifest')}/SKILL.md`]: skillMd('linked-manifest'),
    'publishers/bob/README.md': 'stray\n',
    'publishers/dave/no-profile/manifest.yaml': manifestYaml('no-profile'),
    'publishers/dave/no-profile/SKILL.md': skillMd('no-profile')
  }
  const { root, cleanup } = tempMarketplace(files)
  cleanups.push(cleanup)
  // Links are reported, never followed: a linked SKILL.md and tool, a linked manifest, a linked folder.
  symlinkSync('../good/SKILL.md', join(root, pkg('linked'), 'SKILL.md'))
  symlinkSync('/etc/passwd', join(root, pkg('linked'), 'tool.ts'))
  symlinkSync('../good/manifest.yaml', join(root, pkg('linked-manifest'), 'manifest.yaml'))
  symlinkSync('../good', join(root, 'publishers/bob/linked-folder'))
  mkdirSync(join(root, pkg('fifo')))
  execFileSync('mkfifo', [join(root, pkg('fifo'), 'manifest.yaml')])
  return root
}

/** The same snapshot behind an object that is not a DirectorySnapshot: the check takes its async path. */
function hidden(snapshot: Snapshot): Snapshot {
  return {
    kind: snapshot.kind,
    description: snapshot.description,
    list: (dir) => snapshot.list(dir),
    walk: (dir) => snapshot.walk(dir),
    stat: (path) => snapshot.stat(path),
    read: (entry, maxBytes) => snapshot.read(entry, maxBytes),
    close: () => snapshot.close()
  }
}

describe('validate on a work tree, synchronously', () => {
  it('finds exactly what the awaited path finds, in the same order', async () => {
    const opened = await openSource({ kind: 'directory', root: marketplace() }, { toolVersion: 'test' })
    try {
      expect(opened.ctx.head).toBeInstanceOf(DirectorySnapshot)
      const check = createValidateCheck()
      const now = await check.run(opened.ctx)
      const awaitedResult = await check.run({ ...opened.ctx, head: hidden(opened.ctx.head) })
      expect(now).toEqual(awaitedResult)
      const rules = new Set(now.findings.map((f) => f.rule))
      for (const rule of [
        'yaml/syntax',
        'manifest/schema',
        'manifest/name-mismatch',
        'manifest/missing',
        'file/encoding',
        'file/too-large-to-parse',
        'skill/skill-md-case',
        'entrypoint/missing',
        'entrypoint/outside-package',
        'entrypoint/not-a-file',
        'profile/missing'
      ]) {
        expect([rule, rules.has(rule)]).toEqual([rule, true])
      }
      expect(now.findings.some((f) => f.file === 'publishers/alice/tool/src/tool.ts')).toBe(true)
      expect(now.packages?.['alice/good']).toEqual({ version: '1.0.0', type: 'skill' })
    } finally {
      await opened.close()
    }
  })
})

describe('runNow and runOn', () => {
  it('answer reads the same way, carry a failed read into the steps, and wait only for an await step', async () => {
    const root = marketplace()
    const directory = new DirectorySnapshot(root)
    const good = directory.walkKinds('publishers/alice/good')
    const huge = directory.walkKinds('publishers/alice/huge').find((e) => e.path.endsWith('manifest.yaml'))!
    function* steps(wait: boolean): Steps<string[], (typeof good)[number]> {
      const out: string[] = []
      if (wait) out.push(yield* awaited(Promise.resolve('waited')))
      for (const entry of good) out.push(Buffer.from(yield* readBytes(entry, 100_000)).toString('utf8', 0, 12))
      try {
        yield* readBytes(huge, 10)
      } catch (e) {
        out.push(e instanceof FileTooLargeError ? `too large: ${e.size}` : String(e))
      }
      return out
    }
    // Sorted by path: SKILL.md before manifest.yaml.
    const expected = ['---\nname: go', 'name: good\nt', `too large: ${manifestYaml('huge').length + 300_003}`]
    expect(runNow(directory, steps(false))).toEqual(expected)
    const later = runNow(directory, steps(true))
    expect(later).toBeInstanceOf(Promise)
    expect(await later).toEqual(['waited', ...expected])
    expect(await runOn(directory, steps(false) as Steps<string[]>)).toEqual(expected)
  })
})
