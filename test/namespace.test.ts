// The namespace check over real git history: a base marketplace with publishers alice (whose
// profile names Carol a maintainer) and Bob, generated files, workflows and a config naming the
// marketplace maintainer octocat; pull requests by each of them and by mallory.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, skillMd } from './helpers/marketplace.js'
import { gitAuthor, move, pullRequest, remove, reviewChange, write } from './helpers/pull-request.js'
import { reviewSchemaErrors } from './helpers/review-schema.js'
import { namespaceCheck } from '../src/core/checks/release/namespace.js'
import { ConfigError } from '../src/core/errors.js'
import type { Review } from '../src/core/review/review.js'

const WEB = 'publishers/alice/web-deploy'
const GH = 'publishers/Bob/github-review'

const aliceProfile = (maintainers: string[]) => `${JSON.stringify({ name: 'Alice Example', login: 'alice', maintainers }, null, 2)}\n`

let repo: TestRepo
let base: string
let baseShort: string

const check = (head: string, author: string | undefined): Promise<Review> => reviewChange(repo, base, head, author, [namespaceCheck])
const ruleAndFile = (review: Review) => review.findings.map((f) => [f.rule, f.file ?? null])

beforeAll(async () => {
  repo = await makeRepo()
  const files: Record<string, string> = {
    'marketplace.config.yaml': 'maintainers: [octocat]\n',
    'README.md': '# Marketplace\n',
    'publishers/README.md': '# Publishers\n',
    '.github/workflows/review.yml': 'on: pull_request\n',
    'registry.json': '{}\n',
    '.claude-plugin/marketplace.json': '{}\n',
    '.well-known/skills/index.json': '{}\n',
    'publishers/alice/profile.json': aliceProfile(['Carol']),
    [`${WEB}/manifest.yaml`]: manifestYaml('web-deploy'),
    [`${WEB}/SKILL.md`]: skillMd('web-deploy'),
    [`${WEB}/review.json`]: '{"verdict":"pass"}\n',
    'publishers/Bob/profile.json': '{"name": "Bob"}\n',
    [`${GH}/manifest.yaml`]: manifestYaml('github-review'),
    [`${GH}/SKILL.md`]: skillMd('github-review')
  }
  for (const [path, content] of Object.entries(files)) repo.write(path, content)
  base = repo.commit('the marketplace', { author: gitAuthor('octocat') })
  baseShort = base.slice(0, 12)
})

afterAll(async () => {
  await repo?.cleanup()
})

describe('owners', () => {
  it('lets a publisher change their own packages and profile', async () => {
    const head = pullRequest(
      repo,
      base,
      'own',
      'alice',
      write({ [`${WEB}/SKILL.md`]: `${skillMd('web-deploy')}\nMore.\n`, 'publishers/alice/profile.json': aliceProfile(['Carol', 'dave']) })
    )
    const review = await check(head, 'alice')
    expect(review.findings).toEqual([])
    expect(review.checks).toEqual(['namespace'])
    expect(reviewSchemaErrors(review)).toEqual([])
  })

  it('matches logins to directories ignoring case', async () => {
    const toAlice = pullRequest(repo, base, 'case-alice', 'ALICE', write({ [`${WEB}/notes.md`]: 'x\n' }))
    const toBob = pullRequest(repo, base, 'case-bob', 'bob', write({ [`${GH}/notes.md`]: 'x\n' }))
    expect((await check(toAlice, 'ALICE')).findings).toEqual([])
    expect((await check(toBob, 'bob')).findings).toEqual([])
  })

  it('lets a maintainer listed in the base profile change the namespace, ignoring case', async () => {
    const head = pullRequest(repo, base, 'carol', 'carol', write({ [`${WEB}/SKILL.md`]: `${skillMd('web-deploy')}\nCarol was here.\n` }))
    expect((await check(head, 'carol')).findings).toEqual([])
  })

  it('lets a new publisher create the namespace named after them', async () => {
    const head = pullRequest(
      repo,
      base,
      'newcomer',
      'Mallory',
      write({ 'publishers/mallory/profile.json': '{"name": "Mallory"}\n', 'publishers/mallory/tool/manifest.yaml': manifestYaml('tool') })
    )
    expect((await check(head, 'Mallory')).findings).toEqual([])
  })
})

