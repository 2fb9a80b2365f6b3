// `npm run bench:catalog`: what the catalog costs and how its search behaves at scale.
//
// 1. Search at CATALOG_SEARCH_SIZE packages (default 100,000): the search index the build writes
//    for that many packages (descriptions and tags drawn from a Zipf-distributed vocabulary, as
//    real text is), served over HTTP from 127.0.0.1 with gzip as static hosts do, queried in
//    Debian's headless Chromium: each query on a fresh page with no cache, once unthrottled and
//    once with Chrome's "Fast 3G" profile (150 ms round trip, 1.6 Mbit/s). Prints the time to the
//    first result shown with its description and the bytes fetched.
// 2. Build cost at CATALOG_BUILD_SIZE packages (default 10,000): a real git marketplace built by the
//    real registry build with and without the catalog (first build, incremental after a
//    one-package change, full), medians of BENCH_RUNS, and what the incremental build wrote.
// Writes the figures to docs/benchmarks.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { random as prng } from './bench-packages.js'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { buildRegistry } from '../src/core/registry/build/build.js'
import { CATALOG_SCRIPT, CATALOG_STYLE } from '../src/core/registry/build/catalog/assets.js'
import { HOME_PAGE, SCRIPT_FILE, STYLE_FILE } from '../src/core/registry/build/catalog/layout.js'
import { homePageHtml } from '../src/core/registry/build/catalog/pages.js'
import { searchIndexFiles, type SearchPackage } from '../src/core/registry/build/catalog/search-index.js'
import { RegistryOutputs } from '../src/io/registry-output.js'
import { median, writeBenchmarkSection } from './bench-common.js'

