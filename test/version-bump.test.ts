// The version-bump check over real git history: a base commit holding published packages and the
// registry.json the marketplace wrote for them, and pull-request branches (commits by their
// authors) that bump, forget to bump, downgrade, republish, add, delete and rename packages.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, skillMd } from './helpers/marketplace.js'
import { chmod, digestAt, gitAuthor, move, pullRequest, registryJson, remove, reviewChange, write } from './helpers/pull-request.js'
import { reviewSchemaErrors } from './helpers/review-schema.js'
import { versionBumpCheck } from '../src/core/checks/release/version-bump.js'
import { nextVersions, describeNextVersions } from '../src/core/checks/release/versions.js'
import { ConfigError } from '../src/core/errors.js'
import type { Review } from '../src/core/review/review.js'
import type { Finding } from '../src/core/findings/findings.js'

const dir = (name: string) => `publishers/alice/${name}`

function skill(name: string, version: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [`${dir(name)}/manifest.yaml`]: manifestYaml(name, { version: `"${version}"` }),
    [`${dir(name)}/SKILL.md`]: skillMd(name),
    ...Object.fromEntries(Object.entries(extra).map(([file, content]) => [`${dir(name)}/${file}`, content]))
  }
}

/** Only the manifest's version line changes. */
const setVersion = (name: string, version: string) =>
  write({ [`${dir(name)}/manifest.yaml`]: manifestYaml(name, { version: `"${version}"` }) })
const editSkill = (name: string, text: string) => write({ [`${dir(name)}/SKILL.md`]: `${skillMd(name)}\n${text}\n` })

let repo: TestRepo
/** c0 publishes the packages; base (c1) removes alice/old-tool and holds the registry of both. */
let c0: string
let base: string
const digests: Record<string, string> = {}

const check = (head: string, author = 'alice'): Promise<Review> => reviewChange(repo, base, head, author, [versionBumpCheck])
const only = (review: Review, rule?: string): Finding => {
  const found = review.findings.filter((f) => rule === undefined || f.rule === rule)
  expect(found).toHaveLength(1)
  return found[0] as Finding
}
const pkg = (review: Review, id: string) => review.packages.find((p) => p.id === id)

beforeAll(async () => {
  repo = await makeRepo()
  repo.write('publishers/alice/profile.json', profile('alice')['publishers/alice/profile.json'] as string)
  for (const files of [
    skill('web-deploy', '1.0.0', { 'tool.ts': 'export const deploy = (dir: string) => dir\n' }),
    skill('code-review', '1.2.0'),
    skill('beta', '1.0.0-rc.1'),
    skill('old-tool', '1.0.0')
  ]) {
    for (const [path, content] of Object.entries(files)) repo.write(path, content)
  }
  c0 = repo.commit('publish alice packages', { author: gitAuthor('alice') })
  for (const name of ['web-deploy', 'code-review', 'beta', 'old-tool']) digests[name] = await digestAt(repo, c0, 'alice', name)
  const at = (version: string, name: string) => ({
    version,
    digest: digests[name] as string,
    commit: c0,
    published_at: '2026-03-20T09:30:00Z'
  })
  repo.remove(dir('old-tool'))
  repo.write(
    'registry.json',
    registryJson([
      { publisher: 'alice', name: 'beta', versions: [at('1.0.0-rc.1', 'beta')] },
      { publisher: 'alice', name: 'code-review', versions: [at('1.2.0', 'code-review')] },
      // Removed from the tree, still recorded: its version 1.0.0 names those files for good.
      { publisher: 'alice', name: 'old-tool', versions: [at('1.0.0', 'old-tool')] },
      { publisher: 'alice', name: 'web-deploy', versions: [at('1.0.0', 'web-deploy')] }
    ])
  )
  base = repo.commit('remove old-tool; rebuild the registry', { author: gitAuthor('octocat') })
})

afterAll(async () => {
  await repo?.cleanup()
})

