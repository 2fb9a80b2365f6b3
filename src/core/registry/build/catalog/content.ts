// What a package page shows of the package itself: its file list with sizes, and its SKILL.md
// (a skill) or the summary of its server.json (an MCP server), always of the published version.
// The files at the built commit are the published ones for a package the publish stage read and
// did not withhold; any other package is read and checked against its published digest, at the
// built commit first and then at the commit that published it (as site.ts does for artifacts).
import type { TreeEntry } from '../../../snapshot/types.js'
import type { BuildContext, PackageReads } from '../context.js'
import type { RegistryPackage } from '../registry-json.js'
import type { McpSummary, PackageContent } from './pages.js'
import { digestedFiles } from '../../../marketplace/digest.js'
import { SERVER_FILE, SKILL_FILE, packageRef } from '../../../marketplace/paths.js'
import { decodeText } from '../../../parse/text.js'
import { idOf } from '../registry-json.js'
import { skillBody } from './markdown.js'
import type { PackageFile } from '../skills-index.js'

export interface ContentSources {
  /** Packages the publish stage read and published from the built commit's files. */
  publishedFromHead: (id: string) => boolean
  /** A full build's listing of every package folder (saves a walk per package). */
  listing?: ReadonlyMap<string, TreeEntry[]>
  withheld: ReadonlySet<string>
}

type File = { path: string; size: number; bytes: () => Promise<Uint8Array> }

export async function packageContent(
  ctx: BuildContext,
  reads: PackageReads,
  p: RegistryPackage,
  sources: ContentSources
): Promise<PackageContent> {
  const ref = packageRef(p.publisher, p.name)
  const cap = ctx.config.limits.package_bytes
  let files: File[] | undefined
  if (sources.publishedFromHead(idOf(p))) {
    const entries = digestedFiles(ref, sources.listing?.get(ref.dir) ?? (await ctx.head.walk(ref.dir)))
    files = entries.map((e) => ({ path: e.path.slice(ref.dir.length + 1), size: e.size, bytes: () => ctx.head.read(e, cap) }))
  } else {
    const candidates = [sources.withheld.has(idOf(p)) ? undefined : ctx.head, p.commit ? await ctx.pool.existing(p.commit) : undefined]
    for (const snapshot of candidates) {
      if (!snapshot || files) continue
      const read = await reads.read(snapshot, ref)
      if (read.ok && read.pkg.digest === p.digest)
        files = read.pkg.files.map((f) => ({ path: f.path, size: f.bytes.length, bytes: () => Promise.resolve(f.bytes) }))
    }
  }
  if (!files)
    return { kind: 'unavailable', problem: `The files of version ${p.version} could not be read from the marketplace's git history.` }
  return contentOf(p.type, p.entrypoint, files)
}

/**
 * The page content of a package whose files the publish stage has in hand (it read them to make
 * the artifact): the same as packageContent gives for them, without asking git a second time.
 */
export function publishedContent(
  type: RegistryPackage['type'],
  entrypoint: string | undefined,
  files: readonly PackageFile[]
): Promise<PackageContent> {
  return contentOf(
    type,
    entrypoint,
    files.map((f) => ({ path: f.path, size: f.bytes.length, bytes: () => Promise.resolve(f.bytes) }))
  )
}

async function contentOf(type: RegistryPackage['type'], entrypoint: string | undefined, files: readonly File[]): Promise<PackageContent> {
  const list = files.map((f) => ({ path: f.path, size: f.size }))
  if (type === 'skill') {
    const skill = files.find((f) => f.path === SKILL_FILE) ?? files.find((f) => f.path.toLowerCase() === SKILL_FILE.toLowerCase())
    const decoded = skill ? decodeText(await skill.bytes()) : undefined
    return { kind: 'skill', files: list, ...(decoded?.ok ? { body: skillBody(decoded.text) } : {}) }
  }
  const serverFile = files.find((f) => f.path === SERVER_FILE) ?? files.find((f) => f.path === entrypoint)
  const decoded = serverFile ? decodeText(await serverFile.bytes()) : undefined
  const server = decoded?.ok ? mcpSummary(decoded.text) : undefined
  return { kind: 'mcp-server', files: list, ...(server ? { server } : {}) }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/** The parts of a server.json a reader needs, read defensively (the review checked it; this is display). */
export function mcpSummary(text: string): McpSummary | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined
  }
  const d = obj(doc)
  const description = str(d.description)
  const version = str(d.version)
  return {
    ...(description !== undefined ? { description } : {}),
    ...(version !== undefined ? { version } : {}),
    packages: arr(d.packages).map((x) => {
      const o = obj(x)
      const v = str(o.version)
      return {
        registryType: str(o.registryType) ?? 'unknown',
        identifier: str(o.identifier) ?? '',
        ...(v !== undefined ? { version: v } : {}),
        transport: str(obj(o.transport).type) ?? 'stdio'
      }
    }),
    remotes: arr(d.remotes).map((x) => ({ type: str(obj(x).type) ?? 'unknown', url: str(obj(x).url) ?? '' }))
  }
}
