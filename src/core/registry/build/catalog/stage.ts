// The registry build's catalog stage: the browsable pages and the search index in the site folder
// (layout.ts has the paths, docs/catalog.md the whole story). It runs after every other stage and
// takes their results: the registry's packages, install names, what the skills index and the
// Claude marketplace list, and the scores the scores job wrote beside registry.json.
//
// Incremental like the rest of the build. A package page records what it was made from in
// `<meta name="catalog-input">`: a hash of everything it shows (its registry entry, which names
// its content by digest; its score; its install name; where it is listed) and a hash of the page
// itself. An incremental build keeps the last build's page when both still match and renders
// only the others, so a one-package change renders one package page. Publisher pages, the home
// page and the search index are made from registry entries alone (cheap) and rewritten on disk
// only when their bytes change (the writer compares), so two builds of one commit write the same
// bytes and a full build gives what an incremental one gives.
import { createHash } from 'node:crypto'
import type { ScoredPackage, Scores } from '../../../../generated/schema-types.js'
import type { TreeEntry } from '../../../snapshot/types.js'
import type { BuildContext } from '../context.js'
import type { QualifiedNames } from '../names.js'
import type { BuildMode, OutputFile } from '../types.js'
import validateScores from '../../../../generated/validators/scores.js'
import { canonicalJson, parseJsonBytes } from '../../json.js'
import { packageReads } from '../context.js'
import { forEachConcurrently } from '../../../concurrently.js'
import { idOf, type RegistryPackage } from '../registry-json.js'
import { artifactSitePath } from '../site-layout.js'
import { CATALOG_SCRIPT, CATALOG_STYLE } from './assets.js'
import { packageContent } from './content.js'
import { cleanText } from './markdown.js'
import { HOME_PAGE, SCRIPT_FILE, STYLE_FILE, packagePage, publisherPage } from './layout.js'
import { homePageHtml, packagePageHtml, publisherPageHtml, type PackageView } from './pages.js'
import { eachSearchIndexFile, type SearchPackage } from './search-index.js'
import { settle, type Emitter } from '../emit.js'
import type { KeptContents } from './kept.js'

/** Bumped whenever a page's markup changes, so no page of an older renderer is kept. */
export const CATALOG_RENDERER = 'catalog/1'
/** Where the scores job writes scores.json (the marketplace root, beside registry.json). */
export const SCORES_FILE = 'scores.json'

export interface CatalogInput {
  packages: readonly RegistryPackage[]
  names: QualifiedNames
  /** The marketplace's name in .claude-plugin/marketplace.json. */
  marketplace: string
  /** Install names listed in .claude-plugin/marketplace.json. */
  plugins: ReadonlySet<string>
  /** Every site file the skills stage wrote (an artifact there means the skill is in the index). */
  siteFiles: readonly OutputFile[]
  mode: BuildMode
  read: ReadonlySet<string>
  withheld: ReadonlySet<string>
  listing?: ReadonlyMap<string, TreeEntry[]>
  /**
   * What the publish stage kept of the packages it published from the built commit (their files
   * are not read again); each is let go once its page is made.
   */
  contents?: KeptContents
  /** Writes each page as it is rendered (emit.ts), so no page waits in memory for the others. */
  emitter?: Emitter
}

const PAGE_CONCURRENCY = 16

