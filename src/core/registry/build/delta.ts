// The one-package rebuild: when the last build's record (state.ts) and ledger (ledger.ts) stand
// behind every aggregate it wrote, and the commits since changed only existing packages in place,
// the build reads those packages, makes their outputs with the usual stages, and splices their
// entries into the aggregates instead of parsing and re-serialising them: registry.json,
// .claude-plugin/marketplace.json and the root skills index by byte range, the changed
// publishers' skills indexes and the published-versions shards by parsing those small files, the
// catalog's home page, publisher pages and search index from the ledger's copy of what they show.
// Everything else the last build wrote stays as it is, unread (as an unchanged rebuild leaves it).
//
// Its outputs are the bytes a full build writes, or it does not build: anything it does not
// handle or cannot verify (a package added, removed, renamed or withheld; a profile or the config
// changed; a package entering or leaving an index; a file whose digest is not the one recorded)
// returns undefined before anything is written, and the usual incremental build runs.
import type { BuildContext } from './context.js'
import type { BuildOptions, BuildResult, OutputFile } from './types.js'
import type { BuildState, StateOptions } from './state.js'
import { applyPolicy } from '../../findings/findings.js'
import { CLAUDE_MARKETPLACE_FILE, CONFIG_FILE, REGISTRY_FILE } from '../../marketplace/paths.js'
import { canonicalBytes, canonicalItemJson, parseJsonBytes } from '../json.js'
import { idOf, withVersionHistory } from '../read.js'
import {
  PUBLISHED_INDEX_FILE,
  digestShardName,
  objectFormatOf,
  publishedShardName,
  shardHash,
  shardPath,
  type DigestShard,
  type PublishedIndex,
  type PublishedShard
} from '../published-index.js'
import { changeLines } from './changes.js'
import { shardVersions } from './published-index.js'
import { readRange, settleSpliced } from './spliced.js'
import type { Area } from './site-layout.js'
import { authorsAt } from './claude-plugins.js'
import { pluginEntry, type ClaudePlugin } from './claude-marketplace.js'
import { qualifiedNameFindings } from './names.js'
import { publishPackages } from './publish.js'
import { documentWith, registryProblems, type Registry, type RegistryPackage } from './registry-json.js'
import { siteFiles } from './site.js'
import { ROOT_INDEX, publisherIndex, rootIndexUrl } from './site-layout.js'
import { indexDocument, indexEntry, publisherIndexUrl, readIndex, type SkillArtifact } from './skills-index.js'
import { changedFile, recordFits, stateDraft } from './state.js'
import { SCORES_FILE, catalogFiles, searchPackage } from './catalog/stage.js'
import { HOME_PAGE, packagePage, publisherPage } from './catalog/layout.js'
import { HOME_COUNT, homeData, homePageFrom, publisherPageHtml, type HomeData } from './catalog/pages.js'
import { compareRank, docsFiles, onlyDocsChange, searchIndexFiles, type SearchPackage } from './catalog/search-index.js'
import { bucketOf } from './catalog/tokens.js'
import {
  BUILD_LEDGER_FILE,
  HOME_KEEP,
  LedgerError,
  LedgerPatch,
  LedgerReader,
  NONE,
  documentFrame,
  frameBounds,
  itemStarts,
  sha256Hex,
  spliceItems,
  type AggregateLayout,
  type AggregateName,
  type LedgerHeader,
  type LedgerLine
} from './ledger.js'

/** Why the one-package rebuild stood aside (tests and --json read it). */
class NotDelta extends Error {}

const stand = (why: string): never => {
  throw new NotDelta(why)
}

/** The build by splicing, or undefined (with why) when the usual build must run. */
export async function deltaBuild(
  ctx: BuildContext,
  options: BuildOptions,
  record: BuildState | undefined,
  o: StateOptions
): Promise<{ result?: BuildResult; reason?: string }> {
  try {
    return { result: await splice(ctx, options, record, o) }
  } catch (e) {
    // What the splice set aside (settleSpliced) goes: the usual build, or none, follows.
    await ctx.outputs.discard?.()
    if (e instanceof NotDelta || e instanceof LedgerError) return { reason: e.message }
    throw e
  }
}

