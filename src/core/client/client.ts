// The marketplace client: what the CLI commands and the daemon routes call. The workspace folder
// and a fetch-like network function are passed in; nothing here reads the environment or prints.
//
// Discovery and installation are separate: marketplace add/update/remove and search read and
// refresh the cached indexes only; install, update and remove change the installed files and the
// lockfile, together and atomically (transaction.ts). Update is digest-first: the digest the
// marketplace advertises now against the one in the lockfile; equal means nothing to fetch.
import { randomBytes } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import semver from 'semver'
import type { InstalledPackage, InstalledPackages } from '../../generated/schema-types.js'
import validateInstalled from '../../generated/validators/installed.js'
import { mcpServerFromFile, type McpServerConfig } from '../registry/build/mcp-servers.js'
import { SERVER_FILE } from '../marketplace/paths.js'
import type { CatalogEntry } from './catalog.js'
import { fetchPackage, VerificationError, type FetchedPackage } from './fetch-package.js'
import {
  CACHE_TTL_MS,
  DEFAULT_LIMITS,
  addMarketplace,
  load,
  readRecords,
  removeMarketplace,
  type AddOptions,
  type Limits,
  type LoadedMarketplace,
  type MarketplaceContext
} from './marketplaces.js'
import { NetworkError, type FetchLike } from './net.js'
import { SearchIndex, type SearchResult } from './search.js'
import type { MarketplaceRecord } from './source.js'
import { sendInstallPing, sendRating } from './telemetry.js'
import { JOURNAL, commit, recover, type FaultHook } from './transaction.js'
import { LockBusyError, THIS_PROCESS, withWorkspaceLock, type ProcessInfo } from './lock.js'
import { MCP_CONFIG, SKILLS_DIR, Workspace, exists, mkdir, writeAtomic, writeTree } from './workspace.js'

export const LOCKFILE = 'installed.json'
export const SETTINGS_FILE = 'settings.json'
export const INSTALLATION_FILE = 'installation.json'
export const FEEDBACK_FILE = 'feedback.jsonl'
/** How long search trusts the cache it last looked at before checking the files again. */
const SEARCH_RECHECK_MS = 1000

export interface ClientOptions {
  workspace: string
  fetch: FetchLike
  now?: () => Date
  /** The Signet version packages' `min_signet_version` is checked against; unchecked when absent. */
  signetVersion?: string
  limits?: Partial<Limits>
  ttlMs?: number
  /** Test seam: runs between the steps of an install's transaction. */
  fault?: FaultHook
  /** This process, for the workspace lock (lock.ts); the real process when absent. */
  processInfo?: ProcessInfo
  /** How long a command waits for another process's lock on the workspace (default 60 s). */
  lockWaitMs?: number
  /** Told things worth a warning that belong to no single result (a stale lock taken over). */
  notice?: (message: string) => void
}

/** A user-facing failure: what is wrong and what to do; the CLI prints it, the daemon answers 4xx. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'invalid' | 'conflict' | 'unavailable' | 'verification' | 'busy' = 'invalid'
  ) {
    super(message)
  }
}

export interface InstallOptions {
  agent?: string
  force?: boolean
  marketplace?: string
}

/** Which packages an agent sees: those installed for it, and those installed for every agent. */
export function forAgent(p: InstalledPackage, agent: string | undefined): boolean {
  return agent === undefined || p.agents === undefined || p.agents.includes(agent)
}

/**
 * The agents after installing for `agent` (undefined: for every agent). Installing for one agent
 * what every agent has changes nothing; installing without --agent makes it every agent's.
 */
function agentsAfter(previous: InstalledPackage | undefined, agent: string | undefined): string[] | undefined {
  if (agent === undefined) return undefined
  if (previous && previous.agents === undefined) return undefined
  return [...new Set([...(previous?.agents ?? []), agent])].sort()
}

export interface InstallResult {
  status: 'installed' | 'updated' | 'unchanged' | 'skipped'
  entry?: InstalledPackage
  warnings: string[]
}

export interface InstalledView extends InstalledPackage {
  latest_version?: string
  update_available: boolean | null
}

export interface Settings {
  telemetry: boolean
}

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/

export class MarketplaceClient {
  readonly ws: Workspace
  readonly requests = { count: 0 }
  private readonly ctx: MarketplaceContext
  private indexCache: { entries: CatalogEntry[][]; index: SearchIndex } | undefined
  private recentIndex: { at: number; index: SearchIndex; warnings: string[] } | undefined
  private recovered = false