describe('everyone else', () => {
  // Issue 10: one finding per package with the file count, not one per file (a big pull request
  // printed thousands of lines).
  it('fails a hijack of another namespace with one finding per package, naming the owners and the files', async () => {
    const head = pullRequest(
      repo,
      base,
      'hijack',
      'mallory',
      write({ [`${WEB}/SKILL.md`]: 'pwned\n', [`${WEB}/evil.ts`]: 'fetch("https://e.vil")\n' })
    )
    const review = await check(head, 'mallory')
    expect(review.verdict).toBe('fail')
    expect(ruleAndFile(review)).toEqual([['namespace/not-owner', WEB]])
    const [f] = review.findings
    expect(f).toMatchObject({ severity: 'error', package: 'alice/web-deploy' })
    expect(f?.message).toBe(
      `mallory may not change 2 files in \`${WEB}/\` (${WEB}/SKILL.md, ${WEB}/evil.ts): it belongs to alice and its maintainers Carol`
    )
    expect(f?.hint).toBe(
      `Undo the changes under ${WEB}/ on your branch: \`git checkout ${baseShort} -- ${WEB}\` restores the base's files, and \`git rm\` removes the ones you added. ` +
        'To work on these packages, ask alice to add "mallory" to "maintainers" in publishers/alice/profile.json first ' +
        '(ownership is read from the base branch, so adding yourself in this pull request does not count).'
    )
  })

  it('names the one file and how to undo it when a hijack touches one file', async () => {
    const review = await check(pullRequest(repo, base, 'hijack-one', 'mallory', write({ [`${WEB}/SKILL.md`]: 'pwned\n' })), 'mallory')
    expect(ruleAndFile(review)).toEqual([['namespace/not-owner', `${WEB}/SKILL.md`]])
    const [skill] = review.findings
    expect(skill?.message).toBe(
      `mallory may not change \`${WEB}/SKILL.md\`: it is in publishers/alice/, which belongs to alice and its maintainers Carol`
    )
    expect(skill?.hint).toBe(
      `Undo it on your branch: git checkout ${baseShort} -- ${WEB}/SKILL.md. To work on these packages, ask alice to add "mallory" to "maintainers" in publishers/alice/profile.json first ` +
        '(ownership is read from the base branch, so adding yourself in this pull request does not count).'
    )
    const added = await check(pullRequest(repo, base, 'hijack-add', 'mallory', write({ [`${WEB}/evil.ts`]: 'x\n' })), 'mallory')
    expect(added.findings[0]?.message).toBe(
      `mallory may not add \`${WEB}/evil.ts\`: it is in publishers/alice/, which belongs to alice and its maintainers Carol`
    )
    expect(added.findings[0]?.hint).toMatch(new RegExp(`^Undo it on your branch: git rm -- ${WEB}/evil\\.ts\\. `))
  })

  it('judges the pull request author, not the name on the commits', async () => {
    // mallory's branch carries commits whose author line says alice.
    repo.git(['checkout', '-q', '-b', 'spoof', base])
    repo.write(`${WEB}/SKILL.md`, 'pwned\n')
    const head = repo.commit('looks like alice', { author: gitAuthor('alice') })
    repo.git(['checkout', '-q', 'main'])
    expect(ruleAndFile(await check(head, 'mallory'))).toEqual([['namespace/not-owner', `${WEB}/SKILL.md`]])
  })

  it('reads maintainers from the base: a pull request cannot make its author a maintainer and use it', async () => {
    const head = pullRequest(
      repo,
      base,
      'grant-self',
      'mallory',
      write({ 'publishers/alice/profile.json': aliceProfile(['Carol', 'mallory']) }),
      write({ [`${WEB}/SKILL.md`]: 'pwned\n' })
    )
    expect(ruleAndFile(await check(head, 'mallory'))).toEqual([
      ['namespace/not-owner', 'publishers/alice/profile.json'],
      ['namespace/not-owner', `${WEB}/SKILL.md`]
    ])
  })

  it("fails a new namespace that is not the author's, and one that differs from an existing one only in case", async () => {
    const other = pullRequest(
      repo,
      base,
      'squat',
      'mallory',
      write({ 'publishers/eve/profile.json': '{"name": "Eve"}\n', 'publishers/eve/x/manifest.yaml': manifestYaml('x') })
    )
    const review = await check(other, 'mallory')
    expect(ruleAndFile(review)).toEqual([
      ['namespace/new-publisher', 'publishers/eve/profile.json'],
      ['namespace/new-publisher', 'publishers/eve/x/manifest.yaml']
    ])
    expect(review.findings[0]?.message).toBe(
      "mallory may not add `publishers/eve/profile.json`: publishers/eve/ is a new namespace, and a new namespace must be named after the pull request's author (mallory)"
    )
    const twin = pullRequest(repo, base, 'twin', 'Alice', write({ 'publishers/ALICE/x/manifest.yaml': manifestYaml('x') }))
    const twinReview = await check(twin, 'Alice')
    expect(ruleAndFile(twinReview)).toEqual([['namespace/case-conflict', 'publishers/ALICE']])
    expect(twinReview.findings[0]?.message).toBe(
      "publishers/ALICE/ differs only in case from the existing publishers/alice/: GitHub logins ignore case, so both would be one account's namespace"
    )
  })

  it("fails edits to generated files, even in the author's own package; a deeper review.json is the publisher's", async () => {
    const head = pullRequest(
      repo,
      base,
      'generated',
      'alice',
      write({
        'registry.json': '{"hacked": true}\n',
        '.claude-plugin/marketplace.json': '{"hacked": true}\n',
        '.well-known/skills/index.json': '{"hacked": true}\n',
        [`${WEB}/review.json`]: '{"verdict":"pass","forged":true}\n',
        [`${WEB}/docs/review.json`]: '{"a": "document of the publisher\'s"}\n'
      })
    )
    const review = await check(head, 'alice')
    expect(ruleAndFile(review)).toEqual([
      ['namespace/generated-file', '.claude-plugin/marketplace.json'],
      ['namespace/generated-file', '.well-known/skills/index.json'],
      ['namespace/generated-file', 'registry.json'],
      ['namespace/generated-file', `${WEB}/review.json`]
    ])
    expect(review.findings.find((f) => f.file === 'registry.json')?.message).toBe(
      '`registry.json` is the registry index, written by the marketplace after each merge; a pull request must not change it'
    )
  })

  it('fails edits to workflows, the config and other marketplace files', async () => {
    const head = pullRequest(
      repo,
      base,
      'workflows',
      'alice',
      write({
        '.github/workflows/review.yml': 'on: push\n',
        'marketplace.config.yaml': 'maintainers: [octocat, alice]\n',
        'publishers/README.md': '# Mine\n'
      })
    )
    const review = await check(head, 'alice')
    expect(ruleAndFile(review)).toEqual([
      ['namespace/maintainers-only', '.github/workflows/review.yml'],
      ['namespace/maintainers-only', 'marketplace.config.yaml'],
      ['namespace/maintainers-only', 'publishers/README.md']
    ])
    expect(review.findings[0]?.message).toBe(
      'alice may not change `.github/workflows/review.yml`: files outside publishers/<login>/ belong to the marketplace, and only its maintainers (marketplace.config.yaml `maintainers`) change them'
    )
  })

  it('judges both paths of a rename', async () => {
    const head = pullRequest(repo, base, 'rename-readme', 'mallory', move('README.md', 'READ-ME.md'))
    expect(ruleAndFile(await check(head, 'mallory'))).toEqual([
      ['namespace/maintainers-only', 'READ-ME.md'],
      ['namespace/maintainers-only', 'README.md']
    ])
  })
})

