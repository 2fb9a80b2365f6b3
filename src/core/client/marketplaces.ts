// Registered marketplaces and their cached indexes. `refresh` is the only thing that talks to a
// marketplace about what it offers: one conditional request for registry.json (ETag /
// If-Modified-Since); the skills index is asked for only when the registry changed (both come
// from the same build) or when the marketplace has no registry. A response that does not parse
// or validate never replaces a good cache. Nothing here touches installed packages.
import { lstatSync, readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Registry } from '../../generated/schema-types.js'
import { REGISTRY_FILE } from '../marketplace/paths.js'
import { CatalogError, catalogOf, documentKind, parseIndex, parseRegistry, type CatalogEntry, type IndexSkill } from './catalog.js'
import { NetworkError, fetchBytes, urlProblem, type FetchLike } from './net.js'
import { MARKETPLACE_NAME, baseOf, defaultName, githubRecord, parseSource, wellKnownIndex, type MarketplaceRecord } from './source.js'
import { rm, writeAtomic, type Workspace } from './workspace.js'

export const MARKETPLACES_FILE = 'marketplaces.json'

export interface Limits {
  indexBytes: number
  artifactBytes: number
  files: number
}
// A registry.json of 100,000 packages built by this toolkit is ~93 MB (about 930 bytes a package
// with a short version history): the index cap leaves room for that and more history.
export const DEFAULT_LIMITS: Limits = { indexBytes: 256 * 1024 * 1024, artifactBytes: 16 * 1024 * 1024, files: 2000 }
export const CACHE_TTL_MS = 60 * 60 * 1000

interface Validators {
  etag?: string
  last_modified?: string
}

export interface CacheMeta {
  fetched_at: string
  registry?: Validators & { present: boolean }
  index?: Validators & { present: boolean }
  stats_url?: string
}

export interface LoadedMarketplace {
  record: MarketplaceRecord
  meta?: CacheMeta
  registry?: Registry
  index?: IndexSkill[]
  entries: CatalogEntry[]
  statsUrl?: string
  /** Why the cache is stale or missing, when it is. */
  warning?: string
}

export interface MarketplaceContext {
  ws: Workspace
  fetch: FetchLike
  now: () => Date
  limits: Limits
  ttlMs: number
  /** Counts every request (for `update`'s one-request promise and the benchmark). */
  requests: { count: number }
  /** Parsed caches by marketplace, reused while their validators are unchanged (the daemon searches many times). */
  memo: Map<string, { key: string; loaded: LoadedMarketplace }>
}

export async function readRecords(ws: Workspace): Promise<MarketplaceRecord[]> {
  const doc = await ws.readJson<{ marketplaces?: MarketplaceRecord[] }>(ws.file(MARKETPLACES_FILE))
  return doc?.marketplaces ?? []
}

async function writeRecords(ws: Workspace, records: MarketplaceRecord[]): Promise<void> {
  await ws.writeJson(ws.file(MARKETPLACES_FILE), { marketplaces: [...records].sort((a, b) => (a.name < b.name ? -1 : 1)) })
}

export interface AddOptions {
  name?: string
  /** More origins artifacts may come from (a CDN), beyond the source's own. */
  allowOrigins?: string[]
}

/** Registers a marketplace: works out what the source serves, fetches it once, caches it. */
export async function addMarketplace(ctx: MarketplaceContext, source: string, options: AddOptions = {}): Promise<LoadedMarketplace> {
  const records = await readRecords(ctx.ws)
  const parsed = parseSource(source, isFolder)
  let record: MarketplaceRecord
  const base = { source, added_at: ctx.now().toISOString(), name: '' }
  if (parsed.kind === 'github') {
    record = { ...base, ...githubRecord(parsed.owner, parsed.repo) }
  } else if (parsed.kind === 'local') {
    const folder = path.resolve(parsed.folder)
    if (!isFolder(folder)) throw new Error(`${folder} is not a folder`)
    record = { ...base, type: 'local', folder, allowed_origins: [] }
  } else {
    const problem = urlProblem(parsed.url.href)
    if (problem) throw new Error(problem)
    record = await probeUrl(ctx, parsed.url, base)
  }
  for (const extra of options.allowOrigins ?? []) {
    const problem = urlProblem(extra)
    if (problem) throw new Error(`--allow-origin: ${problem}`)
    record.allowed_origins.push(new URL(extra).origin)
  }
  record.allowed_origins = [...new Set(record.allowed_origins)]
  record.name = options.name ?? defaultName(parsed, record.folder ? path.basename(record.folder) : undefined)
  if (!MARKETPLACE_NAME.test(record.name))
    throw new Error(
      `\`${record.name}\` is not a valid marketplace name: lowercase letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`
    )
  const existing = records.find((r) => r.name === record.name)
  if (existing && existing.source !== source)
    throw new Error(`a marketplace named \`${record.name}\` already exists (${existing.source}); choose another with --name`)
  const loaded = await refresh(ctx, record, { force: true })
  if (loaded.warning) throw new Error(loaded.warning)
  await writeRecords(ctx.ws, [...records.filter((r) => r.name !== record.name), record])
  return loaded
}