async function splice(ctx: BuildContext, options: BuildOptions, record: BuildState | undefined, o: StateOptions): Promise<BuildResult> {
  const history = ctx.history
  if (options.full) stand('a full build was asked for')
  if (!record || !recordFits(record, o)) return stand('no build record of this toolkit and these options')
  const moved = await changedFile(ctx.outputs, record)
  if (moved) stand(`${moved} is not what the build record says`)
  const recordedFile = (path: string) => record.files.find((f) => f.path === path)
  const sizeOf = (path: string) => recordedFile(path)?.size ?? stand(`the record has no size of ${path}`)
  const ledger = (await LedgerReader.open(ctx.outputs, sizeOf(BUILD_LEDGER_FILE))) ?? stand('no ledger of this format')
  const h = ledger.header
  if (
    h.registry.sha256 !== recordedFile(REGISTRY_FILE)?.sha256 ||
    h.marketplace.sha256 !== recordedFile(CLAUDE_MARKETPLACE_FILE)?.sha256 ||
    h.skills.sha256 !== recordedFile(ROOT_INDEX)?.sha256
  )
    stand('the ledger describes other files')
  const catalog = options.catalog !== false
  if (catalog !== (h.home !== undefined)) stand('the ledger was written with other options')
  if (!(await history.isAncestor(record.commit))) stand('the recorded commit is not an ancestor')

  const changes = await history.changesSince(record.commit)
  const configFile = options.configFile ?? CONFIG_FILE
  if (changes.publishers.length) stand('a publisher profile changed')
  if (changes.other.some((c) => c.path === configFile || c.oldPath === configFile)) stand('the config changed')
  if (!changes.packages.length) stand('no package changed')
  if (changes.packages.some((c) => c.status !== 'modified')) stand('a package was added, removed or renamed')

  // The changed packages' entries as registry.json has them now (read alone: the file is 93 MB at
  // 100,000 packages, and the record has just vouched for the rest of it).
  const frame = (await frameOf(ctx, 'root', REGISTRY_FILE, h.registry, sizeOf(REGISTRY_FILE))) as Partial<Registry>
  if (typeof frame.updated_at !== 'string') stand('registry.json has no date')
  if (frame.stats_url !== ctx.config.marketplace.stats_url) stand('stats_url changed')
  const position = new Map<string, number>()
  const lineOf = new Map<string, LedgerLine>()
  const previous = new Map<string, RegistryPackage>()
  const previousText = new Map<number, string>()
  const registryLengths = await ledger.lengths('registry')
  for (const c of changes.packages) {
    const i = await ledger.indexOf(c.ref.id)
    if (i < 0) stand(`${c.ref.id} is not in the ledger`)
    position.set(c.ref.id, i)
  }
  // Every changed entry's start in one pass over the lengths, however many changed.
  const starts = itemStarts(registryLengths, position.values(), h.registry.first)
  for (const c of changes.packages) {
    const i = position.get(c.ref.id) as number
    const start = starts.get(i) as number
    const bytes =
      (await readRange(ctx.outputs, 'root', REGISTRY_FILE, start, start + (registryLengths[i] as number))) ??
      stand('registry.json is shorter than the ledger says')
    previousText.set(i, bytes.toString('utf8'))
    const prev = parseJsonBytes(bytes) as RegistryPackage
    if (!prev || idOf(prev) !== c.ref.id) stand(`the ledger does not point at ${c.ref.id}`)
    lineOf.set(c.ref.id, await ledger.line(i))
    previous.set(c.ref.id, prev)
  }

  const authors = authorsAt(ctx.head, ctx.config)
  const published = await publishPackages(
    ctx,
    {
      mode: 'incremental',
      reason: '',
      previous: { registry: { ...frame, packages: [] } as unknown as Registry, byId: previous },
      targets: changes.packages.map((c) => c.ref),
      carried: new Map(),
      changedPublishers: new Set()
    },
    authors
  )
  if (published.withheld.size) stand('a package is withheld')
  const entries = [...published.entries.values()].sort((a, b) => (position.get(idOf(a)) ?? 0) - (position.get(idOf(b)) ?? 0))
  if (entries.length !== previous.size) stand('a package has no entry')
  for (const e of [...entries, ...previous.values()])
    if (withVersionHistory({ packages: [e] } as Registry).packages[0] !== e) stand('an entry lacks its version history')
  const problems = registryProblems({ ...(frame as Registry), packages: entries })
  if (problems.length) throw new Error(`the registry built for ${ctx.headSha} does not match its schema:\n${problems.join('\n')}`)

  const patch = new LedgerPatch(ledger)
  const at = (e: RegistryPackage) => position.get(idOf(e)) as number

  // registry.json
  const replaced = new Map<number, Buffer>()
  for (const e of entries) {
    const text = canonicalItemJson(e)
    if (text !== previousText.get(at(e))) replaced.set(at(e), Buffer.from(text, 'utf8'))
  }
  const head = documentWith(
    [],
    frame as Registry,
    replaced.size > 0 || frame.commit === undefined,
    published.headStamp,
    options.toolVersion,
    frame.stats_url
  )
  const registry = await splicedAggregate(
    ctx,
    ledger,
    patch,
    'root',
    REGISTRY_FILE,
    'registry',
    { ...head },
    'packages',
    replaced,
    objectFormatOf(ctx.headSha)
  )

  // Install names stay: no package came or went, and a package's first publication date does not move.
  const names = new Map<string, string>()
  for (const e of entries) {
    const qualified = lineOf.get(idOf(e))?.qualified
    if (qualified !== undefined) names.set(idOf(e), qualified)
  }
  const installName = (e: RegistryPackage) => names.get(idOf(e)) ?? e.name

  // The site: the changed packages' artifacts and release records from the usual stage; the
  // indexes spliced.
  const site = await siteFiles(ctx, {
    packages: entries,
    names,
    mode: 'incremental',
    artifacts: published.artifacts,
    read: published.read,
    withheld: published.withheld,
    releases: published.releases
  })
  const changedPublishers = [...new Set(entries.map((e) => e.publisher))]
  const publisherIndexes = new Set(changedPublishers.map(publisherIndex))
  const files: OutputFile[] = site.files.filter((f) => f.path !== ROOT_INDEX && !publisherIndexes.has(f.path) && f.bytes?.length !== 0)
  const artifactOf = (e: RegistryPackage): SkillArtifact | undefined => {
    const a = published.artifacts.get(idOf(e))
    return a && !('problem' in a) && e.type === 'skill' && e.description !== undefined ? a : undefined
  }
  const places = new Map<string, { marketplace: number; skills: number }>()
  for (const e of entries) places.set(idOf(e), await ledger.places(at(e)))
  const rootReplaced = new Map<number, Buffer>()
  for (const e of entries) {
    const i = places.get(idOf(e))?.skills ?? NONE
    const artifact = artifactOf(e)
    if ((i === NONE) !== !artifact) stand(`${idOf(e)} enters or leaves the skills index`)
    if (artifact)
      rootReplaced.set(
        i,
        Buffer.from(canonicalItemJson(indexEntry(installName(e), e.description ?? '', artifact, rootIndexUrl(artifact.sitePath))), 'utf8')
      )
  }
  const skills = rootReplaced.size
    ? await splicedAggregate(
        ctx,
        ledger,
        patch,
        'site',
        ROOT_INDEX,
        'skills',
        await frameOf(ctx, 'site', ROOT_INDEX, h.skills, sizeOf(ROOT_INDEX)),
        'skills',
        rootReplaced
      )
    : kept(ROOT_INDEX, 'site', h.skills, sizeOf(ROOT_INDEX))
  files.push(skills.out)
  const publisherRanges = new Map<string, { from: number; to: number }>()
  for (const login of changedPublishers) {
    const own = entries.filter((e) => e.publisher === login)
    const range = await ledger.publisherRange(at(own[0] as RegistryPackage))
    publisherRanges.set(login, range)
    const withArtifacts = own.filter((e) => artifactOf(e))
    if (!withArtifacts.length) continue
    const path = publisherIndex(login)
    const bytes = await ctx.outputs.read('site', path)
    if (!bytes || (await ledger.publisherDigest(range.from)) !== sha256Hex(bytes)) stand(`${path} is not what the ledger says`)
    const listed = readIndex(bytes) ?? stand(`${path} is not a skills index`)
    for (const e of withArtifacts) {
      const artifact = artifactOf(e) as SkillArtifact
      listed.set(e.name, indexEntry(e.name, e.description ?? '', artifact, publisherIndexUrl(e, artifact.type)))
    }
    const next = canonicalBytes(indexDocument([...listed.values()]))
    patch.setPublisherDigest(range.from, sha256Hex(next))
    files.push({ area: 'site', path, bytes: next })
  }

  // .claude-plugin/marketplace.json
  const pluginReplaced = new Map<number, Buffer>()
  const plugins = new Set<string>()
  for (const e of entries) {
    const i = places.get(idOf(e))?.marketplace ?? NONE
    const extra = published.extras.get(idOf(e))
    const listed = extra && (e.type === 'skill' || extra.mcpServer) ? extra : undefined
    if ((i === NONE) !== !listed) stand(`${idOf(e)} enters or leaves marketplace.json`)
    if (listed) {
      pluginReplaced.set(i, Buffer.from(canonicalItemJson(pluginEntry(e, installName(e), listed)), 'utf8'))
      plugins.add(installName(e))
    }
  }
  const marketplaceFrame = await frameOf(ctx, 'root', CLAUDE_MARKETPLACE_FILE, h.marketplace, sizeOf(CLAUDE_MARKETPLACE_FILE))
  const marketplace = pluginReplaced.size
    ? await splicedAggregate(
        ctx,
        ledger,
        patch,
        'root',
        CLAUDE_MARKETPLACE_FILE,
        'marketplace',
        marketplaceFrame,
        'plugins',
        pluginReplaced
      )
    : kept(CLAUDE_MARKETPLACE_FILE, 'root', h.marketplace, sizeOf(CLAUDE_MARKETPLACE_FILE))
  const named = (marketplaceFrame as Partial<ClaudePlugin>).name
  const marketplaceName = typeof named === 'string' ? named : stand('marketplace.json has no name')

  // The catalog: the changed packages' pages rendered; the aggregates from the ledger's view.
  const removed: OutputFile[] = []
  let home = h.home
  if (catalog && home) {
    const pages = await catalogFiles(ctx, {
      packages: entries,
      names,
      marketplace: marketplaceName,
      plugins,
      siteFiles: site.files,
      mode: 'full',
      read: published.read,
      withheld: published.withheld
    })
    const own = new Set(entries.map((e) => packagePage(e.publisher, e.name)))
    files.push(...pages.files.filter((f) => own.has(f.path)))
    const now = new Map(entries.map((e) => [idOf(e), searchPackage(e)]))
    const before = (id: string) => lineOf.get(id)?.search ?? stand(`the ledger has no catalog view of ${id}`)
    const viewOf = async (i: number): Promise<SearchPackage> => {
      const line = await ledger.line(i)
      return now.get(line.id) ?? line.search ?? stand(`the ledger has no catalog view of ${line.id}`)
    }
    for (const e of entries) {
      const line: LedgerLine = { ...(lineOf.get(idOf(e)) as LedgerLine), search: now.get(idOf(e)) }
      patch.setLine(at(e), line)
    }
    for (const login of changedPublishers) {
      const { from, to } = publisherRanges.get(login) as { from: number; to: number }
      const mine: SearchPackage[] = []
      for (let i = from; i < to; i++) mine.push(await viewOf(i))
      files.push({ area: 'site', path: publisherPage(login), bytes: Buffer.from(publisherPageHtml(login, mine, marketplaceName), 'utf8') })
    }
    const ids = entries.map(idOf)
    let all: SearchPackage[] | undefined
    const everyView = async () =>
      (all ??= (await ledger.allLines()).map((l) => now.get(l.id) ?? l.search ?? stand(`the ledger has no catalog view of ${l.id}`)))
    home =
      updatedHome(
        home,
        ids.map(before),
        ids.map((id) => now.get(id) as SearchPackage)
      ) ?? homeData(await everyView(), HOME_KEEP)
    files.push({ area: 'site', path: HOME_PAGE, bytes: Buffer.from(homePageFrom(home, marketplaceName), 'utf8') })
    // A new version with the same words and score changes only its docs bucket (searchIndexFiles
    // over every package is most of what a one-package rebuild would otherwise cost).
    const buckets = h.buckets ?? stand('the ledger has no search buckets')
    if (entries.every((e) => onlyDocsChange(before(idOf(e)), now.get(idOf(e)) as SearchPackage))) {
      const members: SearchPackage[] = []
      for (const b of new Set(ids.map((id) => bucketOf(id, buckets)))) for (const i of await ledger.bucket(b)) members.push(await viewOf(i))
      files.push(...docsFiles(members, ids, buckets))
    } else {
      const index = searchIndexFiles(await everyView())
      files.push(...index)
      const written = new Set(index.map((f) => f.path))
      for (const path of await ledger.searchFiles()) if (!written.has(path)) removed.push({ area: 'site', path })
      patch.setSearchFiles([...written].sort())
    }
  }

  // The published-versions index: the shards the changed histories touch, and the head.
  const index = await publishedIndexDelta(
    ctx,
    ledger,
    h.publishedHead,
    previous,
    entries,
    registry.blobId ?? stand('registry.json has no blob id')
  )
  removed.push(...index.removed)

  const nextHeader: Omit<LedgerHeader, 'sections'> = {
    format: h.format,
    packages: h.packages,
    registry: registry.layout,
    marketplace: marketplace.layout,
    skills: skills.layout,
    publishedHead: index.headDigest,
    ...(home ? { home } : {}),
    ...(h.buckets !== undefined ? { buckets: h.buckets } : {})
  }
  // The last file of the splice, so nothing after it stands aside: patched where it lies (its
  // header, lengths and line offsets rewritten, new lines added; nothing of it moves but the
  // search files' short list), not copied whole (23 MB at 100,000 packages).
  const ledgerParts = patch.parts(nextHeader)
  const ledgerFile =
    (await settleSpliced(ctx.outputs, 'site', BUILD_LEDGER_FILE, ledgerParts, { patch: true })) ??
    stand('the ledger is shorter than its header says')
  files.push(registry.out, ...index.files, marketplace.out, ledgerFile.file)
  const inputs = new Map<string, Uint8Array | undefined>()
  if (catalog) inputs.set(`root:${SCORES_FILE}`, await ctx.outputs.read('root', SCORES_FILE))
  const changeSet = changeLines(previous, published.entries)
  const read = published.read
  return {
    head: ctx.headSha,
    mode: 'incremental',
    reason: '',
    packageCount: h.packages,
    ...changeSet,
    withheld: [],
    findings: applyPolicy([...published.findings, ...qualifiedNameFindings(entries, names, read), ...site.findings], ctx.config),
    files,
    removedFiles: removed,
    packagesRead: published.packagesRead + site.packagesRead,
    state: stateDraft(o, { commit: head.commit, packages: { length: h.packages } }, files, inputs)
  }
}

