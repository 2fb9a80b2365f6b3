// The registry build's .claude-plugin/marketplace.json stage: one plugin entry per published
// package (the format itself is claude-marketplace.ts). An entry needs more than registry.json
// holds: the publisher's profile as the author and, for an MCP server, the client config mapped
// from its server.json. Packages read in this build bring theirs from the publish stage; an
// incremental build reuses the last build's entry of every other package (with the author read
// again when the publisher's files changed), and reads from git whatever that file does not have.
// A withheld package is left out: a plugin installs from its folder at the current commit, which
// holds the files that were not published.
import path from 'node:path'
import type { ResolvedConfig } from '../../config/config.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { BuildContext } from './context.js'
import type { PackageRead } from './model.js'
import type { BuildMode } from './types.js'
import type { QualifiedNames } from './names.js'
import { finding, type Finding } from '../../findings/findings.js'
import { CLAUDE_MARKETPLACE_FILE, packageRef } from '../../marketplace/paths.js'
import { packageReads } from './context.js'
import { mcpServerFromFile, type McpServerConfig } from './mcp-servers.js'
import { idOf, type RegistryPackage } from './registry-json.js'
import { readAuthor } from './sources.js'
import {
  marketplaceDocument,
  marketplaceName,
  pluginEntry,
  readMarketplace,
  sourceOf,
  type ClaudeMarketplace,
  type ClaudePlugin,
  type PluginAuthor
} from './claude-marketplace.js'

/** What a plugin entry needs beyond the registry entry. */
export interface PluginExtra {
  author?: PluginAuthor
  mcpServer?: McpServerConfig
}

/** The plugin author of a publisher, from their profile at the built commit; none when it cannot be read. */
export type Authors = (login: string) => Promise<PluginAuthor | undefined>

/** Each profile read once per build, however many of the publisher's packages need it. */
export function authorsAt(head: Snapshot, config: ResolvedConfig, listedProfiles?: Map<string, TreeEntry>): Authors {
  const profiles = new Map<string, Promise<PluginAuthor | undefined>>()
  return (login) => {
    let found = profiles.get(login)
    if (!found) {
      found = readAuthor(head, login, config.limits.manifest_bytes, listedProfiles)
      profiles.set(login, found)
    }
    return found
  }
}

/** A package's plugin extras from its files; `problem` when an MCP server cannot be listed. */
export async function pluginExtra(pkg: PackageRead, authors: Authors): Promise<{ extra: PluginExtra; problem?: Finding }> {
  const author = await authors(pkg.ref.publisher)
  const extra: PluginExtra = author ? { author } : {}
  if (pkg.manifest.type !== 'mcp-server') return { extra }
  const file = pkg.files.find((f) => f.path === pkg.manifest.entrypoint)
  const mapped = file
    ? mcpServerFromFile(file.bytes, pkg.manifest.entrypoint)
    : { problem: `its entrypoint ${pkg.manifest.entrypoint} is missing` }
  if ('config' in mapped) return { extra: { ...extra, mcpServer: mapped.config } }
  return {
    extra,
    problem: finding(
      'registry/mcp-server-not-listed',
      { package: pkg.ref.id, file: `${pkg.ref.dir}/${pkg.manifest.entrypoint}` },
      `${pkg.ref.id} is not listed in ${CLAUDE_MARKETPLACE_FILE}: ${mapped.problem}`
    )
  }
}

export interface PluginsInput {
  /** The registry's packages, sorted. */
  packages: readonly RegistryPackage[]
  names: QualifiedNames
  mode: BuildMode
  changedPublishers?: ReadonlySet<string>
  /** The extras of the packages published from the built commit's files, made as they were read. */
  extras: ReadonlyMap<string, PluginExtra>
  withheld: ReadonlySet<string>
  authors: Authors
}

export async function claudeMarketplace(
  ctx: BuildContext,
  input: PluginsInput
): Promise<{ document: ClaudeMarketplace; packagesRead: number }> {
  const reads = packageReads(ctx.config)
  const previous = input.mode === 'incremental' ? readMarketplace(await ctx.outputs.read('root', CLAUDE_MARKETPLACE_FILE)) : undefined
  const plugins: ClaudePlugin[] = []
  for (const p of input.packages) {
    const id = idOf(p)
    const installName = input.names.get(id) ?? p.name
    if (input.withheld.has(id)) continue
    let extra = input.extras.get(id)
    if (!extra) {
      const before = previous?.get(sourceOf(p))
      const mcp = before?.mcpServers?.[p.name]
      if (before && (p.type === 'skill' || mcp)) {
        const author = input.changedPublishers?.has(p.publisher) ? await input.authors(p.publisher) : before.author
        extra = { ...(author ? { author } : {}), ...(mcp ? { mcpServer: mcp } : {}) }
      } else {
        // Not in the last build's file: read it (a withheld package shows its other files here).
        // A problem of its files was reported by the build that published them, not again here.
        const atHead = await reads.read(ctx.head, packageRef(p.publisher, p.name))
        if (atHead.ok && atHead.pkg.digest === p.digest) extra = (await pluginExtra(atHead.pkg, input.authors)).extra
      }
    }
    if (extra && (p.type === 'skill' || extra.mcpServer)) plugins.push(pluginEntry(p, installName, extra))
  }
  const name = marketplaceName(ctx.config, path.basename(path.resolve(ctx.repo)))
  return { document: marketplaceDocument(ctx.config, name, plugins), packagesRead: reads.count }
}