describe('a changed package needs a higher version', () => {
  it('passes a bump, and reports both versions and the digest', async () => {
    const head = pullRequest(repo, base, 'bump', 'alice', editSkill('web-deploy', 'Now with previews.'), setVersion('web-deploy', '1.0.1'))
    const review = await check(head)
    expect(review.findings).toEqual([])
    expect(reviewSchemaErrors(review)).toEqual([])
    expect(pkg(review, 'alice/web-deploy')).toMatchObject({
      status: 'modified',
      version: '1.0.1',
      previous_version: '1.0.0',
      verdict: 'pass'
    })
    expect(pkg(review, 'alice/web-deploy')?.digest).toBe(await digestAt(repo, head, 'alice', 'web-deploy'))
    expect(pkg(review, 'alice/web-deploy')?.digest).not.toBe(digests['web-deploy'])
  })

  it('fails a change without a bump, at the version line, naming both versions, the files and the next versions', async () => {
    const head = pullRequest(
      repo,
      base,
      'no-bump',
      'alice',
      editSkill('web-deploy', 'A quiet fix.'),
      write({ [`${dir('web-deploy')}/notes.md`]: 'notes\n' })
    )
    const review = await check(head)
    const f = only(review)
    expect(f).toMatchObject({
      rule: 'version/not-bumped',
      severity: 'error',
      package: 'alice/web-deploy',
      file: `${dir('web-deploy')}/manifest.yaml`,
      line: 3
    })
    expect(f.message).toBe(
      'alice/web-deploy changed (SKILL.md modified, notes.md added) but its version is 1.0.0, the same as on the base commit: ' +
        'installed copies only update when the version goes up, and version 1.0.0 would name two different sets of files'
    )
    expect(f.hint).toBe(
      'Raise `version` in manifest.yaml from 1.0.0 to "1.0.1" (patch: fixes only), "1.1.0" (minor: new features) or "2.0.0" (major: breaking changes).'
    )
    expect(review.verdict).toBe('fail')
    expect(pkg(review, 'alice/web-deploy')).toMatchObject({ version: '1.0.0', previous_version: '1.0.0', verdict: 'fail' })
  })

  it('names the first three changed files and counts the rest', async () => {
    const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [`${dir('code-review')}/docs/${n}.md`, `${n}\n`]))
    const review = await check(pullRequest(repo, base, 'many-files', 'alice', write(files)))
    expect(only(review, 'version/not-bumped').message).toContain('(docs/a.md added, docs/b.md added, docs/c.md added and 2 more)')
  })

  it('fails an equal version with new content, also when only build metadata differs', async () => {
    const head = pullRequest(
      repo,
      base,
      'build-metadata',
      'alice',
      editSkill('web-deploy', 'Rebuilt.'),
      setVersion('web-deploy', '1.0.0+build.2')
    )
    const f = only(await check(head))
    expect(f.rule).toBe('version/not-bumped')
    expect(f.message).toContain(
      'its version is 1.0.0+build.2, equal to 1.0.0 on the base commit (build metadata after `+` does not order versions)'
    )
  })

  it('counts an executable bit as content', async () => {
    const f = only(await check(pullRequest(repo, base, 'chmod', 'alice', chmod(`${dir('web-deploy')}/tool.ts`, 0o755))))
    expect(f.rule).toBe('version/not-bumped')
    expect(f.message).toContain('(tool.ts modified)')
  })

  it('compares content digests, not the diff: a change only to the marketplace review record is no release', async () => {
    const head = pullRequest(repo, base, 'review-record', 'alice', write({ [`${dir('web-deploy')}/review.json`]: '{"verdict":"pass"}\n' }))
    const review = await check(head)
    expect(pkg(review, 'alice/web-deploy')).toMatchObject({
      status: 'modified',
      version: '1.0.0',
      previous_version: '1.0.0',
      digest: digests['web-deploy']
    })
    expect(review.findings).toEqual([])
  })

  it('fails a downgrade, suggesting versions above the base', async () => {
    const head = pullRequest(repo, base, 'downgrade', 'alice', setVersion('code-review', '1.1.0'))
    const f = only(await check(head))
    expect(f).toMatchObject({ rule: 'version/downgrade', severity: 'error', file: `${dir('code-review')}/manifest.yaml`, line: 3 })
    expect(f.message).toBe(
      'version 1.1.0 is lower than 1.2.0 on the base commit: clients keep the highest version, so this change would never be installed'
    )
    expect(f.hint).toBe(
      'Set `version` in manifest.yaml above 1.2.0: "1.2.1" (patch: fixes only), "1.3.0" (minor: new features) or "2.0.0" (major: breaking changes).'
    )
  })

  it('orders prereleases as semver does', async () => {
    const [rc2, release, minorRc, toRc] = await Promise.all([
      check(pullRequest(repo, base, 'rc2', 'alice', setVersion('beta', '1.0.0-rc.2'))),
      check(pullRequest(repo, base, 'release', 'alice', setVersion('beta', '1.0.0'))),
      check(pullRequest(repo, base, 'minor-rc', 'alice', setVersion('code-review', '1.3.0-rc.1'))),
      check(pullRequest(repo, base, 'to-rc', 'alice', setVersion('code-review', '1.2.0-rc.1')))
    ])
    expect(rc2.findings).toEqual([])
    expect(release.findings).toEqual([])
    expect(minorRc.findings).toEqual([])
    const f = only(toRc)
    expect(f.rule).toBe('version/downgrade')
    expect(f.message).toContain('version 1.2.0-rc.1 is lower than 1.2.0 on the base commit (a prerelease comes before its release)')
  })

  it('suggests the next prerelease and the release after a prerelease', async () => {
    const f = only(await check(pullRequest(repo, base, 'rc-no-bump', 'alice', editSkill('beta', 'More.'))))
    expect(f.rule).toBe('version/not-bumped')
    // After 1.0.0-rc.1, the next minor and major are the release 1.0.0 itself (semver's inc).
    expect(f.hint).toBe('Raise `version` in manifest.yaml from 1.0.0-rc.1 to "1.0.0-rc.2" (the next prerelease) or "1.0.0" (the release).')
  })

  it('leaves a version it cannot read to validate (no second finding)', async () => {
    const head = pullRequest(
      repo,
      base,
      'bad-version',
      'alice',
      write({ [`${dir('web-deploy')}/manifest.yaml`]: manifestYaml('web-deploy', { version: '1.1' }) })
    )
    const review = await check(head)
    expect(review.findings).toEqual([])
    expect(pkg(review, 'alice/web-deploy')).toMatchObject({ previous_version: '1.0.0' })
    expect(pkg(review, 'alice/web-deploy')?.version).toBeUndefined()
  })
})

