// The catalog the registry build writes into the site folder (docs/catalog.md), without a browser:
// publisher Markdown rendered so that nothing in it can run or load (a class of attacks, many
// spellings), the browser script's word rules equal to the build's, and the build's promises —
// only catalog/ is owned, two builds of one commit give the same bytes, a one-package change
// rewrites that package's page, its publisher's page and the search files it touches, an
// incremental build equals a full one, and a page altered on disk is rewritten.
import { describe, it, expect, afterAll } from '@jest/globals'
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { REPO_ROOT } from './helpers/run-node.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'
import { manifestYaml, profile, type Files } from './helpers/marketplace.js'
import {
  build,
  commitAt,
  describeDifferences,
  filesOf,
  outputDirs,
  removeOutputDirs,
  writeAll,
  type OutputDirs
} from './helpers/registry.js'
import { HOSTILE_SKILL_BODY, PWNED } from './helpers/catalog-fixture.js'
import { renderMarkdown, safeUrl, skillBody } from '../src/core/registry/build/catalog/markdown.js'
import { CATALOG_SCRIPT } from '../src/core/registry/build/catalog/assets.js'
import { bucketOf, shardFile, shardFor, shardKey, words } from '../src/core/registry/build/catalog/tokens.js'
import { SHARD_SPLIT, packageTokens, searchIndexFiles } from '../src/core/registry/build/catalog/search-index.js'
import { isManagedSitePath } from '../src/core/registry/build/site-layout.js'
import { CONTENT_SECURITY_POLICY } from '../src/core/registry/build/catalog/html.js'

const repos: TestRepo[] = []
afterAll(async () => {
  await Promise.all(repos.map((r) => r.cleanup()))
  removeOutputDirs()
})

/** Every way the rendered HTML could run script or load something, as a list (empty: safe). */
function dangers(html: string): string[] {
  const found: string[] = []
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
    const [, tag = '', attrs = ''] = m
    if (
      ![
        'a',
        'p',
        'h1',
        'h2',
        'h3',
        'h4',
        'h5',
        'h6',
        'ul',
        'ol',
        'li',
        'code',
        'pre',
        'em',
        'strong',
        'blockquote',
        'hr',
        'br',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        's'
      ].includes(tag.toLowerCase())
    )
      found.push(`element <${tag}>`)
    for (const a of attrs.matchAll(/([a-z-]+)\s*=\s*"([^"]*)"/gi)) {
      const [, name = '', value = ''] = a
      if (/^on/i.test(name)) found.push(`handler ${name}`)
      if (name === 'href' && !/^(https:\/\/[^/]|mailto:)/i.test(value)) found.push(`href ${value}`)
      if (name === 'src' || name === 'style' || name === 'srcdoc') found.push(`attribute ${name}`)
    }
  }
  return found
}

