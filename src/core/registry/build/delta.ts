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
import type { InstallName } from './names.js'
import { applyPolicy } from '../../findings/findings.js'
import { historyOf, type History } from './history.js'
import { CLAUDE_MARKETPLACE_FILE, CONFIG_FILE, REGISTRY_FILE } from '../../marketplace/paths.js'
import { canonicalBytes, parseJsonBytes } from '../json.js'
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
import { digestParts, readRange } from './spliced.js'
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
import { homePageHtml, publisherPageHtml } from './catalog/pages.js'
import { docsFiles, onlyDocsChange, searchIndexFiles } from './catalog/search-index.js'
import {
  BUILD_LEDGER_FILE,
  documentFrame,
  frameBounds,
  itemRange,
  itemText,
  parseLedger,
  searchFields,
  searchPackageOf,
  serializeLedger,
  sha256Hex,
  spliceItems,
  type Ledger,
  type LedgerFile,
  type SearchFields
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
  o: StateOptions,
  history: History = historyOf(ctx.repo, ctx.headSha)
): Promise<{ result?: BuildResult; reason?: string }> {
  try {
    return { result: await splice(ctx, options, record, o, history) }
  } catch (e) {
    if (e instanceof NotDelta) return { reason: e.message }
    throw e
  }
}

async function splice(
  ctx: BuildContext,
  options: BuildOptions,
  record: BuildState | undefined,
  o: StateOptions,
  history: History
): Promise<BuildResult> {
  if (options.full) stand('a full build was asked for')
  if (!record || !recordFits(record, o)) return stand('no build record of this toolkit and these options')
  const moved = await changedFile(ctx.outputs, record)
  if (moved) stand(`${moved} is not what the build record says`)
  const ledger = parseLedger(await ctx.outputs.read('site', BUILD_LEDGER_FILE)) ?? stand('no ledger')
  const recorded = (path: string) => record.files.find((f) => f.path === path)?.sha256
  if (
    ledger.registry.sha256 !== recorded(REGISTRY_FILE) ||
    ledger.marketplace.sha256 !== recorded(CLAUDE_MARKETPLACE_FILE) ||
    ledger.skills.sha256 !== recorded(ROOT_INDEX)
  )
    stand('the ledger describes other files')
  const catalog = options.catalog !== false
  if (catalog !== (ledger.search !== undefined)) stand('the ledger was written with other options')
  if (!(await history.isAncestor(record.commit))) stand('the recorded commit is not an ancestor')

  const changes = await history.changesSince(record.commit)
  const configFile = options.configFile ?? CONFIG_FILE
  if (changes.publishers.length) stand('a publisher profile changed')
  if (changes.other.some((c) => c.path === configFile || c.oldPath === configFile)) stand('the config changed')
  if (!changes.packages.length) stand('no package changed')
  if (changes.packages.some((c) => c.status !== 'modified')) stand('a package was added, removed or renamed')

  // The changed packages' entries as registry.json has them now (read alone: the file is 93 MB at
  // 100,000 packages, and the record has just vouched for the rest of it).
  const sizeOf = (path: string) => record.files.find((f) => f.path === path)?.size ?? stand(`the record has no size of ${path}`)
  const frame = (await frameOf(ctx, 'root', REGISTRY_FILE, ledger.registry, sizeOf(REGISTRY_FILE))) as Partial<Registry>
  if (typeof frame.updated_at !== 'string') stand('registry.json has no date')
  if (frame.stats_url !== ctx.config.marketplace.stats_url) stand('stats_url changed')
  const position = new Map<string, number>()
  const previous = new Map<string, RegistryPackage>()
  const previousText = new Map<number, string>()
  for (const c of changes.packages) {
    const i = ledger.registry.ids.indexOf(c.ref.id)
    if (i < 0) stand(`${c.ref.id} is not in the ledger`)
    const r = itemRange(ledger.registry, i)
    const bytes =
      (await readRange(ctx.outputs, 'root', REGISTRY_FILE, r.start, r.end)) ?? stand('registry.json is shorter than the ledger says')
    previousText.set(i, bytes.toString('utf8'))
    const prev = parseJsonBytes(bytes) as RegistryPackage
    if (!prev || idOf(prev) !== c.ref.id) stand(`the ledger does not point at ${c.ref.id}`)
    position.set(c.ref.id, i)
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

  // registry.json
  const replaced = new Map<number, string>()
  for (const e of entries) {
    const i = position.get(idOf(e)) as number
    const text = itemText(e)
    if (text !== previousText.get(i)) replaced.set(i, text)
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
    'root',
    REGISTRY_FILE,
    ledger.registry,
    { ...head },
    'packages',
    replaced,
    objectFormatOf(ctx.headSha)
  )

  // Install names stay: no package came or went, and a package's first publication date does not move.
  const names = new Map<string, InstallName>(
    entries.map((e) => [idOf(e), { name: ledger.qualified[idOf(e)] ?? e.name, qualified: idOf(e) in ledger.qualified }])
  )
  const installName = (e: RegistryPackage) => names.get(idOf(e))?.name ?? e.name

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
  const digests = { ...ledger.digests }
  const artifactOf = (e: RegistryPackage): SkillArtifact | undefined => {
    const a = published.artifacts.get(idOf(e))
    return a && !('problem' in a) && e.type === 'skill' && e.description !== undefined ? a : undefined
  }
  const rootReplaced = new Map<number, string>()
  for (const e of entries) {
    const i = ledger.skills.ids.indexOf(idOf(e))
    const artifact = artifactOf(e)
    if (i < 0 !== !artifact) stand(`${idOf(e)} enters or leaves the skills index`)
    if (artifact) rootReplaced.set(i, itemText(indexEntry(installName(e), e.description ?? '', artifact, rootIndexUrl(artifact.sitePath))))
  }
  const skills = rootReplaced.size
    ? await splicedAggregate(
        ctx,
        'site',
        ROOT_INDEX,
        ledger.skills,
        await frameOf(ctx, 'site', ROOT_INDEX, ledger.skills, sizeOf(ROOT_INDEX)),
        'skills',
        rootReplaced
      )
    : kept(ROOT_INDEX, 'site', ledger.skills, sizeOf(ROOT_INDEX))
  files.push(skills.out)
  for (const login of changedPublishers) {
    const own = entries.filter((e) => e.publisher === login && artifactOf(e))
    if (!own.length) continue
    const path = publisherIndex(login)
    const bytes = await ctx.outputs.read('site', path)
    if (!bytes || digests[`site:${path}`] !== sha256Hex(bytes)) stand(`${path} is not what the ledger says`)
    const listed = readIndex(bytes) ?? stand(`${path} is not a skills index`)
    for (const e of own) {
      const artifact = artifactOf(e) as SkillArtifact
      listed.set(e.name, indexEntry(e.name, e.description ?? '', artifact, publisherIndexUrl(e, artifact.type)))
    }
    const next = canonicalBytes(indexDocument([...listed.values()]))
    digests[`site:${path}`] = sha256Hex(next)
    files.push({ area: 'site', path, bytes: next })
  }

  // .claude-plugin/marketplace.json
  const pluginReplaced = new Map<number, string>()
  const plugins = new Set<string>()
  for (const e of entries) {
    const i = ledger.marketplace.ids.indexOf(idOf(e))
    const extra = published.extras.get(idOf(e))
    const listed = extra && (e.type === 'skill' || extra.mcpServer) ? extra : undefined
    if (i < 0 !== !listed) stand(`${idOf(e)} enters or leaves marketplace.json`)
    if (listed) {
      pluginReplaced.set(i, itemText(pluginEntry(e, installName(e), listed)))
      plugins.add(installName(e))
    }
  }
  const marketplaceFrame = await frameOf(ctx, 'root', CLAUDE_MARKETPLACE_FILE, ledger.marketplace, sizeOf(CLAUDE_MARKETPLACE_FILE))
  const marketplace = pluginReplaced.size
    ? await splicedAggregate(ctx, 'root', CLAUDE_MARKETPLACE_FILE, ledger.marketplace, marketplaceFrame, 'plugins', pluginReplaced)
    : kept(CLAUDE_MARKETPLACE_FILE, 'root', ledger.marketplace, sizeOf(CLAUDE_MARKETPLACE_FILE))
  const named = (marketplaceFrame as Partial<ClaudePlugin>).name
  const marketplaceName = typeof named === 'string' ? named : stand('marketplace.json has no name')

  // The catalog: the changed packages' pages rendered; the aggregates from the ledger's view.
  const removed: OutputFile[] = []
  let search = ledger.search
  let searchFiles = ledger.searchFiles
  if (catalog && search) {
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
    search = [...search]
    for (const e of entries) search[position.get(idOf(e)) as number] = searchFields(searchPackage(e))
    const fields = search
    const all = ledger.registry.ids.map((id, i) => searchPackageOf(id, fields[i] as SearchFields))
    for (const login of changedPublishers) {
      const mine = all.filter((p) => p.publisher === login)
      files.push({ area: 'site', path: publisherPage(login), bytes: Buffer.from(publisherPageHtml(login, mine, marketplaceName), 'utf8') })
    }
    files.push({ area: 'site', path: HOME_PAGE, bytes: Buffer.from(homePageHtml(all, marketplaceName), 'utf8') })
    // A new version with the same words and score changes only its docs bucket (searchIndexFiles
    // over every package is most of what a one-package rebuild would otherwise cost).
    const before = (id: string) => searchPackageOf(id, (ledger.search as SearchFields[])[position.get(id) as number] as SearchFields)
    if (entries.every((e) => onlyDocsChange(before(idOf(e)), searchPackage(e)))) {
      files.push(...docsFiles(all, entries.map(idOf)))
    } else {
      const index = searchIndexFiles(all)
      files.push(...index)
      const kept = new Set(index.map((f) => f.path))
      for (const path of ledger.searchFiles ?? []) if (!kept.has(path)) removed.push({ area: 'site', path })
      searchFiles = [...kept].sort()
    }
  }

  // The published-versions index: the shards the changed histories touch, and the head.
  const index = await publishedIndexDelta(ctx, ledger, digests, previous, entries, registry.blobId ?? stand('registry.json has no blob id'))
  removed.push(...index.removed)

  const next: Ledger = {
    ...ledger,
    registry: registry.file,
    marketplace: marketplace.file,
    skills: skills.file,
    digests,
    ...(search ? { search } : {}),
    ...(searchFiles ? { searchFiles } : {})
  }
  files.push(registry.out, ...index.files, marketplace.out, { area: 'site', path: BUILD_LEDGER_FILE, bytes: serializeLedger(next) })
  const inputs = new Map<string, Uint8Array | undefined>()
  if (catalog) inputs.set(`root:${SCORES_FILE}`, await ctx.outputs.read('root', SCORES_FILE))
  const changeSet = changeLines(previous, published.entries)
  const read = published.read
  return {
    head: ctx.headSha,
    mode: 'incremental',
    reason: '',
    packageCount: ledger.registry.ids.length,
    ...changeSet,
    withheld: [],
    findings: applyPolicy([...published.findings, ...qualifiedNameFindings(entries, names, read), ...site.findings], ctx.config),
    files,
    removedFiles: removed,
    packagesRead: published.packagesRead + site.packagesRead,
    state: stateDraft(o, { commit: head.commit, packages: ledger.registry.ids }, files, inputs)
  }
}

/** An aggregate's keys other than its item array, from the bytes before its first item and after its last. */
async function frameOf(ctx: BuildContext, area: Area, path: string, file: LedgerFile, size: number): Promise<Record<string, unknown>> {
  const bounds = frameBounds(file) ?? stand(`${path} has no entries`)
  const head = await readRange(ctx.outputs, area, path, 0, bounds.headEnd)
  const tail = await readRange(ctx.outputs, area, path, bounds.tailStart, size)
  return (head && tail && documentFrame(head, tail)) || stand(`${path} is not laid out as the ledger says`)
}

interface Spliced {
  out: OutputFile
  file: LedgerFile
  /** registry.json's git blob id (the published-versions head names it). */
  blobId?: string
}

/** The aggregate with the items of `replace` spliced in, as parts of the old file the writer copies. */
async function splicedAggregate(
  ctx: BuildContext,
  area: Area,
  path: string,
  file: LedgerFile,
  frame: Record<string, unknown>,
  key: string,
  replace: ReadonlyMap<number, string>,
  blob?: 'sha1' | 'sha256'
): Promise<Spliced> {
  const { parts, ranges } = spliceItems(file, frame, key, replace)
  const d = (await digestParts(ctx.outputs, area, path, parts, blob)) ?? stand(`${path} is shorter than the ledger says`)
  return {
    out: { area, path, spliced: { parts, size: d.size, sha256: d.sha256 } },
    file: { sha256: d.sha256, ids: file.ids, ranges },
    ...(d.blobId ? { blobId: d.blobId } : {})
  }
}

/** An aggregate that stays as it is: one range of itself (the writer leaves it in place), vouched for by the record. */
function kept(path: string, area: Area, file: LedgerFile, size: number): Spliced {
  return { out: { area, path, spliced: { parts: [{ start: 0, end: size }], size, sha256: file.sha256 } }, file }
}

/** The shards holding the changed packages' histories and digests, patched; the head with their new hashes. */
async function publishedIndexDelta(
  ctx: BuildContext,
  ledger: Ledger,
  digests: Record<string, string>,
  previous: ReadonlyMap<string, RegistryPackage>,
  entries: readonly RegistryPackage[],
  registryBlobId: string
): Promise<{ files: OutputFile[]; removed: OutputFile[] }> {
  const headKey = `root:${PUBLISHED_INDEX_FILE}`
  const headBytes = await ctx.outputs.read('root', PUBLISHED_INDEX_FILE)
  if (!headBytes || digests[headKey] !== sha256Hex(headBytes)) stand('the published-versions head is not what the ledger says')
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
  const order = (id: string) => ledger.registry.ids.indexOf(id)
  for (const e of entries) {
    const id = idOf(e)
    const versions = (e.versions ?? []).map((v) => ({
      version: v.version,
      digest: v.digest,
      commit: v.commit,
      published_at: v.published_at
    }))
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
      const mine = order(id)
      const at = holders.findIndex((h) => order(h) > mine)
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
  digests[headKey] = sha256Hex(nextBytes)
  files.push({ area: 'root', path: PUBLISHED_INDEX_FILE, bytes: nextBytes })
  return { files, removed }
}