describe('published versions are immutable', () => {
  it('fails a version the registry records with another digest', async () => {
    const head = pullRequest(
      repo,
      base,
      'republish',
      'alice',
      write(skill('old-tool', '1.0.0', { 'tool.ts': 'export const different = true\n' }))
    )
    const review = await check(head)
    const f = only(review)
    expect(f).toMatchObject({
      rule: 'version/republished',
      severity: 'error',
      package: 'alice/old-tool',
      file: `${dir('old-tool')}/manifest.yaml`,
      line: 3
    })
    const now = await digestAt(repo, head, 'alice', 'old-tool')
    expect(f.message).toBe(
      `version 1.0.0 of alice/old-tool was already published with other files (registry.json records ${digests['old-tool']?.slice(0, 19)}…, ` +
        `published 2026-03-20T09:30:00Z in commit ${c0.slice(0, 12)}; these files are ${now.slice(0, 19)}…): a published version never changes, ` +
        'so users who installed 1.0.0 would get different files under the same version'
    )
    expect(f.hint).toContain('"1.0.1" (patch: fixes only)')
    expect(pkg(review, 'alice/old-tool')).toMatchObject({ status: 'added', version: '1.0.0', digest: now })
  })

  it('accepts the same version with the same files (the registry digest is the honest one)', async () => {
    const original = repo
      .git(['ls-tree', '-r', '--name-only', c0, '--', dir('old-tool')])
      .trim()
      .split('\n')
    const files = Object.fromEntries(original.map((p) => [p, repo.git(['show', `${c0}:${p}`])]))
    const review = await check(pullRequest(repo, base, 'restore', 'alice', write(files)))
    expect(review.findings).toEqual([])
    expect(pkg(review, 'alice/old-tool')?.digest).toBe(digests['old-tool'])
  })

  it('accepts a new version of a removed package', async () => {
    const review = await check(
      pullRequest(repo, base, 'readd', 'alice', write(skill('old-tool', '1.1.0', { 'tool.ts': 'export const v2 = true\n' })))
    )
    expect(review.findings).toEqual([])
  })

  it('treats a broken registry.json on the base as a configuration error', async () => {
    const brokenBase = pullRequest(repo, base, 'broken-registry', 'octocat', write({ 'registry.json': '{"version": 2, "packages": [}\n' }))
    const head = pullRequest(repo, brokenBase, 'on-broken', 'alice', setVersion('web-deploy', '1.0.1'))
    const run = reviewChange(repo, brokenBase, head, 'alice', [versionBumpCheck])
    await expect(run).rejects.toThrow(ConfigError)
    await expect(run).rejects.toThrow(
      /^registry\.json on the base commit \(commit [0-9a-f]{12}\) is not valid JSON\. The version check reads the published versions from it: a maintainer must rebuild it .*\nregistry\.json:1:29: JSON syntax error: a value was expected/
    )
    const invalid = pullRequest(
      repo,
      base,
      'invalid-registry',
      'octocat',
      write({ 'registry.json': '{"version": 2, "updated_at": "2026-03-24T00:00:00Z", "packages": [{"name": "x"}]}\n' })
    )
    await expect(
      reviewChange(repo, invalid, pullRequest(repo, invalid, 'on-invalid', 'alice', setVersion('web-deploy', '1.0.1')), 'alice', [
        versionBumpCheck
      ])
    ).rejects.toThrow(/does not match the registry schema\. .*\nregistry\.json:1:\d+: .*publisher/)
  })
})

