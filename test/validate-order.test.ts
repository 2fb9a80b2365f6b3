// validate reads packages several at a time: what it reports must not depend on which read
// finished first, every broken file keeps its located finding on both sources, and a manifest
// read by the flat YAML fast path is parsed in full only when a finding needs a position.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { mapInOrder, IN_FLIGHT } from '../src/core/concurrently.js'
import { validateCheck } from '../src/core/checks/validate/index.js'
import { checkManifest } from '../src/core/checks/validate/manifest.js'
import { checkEntrypoint } from '../src/core/checks/validate/entrypoint.js'
import { selectAll } from '../src/core/checks/selection.js'
import { loadConfig } from '../src/core/config/config.js'
import { DirectorySnapshot } from '../src/core/snapshot/directory-snapshot.js'
import { validateSource } from '../src/core/review/source.js'
import { packageRef } from '../src/core/marketplace/paths.js'
import type { Snapshot, TreeEntry } from '../src/core/snapshot/types.js'
import type { Finding } from '../src/core/findings/findings.js'
import type { Review } from '../src/core/review/review.js'
import { manifestYaml, profile, skillMd, tempMarketplace, validSkill, type Files } from './helpers/marketplace.js'
import { GIT_ENV } from './helpers/git-repo.js'
import { execFileSync } from 'node:child_process'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('mapInOrder', () => {
  it('returns results in the items’ order whatever order the work finishes in, never over the limit', async () => {
    const items = Array.from({ length: 40 }, (_, i) => i)
    let running = 0
    let most = 0
    const out = await mapInOrder(items, 5, async (item, index) => {
      running++
      most = Math.max(most, running)
      await sleep((40 - item) % 7) // later items often finish first
      running--
      return `${item}:${index}`
    })
    expect(out).toEqual(items.map((i) => `${i}:${i}`))
    expect(most).toBe(5)
  })

  it('handles no items, and a limit larger than the list', async () => {
    expect(await mapInOrder([], IN_FLIGHT, async () => 1)).toEqual([])
    expect(await mapInOrder(['a', 'b'], 100, async (s) => s.toUpperCase())).toEqual(['A', 'B'])
  })

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = []
    const run = mapInOrder([0, 1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      started.push(i)
      await sleep(1)
      if (i === 2) throw new Error('package 2 broke')
      return i
    })
    await expect(run).rejects.toThrow('package 2 broke')
    await sleep(20)
    expect(Math.max(...started)).toBeLessThanOrEqual(3)
  })
})

// More packages than are read at once, broken ones spread through them (early, middle, last).
const COUNT = IN_FLIGHT + 13
const login = (i: number) => `pub-${String(Math.floor(i / 10)).padStart(2, '0')}`
const name = (i: number) => `pkg-${String(i).padStart(3, '0')}`
const dir = (i: number) => `publishers/${login(i)}/${name(i)}`

function bomb(depth: number): string {
  let out = 'x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
  for (let i = 1; i <= depth; i++)
    out += `x-${i}: &l${i} [${Array(9)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`
  return out
}

/** What each broken package must be reported as: rule, file and (when it has one) line. */
const BROKEN: Record<number, { files: Files; rule: string; file: string; line?: number }> = {
  1: {
    files: { [`${dir(1)}/manifest.yaml`]: `${manifestYaml(name(1))}tags: [a, b\n` },
    rule: 'yaml/syntax',
    file: `${dir(1)}/manifest.yaml`
  },
  7: {
    files: { [`${dir(7)}/manifest.yaml`]: `${manifestYaml(name(7))}${bomb(6)}` },
    rule: 'yaml/alias-limit',
    file: `${dir(7)}/manifest.yaml`,
    line: 6
  },
  12: {
    files: { [`${dir(12)}/SKILL.md`]: new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x00, 0x01, 0x0a]) },
    rule: 'file/encoding',
    file: `${dir(12)}/SKILL.md`
  },
  20: {
    files: { [`${dir(20)}/SKILL.md`]: `${skillMd(name(20))}${'padding line\n'.repeat(120_000)}` },
    rule: 'file/too-large-to-parse',
    file: `${dir(20)}/SKILL.md`
  },
  // A flat manifest (the fast path) whose entrypoint is missing: located at the `entrypoint` line.
  26: {
    files: { [`${dir(26)}/manifest.yaml`]: manifestYaml(name(26), { entrypoint: 'tool.ts' }) },
    rule: 'entrypoint/missing',
    file: `${dir(26)}/manifest.yaml`,
    line: 5
  },
  33: {
    files: { [`${dir(33)}/manifest.yaml`]: manifestYaml(name(33), { version: '1.0' }) },
    rule: 'manifest/schema',
    file: `${dir(33)}/manifest.yaml`,
    line: 3
  },
  // Symlinked below (SKILL.md -> a file outside the package): reported, never followed.
  38: { files: {}, rule: 'entrypoint/not-a-file', file: `${dir(38)}/SKILL.md` },
  [COUNT - 1]: {
    files: { [`${dir(COUNT - 1)}/manifest.yaml`]: manifestYaml(name(COUNT - 1), { name: 'another-name' }) },
    rule: 'manifest/name-mismatch',
    file: `${dir(COUNT - 1)}/manifest.yaml`,
    line: 1
  }
}