export async function catalogFiles(
  ctx: BuildContext,
  input: CatalogInput
): Promise<{ files: OutputFile[]; packagesRead: number; pagesRendered: number }> {
  const reads = packageReads(ctx.config)
  const scores = await readScores(ctx)
  const sitePaths = new Set(input.siteFiles.map((f) => f.path))
  const files: OutputFile[] = [
    { area: 'site', path: SCRIPT_FILE, bytes: Buffer.from(CATALOG_SCRIPT, 'utf8') },
    { area: 'site', path: STYLE_FILE, bytes: Buffer.from(CATALOG_STYLE, 'utf8') }
  ]
  let pagesRendered = 0
  const pages: OutputFile[] = []
  await forEachConcurrently(input.packages, PAGE_CONCURRENCY, async (p) => {
    const id = idOf(p)
    const installName = input.names.get(id) ?? p.name
    const view: PackageView = {
      entry: p,
      installName,
      marketplace: input.marketplace,
      indexed:
        p.type === 'skill' &&
        (sitePaths.has(artifactSitePath(p.publisher, p.name, p.version, 'skill-md')) ||
          sitePaths.has(artifactSitePath(p.publisher, p.name, p.version, 'archive'))),
      plugin: input.plugins.has(installName)
    }
    const score = scores.get(id)
    if (score) view.score = score
    const input_ = pageInput(view)
    const path = packagePage(p.publisher, p.name)
    // The input names the content by digest, so a matching page is right even for a package read again.
    if (input.mode === 'incremental' && isPageOf(await ctx.outputs.read('site', path), input_)) {
      pages.push({ area: 'site', path })
      return
    }
    const kept = input.contents?.take(id)
    const content =
      kept ??
      (await packageContent(ctx, reads, p, {
        publishedFromHead: (x) => input.read.has(x) && !input.withheld.has(x),
        ...(input.listing ? { listing: input.listing } : {}),
        withheld: input.withheld
      }))
    pagesRendered++
    const page: OutputFile = { area: 'site', path, bytes: seal(packagePageHtml(view, content, input_), input_) }
    pages.push(input.emitter ? await input.emitter.emit(page) : page)
  })
  files.push(...pages.sort((a, b) => (a.path < b.path ? -1 : 1)))

  const search = input.packages.map(searchPackage)
  const byPublisher = new Map<string, SearchPackage[]>()
  for (const p of search) {
    const own = byPublisher.get(p.publisher)
    if (own) own.push(p)
    else byPublisher.set(p.publisher, [p])
  }
  // Written as they are made (the home page with its digest, for the build record), not held to the end.
  const emit = async (file: OutputFile) => (input.emitter ? input.emitter.emit(file) : file)
  for (const [login, own] of byPublisher) {
    files.push(
      await emit({ area: 'site', path: publisherPage(login), bytes: Buffer.from(publisherPageHtml(login, own, input.marketplace), 'utf8') })
    )
  }
  files.push(await settle(input.emitter, 'site', HOME_PAGE, [Buffer.from(homePageHtml(search, input.marketplace), 'utf8')]))
  for (const f of eachSearchIndexFile(search)) files.push(await emit(f))
  return { files, packagesRead: reads.count, pagesRendered }
}

export function searchPackage(p: RegistryPackage): SearchPackage {
  return {
    id: idOf(p),
    publisher: p.publisher,
    name: p.name,
    type: p.type,
    version: p.version,
    // The index is shown with textContent, which would still honour a bidi override: dropped here.
    description: cleanText(p.description ?? ''),
    tags: p.tags,
    score: p.score
  }
}

/** scores.json by id; a missing or invalid file means no charts (the scores job reports its own problems). */
async function readScores(ctx: BuildContext): Promise<Map<string, ScoredPackage>> {
  const doc = parseJsonBytes(await ctx.outputs.read('root', SCORES_FILE))
  if (doc === undefined || !validateScores(doc)) return new Map()
  return new Map((doc as Scores).packages.map((p) => [p.id, p]))
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** What a package page shows, hashed: equal hashes, equal pages. */
function pageInput(view: PackageView): string {
  return sha256(
    canonicalJson([CATALOG_RENDERER, view.entry, view.installName, view.marketplace, view.indexed, view.plugin, view.score ?? null])
  )
}

const META = (content: string) => `<meta name="catalog-input" content="${content}">`

/** The page with its own hash added to its input meta, so a later build can tell it was not altered. */
function seal(html: string, input: string): Uint8Array {
  // The page is encoded once and hashed as bytes; the hash goes into those bytes (the meta is
  // ASCII), rather than hashing the text, replacing it in a copy and encoding the copy again.
  const bytes = Buffer.from(html, 'utf8')
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32)
  const meta = META(input)
  const at = html.indexOf(meta)
  if (at < 0) return bytes
  const cut = Buffer.byteLength(html.slice(0, at), 'utf8') + meta.length - 2 // before the closing `">`
  const out = Buffer.allocUnsafe(bytes.length + 1 + hash.length)
  bytes.copy(out, 0, 0, cut)
  out.write(`.${hash}`, cut, 'latin1')
  bytes.copy(out, cut + 1 + hash.length, cut)
  return out
}

/** Is this the page a build would render from `input`, unaltered? */
export function isPageOf(bytes: Uint8Array | undefined, input: string): boolean {
  if (!bytes) return false
  const text = Buffer.from(bytes).toString('utf8')
  const m = /<meta name="catalog-input" content="([0-9a-f]{64})\.([0-9a-f]{32})">/.exec(text)
  if (!m || m[1] !== input) return false
  return sha256(text.replace(m[0], META(input))).slice(0, 32) === m[2]
}