describe('new, deleted and renamed packages', () => {
  it('lets a new package start at any valid version', async () => {
    const review = await check(pullRequest(repo, base, 'new', 'alice', write(skill('fresh', '0.0.1-alpha.1'))))
    expect(review.findings).toEqual([])
    expect(pkg(review, 'alice/fresh')).toMatchObject({ status: 'added', version: '0.0.1-alpha.1', verdict: 'pass' })
    expect(pkg(review, 'alice/fresh')?.previous_version).toBeUndefined()
  })

  it('records a deleted package with its last version and reports nothing itself', async () => {
    const review = await check(pullRequest(repo, base, 'delete', 'alice', remove(dir('code-review'))))
    expect(review.findings).toEqual([])
    expect(pkg(review, 'alice/code-review')).toMatchObject({ status: 'deleted', previous_version: '1.2.0' })
    expect(pkg(review, 'alice/code-review')?.version).toBeUndefined()
  })

  it('reports a rename as a removal plus a new package', async () => {
    const head = pullRequest(
      repo,
      base,
      'rename',
      'alice',
      move(dir('web-deploy'), dir('site-deploy')),
      write({
        [`${dir('site-deploy')}/manifest.yaml`]: manifestYaml('site-deploy', { version: '"1.0.0"' }),
        [`${dir('site-deploy')}/SKILL.md`]: skillMd('site-deploy')
      })
    )
    const review = await check(head)
    const f = only(review)
    expect(f).toMatchObject({ rule: 'version/renamed', severity: 'notice', package: 'alice/site-deploy', file: dir('site-deploy') })
    expect(f.message).toBe(
      'alice/site-deploy is renamed from alice/web-deploy (version 1.0.0 there): that is a removal of alice/web-deploy and a new package alice/site-deploy. ' +
        'Installs of alice/web-deploy will not update to alice/site-deploy, and alice/site-deploy starts its own version history'
    )
    expect(pkg(review, 'alice/site-deploy')).toMatchObject({ status: 'renamed', renamed_from: 'alice/web-deploy', version: '1.0.0' })
    expect(pkg(review, 'alice/web-deploy')).toMatchObject({ status: 'deleted', previous_version: '1.0.0' })
    expect(review.verdict).toBe('pass')
  })
})

describe('without a base', () => {
  it('is a configuration error that says what the check needs', async () => {
    const run = reviewChange(repo, undefined, base, 'alice', [versionBumpCheck])
    await expect(run).rejects.toThrow(ConfigError)
    await expect(run).rejects.toThrow(
      /^the version-bump check needs base and head commits: it compares a change with the commit it was made on\./
    )
  })
})

describe('next versions', () => {
  it('offers patch, minor and major, and after a prerelease the next one and the release', () => {
    expect(nextVersions('1.2.3').map((n) => n.version)).toEqual(['1.2.4', '1.3.0', '2.0.0'])
    expect(nextVersions('1.2.3+build.7').map((n) => n.version)).toEqual(['1.2.4', '1.3.0', '2.0.0'])
    expect(nextVersions('1.2.3-rc.1').map((n) => n.version)).toEqual(['1.2.3-rc.2', '1.2.3', '1.3.0', '2.0.0'])
    expect(nextVersions('2.0.0-beta').map((n) => n.version)).toEqual(['2.0.0-beta.0', '2.0.0'])
    expect(describeNextVersions('0.1.0')).toBe(
      '"0.1.1" (patch: fixes only), "0.2.0" (minor: new features) or "1.0.0" (major: breaking changes)'
    )
  })
})
