// The build record (src/core/registry/build/state.ts) over real git repositories: a rebuild with
// nothing changed is answered from the record alone; anything that could change the output (a
// package, a profile, the config, the scores, an option, the toolkit, an edited aggregate file, a
// broken or missing record) gets a real build; and an incremental build after each kind of change
// writes the bytes a `--full` build writes.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd, validServer } from './helpers/marketplace.js'
import { scoreOutputs } from './helpers/catalog-fixture.js'
import {
  build,
  buildRecordOf,
  commitAt,
  describeDifferences,
  filesOf,
  outputDirs,
  removeOutputDirs,
  writeAll,
  type OutputDirs
} from './helpers/registry.js'
import { buildRegistry, type OutputReader } from '../src/core/registry/build/build.js'
import { BUILD_STATE_FILE, parseBuildState, serializeBuildState } from '../src/core/registry/build/state.js'
import { BUILD_LEDGER_FILE, sha256Hex } from '../src/core/registry/build/ledger.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import { onGitCommand, type GitCommand } from '../src/core/git/git.js'

const repos: TestRepo[] = []
async function newRepo(): Promise<TestRepo> {
  const repo = await makeRepo()
  repos.push(repo)
  return repo
}
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()))
  removeOutputDirs()
})

/** Rewrite the build record so it vouches for `bytes` at `file` (stamps dropped: every file is then verified by its digest). */
function vouchFor(out: OutputDirs, file: string, bytes: Uint8Array): void {
  const recordPath = path.join(out.site, BUILD_STATE_FILE)
  const record = parseBuildState(readFileSync(recordPath))
  if (!record) throw new Error('no build record to rewrite')
  const { check: _check, ...draft } = record
  const files = draft.files.map(({ stamp: _stamp, ...f }) =>
    f.path === file ? { ...f, sha256: sha256Hex(bytes), size: bytes.byteLength } : f
  )
  writeFileSync(recordPath, serializeBuildState({ ...draft, files }, []))
}

function skill(login: string, name: string, version: string, description = 'A test package that does one thing well.', body = 'Steps.') {
  const dir = `publishers/${login}/${name}`
  return {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, { version: `"${version}"`, description, tags: '[demo]' }),
    [`${dir}/SKILL.md`]: `${skillMd(name)}\n${body}\n`
  }
}

/** The build as the CLI runs it, with every read of the last build's files listed. */
async function countedBuild(repo: TestRepo, out: OutputDirs) {
  const outputs = new RegistryOutputs(out.root, out.site)
  const reads: string[] = []
  const reader: OutputReader = {
    read: (area, p) => {
      reads.push(`${area}:${p}`)
      return outputs.read(area, p)
    },
    stamp: (area, p) => outputs.stamp(area, p),
    putSpliced: (area, p, parts, options) => {
      reads.push(`${area}:${p} (spliced)`)
      return outputs.putSpliced(area, p, parts, options)
    }
  }
  const result = await buildRegistry({ repo: repo.dir, toolVersion: 'test', outputs: reader })
  return { result, reads, applied: await outputs.apply(result) }
}