let root: string
let cleanup: () => void

beforeAll(() => {
  let files: Files = { 'elsewhere/SKILL.md': skillMd(name(38)) }
  for (let i = 0; i < COUNT; i++) files = { ...files, ...validSkill(login(i), name(i)), ...(BROKEN[i]?.files ?? {}) }
  files = Object.fromEntries(Object.entries(files).filter(([path]) => path !== `${dir(38)}/SKILL.md`))
  ;({ root, cleanup } = tempMarketplace(files))
  symlinkSync('../../../elsewhere/SKILL.md', join(root, dir(38), 'SKILL.md'))
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, env: { ...process.env, ...GIT_ENV }, stdio: 'pipe' })
  git(['init', '-q', '-b', 'main'])
  git(['add', '-A'])
  git(['commit', '-q', '-m', 'marketplace'])
})

afterAll(() => cleanup())

/** A snapshot whose reads finish in an order unrelated to the order they were asked in. */
class ShuffledReads implements Snapshot {
  readonly kind = 'directory'
  readonly description: string
  private calls = 0
  constructor(private readonly inner: Snapshot) {
    this.description = inner.description
  }
  list(dir: string) {
    return this.inner.list(dir)
  }
  walk(dir: string) {
    return this.inner.walk(dir)
  }
  stat(path: string) {
    return this.inner.stat(path)
  }
  async read(entry: TreeEntry, maxBytes: number) {
    await sleep((this.calls++ * 7) % 5)
    return this.inner.read(entry, maxBytes)
  }
  close() {
    return this.inner.close()
  }
}

async function rawFindings(snapshot: Snapshot): Promise<Finding[]> {
  const ctx = { head: snapshot, selection: await selectAll(snapshot), config: await loadConfig(snapshot) }
  return (await validateCheck.run(ctx)).findings
}

describe('validate over more packages than it reads at once', () => {
  it('reports the same findings in the same order however the reads interleave', async () => {
    const direct = await rawFindings(new DirectorySnapshot(root))
    const shuffled = await rawFindings(new ShuffledReads(new DirectorySnapshot(root)))
    expect(shuffled).toEqual(direct)
    // The check's own order: each package's findings together, packages in the selection's order.
    const order = direct.map((f) => f.package).filter((p): p is string => p !== undefined)
    expect(order).toEqual([...order].sort())
    expect(new Set(order).size).toBe(Object.keys(BROKEN).length)
  })

  let fromDirectory: Review
  let fromGit: Review
  beforeAll(async () => {
    fromDirectory = await validateSource({ kind: 'directory', root }, { toolVersion: 'test' })
    fromGit = await validateSource({ kind: 'git', repo: root, head: 'HEAD' }, { toolVersion: 'test' })
  })

  it.each(Object.entries(BROKEN))('package %s: its finding, located, on a directory and on git objects', (i, want) => {
    for (const review of [fromDirectory, fromGit]) {
      const hit = review.findings.find((f) => f.package === packageRef(login(Number(i)), name(Number(i))).id && f.rule === want.rule)
      expect(hit).toMatchObject({ file: want.file, ...(want.line === undefined ? {} : { line: want.line }) })
    }
  })

  it('finds nothing else, the same on both sources', () => {
    expect(fromDirectory.packages).toHaveLength(COUNT)
    expect(fromDirectory.findings.map((f) => f.package).filter((p, k, all) => all.indexOf(p) === k)).toHaveLength(
      Object.keys(BROKEN).length
    )
    expect(fromGit.findings).toEqual(fromDirectory.findings)
    expect(fromGit.packages).toEqual(fromDirectory.packages)
  })
})

describe('flat manifests are located only when a finding needs it', () => {
  async function entrypointFindings(files: Files): Promise<{ findings: Finding[]; located: string[] }> {
    const { root: dirRoot, cleanup: done } = tempMarketplace(files)
    try {
      const snapshot = new DirectorySnapshot(dirRoot)
      const config = await loadConfig(snapshot)
      const ref = packageRef('alice', 'demo')
      const entries = await snapshot.walk(ref.dir)
      const manifest = await checkManifest(snapshot, ref, entries, config)
      const located: string[] = []
      const fieldAt = (field: string) => {
        located.push(field)
        return manifest.fieldAt!(field)
      }
      const findings = await checkEntrypoint(snapshot, ref, entries, manifest.manifest!, fieldAt, config)
      return { findings, located }
    } finally {
      done()
    }
  }

  it('a valid package asks for no position', async () => {
    const { findings, located } = await entrypointFindings(validSkill('alice', 'demo'))
    expect(findings).toEqual([])
    expect(located).toEqual([])
  })

  it('a missing SKILL.md is located at `type`, a missing entrypoint at `entrypoint`', async () => {
    const files: Files = { ...profile('alice'), 'publishers/alice/demo/manifest.yaml': manifestYaml('demo', { entrypoint: 'tool.ts' }) }
    const { findings, located } = await entrypointFindings(files)
    expect(findings.map((f) => [f.rule, f.line, f.column])).toEqual([
      ['skill/skill-md-missing', 2, 7],
      ['entrypoint/missing', 5, 13]
    ])
    expect(located).toEqual(['type', 'entrypoint'])
  })
})