  constructor(private readonly options: ClientOptions) {
    this.ws = new Workspace(path.resolve(options.workspace))
    this.ctx = {
      ws: this.ws,
      fetch: options.fetch,
      now: options.now ?? (() => new Date()),
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      ttlMs: options.ttlMs ?? CACHE_TTL_MS,
      requests: this.requests,
      memo: new Map()
    }
  }

  /** Finishes or undoes an install a crash interrupted; every operation runs it first. */
  async open(): Promise<'none' | 'finished' | 'rolled-back'> {
    const outcome = await this.locked('recover', () => recover(this.ws))
    this.recovered = true
    return outcome
  }

  /** Before a read: recovery only when an interrupted transaction is there (under the lock: it may be another process's, in flight). */
  private async ready(): Promise<void> {
    if (this.recovered) return
    if ((await exists(this.ws.file(JOURNAL))) || (await exists(this.ws.staging))) await this.open()
    this.recovered = true
  }

  /** Runs a change to the workspace holding its lock, after recovering what a crash left. */
  private mutate<T>(command: string, fn: () => Promise<T>): Promise<T> {
    this.recentIndex = undefined
    return this.locked(command, async () => {
      await recover(this.ws)
      this.recovered = true
      try {
        return await fn()
      } finally {
        this.recentIndex = undefined
      }
    })
  }

  private locked<T>(command: string, fn: () => Promise<T>): Promise<T> {
    return withWorkspaceLock(
      this.ws,
      command,
      {
        info: this.options.processInfo ?? THIS_PROCESS,
        waitMs: this.options.lockWaitMs ?? 60_000,
        now: this.ctx.now,
        ...(this.options.notice ? { notice: this.options.notice } : {})
      },
      fn
    ).catch((e: unknown) => {
      throw e instanceof LockBusyError ? new ClientError(e.message, 'busy') : e
    })
  }

  // --- marketplaces -------------------------------------------------------------------------

  async addMarketplace(source: string, options: AddOptions = {}): Promise<{ record: MarketplaceRecord; packages: number }> {
    return this.mutate(`marketplace add ${source}`, async () => {
      try {
        const loaded = await addMarketplace(this.ctx, source, options)
        this.indexCache = undefined
        return { record: loaded.record, packages: loaded.entries.length }
      } catch (e) {
        throw asClientError(e)
      }
    })
  }

  async listMarketplaces(): Promise<{ record: MarketplaceRecord; packages: number; fetched_at?: string; warning?: string }[]> {
    const out = []
    for (const record of await readRecords(this.ws)) {
      const loaded = await load(this.ctx, record, { refresh: 'never' })
      out.push({
        record,
        packages: loaded.entries.length,
        ...(loaded.meta ? { fetched_at: loaded.meta.fetched_at } : {}),
        ...(loaded.warning ? { warning: loaded.warning } : {})
      })
    }
    return out
  }

  /** Refreshes the cached indexes; never changes what is installed. */
  async updateMarketplaces(name?: string): Promise<{ name: string; packages: number; warning?: string }[]> {
    return this.mutate('marketplace update', () => this.updateMarketplacesLocked(name))
  }

  private async updateMarketplacesLocked(name?: string): Promise<{ name: string; packages: number; warning?: string }[]> {
    const records = await this.records(name)
    const out = []
    for (const record of records) {
      const loaded = await load(this.ctx, record, { refresh: 'now' })
      out.push({ name: record.name, packages: loaded.entries.length, ...(loaded.warning ? { warning: loaded.warning } : {}) })
    }
    this.indexCache = undefined
    return out
  }

  /** Forgets a marketplace and its cache; what was installed from it stays, with its provenance. */
  async removeMarketplace(name: string): Promise<void> {
    await this.mutate(`marketplace remove ${name}`, async () => {
      try {
        await removeMarketplace(this.ws, name)
      } catch (e) {
        throw new ClientError((e as Error).message, 'not-found')
      }
      this.indexCache = undefined
    })
  }

  private async records(name?: string): Promise<MarketplaceRecord[]> {
    const records = await readRecords(this.ws)
    if (name === undefined) return records
    const found = records.filter((r) => r.name === name)
    if (!found.length) throw new ClientError(`no marketplace named \`${name}\`; see \`marketplace list\``, 'not-found')
    return found
  }