describe('a rebuild with nothing changed', () => {
  let repo: TestRepo
  const out = outputDirs()

  beforeAll(async () => {
    repo = await newRepo()
    writeAll(repo, { ...skill('alice', 'one', '1.0.0'), ...skill('alice', 'two', '1.0.0'), ...validServer('bob', 'srv') })
    commitAt(repo, 'three packages', '2026-05-01T10:00:00Z')
    await build(repo, out)
  })

  it('reads only the record, writes nothing and reports the package count', async () => {
    const before = filesOf(out)
    const { result, reads, applied } = await countedBuild(repo, out)
    expect([result.mode, result.packageCount, result.packagesRead, result.registry]).toEqual(['unchanged', 3, 0, undefined])
    expect(reads).toEqual([`site:${BUILD_STATE_FILE}`])
    expect(applied).toEqual({ written: [], deleted: [] })
    expect(describeDifferences(before, filesOf(out))).toEqual([])
  })

  it('the record is written once the clock has passed every file it names, so their stamps vouch for them', async () => {
    // registry.json dated a few ticks ahead, as its stamp is taken: a file written in the
    // record's own clock tick, which the writer must wait out before it writes the record.
    const registry = path.join(out.root, 'registry.json')
    class AheadOfTheClock extends RegistryOutputs {
      override async stamp(area: 'root' | 'site', rel: string) {
        if (area === 'root' && rel === 'registry.json') {
          const ahead = new Date(Date.now() + 20)
          utimesSync(registry, ahead, ahead)
        }
        return super.stamp(area, rel)
      }
    }
    const outputs = new AheadOfTheClock(out.root, out.site)
    await outputs.apply(await buildRegistry({ repo: repo.dir, toolVersion: 'test', outputs, full: true }))
    const own = lstatSync(path.join(out.site, BUILD_STATE_FILE), { bigint: true }).mtimeNs
    expect(lstatSync(registry, { bigint: true }).mtimeNs < own).toBe(true)
    expect((await countedBuild(repo, out)).reads).toEqual([`site:${BUILD_STATE_FILE}`])
  })

  it('reads a file as new as the record even when its whole stamp is the recorded one (an edit in that tick keeps it)', async () => {
    // The file and the record in the same second, the record naming the file's stamps as they are:
    // what a build leaves when a file is edited in the tick it was written in, before the record.
    const when = Math.floor(Date.now() / 1000) - 30
    const registry = path.join(out.root, 'registry.json')
    utimesSync(registry, when, when)
    await restamp(out)
    utimesSync(path.join(out.site, BUILD_STATE_FILE), when, when)
    const stamp = lstatSync(registry, { bigint: true })
    expect(buildRecordOf(out)?.files.find((f) => f.path === 'registry.json')?.stamp).toBe(
      `${stamp.size}:${stamp.ino}:${stamp.mtimeNs}:${stamp.ctimeNs}`
    )
    const { result, reads } = await countedBuild(repo, out)
    expect(result.mode).toBe('unchanged')
    expect(reads).toContain('root:registry.json')
    // Restamped now, the record is younger than the file again, and the stamps vouch for it.
    await restamp(out)
    expect((await countedBuild(repo, out)).reads).toEqual([`site:${BUILD_STATE_FILE}`])
  })

  it('after a commit that changes no package, profile or config (a README, the committed registry.json)', async () => {
    repo.write('README.md', '# Market\n')
    repo.write('registry.json', readFileSync(path.join(out.root, 'registry.json')))
    commitAt(repo, 'docs and the registry', '2026-05-02T10:00:00Z')
    const { result, reads } = await countedBuild(repo, out)
    expect(result.mode).toBe('unchanged')
    expect(reads).toEqual([`site:${BUILD_STATE_FILE}`])
  })

  it('still, when a file the record names has new stamps but the same bytes (a fresh checkout, a restored cache)', async () => {
    const file = path.join(out.root, 'registry.json')
    const bytes = readFileSync(file)
    rmSync(file)
    writeFileSync(file, bytes)
    const { result, reads } = await countedBuild(repo, out)
    expect(result.mode).toBe('unchanged')
    expect(reads).toEqual([`site:${BUILD_STATE_FILE}`, 'root:registry.json'])
  })

  it('not when a profile changes', async () => {
    repo.write('publishers/bob/profile.json', JSON.stringify({ name: 'Robert', login: 'bob' }))
    commitAt(repo, 'profile', '2026-05-03T10:00:00Z')
    const { result } = await countedBuild(repo, out)
    expect(result.mode).toBe('incremental')
    expect((await build(repo, out)).result.mode).toBe('unchanged')
  })

  it('not when the scores job rewrote registry.json or scores.json, nor with other options or another toolkit', async () => {
    scoreOutputs(out)
    expect((await build(repo, out)).result.mode).toBe('incremental')
    expect((await build(repo, out)).result.mode).toBe('unchanged')
    expect((await build(repo, out, { catalog: false })).result.mode).toBe('incremental')
    expect(existsSync(path.join(out.site, 'catalog'))).toBe(false)
    expect((await build(repo, out)).result.mode).toBe('incremental')
    expect((await build(repo, out, { toolVersion: 'test-2' })).result.mode).toBe('full')
    expect((await build(repo, out, { toolVersion: 'test-2' })).result.mode).toBe('unchanged')
    expect((await build(repo, out, { toolVersion: 'test-2', full: true })).result.mode).toBe('full')
  })

  it('not when an aggregate file was deleted or edited: the build puts it back', async () => {
    const index = path.join(out.site, '.well-known/agent-skills/index.json')
    const good = readFileSync(index)
    rmSync(index)
    expect((await build(repo, out, { toolVersion: 'test-2' })).result.mode).toBe('incremental')
    expect(readFileSync(index).equals(good)).toBe(true)
    writeFileSync(index, '{}\n')
    expect((await build(repo, out, { toolVersion: 'test-2' })).applied?.written).toContain(index)
    expect(readFileSync(index).equals(good)).toBe(true)
  })

  it('a truncated or edited record counts as none: a full build, which writes a sound one', async () => {
    const record = path.join(out.site, BUILD_STATE_FILE)
    const text = readFileSync(record, 'utf8')
    writeFileSync(record, text.slice(0, text.length / 2))
    const truncated = await build(repo, out, { toolVersion: 'test-2' })
    expect([truncated.result.mode, truncated.result.reason]).toEqual([
      'full',
      `the site folder has no record of the last build (${BUILD_STATE_FILE})`
    ])
    writeFileSync(record, readFileSync(record, 'utf8').replace('"packages": 3', '"packages": 4'))
    expect((await build(repo, out, { toolVersion: 'test-2' })).result.mode).toBe('full')
    expect(buildRecordOf(out)?.packages).toBe(3)
    expect((await build(repo, out, { toolVersion: 'test-2' })).result.mode).toBe('unchanged')
  })

  it('a build that fails while writing leaves no record, so the next one verifies everything', async () => {
    writeAll(repo, skill('carol', 'three', '1.0.0'))
    commitAt(repo, 'carol', '2026-05-04T10:00:00Z')
    // A file where the build needs a folder: the write fails half-way.
    mkdirSync(path.join(out.site, 'publishers'), { recursive: true })
    writeFileSync(path.join(out.site, 'publishers/carol'), 'in the way\n')
    await expect(build(repo, out, { toolVersion: 'test-2' })).rejects.toThrow(/publishers\/carol/)
    expect(buildRecordOf(out)).toBeUndefined()
    rmSync(path.join(out.site, 'publishers/carol'))
    const next = await build(repo, out, { toolVersion: 'test-2' })
    expect(next.result.mode).toBe('full')
    expect(buildRecordOf(out)).toMatchObject({ packages: 4, generator: { version: 'test-2' } })
  })
})

