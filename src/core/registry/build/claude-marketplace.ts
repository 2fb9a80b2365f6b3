// .claude-plugin/marketplace.json at the marketplace root, so that `claude plugin marketplace add
// <owner>/<repo>` and APM's repo-backed marketplace install from the repository as it is. Each
// package is a plugin whose source is its own folder in the repository, with `strict: false` (the
// entry is the whole plugin definition; packages have no plugin.json):
//   skill:      {source: "./publishers/<login>/<name>", strict: false, skills: ["./"], ...}
//   mcp-server: {source: "./publishers/<login>/<name>", strict: false, mcpServers: {<name>: ...}}
// A relative source installs the files at the repository's current commit, so a package whose
// files on the default branch are withheld (broken manifest, changed without a new version) is
// not listed here; registry.json and the skills index keep serving its last good version.
import type { RegistryPackage } from '../../../generated/schema-types.js'
import type { ResolvedConfig } from '../../config/config.js'
import type { McpServerConfig } from './mcp-servers.js'
import { comparePaths } from '../../snapshot/types.js'
import { parseJsonBytes } from '../json.js'

export interface PluginAuthor {
  name: string
  email?: string
  url?: string
}

export interface ClaudePlugin {
  name: string
  source: string
  strict: false
  version: string
  description?: string
  author?: PluginAuthor
  keywords?: string[]
  license?: string
  homepage?: string
  repository?: string
  skills?: string[]
  mcpServers?: Record<string, McpServerConfig>
}

export interface ClaudeMarketplace {
  name: string
  description?: string
  owner: PluginAuthor
  plugins: ClaudePlugin[]
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** The config's marketplace name, else the repository folder's name made valid. */
export function marketplaceName(config: ResolvedConfig, rootDirName: string): string {
  if (config.marketplace.name) return config.marketplace.name
  const cleaned = rootDirName
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 64)
  return NAME.test(cleaned) ? cleaned : 'marketplace'
}

export function sourceOf(entry: Pick<RegistryPackage, 'publisher' | 'name'>): string {
  return `./publishers/${entry.publisher}/${entry.name}`
}

export function pluginEntry(
  entry: RegistryPackage,
  installName: string,
  extra: { author?: PluginAuthor; mcpServer?: McpServerConfig }
): ClaudePlugin {
  const plugin: ClaudePlugin = { name: installName, source: sourceOf(entry), strict: false, version: entry.version }
  if (entry.description !== undefined) plugin.description = entry.description
  if (extra.author) plugin.author = extra.author
  if (entry.tags.length) plugin.keywords = [...entry.tags]
  if (entry.license !== undefined) plugin.license = entry.license
  if (entry.homepage !== undefined) plugin.homepage = entry.homepage
  if (entry.repository !== undefined) plugin.repository = entry.repository
  if (entry.type === 'skill') plugin.skills = ['./']
  else if (extra.mcpServer) plugin.mcpServers = { [entry.name]: extra.mcpServer }
  return plugin
}

export function marketplaceDocument(config: ResolvedConfig, name: string, plugins: readonly ClaudePlugin[]): ClaudeMarketplace {
  const doc: ClaudeMarketplace = {
    name,
    owner: config.marketplace.owner ? { ...config.marketplace.owner } : { name },
    plugins: [...plugins].sort((a, b) => comparePaths(a.source, b.source))
  }
  if (config.marketplace.description) doc.description = config.marketplace.description
  return doc
}

/** Plugins of a marketplace.json this build wrote before, by source; undefined when unreadable. */
export function readMarketplace(bytes: Uint8Array | undefined): Map<string, Partial<ClaudePlugin>> | undefined {
  const doc = parseJsonBytes(bytes)
  const plugins = (doc as { plugins?: unknown } | null)?.plugins
  if (!Array.isArray(plugins)) return undefined
  const out = new Map<string, Partial<ClaudePlugin>>()
  for (const p of plugins as Partial<ClaudePlugin>[]) if (typeof p?.source === 'string') out.set(p.source, p)
  return out
}