describe('marketplace maintainers', () => {
  it('may change anything, listed in one notice', async () => {
    const head = pullRequest(
      repo,
      base,
      'maintainer',
      'octocat',
      write({
        'registry.json': '{"fixed": true}\n',
        '.github/workflows/review.yml': 'on: pull_request_target\n',
        [`${WEB}/SKILL.md`]: `${skillMd('web-deploy')}\nTypo fixed.\n`
      })
    )
    const review = await check(head, 'OctoCat')
    expect(review.verdict).toBe('pass')
    expect(ruleAndFile(review)).toEqual([['namespace/maintainer-override', null]])
    expect(review.findings[0]).toMatchObject({ severity: 'notice' })
    expect(review.findings[0]?.message).toBe(
      `OctoCat is a marketplace maintainer (marketplace.config.yaml \`maintainers\`), so 3 change(s) outside their own namespaces are allowed: .github/workflows/review.yml, ${WEB}/SKILL.md, registry.json`
    )
  })

  it('are read from the base config: adding oneself in the pull request does not count', async () => {
    const head = pullRequest(
      repo,
      base,
      'self-maintainer',
      'mallory',
      write({ 'marketplace.config.yaml': 'maintainers: [octocat, mallory]\n', [`${WEB}/SKILL.md`]: 'pwned\n' })
    )
    expect(ruleAndFile(await check(head, 'mallory'))).toEqual([
      ['namespace/maintainers-only', 'marketplace.config.yaml'],
      ['namespace/not-owner', `${WEB}/SKILL.md`]
    ])
  })
})