/** A URL: a registry.json, a discovery index, or an origin serving one or both. */
async function probeUrl(
  ctx: MarketplaceContext,
  url: URL,
  base: Pick<MarketplaceRecord, 'source' | 'added_at' | 'name'>
): Promise<MarketplaceRecord> {
  const origin = url.origin
  if (url.pathname.endsWith('.json')) {
    const fetched = await get(ctx, url.href, [origin])
    if (fetched.status !== 'ok') throw new Error(`${url.href} answered 304 to a request without a validator`)
    const kind = documentKind(fetched.bytes)
    if (kind === 'registry') {
      return {
        ...base,
        type: 'registry-url',
        registry_url: url.href,
        index_url: wellKnownIndex(baseOf(url.href)),
        files_base: baseOf(url.href),
        allowed_origins: [origin]
      }
    }
    if (kind === 'index') return { ...base, type: 'index-url', index_url: url.href, allowed_origins: [origin] }
    throw new Error(`${url.href} is neither a registry.json (no \`packages\`) nor an Agent Skills index (no \`skills\`)`)
  }
  const root = url.href.endsWith('/') ? url.href : `${url.href}/`
  return {
    ...base,
    type: 'origin',
    registry_url: new URL(REGISTRY_FILE, root).href,
    index_url: wellKnownIndex(root),
    files_base: root,
    allowed_origins: [origin]
  }
}

export async function removeMarketplace(ws: Workspace, name: string): Promise<void> {
  const records = await readRecords(ws)
  if (!records.some((r) => r.name === name)) throw new Error(`no marketplace named \`${name}\`; see \`marketplace list\``)
  await writeRecords(
    ws,
    records.filter((r) => r.name !== name)
  )
  await rm(ws.cacheDir(name), { recursive: true, force: true })
}

/** The marketplace from its cache, refreshed first when the cache is older than the TTL (or forced). */
export async function load(
  ctx: MarketplaceContext,
  record: MarketplaceRecord,
  options: { refresh: 'auto' | 'never' | 'now' | 'force' }
): Promise<LoadedMarketplace> {
  const cached = await readCache(ctx, record)
  if (options.refresh === 'never') return cached
  const age = cached.meta ? ctx.now().getTime() - Date.parse(cached.meta.fetched_at) : Infinity
  if (options.refresh === 'auto' && age < ctx.ttlMs && record.type !== 'local') return cached
  return refresh(ctx, record, { force: options.refresh === 'force' })
}

async function readCache(ctx: MarketplaceContext, record: MarketplaceRecord): Promise<LoadedMarketplace> {
  const dir = ctx.ws.cacheDir(record.name)
  const meta = await ctx.ws.readJson<CacheMeta>(path.join(dir, 'meta.json'))
  const out: LoadedMarketplace = { record, entries: [] }
  if (!meta) return { ...out, warning: `marketplace \`${record.name}\` has no cached index yet` }
  out.meta = meta
  // Same validators (or, for a local folder, the same fetch) means the same bytes on disk.
  const key = JSON.stringify([
    record,
    meta.registry,
    meta.index,
    meta.stats_url,
    record.type === 'local' || (!meta.registry?.etag && !meta.index?.etag) ? meta.fetched_at : ''
  ])
  const memo = ctx.memo.get(record.name)
  if (memo?.key === key) return { ...memo.loaded, meta }
  const reg = meta.registry?.present ? await ctx.ws.readBytes(path.join(dir, 'registry.json')) : undefined
  const idx = meta.index?.present ? await ctx.ws.readBytes(path.join(dir, 'index.json')) : undefined
  try {
    if (reg) out.registry = parseRegistry(reg, 'the cached registry.json').registry
    if (idx) out.index = parseIndex(idx, 'the cached index.json')
  } catch (e) {
    return {
      record,
      entries: [],
      warning: `the cache of \`${record.name}\` is damaged (${(e as Error).message}); run \`marketplace update ${record.name}\``
    }
  }
  if (meta.stats_url) out.statsUrl = meta.stats_url
  out.entries = catalogOf(record.name, out.registry, out.index, record.index_url)
  ctx.memo.set(record.name, { key, loaded: out })
  return out
}