  private async loadAll(refresh: 'auto' | 'never'): Promise<{ loaded: LoadedMarketplace[]; warnings: string[] }> {
    const records = await readRecords(this.ws)
    if (!records.length) throw new ClientError('no marketplace is registered; add one with `marketplace add <source>`', 'not-found')
    const loaded = []
    const warnings = []
    for (const r of records) {
      const l = await load(this.ctx, r, { refresh })
      if (l.warning) warnings.push(l.warning)
      loaded.push(l)
    }
    return { loaded, warnings }
  }

  // --- search -------------------------------------------------------------------------------

  async search(
    query: string,
    options: { type?: 'skill' | 'mcp-server'; limit?: number } = {}
  ): Promise<{ results: SearchResult[]; warnings: string[] }> {
    await this.ready()
    // A daemon answers many searches a second: the cache files on disk are looked at again only
    // after SEARCH_RECHECK_MS (and after any change this client makes), not on every query.
    const now = this.ctx.now().getTime()
    const recent = this.recentIndex && now - this.recentIndex.at < SEARCH_RECHECK_MS ? this.recentIndex : undefined
    const { index, warnings } = recent ?? (await this.searchIndex())
    if (!recent) this.recentIndex = { at: now, index, warnings }
    return { results: index.search(query, options), warnings }
  }

  /** The search index over every marketplace, rebuilt only when a cache changed. */
  async searchIndex(): Promise<{ index: SearchIndex; warnings: string[]; loaded: LoadedMarketplace[] }> {
    const { loaded, warnings } = await this.loadAll('auto')
    // The index is rebuilt only when some marketplace's parsed cache is a new one.
    const entries = loaded.map((l) => l.entries)
    const cached = this.indexCache
    if (!cached || cached.entries.length !== entries.length || cached.entries.some((e, i) => e !== entries[i])) {
      this.indexCache = { entries, index: new SearchIndex(entries.flat()) }
    }
    return { index: (this.indexCache as { index: SearchIndex }).index, warnings, loaded }
  }

  // --- install ------------------------------------------------------------------------------

  async install(spec: string, options: InstallOptions = {}): Promise<InstallResult> {
    if (options.agent !== undefined) checkAgent(options.agent)
    return this.mutate(`install ${spec}`, async () => {
      const warnings: string[] = []
      const { loaded, warnings: w } = await this.loadAll('auto')
      warnings.push(...w)
      const { entry, market, pinned } = resolve(spec, loaded, options.marketplace)
      const lock = await this.readLock()
      return this.installEntry(entry, market, lock, { ...options, pinned }, warnings)
    })
  }