describe('removals', () => {
  it('allows the owner to delete a package and reports the removal', async () => {
    const review = await check(pullRequest(repo, base, 'delete', 'alice', remove(WEB)), 'alice')
    expect(review.verdict).toBe('pass')
    expect(ruleAndFile(review)).toEqual([['namespace/removed', WEB]])
    expect(review.findings[0]).toMatchObject({ severity: 'notice', package: 'alice/web-deploy' })
    expect(review.findings[0]?.message).toBe(
      'alice/web-deploy is deleted by this pull request: after the merge it leaves the registry, installed copies keep working but receive no updates, and new installs fail.'
    )
    expect(review.findings[0]?.hint).toBe(
      `Nothing to fix if the removal is intended. Otherwise restore it: git checkout ${baseShort} -- ${WEB}`
    )
  })

  it('fails a deletion by anyone else, once for the package with the file count', async () => {
    const review = await check(pullRequest(repo, base, 'delete-other', 'mallory', remove(WEB)), 'mallory')
    expect(ruleAndFile(review)).toEqual([['namespace/not-owner', WEB]])
    expect(review.findings[0]?.message).toBe(
      `mallory may not change 3 files in \`${WEB}/\` (${WEB}/SKILL.md, ${WEB}/manifest.yaml, ${WEB}/review.json): it belongs to alice and its maintainers Carol`
    )
  })

  it("reports a move into another namespace as a removal, and the other side as not the author's", async () => {
    const head = pullRequest(repo, base, 'move-to-bob', 'alice', move(WEB, 'publishers/Bob/web-deploy'))
    const review = await check(head, 'alice')
    // The review record that moved along is the marketplace's to write at its new place.
    expect(ruleAndFile(review)).toEqual([
      ['namespace/not-owner', 'publishers/Bob/web-deploy'],
      ['namespace/generated-file', 'publishers/Bob/web-deploy/review.json'],
      ['namespace/removed', WEB]
    ])
    expect(review.findings.find((f) => f.rule === 'namespace/removed')?.message).toContain(
      'Its files move to Bob/web-deploy, a new package: installs of alice/web-deploy will not update to it.'
    )
  })
})

describe('what the check needs', () => {
  it('is a configuration error without an author', async () => {
    const head = pullRequest(repo, base, 'no-author', 'alice', write({ [`${WEB}/notes.md`]: 'x\n' }))
    await expect(check(head, undefined)).rejects.toThrow(ConfigError)
    await expect(check(head, '  ')).rejects.toThrow(/^the namespace check needs the pull request author: .*--author LOGIN$/)
  })

  it('is a configuration error without a base', async () => {
    await expect(reviewChange(repo, undefined, base, 'alice', [namespaceCheck])).rejects.toThrow(
      /^the namespace check needs base and head commits/
    )
  })
})
