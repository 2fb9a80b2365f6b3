/**
 * A small marketplace for the catalog's tests and screenshots: a git repository with skills and an
 * MCP server of three publishers, one of them hostile (a SKILL.md full of script, javascript:
 * links, data: images, event attributes, entity tricks, and a description with bidi overrides),
 * built by the real registry build, then scored the way aggregate-scores leaves things (scores in
 * registry.json, components in scores.json beside it) and built again.
 *
 *   const fixture = await catalogFixture()
 *   fixture.out.site      // the built site folder, catalog/ inside
 *   await fixture.cleanup()
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeRepo, type TestRepo } from './git-repo.js'
import { manifestYaml, profile, type Files } from './marketplace.js'
import { build, commitAt, outputDirs, writeAll, type OutputDirs } from './registry.js'
import type { Registry } from '../../src/generated/schema-types.js'
import { buildReview } from '../../src/core/review/review.js'
import { reviewRecords } from '../../src/core/review/record.js'
import { finding } from '../../src/core/findings/findings.js'
import { digestAt } from './pull-request.js'

/** Every hostile line logs or fetches something with this marker if it ever runs. */
export const PWNED = 'PWNED-MARKER'

export const HOSTILE_SKILL_BODY = [
  '# Totally normal skill',
  '',
  `<script>window.__pwned = 'script'; console.log('${PWNED} script'); fetch('/pwned-script')</script>`,
  `<img src="/pwned-img" onerror="window.__pwned='img'; console.log('${PWNED} img')">`,
  `<svg onload="console.log('${PWNED} svg')"><circle r="5"/></svg>`,
  `<iframe srcdoc="<script>parent.console.log('${PWNED} iframe')</script>"></iframe>`,
  `<a href="javascript:console.log('${PWNED} raw-anchor')">raw anchor</a>`,
  `<details open ontoggle="console.log('${PWNED} details')"><summary>x</summary></details>`,
  '<style>body { display: none }</style>',
  '<meta http-equiv="refresh" content="0; url=/pwned-refresh">',
  '<base href="https://evil.example/">',
  '<form action="/pwned-form"><button>Go</button></form>',
  '',
  `[a markdown link](javascript:console.log('${PWNED} md-link'))`,
  `[an entity trick](jav&#x61;script&#58;console.log('${PWNED} entity'))`,
  `[an uppercase trick](JaVaScRiPt:console.log('${PWNED} case'))`,
  '[a data link](data:text/html;base64,PHNjcmlwdD5jb25zb2xlLmxvZygnUFdORUQtTUFSS0VSIGRhdGEnKTwvc2NyaXB0Pg==)',
  '[a vbscript link](vbscript:msgbox(1))',
  '[protocol-relative](//127.0.0.1:9/pwned-proto)',
  '[escaping relative](../../../../pwned-relative)',
  `<javascript:console.log('${PWNED} autolink')>`,
  '![a tracking pixel](https://127.0.0.1:9/pwned-pixel.png)',
  '![a data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
  '[a fine link](https://example.com/docs) and <mailto:someone@example.com>',
  '',
  '```html',
  `<script>console.log('${PWNED} code-block')</script>`,
  '```',
  ''
].join('\n')

function skill(login: string, name: string, description: string, tags: string[], body: string, extra: Files = {}): Files {
  const dir = `publishers/${login}/${name}`
  const files: Files = {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, { description: JSON.stringify(description), tags: `[${tags.join(', ')}]` }),
    [`${dir}/SKILL.md`]: `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n---\n\n${body}\n`
  }
  for (const [rel, content] of Object.entries(extra)) files[`${dir}/${rel}`] = content
  return files
}

function server(login: string, name: string, description: string, tags: string[]): Files {
  const dir = `publishers/${login}/${name}`
  const doc = {
    name: `io.github.${login}/${name}`,
    description,
    version: '2.1.0',
    packages: [{ registryType: 'npm', identifier: `@${login}/${name}`, version: '2.1.0', transport: { type: 'stdio' } }],
    remotes: [{ type: 'streamable-http', url: `https://mcp.example.com/${name}` }]
  }
  return {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, {
      type: 'mcp-server',
      entrypoint: 'server.json',
      version: '"2.1.0"',
      description: JSON.stringify(description),
      tags: `[${tags.join(', ')}]`
    }),
    [`${dir}/server.json`]: JSON.stringify(doc, null, 2)
  }
}