  private async installEntry(
    entry: CatalogEntry,
    market: LoadedMarketplace,
    lock: InstalledPackages,
    options: InstallOptions & { pinned: boolean; keepAgents?: true },
    warnings: string[]
  ): Promise<InstallResult> {
    if (!NAME.test(entry.installName))
      throw new ClientError(`${entry.id} has an install name that is not a plain name (${JSON.stringify(entry.installName)})`)
    this.checkSignetVersion(entry, warnings)
    if (entry.verdict === 'fail')
      warnings.push(`${entry.id}@${entry.version ?? '?'} failed the marketplace's automated review; a maintainer merged it anyway`)
    const previous = lock.packages.find((p) => p.name === entry.installName)
    if (previous && previous.package !== entry.id) {
      throw new ClientError(
        `\`${entry.installName}\` is already installed from ${previous.package} (${previous.marketplace}); remove it first`,
        'conflict'
      )
    }
    const advertised = advertisedDigest(entry, market)
    const agents = options.keepAgents ? previous?.agents : agentsAfter(previous, options.agent)
    if (previous && advertised && previous.digest === advertised && !options.force) {
      return { status: 'unchanged', entry: await this.relabel(lock, previous, agents, options.pinned), warnings }
    }
    // Local wins: a skill or server of this name the client did not install is the user's.
    if (!previous && !options.force) {
      const local =
        entry.type === 'skill'
          ? await exists(this.ws.skillDir(entry.installName))
          : Object.hasOwn((await this.readMcp()).mcpServers, entry.installName)
      if (local) {
        warnings.push(
          `a local ${entry.type === 'skill' ? `skill ${SKILLS_DIR}/${entry.installName}/` : `MCP server \`${entry.installName}\` in ${MCP_CONFIG}`} exists and was not installed from a marketplace; it wins. Use --force to replace it with ${entry.id}`
        )
        return { status: 'skipped', warnings }
      }
    }
    let fetched: FetchedPackage
    try {
      fetched = await fetchPackage(this.ctx, market.record, entry)
    } catch (e) {
      throw asClientError(
        e,
        `${entry.id} from ${market.record.name} (${market.record.registry_url ?? market.record.index_url ?? market.record.folder})`
      )
    }
    if (
      previous &&
      !options.force &&
      (advertised ? previous.digest === fetched.digest : previous.content_hash === fetched.contentHash) &&
      previous.version === entry.version
    ) {
      return { status: 'unchanged', entry: await this.relabel(lock, previous, agents, options.pinned), warnings }
    }
    const id = randomBytes(8).toString('hex')
    await mkdir(this.ws.staging, { recursive: true })
    let change: { target: string; staged: string }
    let location: string
    if (entry.type === 'skill') {
      const staged = path.join(this.ws.staging, `${id}-new`)
      await writeTree(staged, fetched.files)
      change = { target: this.ws.skillDir(entry.installName), staged }
      location = `${SKILLS_DIR}/${entry.installName}`
    } else {
      const server = fetched.files.find((f) => f.path === (entry.entrypoint ?? SERVER_FILE))
      const config = server
        ? mcpServerFromFile(server.bytes, `${entry.id}'s ${entry.entrypoint ?? SERVER_FILE}`)
        : { problem: 'it has no server.json' }
      if ('problem' in config) throw new ClientError(`${entry.id} cannot be registered as an MCP server: ${config.problem}`, 'invalid')
      const mcp = await this.readMcp()
      mcp.mcpServers[entry.installName] = config.config
      const staged = path.join(this.ws.staging, `${id}-mcp.json`)
      await writeAtomic(staged, `${JSON.stringify(mcp, null, 2)}\n`)
      change = { target: this.ws.mcpConfig, staged }
      location = `${MCP_CONFIG}#${entry.installName}`
    }
    const installed = this.lockEntry(entry, market, fetched, location, agents, options.pinned)
    const next = withEntry(lock, entry.installName, installed)
    await commit(this.ws, [change], serializeLock(next), this.options.fault)
    const status: InstallResult['status'] = previous ? 'updated' : 'installed'
    await this.ping(installed, market, warnings)
    return { status, entry: (await this.readLock()).packages.find((p) => p.name === installed.name) ?? installed, warnings }
  }

  private checkSignetVersion(entry: CatalogEntry, warnings: string[]): void {
    if (!entry.minSignetVersion) return
    if (!this.options.signetVersion) {
      warnings.push(
        `${entry.id} needs Signet ${entry.minSignetVersion} or later; the Signet version is unknown here (set SIGNET_VERSION or --signet-version), so it was not checked`
      )
      return
    }
    if (semver.valid(this.options.signetVersion) && semver.lt(this.options.signetVersion, entry.minSignetVersion)) {
      throw new ClientError(
        `${entry.id}@${entry.version ?? '?'} needs Signet ${entry.minSignetVersion} or later; this is ${this.options.signetVersion}. Upgrade Signet first`,
        'invalid'
      )
    }
  }

  /** The same content, now for other agents or (un)pinned: the lockfile alone changes. */
  private async relabel(
    lock: InstalledPackages,
    previous: InstalledPackage,
    agents: string[] | undefined,
    pinned: boolean
  ): Promise<InstalledPackage> {
    const next: InstalledPackage = { ...previous }
    delete next.agents
    delete next.pinned
    if (agents) next.agents = agents
    if (pinned) next.pinned = true
    if (JSON.stringify(next) === JSON.stringify(previous)) return previous
    await commit(this.ws, [], serializeLock(withEntry(lock, previous.name, next)), this.options.fault)
    return next
  }

  private lockEntry(
    entry: CatalogEntry,
    market: LoadedMarketplace,
    fetched: FetchedPackage,
    location: string,
    agents: string[] | undefined,
    pinned: boolean
  ): InstalledPackage {
    const r = market.record
    const out: InstalledPackage = {
      name: entry.installName,
      package: entry.id,
      type: entry.type,
      marketplace: r.name,
      source_type: r.type,
      origin_url: r.source,
      artifact_url: fetched.artifactUrl,
      artifact_type: fetched.artifactType,
      content_hash: fetched.contentHash,
      installed_at: this.ctx
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      location
    }
    if (entry.version) out.version = entry.version
    if (r.registry_url) out.registry_url = r.registry_url
    if (r.index_url && fetched.artifactType !== 'files') out.index_url = r.index_url
    if (fetched.digest) out.digest = fetched.digest
    if (entry.packageDigest) out.package_digest = entry.packageDigest
    if (entry.commit) out.commit = entry.commit
    if (agents) out.agents = agents
    if (pinned) out.pinned = true
    return out
  }

  // --- installed, update, remove ------------------------------------------------------------

  async installed(options: { agent?: string } = {}): Promise<{ packages: InstalledView[]; warnings: string[] }> {
    if (options.agent !== undefined) checkAgent(options.agent)
    await this.ready()
    const all = await this.readLock()
    const lock = { ...all, packages: all.packages.filter((p) => forAgent(p, options.agent)) }
    const records = await readRecords(this.ws)
    const warnings: string[] = []
    const loaded = new Map<string, LoadedMarketplace>()
    for (const r of records.filter((r) => lock.packages.some((p) => p.marketplace === r.name))) {
      const l = await load(this.ctx, r, { refresh: 'auto' })
      if (l.warning) warnings.push(l.warning)
      loaded.set(r.name, l)
    }
    const packages = lock.packages.map((p) => {
      const market = loaded.get(p.marketplace)
      const current = market?.entries.find((e) => e.id === p.package)
      const view: InstalledView = { ...p, update_available: null }
      if (current) {
        if (current.version) view.latest_version = current.version
        const advertised = advertisedDigest(current, market as LoadedMarketplace)
        view.update_available = advertised ? advertised !== p.digest : null
      }
      return view
    })
    return { packages, warnings }
  }

  /** Digest-first updates of the named packages (all when none are named). */
  async update(
    names: string[] = [],
    options: { force?: boolean } = {}
  ): Promise<{ results: { name: string; status: string; from?: string; to?: string; message?: string }[]; warnings: string[] }> {
    return this.mutate(`update${names.length ? ` ${names.join(' ')}` : ''}`, () => this.updateLocked(names, options))
  }

  private async updateLocked(
    names: string[],
    options: { force?: boolean }
  ): Promise<{ results: { name: string; status: string; from?: string; to?: string; message?: string }[]; warnings: string[] }> {
    let lock = await this.readLock()
    for (const n of names)
      if (!lock.packages.some((p) => p.name === n)) throw new ClientError(`\`${n}\` is not installed; see \`installed\``, 'not-found')
    const targets = lock.packages.filter((p) => !names.length || names.includes(p.name))
    const records = await readRecords(this.ws)
    const warnings: string[] = []
    const loaded = new Map<string, LoadedMarketplace>()
    const results = []
    for (const pkg of targets) {
      const record = records.find((r) => r.name === pkg.marketplace)
      if (!record) {
        results.push({ name: pkg.name, status: 'error', message: `its marketplace \`${pkg.marketplace}\` is no longer registered` })
        continue
      }
      let market = loaded.get(record.name)
      if (!market) {
        // One conditional request per marketplace: a 304 means nothing was published since.
        market = await load(this.ctx, record, { refresh: 'now' })
        if (market.warning) warnings.push(market.warning)
        loaded.set(record.name, market)
      }
      const entry = market.entries.find((e) => e.id === pkg.package)
      if (pkg.pinned) {
        // A version asked for by number stays until the user asks for another (or none).
        const latest = entry?.version && entry.version !== pkg.version ? `; ${entry.version} is available` : ''
        results.push({
          name: pkg.name,
          status: 'pinned',
          ...(pkg.version ? { from: pkg.version } : {}),
          message: `pinned at ${pkg.version ?? '?'}${latest}: \`install @${pkg.package}\` follows the latest version again`
        })
        continue
      }
      if (!entry) {
        results.push({
          name: pkg.name,
          status: market.warning ? 'error' : 'gone',
          message: market.warning ?? `${pkg.package} is no longer listed in ${record.name}; it stays installed`
        })
        continue
      }
      try {
        const r = await this.installEntry(
          { ...entry, installName: pkg.name },
          market,
          lock,
          { force: options.force ?? false, pinned: false, keepAgents: true },
          warnings
        )
        results.push({ name: pkg.name, status: r.status, from: pkg.version, to: r.entry?.version })
        lock = await this.readLock()
      } catch (e) {
        results.push({ name: pkg.name, status: 'error', message: (e as Error).message })
      }
    }
    return { results, warnings }
  }

  /**
   * Removes a package: for every agent, or with `agent` for that agent alone (the files go when no
   * agent is left). A package installed for every agent (no --agent) is removed with `remove` only.
   */
  async remove(name: string, options: { agent?: string } = {}): Promise<InstalledPackage & { remaining_agents?: string[] }> {
    if (options.agent !== undefined) checkAgent(options.agent)
    return this.mutate(`remove ${name}`, () => this.removeLocked(name, options.agent))
  }

  private async removeLocked(name: string, agent: string | undefined): Promise<InstalledPackage & { remaining_agents?: string[] }> {
    const lock = await this.readLock()
    const entry = lock.packages.find((p) => p.name === name)
    if (!entry) throw new ClientError(`\`${name}\` is not installed from a marketplace; see \`installed\``, 'not-found')
    if (agent !== undefined) {
      if (entry.agents === undefined)
        throw new ClientError(
          `\`${name}\` is installed for every agent (it was installed without --agent); \`remove ${name}\` removes it for all of them`,
          'conflict'
        )
      if (!entry.agents.includes(agent))
        throw new ClientError(`\`${name}\` is not installed for agent \`${agent}\` (it is for ${entry.agents.join(', ')})`, 'not-found')
      const remaining = entry.agents.filter((a) => a !== agent)
      if (remaining.length) {
        await commit(this.ws, [], serializeLock(withEntry(lock, name, { ...entry, agents: remaining })), this.options.fault)
        return { ...entry, remaining_agents: remaining }
      }
    }
    const next: InstalledPackages = { version: 1, packages: lock.packages.filter((p) => p.name !== name) }
    if (entry.type === 'skill') {
      await commit(this.ws, [{ target: this.ws.skillDir(name) }], serializeLock(next), this.options.fault)
    } else {
      const current = await this.readMcp()
      const mcp = { ...current, mcpServers: Object.fromEntries(Object.entries(current.mcpServers).filter(([key]) => key !== name)) }
      await mkdir(this.ws.staging, { recursive: true })
      const staged = path.join(this.ws.staging, `${randomBytes(8).toString('hex')}-mcp.json`)
      await writeAtomic(staged, `${JSON.stringify(mcp, null, 2)}\n`)
      await commit(this.ws, [{ target: this.ws.mcpConfig, staged }], serializeLock(next), this.options.fault)
    }
    return entry
  }

  // --- telemetry and feedback ---------------------------------------------------------------

  async settings(): Promise<Settings> {
    const s = await this.ws.readJson<Partial<Settings>>(this.ws.file(SETTINGS_FILE))
    return { telemetry: s?.telemetry === true }
  }

  async setTelemetry(on: boolean): Promise<Settings> {
    return this.mutate(`telemetry ${on ? 'on' : 'off'}`, async () => {
      const s = { ...(await this.settings()), telemetry: on }
      await this.ws.writeJson(this.ws.file(SETTINGS_FILE), s)
      return s
    })
  }

  /** The random id of this workspace for the stats protocol; created on first use. */
  private async installationId(): Promise<string> {
    const file = this.ws.file(INSTALLATION_FILE)
    const doc = await this.ws.readJson<{ installation?: string }>(file)
    if (doc?.installation && /^[a-f0-9]{64}$/.test(doc.installation)) return doc.installation
    const installation = randomBytes(32).toString('hex')
    await this.ws.writeJson(file, { installation })
    return installation
  }

  private async ping(entry: InstalledPackage, market: LoadedMarketplace, warnings: string[]): Promise<void> {
    if (!market.statsUrl || !(await this.settings()).telemetry || !entry.version || !entry.package.includes('/')) return
    try {
      const receipt = await sendInstallPing(this.ctx.fetch, market.statsUrl, {
        package: entry.package,
        version: entry.version,
        installation: await this.installationId()
      })
      const lock = await this.readLock()
      const current = lock.packages.find((p) => p.name === entry.name)
      if (current) {
        current.telemetry_receipt = receipt
        await writeAtomic(this.ws.file(LOCKFILE), serializeLock(lock))
      }
    } catch (e) {
      warnings.push(`the install was not counted (${(e as Error).message}); the install itself succeeded`)
    }
  }

  async feedback(
    name: string,
    rating: number,
    options: { agent?: string } = {}
  ): Promise<{ recorded: true; sent: boolean; warnings: string[] }> {
    return this.mutate(`feedback ${name}`, () => this.feedbackLocked(name, rating, options))
  }

  private async feedbackLocked(
    name: string,
    rating: number,
    options: { agent?: string }
  ): Promise<{ recorded: true; sent: boolean; warnings: string[] }> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      throw new ClientError(`rating must be a whole number from 1 to 5 (got ${rating})`)
    const lock = await this.readLock()
    const entry = lock.packages.find((p) => p.name === name)
    if (!entry) throw new ClientError(`\`${name}\` is not installed from a marketplace; only installed packages can be rated`, 'not-found')
    const record = {
      package: entry.package,
      version: entry.version,
      rating,
      agent: options.agent ?? (entry.agents?.length === 1 ? entry.agents[0] : undefined),
      at: this.ctx.now().toISOString()
    }
    await appendLine(this.ws, FEEDBACK_FILE, JSON.stringify(record))
    const warnings: string[] = []
    if (!(await this.settings()).telemetry) return { recorded: true, sent: false, warnings }
    const marketRecord = (await readRecords(this.ws)).find((r) => r.name === entry.marketplace)
    const market = marketRecord ? await load(this.ctx, marketRecord, { refresh: 'never' }) : undefined
    if (!market?.statsUrl) return { recorded: true, sent: false, warnings }
    if (!entry.telemetry_receipt) {
      warnings.push(
        `the rating was recorded locally but not sent: ${name} has no install receipt (it was installed before telemetry was on; reinstall with --force to get one)`
      )
      return { recorded: true, sent: false, warnings }
    }
    try {
      await sendRating(this.ctx.fetch, market.statsUrl, { package: entry.package, rating, receipt: entry.telemetry_receipt })
      return { recorded: true, sent: true, warnings }
    } catch (e) {
      warnings.push(`the rating was recorded locally but not sent (${(e as Error).message})`)
      return { recorded: true, sent: false, warnings }
    }
  }