const SEARCH_SIZE = Number(process.env.CATALOG_SEARCH_SIZE ?? 100_000)
const BUILD_SIZE = Number(process.env.CATALOG_BUILD_SIZE ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

// --- synthetic but realistic text -------------------------------------------------------------

const random = prng(14)

const COMMON =
  'deploy review code test github pull request server data file files search api web site static docs documentation build release version database query sql logs log error errors monitor alert slack email calendar schedule meeting image images pdf text markdown format lint fix fixes security scan secret secrets token cloud aws azure gcp kubernetes docker container cluster python javascript typescript rust go java notebook chart charts report reports analytics metrics trace tracing debug debugging profile performance cache memory agent agents skill skills tool tools workflow workflows ci pipeline issue issues ticket jira linear notion browser screenshot crawl scrape fetch http json yaml csv excel sheet spreadsheet translate language summary summarise summarises write writes read reads create update delete manage manages sync backup restore migrate migration schema model models prompt prompts llm embedding vector index indexes refactor refactors generate generates explain explains review reviews comment comments suggest suggests'.split(
    ' '
  )
// Made-up words of 2 to 4 syllables from every consonant and vowel: their prefixes spread like real words'.
const SYLLABLES = [...'bcdfghjklmnprstvwxz'].flatMap((c) => [...'aeiouy'].map((v) => c + v))
const VOCAB = [...new Set(COMMON)]
while (VOCAB.length < 30_000) {
  const n = 2 + Math.floor(random() * 3)
  let w = ''
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]
  if (!VOCAB.includes(w)) VOCAB.push(w)
}
// Zipf-Mandelbrot over the vocabulary (weight 1 / (rank + 10)): a few words are in many
// descriptions (the most common in about one in six), most are rare. Stopwords are not drawn: the
// index leaves them out anyway.
const CUMULATIVE: number[] = []
{
  let sum = 0
  for (let r = 1; r <= VOCAB.length; r++) CUMULATIVE.push((sum += 1 / (r + 10)))
}
function zipfWord(): string {
  const x = random() * (CUMULATIVE[CUMULATIVE.length - 1] as number)
  let lo = 0
  let hi = CUMULATIVE.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((CUMULATIVE[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return VOCAB[lo] as string
}
const TAGS = VOCAB.slice(0, 400)
/** Publisher logins as varied as real ones: a word and a number. */
const LOGINS = Array.from(
  { length: Math.ceil(SEARCH_SIZE / 10) },
  (_, i) => `${VOCAB[Math.floor(random() * VOCAB.length)]}${i % 7 === 0 ? '' : i.toString(36)}`
)
const description = () => {
  const n = 8 + Math.floor(random() * 14)
  const words = Array.from({ length: n }, zipfWord)
  return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`
}
const tagsOf = () => [
  ...new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => TAGS[Math.floor(Math.pow(random(), 2) * TAGS.length)] as string))
]

// --- 1. search at scale ----------------------------------------------------------------------

interface QueryFigure {
  label: string
  matches: string
  local: { ms: number; bytes: number; wire: number; requests: number }
  throttled: { ms: number }
}

async function searchBench(): Promise<{
  figures: QueryFigure[]
  indexMs: number
  files: number
  bytes: number
  gzipBytes: number
  home: number
  homeGzip: number
}> {
  const packages: SearchPackage[] = []
  for (let i = 0; i < SEARCH_SIZE; i++) {
    const publisher = LOGINS[Math.floor(i / 10)] as string
    const name = `${zipfWord()}-${zipfWord()}-${i.toString(36)}`
    packages.push({
      id: `${publisher}/${name}`,
      publisher,
      name,
      type: i % 9 === 0 ? 'mcp-server' : 'skill',
      version: '1.0.0',
      description: description(),
      tags: tagsOf(),
      score: i % 10 === 0 ? null : Math.round(random() * 1000) / 1000
    })
  }
  const rare =
    packages[SEARCH_SIZE - 7]?.description
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length > 5 && !COMMON.includes(w))[0] ?? 'zzz'
  const site = mkdtempSync(path.join(tmpdir(), 'mpa-bench-catalog-site-'))
  const profile = mkdtempSync(path.join(tmpdir(), 'mpa-bench-chromium-'))
  try {
    const t0 = performance.now()
    const files = searchIndexFiles(packages)
    const indexMs = performance.now() - t0
    files.push(
      { area: 'site', path: HOME_PAGE, bytes: Buffer.from(homePageHtml(packages, 'bench'), 'utf8') },
      { area: 'site', path: SCRIPT_FILE, bytes: Buffer.from(CATALOG_SCRIPT) },
      { area: 'site', path: STYLE_FILE, bytes: Buffer.from(CATALOG_STYLE) }
    )
    let bytes = 0
    let gzipBytes = 0
    for (const f of files) {
      const file = path.join(site, f.path)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, f.bytes ?? new Uint8Array())
      if (f.path.startsWith('catalog/search/')) {
        bytes += f.bytes?.length ?? 0
        gzipBytes += gzipSync(f.bytes ?? new Uint8Array()).length
      }
    }
    const homeBytes = readFileSync(path.join(site, HOME_PAGE))

    // A static host: files as they are, gzip when asked (as GitHub Pages does), no caching.
    const log: { path: string; bytes: number; wire: number }[] = []
    const server = createServer((req, res) => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      const file = path.resolve(site, `.${pathname}`)
      let body: Buffer
      try {
        if (!file.startsWith(site) || !statSync(file).isFile()) throw new Error('missing')
        body = readFileSync(file)
      } catch {
        res.writeHead(404).end()
        log.push({ path: pathname, bytes: 0, wire: 0 })
        return
      }
      const type = pathname.endsWith('.html')
        ? 'text/html'
        : pathname.endsWith('.js')
          ? 'text/javascript'
          : pathname.endsWith('.css')
            ? 'text/css'
            : 'application/json'
      const gzip = /gzip/.test(String(req.headers['accept-encoding'] ?? ''))
      const wire = gzip ? gzipSync(body) : body
      log.push({ path: pathname, bytes: body.length, wire: wire.length })
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...(gzip ? { 'content-encoding': 'gzip' } : {}) })
      res.end(wire)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    })
    const queries: { label: string; fill: Record<string, string> }[] = [
      { label: `a common word (\`${COMMON[0]}\`)`, fill: { '#q': `${COMMON[0]} ` } },
      { label: `a mid-frequency word (\`${VOCAB[300]}\`)`, fill: { '#q': `${VOCAB[300]} ` } },
      { label: `a rare word (\`${rare}\`)`, fill: { '#q': `${rare} ` } },
      { label: '`github review` (two words)', fill: { '#q': 'github review ' } },
      { label: '`rev` (a prefix while typing)', fill: { '#q': 'rev' } },
      { label: '`deploy` and tag `web`', fill: { '#q': 'deploy ', '#tag': 'web' } },
      {
        label: `publisher \`${LOGINS[Math.floor(LOGINS.length * 0.42)]}\` alone`,
        fill: { '#publisher': LOGINS[Math.floor(LOGINS.length * 0.42)] as string }
      }
    ]
    const figures: QueryFigure[] = []
    const runQuery = async (fill: Record<string, string>, throttle: boolean) => {
      const page = await context.newPage()
      if (throttle) {
        const cdp = await context.newCDPSession(page)
        await cdp.send('Network.enable')
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 150,
          downloadThroughput: (1.6 * 1024 * 1024) / 8,
          uploadThroughput: (750 * 1024) / 8
        })
      }
      await page.goto(`http://127.0.0.1:${port}/${HOME_PAGE}`)
      await page.waitForLoadState('networkidle')
      const before = log.length
      // All fields at once, then one input event: one query, as if typed before the pause.
      await page.evaluate(
        `(() => { const fill = ${JSON.stringify(fill)}; for (const [s, v] of Object.entries(fill)) document.querySelector(s).value = v; document.querySelector('#q').dispatchEvent(new Event('input')) })()`
      )
      const deadline = Date.now() + 60_000
      for (;;) {
        const state = await page.evaluate<{ done: boolean; status: string; ms: number }>(
          `({ done: performance.getEntriesByName('catalog-first-result').length > 0 || /^No package/.test(document.getElementById('status').textContent), status: document.getElementById('status').textContent, ms: (performance.getEntriesByName('catalog-first-result')[0]?.startTime ?? NaN) - (performance.getEntriesByName('catalog-query-start').at(-1)?.startTime ?? NaN) })`
        )
        if (state.done) {
          const status = state.status
          await page.waitForLoadState('networkidle')
          const fetched = log.slice(before)
          await page.close()
          return {
            ms: state.ms,
            status,
            bytes: fetched.reduce((s, r) => s + r.bytes, 0),
            wire: fetched.reduce((s, r) => s + r.wire, 0),
            requests: fetched.length
          }
        }
        if (Date.now() > deadline) throw new Error(`query ${JSON.stringify(fill)} did not finish`)
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    for (const q of queries) {
      const locals = []
      const slows = []
      for (let run = 0; run < RUNS; run++) {
        locals.push(await runQuery(q.fill, false))
        slows.push(await runQuery(q.fill, true))
      }
      const first = locals[0] as Awaited<ReturnType<typeof runQuery>>
      const matches = /^([\d,]+) packages? match/.exec(first.status)?.[1] ?? first.status
      figures.push({
        label: q.label,
        matches,
        local: { ms: median(locals.map((l) => l.ms)), bytes: first.bytes, wire: first.wire, requests: first.requests },
        throttled: { ms: median(slows.map((l) => l.ms)) }
      })
      console.log(
        `${q.label}: ${matches} matches, first result ${median(locals.map((l) => l.ms)).toFixed(0)} ms local / ${median(slows.map((l) => l.ms)).toFixed(0)} ms Fast 3G, ${first.bytes} bytes (${first.wire} gzip), ${first.requests} requests`
      )
    }
    await context.close()
    await new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    })
    return { figures, indexMs, files: files.length - 3, bytes, gzipBytes, home: homeBytes.length, homeGzip: gzipSync(homeBytes).length }
  } finally {
    rmSync(site, { recursive: true, force: true })
    rmSync(profile, { recursive: true, force: true })
  }
}