describe('a restored cache (the site folder as actions/cache puts it back with tar)', () => {
  let repo: TestRepo
  const out = outputDirs()
  let restored: OutputDirs
  const index = '.well-known/agent-skills/index.json'
  // A minute back, in whole seconds: utimes sets it exactly, and every recorded file is then older than the record.
  const when = Math.floor(Date.now() / 1000) - 60

  beforeAll(async () => {
    repo = await newRepo()
    writeAll(repo, { ...skill('alice', 'one', '1.0.0'), ...skill('alice', 'two', '1.0.0'), ...validServer('bob', 'srv') })
    commitAt(repo, 'three packages', '2026-05-01T10:00:00Z')
    await build(repo, out)
    // As after a build that ended a minute ago: a file written in the record's clock tick is read
    // whatever its stamps (state.ts), and a build of three packages writes all of them in a few.
    await ageRecordedFiles(out, when)
    // What actions/cache does: tar in the pax format (nanosecond times), extracted elsewhere.
    restored = { root: out.root, site: `${out.site}-restored` }
    mkdirSync(restored.site)
    const archive = `${out.site}.tar`
    execFileSync('tar', ['--format=posix', '-cf', archive, '-C', out.site, '.'])
    execFileSync('tar', ['-xf', archive, '-C', restored.site])
    rmSync(archive)
  })
  afterAll(() => rmSync(restored.site, { recursive: true, force: true }))

  it('reads no site file whose size and modification time were kept (new inodes and change times)', async () => {
    const recorded = buildRecordOf(restored)?.files.find((f) => f.path === index)
    const now = lstatSync(path.join(restored.site, index), { bigint: true })
    expect([recorded?.stamp === `${now.size}:${now.ino}:${now.mtimeNs}:${now.ctimeNs}`, recorded?.kept]).toEqual([
      false,
      `${now.size}:${now.mtimeNs}`
    ])
    const { result, reads } = await countedBuild(repo, restored)
    expect([result.mode, reads]).toEqual(['unchanged', [`site:${BUILD_STATE_FILE}`]])
  })

  it('reads and catches a site file whose modification time moved, even at the same size', async () => {
    const file = path.join(restored.site, index)
    const good = readFileSync(file)
    writeFileSync(file, sameSizeEdit(good))
    const { result, reads } = await countedBuild(repo, restored)
    // The record, then the first recorded file whose stamps do not vouch for it (registry.json's still do).
    expect([result.mode, reads.slice(0, 2)]).toEqual(['incremental', [`site:${BUILD_STATE_FILE}`, `site:${index}`]])
    expect(readFileSync(file).equals(good)).toBe(true)
  })

  it('reads a file as new as the record (an edit in its clock tick keeps its modification time)', async () => {
    await build(repo, restored)
    // Every recorded file and the record in the same second: each is read, and the edit is caught.
    await ageRecordedFiles(restored, when)
    utimesSync(path.join(restored.site, BUILD_STATE_FILE), when, when)
    const file = path.join(restored.site, index)
    const good = readFileSync(file)
    writeFileSync(file, sameSizeEdit(good))
    utimesSync(file, when, when)
    const { result, reads } = await countedBuild(repo, restored)
    expect(result.mode).toBe('incremental')
    expect(reads).toContain(`site:${index}`)
    expect(readFileSync(file).equals(good)).toBe(true)
  })

  it('trusts size and modification time: an edit that sets both back is not seen until --full (docs/registry-build.md)', async () => {
    await build(repo, restored)
    await ageRecordedFiles(restored, when)
    const file = path.join(restored.site, index)
    const good = readFileSync(file)
    writeFileSync(file, sameSizeEdit(good))
    utimesSync(file, when, when)
    // Whoever sets a modification time back on purpose can as well rewrite the record: the record
    // guards against accidents (an edit, another cache, a copy that lost the times), not forgery.
    expect((await countedBuild(repo, restored)).result.mode).toBe('unchanged')
    expect((await build(repo, restored, { full: true })).result.mode).toBe('full')
    expect(readFileSync(file).equals(good)).toBe(true)
  })
})