  // --- files --------------------------------------------------------------------------------

  async readLock(): Promise<InstalledPackages> {
    const doc = await this.ws.readJson<unknown>(this.ws.file(LOCKFILE))
    if (doc === undefined) return { version: 1, packages: [] }
    if (!validateInstalled(doc)) {
      const e = validateInstalled.errors?.[0]
      throw new ClientError(
        `${this.ws.file(LOCKFILE)} does not match schemas/installed.schema.json (${e?.instancePath || '/'} ${e?.message ?? ''}); restore it from a backup or fix that entry`,
        'invalid'
      )
    }
    const lock = doc as InstalledPackages
    for (const p of lock.packages) {
      // Earlier clients recorded the agent of the last install; it reads as that agent's install.
      if (p.agent !== undefined) {
        if (p.agents === undefined) p.agents = [p.agent]
        delete p.agent
      }
    }
    return lock
  }

  private async readMcp(): Promise<{ mcpServers: Record<string, McpServerConfig | unknown>; [k: string]: unknown }> {
    const doc = await this.ws.readJson<Record<string, unknown>>(this.ws.mcpConfig)
    if (doc === undefined) return { mcpServers: {} }
    const servers = doc.mcpServers
    if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) {
      throw new ClientError(`${this.ws.mcpConfig}: \`mcpServers\` is not an object; fix it by hand first`, 'invalid')
    }
    return { ...doc, mcpServers: { ...((servers as Record<string, unknown>) ?? {}) } }
  }
}