/** Asks the marketplace what changed; on any failure the cache stays and the result carries a warning. */
export async function refresh(ctx: MarketplaceContext, record: MarketplaceRecord, options: { force: boolean }): Promise<LoadedMarketplace> {
  const dir = ctx.ws.cacheDir(record.name)
  const cached = await readCache(ctx, record)
  const meta: CacheMeta = { fetched_at: ctx.now().toISOString() }
  if (cached.meta?.registry) meta.registry = cached.meta.registry
  if (cached.meta?.index) meta.index = cached.meta.index
  if (cached.meta?.stats_url) meta.stats_url = cached.meta.stats_url
  const conditional = !options.force && !cached.warning
  try {
    let registryChanged = false
    if (record.type === 'local') {
      const bytes = await readFile(path.join(record.folder as string, REGISTRY_FILE))
      const parsed = parseRegistry(bytes, `${record.folder}/registry.json`)
      await ctx.ws.writeJson(path.join(dir, 'registry.json'), parsed.registry)
      meta.registry = { present: true }
      delete meta.stats_url
      if (parsed.statsUrl) meta.stats_url = parsed.statsUrl
    } else if (record.registry_url) {
      const v = conditional ? meta.registry : undefined
      const r = await getOptional(ctx, record.registry_url, record.allowed_origins, v)
      if (r === 'absent') {
        if (record.type !== 'origin') throw new NetworkError(`${record.registry_url} was not found (404)`)
        meta.registry = { present: false }
      } else if (r.status === 'ok') {
        const parsed = parseRegistry(r.bytes, r.url)
        await writeBytes(ctx, path.join(dir, 'registry.json'), r.bytes)
        meta.registry = { present: true, ...validators(r) }
        delete meta.stats_url
        if (parsed.statsUrl && !urlProblem(parsed.statsUrl)) meta.stats_url = parsed.statsUrl
        registryChanged = true
      }
    }
    const needIndex =
      record.index_url && (record.type === 'index-url' || !meta.registry?.present || registryChanged || !meta.index || !conditional)
    if (needIndex && record.index_url) {
      const v = conditional && meta.index?.present ? meta.index : undefined
      const r = await getOptional(ctx, record.index_url, record.allowed_origins, v)
      if (r === 'absent') {
        if (record.type === 'index-url') throw new NetworkError(`${record.index_url} was not found (404)`)
        meta.index = { present: false }
      } else if (r.status === 'ok') {
        parseIndex(r.bytes, r.url)
        await writeBytes(ctx, path.join(dir, 'index.json'), r.bytes)
        meta.index = { present: true, ...validators(r) }
      }
    }
    if (!meta.registry?.present && !meta.index?.present)
      throw new CatalogError(`${record.source} serves neither registry.json nor ${record.index_url ?? 'a skills index'}`)
  } catch (e) {
    if (!(e instanceof NetworkError || e instanceof CatalogError || isFsError(e))) throw e
    const reason = (e as Error).message
    if (cached.meta && !cached.warning)
      return { ...cached, warning: `could not refresh \`${record.name}\` (${reason}); using the copy fetched ${cached.meta.fetched_at}` }
    return { record, entries: [], warning: `marketplace \`${record.name}\` is unavailable: ${reason}` }
  }
  await ctx.ws.writeJson(path.join(dir, 'meta.json'), meta)
  return readCache(ctx, record)
}

async function get(ctx: MarketplaceContext, url: string, origins: readonly string[], v?: Validators) {
  ctx.requests.count++
  return fetchBytes(ctx.fetch, url, {
    maxBytes: ctx.limits.indexBytes,
    allowedOrigins: origins,
    etag: v?.etag,
    lastModified: v?.last_modified
  })
}

async function getOptional(ctx: MarketplaceContext, url: string, origins: readonly string[], v?: Validators) {
  try {
    return await get(ctx, url, origins, v)
  } catch (e) {
    if (e instanceof NetworkError && e.status === 404) return 'absent' as const
    throw e
  }
}

function validators(r: { etag?: string; lastModified?: string }): Validators {
  const out: Validators = {}
  if (r.etag) out.etag = r.etag
  if (r.lastModified) out.last_modified = r.lastModified
  return out
}

async function writeBytes(_ctx: MarketplaceContext, file: string, bytes: Uint8Array): Promise<void> {
  await writeAtomic(file, bytes)
}

function isFsError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code as string)
}

export function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** A local marketplace's package files: regular files only (a link is refused, never followed). */
export function listLocalFiles(folder: string, rel: string, maxFiles: number): { path: string; abs: string; mode: number }[] {
  const out: { path: string; abs: string; mode: number }[] = []
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(folder, rel, sub)).sort()) {
      const child = sub ? `${sub}/${name}` : name
      const abs = path.join(folder, rel, child)
      const st = lstatSync(abs) // the link itself, never its target
      if (st.isSymbolicLink()) throw new Error(`${rel}/${child} is a symbolic link; a package holds plain files only`)
      if (st.isDirectory()) walk(child)
      else if (st.isFile()) out.push({ path: child, abs, mode: st.mode & 0o111 ? 0o755 : 0o644 })
      else throw new Error(`${rel}/${child} is not a regular file`)
      if (out.length > maxFiles) throw new Error(`${rel} holds more than ${maxFiles} files`)
    }
  }
  walk('')
  return out
}