// --- 2. build cost ---------------------------------------------------------------------------

const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b'
}
const inline = (p: string, content: string) => [`M 100644 inline ${p}`, `data ${Buffer.byteLength(content)}`, content]
const manifest = (name: string, version: string, desc: string, tags: string[]) =>
  `name: ${name}\ntype: skill\nversion: "${version}"\ndescription: ${JSON.stringify(desc)}\ntags: [${tags.join(', ')}]\nentrypoint: SKILL.md\n`
const skillMd = (name: string, desc: string) =>
  `---\nname: ${name}\ndescription: ${JSON.stringify(desc)}\n---\n\n# ${name}\n\n${desc}\n\n## When to use it\n\n- ${description()}\n- ${description()}\n- ${description()}\n\n## Steps\n\n1. ${description()}\n2. ${description()}\n3. See [the guide](https://example.com/${name}).\n\n\`\`\`sh\nnpx ${name} --help\n\`\`\`\n\n${description()} ${description()} ${description()}\n`

function buildRepo(size: number): { dir: string; head: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `mpa-bench-catalog-${size}-`))
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env })
  const first = ['commit refs/heads/main', 'committer b <b@b> 1700000000 +0000', 'data 4', 'base']
  for (let i = 0; i < size; i++) {
    const login = `publisher-${Math.floor(i / 10)}`
    const name = `package-${i}`
    if (i % 10 === 0) first.push(...inline(`publishers/${login}/profile.json`, `{"name":"${login}"}`))
    const desc = description()
    first.push(
      ...inline(`publishers/${login}/${name}/manifest.yaml`, manifest(name, '1.0.0', desc, tagsOf())),
      ...inline(`publishers/${login}/${name}/SKILL.md`, skillMd(name, desc))
    )
  }
  const second = ['commit refs/heads/main', 'committer b <b@b> 1700000100 +0000', 'data 4', 'bump']
  const desc = 'Deploys static sites with previews for every pull request.'
  second.push(...inline('publishers/publisher-0/package-0/manifest.yaml', manifest('package-0', '1.1.0', desc, ['deploy'])))
  second.push(...inline('publishers/publisher-0/package-0/SKILL.md', skillMd('package-0', desc)))
  const r = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], {
    input: `${[...first, ''].join('\n')}\n${second.join('\n')}\n\n`,
    env,
    maxBuffer: 1 << 30
  })
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`)
  execFileSync('git', ['-C', dir, 'checkout', '-q', '-f', 'main'], { env })
  return { dir, head: execFileSync('git', ['-C', dir, 'rev-parse', 'main'], { env }).toString().trim() }
}

interface Timed {
  ms: number
  written: number
  catalogWritten: number
  dir: string
}

async function timedBuild(repo: string, from: string | undefined, head: string, full: boolean, catalog: boolean): Promise<Timed> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-bench-catalog-out-'))
  if (from) cpSync(from, dir, { recursive: true })
  const out = new RegistryOutputs(path.join(dir, 'root'), path.join(dir, 'site'))
  const t0 = performance.now()
  const result = await buildRegistry({ repo, head, full, toolVersion: 'bench', outputs: out, catalog })
  const applied = await out.apply(result)
  const ms = performance.now() - t0
  if (result.findings.some((f) => f.severity === 'error')) throw new Error(`benchmark build failed: ${JSON.stringify(result.findings[0])}`)
  return { ms, written: applied.written.length, catalogWritten: applied.written.filter((w) => w.includes('/catalog/')).length, dir }
}

async function buildBench() {
  const repo = buildRepo(BUILD_SIZE)
  const dirs: string[] = []
  try {
    const firsts: Record<'with' | 'without', Timed[]> = { with: [], without: [] }
    const incs: Record<'with' | 'without', Timed[]> = { with: [], without: [] }
    const fulls: Record<'with' | 'without', Timed[]> = { with: [], without: [] }
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['without', 'with'] as const) {
        const catalog = mode === 'with'
        const first = await timedBuild(repo.dir, undefined, 'main~1', false, catalog)
        firsts[mode].push(first)
        const inc = await timedBuild(repo.dir, first.dir, repo.head, false, catalog)
        incs[mode].push(inc)
        const full = await timedBuild(repo.dir, first.dir, repo.head, true, catalog)
        fulls[mode].push(full)
        if (run === 0 && catalog) {
          const diff = spawnSync('diff', ['-r', '-q', inc.dir, full.dir], { encoding: 'utf8' })
          if (diff.status !== 0) throw new Error(`incremental and full builds differ:\n${diff.stdout}`)
        }
        dirs.push(first.dir, inc.dir, full.dir)
      }
      console.log(`build run ${run + 1}/${RUNS} done`)
    }
    const m = (xs: Timed[]) => median(xs.map((x) => x.ms))
    const catalogFiles = Number(
      execFileSync('sh', ['-c', `find ${path.join((incs.with[0] as Timed).dir, 'site', 'catalog')} -type f | wc -l`])
        .toString()
        .trim()
    )
    const catalogBytes = Number(
      execFileSync('du', ['-sb', path.join((incs.with[0] as Timed).dir, 'site', 'catalog')])
        .toString()
        .split('\t')[0]
    )
    return {
      first: { with: m(firsts.with), without: m(firsts.without) },
      inc: { with: m(incs.with), without: m(incs.without), written: (incs.with[0] as Timed).catalogWritten },
      full: { with: m(fulls.with), without: m(fulls.without) },
      catalogFiles,
      catalogBytes
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
    rmSync(repo.dir, { recursive: true, force: true })
  }
}

const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`)
const sec = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