/** The digest a marketplace advertises for an entry: the index's artifact digest for a skill it serves, else the package digest. */
export function advertisedDigest(entry: CatalogEntry, market: LoadedMarketplace): string | undefined {
  if (entry.type === 'skill' && market.record.type !== 'local') {
    // An older version's artifact digest is in its release record, known only once fetched.
    return entry.olderVersion ? undefined : entry.artifact?.digest
  }
  return entry.packageDigest
}

/** An agent id as the lockfile keeps it. */
export function checkAgent(agent: string): void {
  // eslint-disable-next-line no-control-regex
  if (agent.trim() === '' || agent.length > 128 || /[\u0000-\u001f\u007f]/.test(agent))
    throw new ClientError(
      `the agent id must be 1 to 128 characters without control characters (got ${JSON.stringify(agent.slice(0, 140))})`
    )
}

function withEntry(lock: InstalledPackages, name: string, entry: InstalledPackage): InstalledPackages {
  const packages = [...lock.packages.filter((p) => p.name !== name), entry].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { version: 1, packages }
}

function serializeLock(lock: InstalledPackages): string {
  return `${JSON.stringify(lock, null, 2)}\n`
}

async function appendLine(ws: Workspace, file: string, line: string): Promise<void> {
  await mkdir(ws.state, { recursive: true })
  await appendFile(ws.file(file), `${line}\n`)
}