/** The record rewritten with each file's stamps as they are now (as if the build had just written them so). */
/** Every file the build record names set to modification time `when` (seconds), then the record restamped to match. */
async function ageRecordedFiles(out: OutputDirs, when: number): Promise<void> {
  const record = buildRecordOf(out)
  if (!record) throw new Error('no build record')
  for (const f of record.files) if (f.sha256 !== null) utimesSync(path.join(f.area === 'root' ? out.root : out.site, f.path), when, when)
  await restamp(out)
}

async function restamp(out: OutputDirs): Promise<void> {
  const file = path.join(out.site, BUILD_STATE_FILE)
  const record = parseBuildState(readFileSync(file))
  if (!record) throw new Error('no build record to restamp')
  const { check: _check, ...draft } = record
  const outputs = new RegistryOutputs(out.root, out.site)
  const files = draft.files.map(({ stamp: _stamp, kept: _kept, ...f }) => f)
  const stamps = await Promise.all(files.map((f) => outputs.stamp(f.area, f.path)))
  writeFileSync(file, serializeBuildState({ ...draft, files }, stamps))
}

/** The same bytes with one letter of a description changed: the same size. */
function sameSizeEdit(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8')
  const at = text.indexOf('A test package')
  if (at < 0) throw new Error('no description to edit')
  return Buffer.from(`${text.slice(0, at)}B${text.slice(at + 1)}`, 'utf8')
}