/**
 * The home page's figures after the packages `before` became `after` (the same ids), or undefined
 * when the ledger's ranked list no longer holds enough packages known to be the best: every
 * unchanged package outside the list ranks below all of it, so the list minus the changed
 * packages is still exact, and with the changed packages merged in, exact for that many places.
 */
export function updatedHome(home: HomeData, before: readonly SearchPackage[], after: readonly SearchPackage[]): HomeData | undefined {
  const tags = new Map(home.tags)
  for (const p of before)
    for (const t of p.tags) {
      const n = (tags.get(t) ?? 0) - 1
      if (n > 0) tags.set(t, n)
      else tags.delete(t)
    }
  for (const p of after) for (const t of p.tags) tags.set(t, (tags.get(t) ?? 0) + 1)
  const changed = new Set(after.map((p) => p.id))
  const kept = home.top.filter((p) => !changed.has(p.id))
  const complete = home.top.length === home.count
  const merged = [...kept, ...after].sort(compareRank)
  const exact = complete ? merged.length : kept.length
  if (exact < Math.min(HOME_COUNT, home.count)) return undefined
  return {
    count: home.count,
    tags: [...tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    publishers: home.publishers,
    top: merged.slice(0, Math.min(exact, HOME_KEEP))
  }
}

/** An aggregate's keys other than its item array, from the bytes before its first item and after its last. */
async function frameOf(
  ctx: BuildContext,
  area: Area,
  path: string,
  layout: AggregateLayout,
  size: number
): Promise<Record<string, unknown>> {
  if (layout.count === 0) stand(`${path} has no entries`)
  const bounds = frameBounds(layout)
  const head = await readRange(ctx.outputs, area, path, 0, bounds.headEnd)
  const tail = await readRange(ctx.outputs, area, path, bounds.tailStart, size)
  return (head && tail && documentFrame(head, tail)) || stand(`${path} is not laid out as the ledger says`)
}

interface Spliced {
  out: OutputFile
  layout: AggregateLayout
  /** registry.json's git blob id (the published-versions head names it). */
  blobId?: string
}

/** The aggregate with the items of `replace` spliced in, as parts of the old file handed to the writer; their new lengths patched into the ledger. */
async function splicedAggregate(
  ctx: BuildContext,
  ledger: LedgerReader,
  patch: LedgerPatch,
  area: Area,
  path: string,
  name: AggregateName,
  frame: Record<string, unknown>,
  key: string,
  replace: ReadonlyMap<number, Buffer>,
  blob?: 'sha1' | 'sha256'
): Promise<Spliced> {
  const layout = ledger.header[name]
  const lengths = await ledger.lengths(name)
  for (const i of replace.keys()) if (i >= layout.count) stand(`the ledger's ${name} has no item ${i}`)
  const { parts, first, end } = spliceItems(layout, lengths, frame, key, replace)
  const d = (await settleSpliced(ctx.outputs, area, path, parts, { blob })) ?? stand(`${path} is shorter than the ledger says`)
  for (const [i, item] of replace) patch.setU32(name, i, item.length)
  return {
    out: d.file,
    layout: { sha256: d.sha256, count: layout.count, first, end },
    ...(d.blobId ? { blobId: d.blobId } : {})
  }
}

/** An aggregate that stays as it is (the writer leaves it in place), vouched for by the ledger. */
function kept(path: string, area: Area, layout: AggregateLayout, size: number): Spliced {
  return { out: { area, path, inPlace: { size, sha256: layout.sha256 } }, layout }
}

/** The shards holding the changed packages' histories and digests, patched; the head with their new hashes. */
async function publishedIndexDelta(
  ctx: BuildContext,
  ledger: LedgerReader,
  headDigest: string | null,
  previous: ReadonlyMap<string, RegistryPackage>,
  entries: readonly RegistryPackage[],
  registryBlobId: string
): Promise<{ files: OutputFile[]; removed: OutputFile[]; headDigest: string }> {
  const headBytes = await ctx.outputs.read('root', PUBLISHED_INDEX_FILE)
  if (!headBytes || headDigest !== sha256Hex(headBytes)) stand('the published-versions head is not what the ledger says')
  const head = parseJsonBytes(headBytes) as PublishedIndex
  const shards = new Map<string, PublishedShard | DigestShard>()
  const shard = async <T extends PublishedShard | DigestShard>(name: string, empty: T): Promise<T> => {
    const known = shards.get(name)
    if (known) return known as T
    let doc = empty
    if (head.shards[name] !== undefined) {
      const bytes = await ctx.outputs.read('root', shardPath(name))
      if (!bytes || shardHash(bytes) !== head.shards[name]) stand(`${shardPath(name)} is not what the head says`)
      doc = parseJsonBytes(bytes) as T
    }
    shards.set(name, doc)
    return doc
  }
  const order = (id: string) => ledger.indexOf(id)
  for (const e of entries) {
    const id = idOf(e)
    const versions = shardVersions(e)
    const own = await shard<PublishedShard>(publishedShardName(id), { packages: {} })
    own.packages[id] = versions
    const before = new Set((previous.get(id)?.versions ?? []).map((v) => v.digest))
    const after = new Set(versions.map((v) => v.digest))
    for (const d of before) {
      if (after.has(d)) continue
      const doc = await shard<DigestShard>(digestShardName(d), { digests: {} })
      const holders = (doc.digests[d] ?? []).filter((h) => h !== id)
      if (holders.length) doc.digests[d] = holders
      else doc.digests = Object.fromEntries(Object.entries(doc.digests).filter(([k]) => k !== d))
    }
    for (const d of after) {
      if (before.has(d)) continue
      const doc = await shard<DigestShard>(digestShardName(d), { digests: {} })
      const holders = (doc.digests[d] ?? []).filter((h) => h !== id)
      const mine = await order(id)
      let at = -1
      for (const [k, h] of holders.entries())
        if ((await order(h)) > mine) {
          at = k
          break
        }
      holders.splice(at < 0 ? holders.length : at, 0, id)
      doc.digests[d] = holders
    }
  }
  const files: OutputFile[] = []
  const removed: OutputFile[] = []
  const names = new Map(Object.entries(head.shards))
  for (const [name, doc] of [...shards].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const empty = 'packages' in doc ? Object.keys(doc.packages).length === 0 : Object.keys(doc.digests).length === 0
    if (empty) {
      names.delete(name)
      removed.push({ area: 'root', path: shardPath(name) })
      continue
    }
    const bytes = canonicalBytes(doc)
    names.set(name, shardHash(bytes))
    files.push({ area: 'root', path: shardPath(name), bytes })
  }
  const next: PublishedIndex = {
    ...head,
    registry: { object_id: registryBlobId, packages: head.registry.packages },
    shards: Object.fromEntries(names)
  }
  const nextBytes = canonicalBytes(next)
  files.push({ area: 'root', path: PUBLISHED_INDEX_FILE, bytes: nextBytes })
  return { files, removed, headDigest: sha256Hex(nextBytes) }
}