/** `@publisher/name[@version]`, `name@marketplace` or `name`, against every registered marketplace. */
export function resolve(
  spec: string,
  loaded: readonly LoadedMarketplace[],
  marketplace?: string
): { entry: CatalogEntry; market: LoadedMarketplace; pinned: boolean } {
  let publisher: string | undefined
  let name: string
  let version: string | undefined
  let market = marketplace
  const scoped = /^@([^/@\s]+)\/([^@\s]+)(?:@(\S+))?$/.exec(spec)
  if (scoped) {
    publisher = scoped[1]
    name = scoped[2] as string
    version = scoped[3]
  } else {
    const at = /^([^@\s]+)(?:@(\S+))?$/.exec(spec)
    if (!at) throw new ClientError(`\`${spec}\` is not a package: give @publisher/name[@version], name@marketplace or name`)
    name = at[1] as string
    if (at[2] !== undefined) {
      if (semver.valid(at[2])) version = at[2]
      else market = at[2]
    }
  }
  const pool = loaded.filter((l) => market === undefined || l.record.name === market)
  if (market !== undefined && !pool.length)
    throw new ClientError(`no marketplace named \`${market}\`; see \`marketplace list\``, 'not-found')
  const candidates = pool.flatMap((l) =>
    l.entries
      .filter((e) =>
        publisher ? e.publisher?.toLowerCase() === publisher.toLowerCase() && e.name === name : e.installName === name || e.name === name
      )
      .map((entry) => ({ entry, market: l }))
  )
  const exact = candidates.filter((c) => c.entry.installName === name)
  const chosen = exact.length === 1 ? exact : candidates
  if (!chosen.length) {
    const unavailable = pool.filter((l) => l.warning && !l.entries.length).map((l) => l.warning)
    if (unavailable.length) throw new ClientError(`cannot resolve \`${spec}\`: ${unavailable.join('; ')}`, 'unavailable')
    throw new ClientError(
      `\`${spec}\` was not found in ${market ? `marketplace \`${market}\`` : 'any registered marketplace'}; try \`search ${name}\``,
      'not-found'
    )
  }
  if (chosen.length > 1) {
    const list = chosen
      .map((c) => `@${c.entry.publisher ?? '?'}/${c.entry.name} (${c.entry.installName}@${c.market.record.name})`)
      .join(', ')
    throw new ClientError(`\`${spec}\` matches several packages: ${list}; name one of them`, 'conflict')
  }
  const hit = chosen[0] as { entry: CatalogEntry; market: LoadedMarketplace }
  if (version === undefined || hit.entry.version === version) return { ...hit, pinned: version !== undefined }
  const older = hit.entry.versions?.find((v) => v.version === version)
  if (!older) {
    const known = hit.entry.versions?.map((v) => v.version).join(', ') || hit.entry.version || '(unknown)'
    throw new ClientError(
      `${hit.entry.id}@${version} was never published in ${hit.market.record.name}; its versions are ${known}`,
      'not-found'
    )
  }
  // An older version: the registry's digest and commit for it; the artifact comes from its release record.
  const entry: CatalogEntry = {
    ...hit.entry,
    version: older.version,
    packageDigest: older.digest,
    commit: older.commit,
    olderVersion: true
  }
  delete entry.artifact
  return { entry, market: hit.market, pinned: true }
}

function asClientError(e: unknown, what?: string): Error {
  if (e instanceof ClientError) return e
  if (e instanceof VerificationError) return new ClientError(e.message, 'verification')
  if (e instanceof NetworkError) return new ClientError(what ? `cannot fetch ${what}: ${e.message}` : e.message, 'unavailable')
  if (e instanceof Error && !(e as NodeJS.ErrnoException).code) return new ClientError(e.message, 'invalid')
  return e as Error
}