describe('an incremental build after each kind of change equals a --full build, byte for byte', () => {
  const inc = outputDirs()
  const full = outputDirs()
  let repo: TestRepo
  const modes: string[] = []

  async function step(message: string, date: string, change: () => void, scores = false): Promise<void> {
    change()
    commitAt(repo, message, date)
    if (scores) {
      scoreOutputs(inc)
      scoreOutputs(full)
    }
    const a = await build(repo, inc)
    const b = await build(repo, full, { full: true })
    // A one-package rebuild that spliced the last build's aggregates lists the files it removed (delta.ts).
    modes.push(a.result.mode === 'full' ? `full: ${a.result.reason}` : a.result.removedFiles ? 'spliced' : a.result.mode)
    expect(b.result.mode).toBe('full')
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])
    // And again with nothing changed: answered from the record, the same bytes.
    expect((await build(repo, inc)).result.mode).toBe('unchanged')
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])
  }

  beforeAll(async () => {
    repo = await newRepo()
  })

  // Eight builds of each kind and their checks: minutes on a loaded 2-core machine.
  it('add, bump, metadata only, remove, profile, config, scores', async () => {
    await step('start', '2026-06-01T00:00:00Z', () => {
      writeAll(repo, {
        ...skill('alice', 'one', '1.0.0'),
        ...skill('alice', 'two', '1.0.0', undefined, 'Two steps.'),
        ...validServer('bob', 'srv')
      })
    })
    await step('add', '2026-06-02T00:00:00Z', () => writeAll(repo, skill('carol', 'three', '0.1.0')))
    await step('bump', '2026-06-03T00:00:00Z', () => writeAll(repo, skill('alice', 'one', '1.1.0', undefined, 'Better steps.')))
    await step('metadata only: description and tags, a new version, the same SKILL.md', '2026-06-04T00:00:00Z', () =>
      writeAll(repo, {
        'publishers/alice/two/manifest.yaml': manifestYaml('two', {
          version: '"1.0.1"',
          description: 'The same package, described better.',
          tags: '[demo, docs]'
        })
      })
    )
    await step('remove', '2026-06-05T00:00:00Z', () => repo.remove('publishers/carol/three'))
    await step('profile', '2026-06-06T00:00:00Z', () =>
      repo.write('publishers/alice/profile.json', JSON.stringify({ name: 'Alice A.', login: 'alice' }))
    )
    await step('config', '2026-06-07T00:00:00Z', () =>
      repo.write('marketplace.config.yaml', 'marketplace:\n  name: renamed-market\n  owner:\n    name: Test Org\n')
    )
    await step('scores', '2026-06-08T00:00:00Z', () => undefined, true)
    // After the config change, registry.json still names an older commit (its content did not
    // move): the build diffs from the commit the record names, so the next build is incremental.
    expect(modes).toEqual([
      'full: there is no registry.json yet',
      'incremental',
      'spliced',
      'spliced',
      'incremental',
      'incremental',
      'full: marketplace.config.yaml changed',
      'incremental'
    ])
  }, 300_000)
})