const PARTS = new Set((process.env.CATALOG_PARTS ?? 'search,build').split(','))

if (PARTS.has('search')) {
  const search = await searchBench()
  const HEADING = `## Catalog: search at ${SEARCH_SIZE.toLocaleString('en')} packages`
  const section = `${HEADING}

Measured by \`npm run bench:catalog\` (scripts/bench-catalog.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, Debian Chromium (headless), medians of ${RUNS} run(s).

The search index the build writes for ${SEARCH_SIZE.toLocaleString('en')} packages (10 per publisher, names and logins made of words; descriptions of 8-21 words and 1-4 tags drawn
from a Zipf-Mandelbrot-distributed vocabulary of 30,000 words, weight 1/(rank+10), so the most common word is in about one
description in four and most words in very few) took ${sec(search.indexMs)} to make: ${search.files.toLocaleString('en')} files, ${kb(search.bytes)} (${kb(search.gzipBytes)} gzipped) in all; the home page is
${kb(search.home)} (${kb(search.homeGzip)} gzipped). Served from 127.0.0.1 with gzip and no caching, each query on a fresh page.
"First result" is from the query's start (after the 60 ms typing pause) to the first result shown with its description;
"Fast 3G" is Chrome's profile (150 ms round trip, 1.6 Mbit/s down). Bytes are what the query fetched (index header,
shards, docs buckets of the first 20 results), as files and on the wire.

| query | matches | first result (local) | first result (Fast 3G) | requests | bytes fetched | on the wire (gzip) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${search.figures.map((f) => `| ${f.label} | ${f.matches} | ${sec(f.local.ms)} | ${sec(f.throttled.ms)} | ${f.local.requests} | ${kb(f.local.bytes)} | ${kb(f.local.wire)} |`).join('\n')}

A query costs what its words name, not the catalog's size, except a very common word, whose whole list is fetched before
the first result (results are intersected exactly). A prefix that is itself a split key (\`rev\`) matches whole words only
until one more character is typed (docs/catalog.md, "Known limits").
`
  writeBenchmarkSection(HEADING, section)
  console.log(`\n${section}`)
}