export const FIXTURE_SCORES: Record<string, { score: number; review: number; downloads: number; recency: number }> = {
  'alice/web-deploy': { score: 0.86, review: 0.92, downloads: 0.74, recency: 0.95 },
  'bob/github-review': { score: 0.71, review: 0.8, downloads: 0.55, recency: 0.8 },
  'alice/log-reader': { score: 0.42, review: 0.6, downloads: 0.2, recency: 0.5 },
  'mallory/totally-normal': { score: 0.12, review: 0.1, downloads: 0.1, recency: 0.2 }
}

export function fixtureFiles(): Files {
  return {
    ...skill(
      'alice',
      'web-deploy',
      'Deploys static sites to GitHub Pages or any static host, with previews for every pull request.',
      ['deploy', 'web'],
      '# Web deploy\n\nBuild the site, then publish the `dist/` folder.\n\n1. Run the build.\n2. Check the preview.\n\nSee [the guide](https://example.com/guide).',
      { 'scripts/deploy.sh': '#!/bin/sh\necho deploy\n' }
    ),
    ...skill(
      'alice',
      'log-reader',
      'Reads application logs and summarises errors by frequency.',
      ['logs', 'debugging'],
      '# Log reader\n\nRead the logs.'
    ),
    ...server('bob', 'github-review', 'Reviews GitHub pull requests and suggests fixes as comments.', ['github', 'code-review']),
    ...skill('mallory', 'totally-normal', 'A helpful skill \u202Eexe.txt\u202C for everyone.', ['helper'], HOSTILE_SKILL_BODY)
  }
}

export interface CatalogFixture {
  repo: TestRepo
  out: OutputDirs
  head: string
  cleanup(): Promise<void>
}

/** The marketplace built, scored and built again; `out` is removed by removeOutputDirs or cleanup. */
export async function catalogFixture(): Promise<CatalogFixture> {
  const repo = await makeRepo()
  writeAll(repo, fixtureFiles())
  const added = commitAt(repo, 'four packages', '2026-03-01T10:00:00Z')
  // The records the marketplace writes after merge: web-deploy passed with a warning, the hostile one failed.
  for (const [login, name, verdict] of [
    ['alice', 'web-deploy', 'pass'],
    ['mallory', 'totally-normal', 'fail']
  ] as const) {
    const id = `${login}/${name}`
    const file = `publishers/${id}/SKILL.md`
    const review = buildReview({
      toolVersion: 'test',
      checks: ['validate', 'safety'],
      source: { kind: 'git', base: added, head: added },
      packages: [
        { id, publisher: login, name, path: `publishers/${id}`, status: 'added', verdict, digest: await digestAt(repo, added, login, name) }
      ],
      findings: [
        finding('skill-md/body-length', { package: id, file }, 'a warning'),
        ...(verdict === 'fail' ? [finding('manifest/schema', { package: id, file }, 'an error')] : [])
      ]
    })
    for (const r of reviewRecords(review)) repo.write(r.path, `${JSON.stringify(r.review, null, 2)}\n`)
  }
  const head = commitAt(repo, 'review records', '2026-03-01T11:00:00Z')
  const out = outputDirs()
  await build(repo, out)
  scoreOutputs(out)
  const { result } = await build(repo, out)
  if (result.packageCount !== 4 || result.mode === 'unchanged')
    throw new Error(`the fixture published ${result.packageCount} packages (${result.mode})`)
  return { repo, out, head, cleanup: () => repo.cleanup() }
}

/** What aggregate-scores writes: each package's score in registry.json and its components in scores.json. */
export function scoreOutputs(out: OutputDirs): void {
  const file = path.join(out.root, 'registry.json')
  const registry = JSON.parse(readFileSync(file, 'utf8')) as Registry
  for (const p of registry.packages) p.score = FIXTURE_SCORES[`${p.publisher}/${p.name}`]?.score ?? null
  writeFileSync(file, `${JSON.stringify(registry, null, 2)}\n`)
  const scores = {
    version: 1,
    formula: 'quality/1',
    packages: Object.entries(FIXTURE_SCORES)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, s]) => ({
        id,
        score: s.score,
        components: {
          review: { raw: s.review, normalised: s.review, weight: 0.4, samples: 3 },
          downloads: { raw: Math.round(s.downloads * 1000), normalised: s.downloads, weight: 0.3 },
          recency: { raw: 12, normalised: s.recency, weight: 0.3 }
        }
      }))
  }
  writeFileSync(path.join(out.root, 'scores.json'), `${JSON.stringify(scores, null, 2)}\n`)
}