describe('a one-package rebuild splices the last build’s aggregates (delta.ts), and equals a --full build byte for byte', () => {
  const inc = outputDirs()
  const full = outputDirs()
  let repo: TestRepo

  function server(login: string, name: string, version: string) {
    const files = validServer(login, name)
    const dir = `publishers/${login}/${name}`
    const doc = JSON.parse(files[`${dir}/server.json`] as string) as { version: string; packages: { version: string }[] }
    doc.version = version
    for (const p of doc.packages) p.version = version
    return {
      ...files,
      [`${dir}/manifest.yaml`]: manifestYaml(name, { type: 'mcp-server', entrypoint: 'server.json', version: `"${version}"` }),
      [`${dir}/server.json`]: JSON.stringify(doc, null, 2)
    }
  }

  /** One commit, built both ways; the incremental build's way (spliced or the usual build) and its reason to stand aside. */
  async function step(message: string, date: string, change: () => void, options: { catalog?: boolean } = {}): Promise<string> {
    change()
    commitAt(repo, message, date)
    const a = await build(repo, inc, options)
    const b = await build(repo, full, { ...options, full: true })
    expect(b.result.mode).toBe('full')
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])
    expect((await build(repo, inc, options)).result.mode).toBe('unchanged')
    return a.result.mode === 'full' ? `full: ${a.result.reason}` : a.result.removedFiles ? 'spliced' : a.result.mode
  }

  beforeAll(async () => {
    repo = await newRepo()
  })

  it('an MCP server, a package with a qualified install name, two packages at once, a withheld change and its fix', async () => {
    const ways: string[] = []
    ways.push(
      await step('start', '2026-07-01T00:00:00Z', () =>
        writeAll(repo, { ...skill('alice', 'one', '1.0.0'), ...skill('alice', 'two', '1.0.0'), ...server('bob', 'srv', '1.0.0') })
      )
    )
    // carol's `one` comes second: it is listed as `carol-one` in the marketplace-wide indexes.
    ways.push(await step('a second `one`', '2026-07-02T00:00:00Z', () => writeAll(repo, skill('carol', 'one', '1.0.0'))))
    ways.push(await step('server bump', '2026-07-03T00:00:00Z', () => writeAll(repo, server('bob', 'srv', '1.1.0'))))
    ways.push(
      await step('qualified bump', '2026-07-04T00:00:00Z', () =>
        writeAll(repo, skill('carol', 'one', '1.1.0', 'Carol’s own take, with new words in it.'))
      )
    )
    ways.push(
      await step('two at once', '2026-07-05T00:00:00Z', () =>
        writeAll(repo, { ...skill('alice', 'one', '2.0.0', undefined, 'Rewritten.'), ...skill('alice', 'two', '1.0.1', 'Shorter.') })
      )
    )
    // The files change under a published version: withheld, so the usual build runs.
    ways.push(
      await step('changed without a bump', '2026-07-06T00:00:00Z', () =>
        writeAll(repo, skill('alice', 'two', '1.0.1', 'Shorter.', 'Sneaky edit.'))
      )
    )
    ways.push(
      await step('the fix', '2026-07-07T00:00:00Z', () => writeAll(repo, skill('alice', 'two', '1.0.2', 'Shorter.', 'Sneaky edit.')))
    )
    ways.push(
      await step('without the catalog', '2026-07-08T00:00:00Z', () => writeAll(repo, skill('alice', 'one', '2.0.1')), { catalog: false })
    )
    ways.push(
      await step('without the catalog again', '2026-07-09T00:00:00Z', () => writeAll(repo, skill('alice', 'one', '2.0.2')), {
        catalog: false
      })
    )
    expect(ways).toEqual([
      'full: there is no registry.json yet',
      'incremental',
      'spliced',
      'spliced',
      'spliced',
      'incremental',
      // A withheld package is out of marketplace.json; its fix brings it back: the usual build.
      'incremental',
      'incremental',
      'spliced'
    ])
  }, 300_000)

  it('asks git five things: the commit, its ancestry, the diff, one cat-file, one listing of what is read first', async () => {
    writeAll(repo, skill('alice', 'one', '2.0.3', undefined, 'Once more.'))
    commitAt(repo, 'one more bump', '2026-07-10T00:00:00Z')
    const commands: GitCommand[] = []
    const stop = onGitCommand((c) => commands.push(c))
    let spliced: Awaited<ReturnType<typeof build>>
    try {
      spliced = await build(repo, inc, { catalog: false })
    } finally {
      stop()
    }
    expect(spliced.result.removedFiles).toBeDefined()
    const listing = commands.find((c) => c.args.includes('ls-tree'))?.args ?? []
    expect(commands.map((c) => c.args.find((a) => !a.startsWith('-') && !a.includes('=')))).toEqual([
      'rev-parse',
      'merge-base',
      'diff-tree',
      'cat-file',
      'ls-tree'
      // no `log`: the recorded commit is the built commit's first parent, so the diff dates the new version
    ])
    // The config, the changed package and its publisher's profile, in the one listing.
    expect(listing.slice(listing.indexOf('--') + 1)).toEqual([
      'marketplace.config.yaml',
      'publishers/alice/one',
      'publishers/alice/profile.json'
    ])
    await build(repo, full, { catalog: false, full: true })
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])
  })

  it('stands aside when the ledger or a file it splices from is not what was recorded, and the usual build repairs it', async () => {
    const publisherIndex = path.join(inc.site, 'publishers/alice/.well-known/agent-skills/index.json')
    const good = readFileSync(publisherIndex)
    writeFileSync(publisherIndex, good.toString('utf8').replace('"skills": [', '"skills": [ '))
    writeAll(repo, skill('alice', 'one', '2.0.3'))
    commitAt(repo, 'bump', '2026-07-10T00:00:00Z')
    const edited = await build(repo, inc)
    expect([edited.result.mode, edited.result.removedFiles]).toEqual(['incremental', undefined])
    await build(repo, full, { full: true })
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])

    // The ledger tampered with (an item length moved by one), cut short, or replaced by the
    // format 1 ledger of earlier releases (one JSON document) with a record that vouches for it:
    // each time the splice stands aside and the usual build writes the full build's bytes and a
    // sound ledger, which the next one-package rebuild splices again.
    const ledger = path.join(inc.site, BUILD_LEDGER_FILE)
    const sound = readFileSync(ledger)
    const header = JSON.parse(sound.toString('utf8', 24, 24 + Number(sound.toString('latin1', 13, 23)))) as { sections: number[] }
    const tampered = Buffer.from(sound)
    const firstLength = 24 + Number(sound.toString('latin1', 13, 23))
    tampered.writeUInt32LE(tampered.readUInt32LE(firstLength) + 1, firstLength)
    expect(header.sections[0]).toBeGreaterThan(0)
    const formatOne = JSON.stringify({ format: 1, registry: { sha256: 'x', ids: [], ranges: [] } })
    let version = 4
    for (const [how, bytes, vouched] of [
      ['tampered', tampered, false],
      ['truncated', sound.subarray(0, sound.length - 3), false],
      ['format 1 with a record vouching for it', Buffer.from(formatOne), true]
    ] as const) {
      writeFileSync(ledger, bytes)
      if (vouched) vouchFor(inc, BUILD_LEDGER_FILE, bytes)
      writeAll(repo, skill('alice', 'one', `2.0.${version}`))
      commitAt(repo, `bump to 2.0.${version} (${how} ledger)`, `2026-07-1${version - 3}T00:00:00Z`)
      version++
      const rebuilt = await build(repo, inc)
      expect([how, rebuilt.result.mode, rebuilt.result.removedFiles]).toEqual([how, 'incremental', undefined])
      await build(repo, full, { full: true })
      expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])
    }
    writeAll(repo, skill('alice', 'one', '2.0.7'))
    commitAt(repo, 'bump after the repairs', '2026-07-14T00:00:00Z')
    expect((await build(repo, inc)).result.removedFiles).toEqual([])
    await build(repo, full, { full: true })
    expect(describeDifferences(filesOf(inc), filesOf(full))).toEqual([])

    // The splice copies registry.json's untouched entries without reading them: a registry.json
    // edited in place (same size, a later entry) or cut short must be caught by its digest first.
    const registry = path.join(inc.root, 'registry.json')
    const text = readFileSync(registry, 'utf8')
    const at = text.lastIndexOf('A test package')
    writeFileSync(registry, `${text.slice(0, at)}B${text.slice(at + 1)}`)
    writeAll(repo, skill('alice', 'one', '2.0.8'))
    commitAt(repo, 'edited registry', '2026-07-15T00:00:00Z')
    // (The usual incremental build then carries unchanged entries over as they are, edit included:
    // only --full rewrites every entry. What matters here is that the splice did not stand on it.)
    const edited2 = await build(repo, inc)
    expect([edited2.result.mode, edited2.result.removedFiles]).toEqual(['incremental', undefined])

    // Cut short: the splice stands aside (it would have copied the rest without reading it), and
    // the usual build refuses the broken registry.json with its located error; nothing is written.
    const cut = readFileSync(registry).subarray(0, -40)
    writeFileSync(registry, cut)
    writeAll(repo, skill('alice', 'one', '2.0.9'))
    commitAt(repo, 'truncated registry', '2026-07-16T00:00:00Z')
    await expect(build(repo, inc)).rejects.toThrow(/registry\.json is not valid JSON/)
    expect(readFileSync(registry).equals(cut)).toBe(true)
  }, 300_000)
})