if (PARTS.has('build')) {
  const builds = await buildBench()
  const HEADING = `## Catalog: build cost at ${BUILD_SIZE.toLocaleString('en')} packages`
  const section = `${HEADING}

Measured by \`npm run bench:catalog\` (scripts/bench-catalog.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, medians of ${RUNS} run(s).

A real git marketplace of ${BUILD_SIZE.toLocaleString('en')} skills (SKILL.md bodies of about 1.5 KB of Markdown), built by
\`buildRegistry\` in-process (as scripts/bench-registry.ts does) with the catalog and with \`catalog: false\`; the incremental and
full builds of the second commit (one package changed) start from the first build's outputs and are checked to write the same bytes.

| build | without the catalog | with the catalog | added by the catalog |
| --- | ---: | ---: | ---: |
| first build (empty site) | ${sec(builds.first.without)} | ${sec(builds.first.with)} | ${sec(builds.first.with - builds.first.without)} (${((builds.first.with / builds.first.without - 1) * 100).toFixed(0)}%) |
| incremental, 1 package changed | ${sec(builds.inc.without)} | ${sec(builds.inc.with)} | ${sec(builds.inc.with - builds.inc.without)} (${((builds.inc.with / builds.inc.without - 1) * 100).toFixed(0)}%) |
| full, same commit | ${sec(builds.full.without)} | ${sec(builds.full.with)} | ${sec(builds.full.with - builds.full.without)} (${((builds.full.with / builds.full.without - 1) * 100).toFixed(0)}%) |

The catalog of ${BUILD_SIZE.toLocaleString('en')} packages is ${builds.catalogFiles.toLocaleString('en')} files, ${kb(builds.catalogBytes)}. The incremental build wrote ${builds.inc.written} of them:
the changed package's page, its publisher's page, the home page and the search files its old and new words live in.
An incremental build renders only the pages whose inputs changed; it still reads and hashes every other package page to
verify it before keeping it, and makes the whole search index again in memory (written only where bytes changed).
`
  writeBenchmarkSection(HEADING, section)
  console.log(`\n${section}`)
}