describe('publisher Markdown', () => {
  const hostile: [string, string][] = [
    ['raw script', '<script>alert(1)</script>'],
    ['script split over lines', '<scr\nipt>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['svg onload', '<svg/onload=alert(1)>'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>">'],
    ['style', '<style>*{display:none}</style>'],
    ['base', '<base href="https://evil.example/">'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
    ['javascript link', '[x](javascript:alert(1))'],
    ['javascript link, odd case', '[x](JaVaScRiPt:alert(1))'],
    ['javascript link, entity', '[x](jav&#x61;script&#58;alert(1))'],
    ['javascript link, decimal entities', '[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))'],
    ['javascript link, leading space', '[x]( javascript:alert(1))'],
    ['javascript link, angle brackets', '[x](<javascript:alert(1)>)'],
    ['javascript link, escaped tab', '[x](java&#9;script:alert(1))'],
    ['javascript link, percent', '[x](javascript%3Aalert(1))'],
    ['javascript reference link', '[x][r]\n\n[r]: javascript:alert(1)'],
    ['javascript autolink', '<javascript:alert(1)>'],
    ['data link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['data autolink', '<data:text/html,<script>alert(1)</script>>'],
    ['vbscript link', '[x](vbscript:msgbox(1))'],
    ['file link', '[x](file:///etc/passwd)'],
    ['http link', '[x](http://insecure.example/)'],
    ['protocol-relative link', '[x](//evil.example/)'],
    ['backslash trick', '[x](https:\\\\evil.example)'],
    ['https without host', '[x](https:evil.example)'],
    ['credentials in URL', '[x](https://user:pass@evil.example/)'],
    ['relative link escaping', '[x](../../../../etc/passwd)'],
    ['absolute path', '[x](/catalog/index.html)'],
    ['data image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['https image', '![pixel](https://tracker.example/p.png)'],
    ['image with hostile alt', '![" onerror="alert(1)](https://x.example/a.png)'],
    ['attribute breakout in href', '[x](https://ok.example/"onmouseover="alert(1))'],
    ['attribute breakout in title', '[x](https://ok.example/ "a\\" onmouseover=\\"alert(1)")'],
    ['html entity tag', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['fenced code info string', '```"><script>alert(1)</script>\ncode\n```'],
    ['the fixture body', HOSTILE_SKILL_BODY]
  ]

  it.each(hostile)('%s renders as inert text', (_name, source) => {
    const html = renderMarkdown(source)
    expect(dangers(html)).toEqual([])
    expect(html).not.toMatch(/<script|<img|<iframe|<svg|<style|<base|<meta|<form/i)
  })

  it('keeps what a skill author means: headings, lists, code, emphasis, https and mailto links', () => {
    const html = renderMarkdown(
      '# Title\n\n- one\n- *two*\n\n`code` and [docs](https://example.com/a?b=c#d) and <mailto:me@example.com>\n\n```sh\nnpm test\n```\n'
    )
    expect(html).toContain('<h1>Title</h1>')
    expect(html).toContain('<li><em>two</em></li>')
    expect(html).toContain('<a href="https://example.com/a?b=c#d" rel="nofollow noopener noreferrer ugc">docs</a>')
    expect(html).toContain('<a href="mailto:me@example.com"')
    expect(html).toContain('<pre><code class="language-sh">npm test')
    expect(dangers(html)).toEqual([])
  })

  it('drops bidi overrides and isolates, and cuts the frontmatter off a SKILL.md', () => {
    expect(renderMarkdown('abc \u202Eevil\u202C \u2066x\u2069')).toBe('<p>abc evil x</p>\n')
    expect(skillBody('---\nname: x\ndescription: y\n---\n\n# Body\n')).toBe('\n# Body\n')
    expect(skillBody('# No frontmatter\n')).toBe('# No frontmatter\n')
  })

  it('safeUrl accepts only https (with a host, no credentials) and mailto', () => {
    expect(safeUrl('https://example.com/x')).toBe('https://example.com/x')
    expect(safeUrl('mailto:a@example.com')).toBe('mailto:a@example.com')
    for (const bad of [
      'http://example.com',
      'javascript:alert(1)',
      'https:/x',
      'https://a:b@x.example',
      'https://x y',
      'https://x\ty',
      '//x.example',
      'data:,x',
      'ftp://x'
    ])
      expect({ bad, url: safeUrl(bad) }).toEqual({ bad, url: undefined })
  })

  it('the page policy allows no inline script, no other origin and no images from elsewhere', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("img-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*|data:|https:/)
  })
})

describe('the browser script and the build index words alike', () => {
  const elements = { querySelectorAll: () => [], getElementById: () => null, documentElement: { getAttribute: () => null } }
  const sandbox: Record<string, unknown> = { document: elements, location: { protocol: 'file:' }, navigator: {}, TextEncoder, URL }
  sandbox.window = sandbox
  vm.runInNewContext(CATALOG_SCRIPT, sandbox)
  const browser = sandbox.catalogWords as {
    words: typeof words
    shardKey: typeof shardKey
    shardFor: typeof shardFor
    shardFile: typeof shardFile
    bucketOf: typeof bucketOf
  }
  const texts = [
    'Deploys static sites to GitHub Pages.',
    'Ünïcödé café naïve façade',
    'ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ ①②',
    '日本語のテキスト 検索',
    'a b c I x',
    'the and of to with your',
    'emoji 🚀 rocket ZWJ 👩‍💻 dev',
    'snake_case kebab-case CamelCase 123abc',
    '\u202Eevil\u202C \u200Bzero\u200Bwidth',
    'ﬁnancial ligature Straße',
    ''
  ]
  it.each(texts)('%j', (text) => {
    const mine = words(text)
    expect(browser.words(text)).toEqual(mine)
    for (const t of [...mine, ...mine.map((w) => `#${w}`), ...mine.map((w) => `@${w}`)]) {
      expect(browser.shardKey(t)).toBe(shardKey(t))
      const split = new Set([shardKey(t), `${shardKey(t)}${[...t].slice(3, 4).join('')}`])
      expect(browser.shardFor(t, split)).toBe(shardFor(t, split))
      expect(browser.shardFile(shardKey(t))).toBe(shardFile(shardKey(t)))
      expect(browser.bucketOf(`alice/${t}`, 4096)).toBe(bucketOf(`alice/${t}`, 4096))
    }
  })

  it('shard file names are safe path segments whatever the token', () => {
    for (const t of words(texts.join(' '))) expect(shardFile(shardKey(t))).toMatch(/^[wtp]-[a-z0-9]+$/)
  })
})

describe('the search index', () => {
  const pkg = (id: string, description: string, score: number | null, tags: string[] = []) => {
    const [publisher = '', name = ''] = id.split('/')
    return { id, publisher, name, type: 'skill', version: '1.0.0', description, tags, score }
  }
  it('ranks a shard by score, then id, and maps tokens to positions', () => {
    const files = searchIndexFiles([
      pkg('b/two', 'deploy things', 0.5),
      pkg('a/one', 'deploy more', 0.9),
      pkg('c/three', 'deploy', null, ['deploy'])
    ])
    const shard = JSON.parse(Buffer.from(files.find((f) => f.path === 'catalog/search/shards/w-dep.json')?.bytes ?? []).toString()) as {
      ids: string[]
      scores: number[]
      tokens: Record<string, number[]>
    }
    expect(shard.ids).toEqual(['a/one', 'b/two', 'c/three'])
    expect(shard.scores).toEqual([900, 500, -1])
    expect(shard.tokens).toEqual({ deploy: [0, 1, 2] })
    expect(files.some((f) => f.path === 'catalog/search/shards/t-dep.json')).toBe(true)
    expect(packageTokens(pkg('alice/x', 'The tool', null, ['ci']))).toEqual(new Set(['alice', 'tool', 'ci', '#ci', '@alice']))
  })

  it('splits a crowded shard by one more character, so a rare word does not fetch a common prefix', () => {
    const many = Array.from({ length: SHARD_SPLIT + 5 }, (_, i) => pkg(`p${i}/n${i}`, `deploy item${i}`, i / 10_000))
    const rare = pkg('zed/rare', 'depth gauge', 0.5)
    const files = searchIndexFiles([...many, rare])
    const read = (p: string) =>
      JSON.parse(Buffer.from(files.find((f) => f.path === p)?.bytes ?? []).toString()) as {
        ids: string[]
        split: string[]
        tokens: Record<string, number[]>
      }
    const header = read('catalog/search/index.json')
    expect(header.split).toContain('dep')
    const split = new Set(header.split)
    expect(shardFor('depth', split)).toBe('dept')
    const depth = read(`catalog/search/shards/${shardFile(shardFor('depth', split))}.json`)
    expect(depth.ids).toEqual(['zed/rare'])
    const deploy = read(`catalog/search/shards/${shardFile(shardFor('deploy', split))}.json`)
    expect(deploy.ids.length).toBe(SHARD_SPLIT + 5)
    // Every token is in exactly the shard a reader computes for it.
    for (const f of files.filter((x) => x.path.includes('/shards/'))) {
      const shard = JSON.parse(Buffer.from(f.bytes ?? []).toString()) as { tokens: Record<string, number[]> }
      for (const t of Object.keys(shard.tokens)) expect(f.path).toBe(`catalog/search/shards/${shardFile(shardFor(t, split))}.json`)
    }
  })
})

function pkgFiles(login: string, name: string, description: string, version = '1.0.0', tags = ['demo']): Files {
  const dir = `publishers/${login}/${name}`
  return {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, {
      description: JSON.stringify(description),
      version: `"${version}"`,
      tags: `[${tags.join(', ')}]`
    }),
    [`${dir}/SKILL.md`]: `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n---\n\n# ${name}\n\n${description}\n`
  }
}

const PACKAGES: [string, string, string][] = [
  ['alice', 'web-deploy', 'Deploys static sites to any host.'],
  ['alice', 'log-reader', 'Reads logs and summarises errors.'],
  ['bob', 'pdf-tools', 'Splits and merges documents in portable formats.'],
  ['bob', 'calendar', 'Schedules meetings across time zones.'],
  ['carol', 'lint-fixer', 'Fixes lint warnings in pull requests.']
]

async function marketplace(): Promise<TestRepo> {
  const repo = await makeRepo()
  repos.push(repo)
  for (const [login, name, description] of PACKAGES) writeAll(repo, pkgFiles(login, name, description))
  commitAt(repo, 'five packages', '2026-02-01T10:00:00Z')
  return repo
}

const catalogOf = (files: Map<string, Buffer>) => new Map([...files].filter(([k]) => k.startsWith('site/catalog/')))
const copyOutputs = (out: OutputDirs): OutputDirs => {
  const copy = outputDirs()
  cpSync(path.dirname(out.root), path.dirname(copy.root), { recursive: true })
  return copy
}

describe('the catalog in the registry build', () => {
  it('owns only catalog/ in the site folder: a landing page stays, a stale catalog file goes', async () => {
    const repo = await marketplace()
    const out = outputDirs()
    mkdirSync(path.join(out.site, 'catalog', 'packages', 'ghost'), { recursive: true })
    writeFileSync(path.join(out.site, 'index.html'), '<h1>My marketplace</h1>')
    writeFileSync(path.join(out.site, 'catalog.html'), 'mine')
    writeFileSync(path.join(out.site, 'catalog', 'packages', 'ghost', 'gone.html'), 'stale')
    const { applied } = await build(repo, out)
    expect(readFileSync(path.join(out.site, 'index.html'), 'utf8')).toBe('<h1>My marketplace</h1>')
    expect(readFileSync(path.join(out.site, 'catalog.html'), 'utf8')).toBe('mine')
    expect(existsSync(path.join(out.site, 'catalog', 'packages', 'ghost'))).toBe(false)
    expect(applied?.deleted.some((d) => d.endsWith('catalog/packages/ghost/gone.html'))).toBe(true)
    for (const f of [
      'catalog/index.html',
      'catalog/assets/catalog.js',
      'catalog/assets/catalog.css',
      'catalog/search/index.json',
      'catalog/search/top.json'
    ])
      expect(existsSync(path.join(out.site, f))).toBe(true)
    for (const [login, name] of PACKAGES) {
      expect(existsSync(path.join(out.site, 'catalog', 'packages', login, `${name}.html`))).toBe(true)
      expect(existsSync(path.join(out.site, 'catalog', 'publishers', `${login}.html`))).toBe(true)
    }
    expect(isManagedSitePath('index.html')).toBe(false)
    expect(isManagedSitePath('catalog.html')).toBe(false)
    expect(isManagedSitePath('catalog/index.html')).toBe(true)
  })

  it('writes search files that match their JSON Schemas', async () => {
    const repo = await marketplace()
    const out = outputDirs()
    await build(repo, out)
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
    const schema = (name: string) =>
      ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as object)
    const header = schema('catalog-search-index')
    const shard = schema('catalog-search-shard')
    const docs = schema('catalog-search-docs')
    let checked = 0
    for (const [file, bytes] of catalogOf(filesOf(out))) {
      const validate = file.endsWith('search/index.json')
        ? header
        : file.includes('/search/docs/')
          ? docs
          : file.includes('/search/')
            ? shard
            : undefined
      if (!validate) continue
      checked++
      expect({ file, valid: validate(JSON.parse(bytes.toString('utf8'))), errors: validate.errors ?? null }).toEqual({
        file,
        valid: true,
        errors: null
      })
    }
    expect(checked).toBeGreaterThan(10)
  })

  it('two builds of one commit give the same bytes, and a rebuild writes nothing', async () => {
    const repo = await marketplace()
    const a = outputDirs()
    const b = outputDirs()
    await build(repo, a)
    await build(repo, b)
    expect(describeDifferences(filesOf(a), filesOf(b))).toEqual([])
    const again = await build(repo, a)
    expect(again.applied?.written).toEqual([])
    expect(again.applied?.deleted).toEqual([])
  })

  it('a one-package change rewrites its page, its publisher page and the search files it touches; incremental equals full', async () => {
    const repo = await marketplace()
    const out = outputDirs()
    await build(repo, out)
    const before = filesOf(out)
    writeAll(repo, pkgFiles('bob', 'pdf-tools', 'Splits and merges PDF documents quickly.', '1.1.0'))
    commitAt(repo, 'pdf-tools 1.1.0', '2026-02-02T10:00:00Z')
    const full = copyOutputs(out)
    const { result, applied } = await build(repo, out)
    expect(result.mode).toBe('incremental')
    const written = (applied?.written ?? []).map((w) => w.slice(w.indexOf('/catalog/') + 1)).filter((w) => w.startsWith('catalog/'))
    expect(written).toContain('catalog/packages/bob/pdf-tools.html')
    expect(written).toContain('catalog/publishers/bob.html')
    expect(written.filter((w) => w.startsWith('catalog/packages/'))).toEqual(['catalog/packages/bob/pdf-tools.html'])
    expect(written.filter((w) => w.startsWith('catalog/publishers/'))).toEqual(['catalog/publishers/bob.html'])
    // Every shard rewritten holds a word of the old or the new description, nothing else.
    const touched = new Set(
      ['splits', 'and', 'merges', 'documents', 'in', 'portable', 'formats', 'pdf', 'quickly']
        .flatMap(words)
        .map((w) => `catalog/search/shards/${shardFile(shardKey(w))}.json`)
    )
    for (const w of written.filter((x) => x.startsWith('catalog/search/shards/'))) expect(touched).toContain(w)
    expect(written).not.toContain('catalog/assets/catalog.js')
    expect(written.length).toBeLessThan(catalogOf(before).size / 2)

    await build(repo, full, { full: true })
    expect(describeDifferences(catalogOf(filesOf(out)), catalogOf(filesOf(full)))).toEqual([])
  })

  it('a page altered on disk is rendered again by a build that verifies pages, not trusted', async () => {
    const repo = await marketplace()
    const out = outputDirs()
    await build(repo, out)
    const page = path.join(out.site, 'catalog', 'packages', 'carol', 'lint-fixer.html')
    const good = readFileSync(page, 'utf8')
    const altered = good.replace('Fixes lint warnings', 'Steals your tokens')
    writeFileSync(page, altered)
    // A bump of another package in place is spliced (delta.ts): it reads no unchanged package's
    // files, as an unchanged rebuild reads none (docs/registry-build.md, "The ledger").
    writeAll(repo, pkgFiles('alice', 'web-deploy', 'Deploys static sites anywhere.', '1.0.1'))
    commitAt(repo, 'web-deploy 1.0.1', '2026-02-03T10:00:00Z')
    const spliced = await build(repo, out)
    expect([spliced.result.mode, spliced.result.removedFiles !== undefined]).toEqual(['incremental', true])
    expect(readFileSync(page, 'utf8')).toBe(altered)
    // A build that takes the usual path (here: a package added) verifies every page it keeps.
    writeAll(repo, pkgFiles('alice', 'new-one', 'Something new entirely.', '1.0.0'))
    commitAt(repo, 'new-one', '2026-02-04T10:00:00Z')
    const { result, applied } = await build(repo, out)
    expect([result.mode, result.removedFiles]).toEqual(['incremental', undefined])
    expect(applied?.written.some((w) => w.endsWith('catalog/packages/carol/lint-fixer.html'))).toBe(true)
    expect(readFileSync(page, 'utf8')).toBe(good)
  })

  it('shows publisher text as text: bidi overrides dropped, markup escaped, in the pages and the index', async () => {
    const repo = await makeRepo()
    repos.push(repo)
    writeAll(repo, pkgFiles('mallory', 'helper', 'Helps \u202Eexe.txt\u202C <b onmouseover="x">you</b>'))
    writeAll(repo, { 'publishers/mallory/helper/SKILL.md': `---\nname: helper\ndescription: Helps.\n---\n\n${HOSTILE_SKILL_BODY}` })
    commitAt(repo, 'hostile', '2026-02-01T10:00:00Z')
    const out = outputDirs()
    const { result } = await build(repo, out)
    expect(result.registry?.packages.map((p) => p.name)).toEqual(['helper'])
    const catalog = [...catalogOf(filesOf(out))].filter(([k]) => !k.endsWith('.js') && !k.endsWith('.css'))
    for (const [file, bytes] of catalog) {
      const text = bytes.toString('utf8')
      expect({ file, bidi: /[\u202a-\u202e\u2066-\u2069]/.test(text) }).toEqual({ file, bidi: false })
      expect({ file, markup: /<b onmouseover|<script>|href="javascript/i.test(text) && file.endsWith('.html') }).toEqual({
        file,
        markup: false
      })
    }
    const pageText = readFileSync(path.join(out.site, 'catalog', 'packages', 'mallory', 'helper.html'), 'utf8')
    expect(pageText).toContain('&lt;script&gt;')
    expect(pageText).toContain(PWNED)
    expect(dangers(pageText.slice(pageText.indexOf('<div class="markdown"'), pageText.indexOf('</div></section>')))).toEqual([])
  })

  it('a scores.json that does not match its schema only leaves the charts out', async () => {
    const repo = await marketplace()
    const out = outputDirs()
    mkdirSync(out.root, { recursive: true })
    writeFileSync(path.join(out.root, 'scores.json'), '{"version": 1, "packages": "nope"}')
    const { result } = await build(repo, out)
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(readFileSync(path.join(out.site, 'catalog', 'packages', 'alice', 'web-deploy.html'), 'utf8')).toContain('No score yet')
  })
})
