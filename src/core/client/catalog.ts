// One marketplace's packages as the client sees them: registry.json (every package, with
// versions, digests, scores and reviews) joined with the Agent Skills discovery index the same
// build wrote (each skill's install name, artifact URL and artifact digest). The join uses the
// artifact URL the build emits (src/core/registry/layout.ts):
//   …/publishers/<login>/.well-known/agent-skills/<name>/<version>/(SKILL.md | <name>.tar.gz)
// A marketplace with only a discovery index lists its skills from the index alone.
import type { Registry, RegistryPackage } from '../../generated/schema-types.js'
import { parseRegistry as readRegistry } from '../registry/read.js'

import type { ArtifactType } from '../registry/build/site-layout.js'

export type { ArtifactType }

export interface CatalogEntry {
  marketplace: string
  /** `<publisher>/<name>`, or the index name for an index-only skill. */
  id: string
  /** The name it installs under: the index's install name, else the package name (qualified when two publishers share it). */
  installName: string
  name: string
  publisher?: string
  type: 'skill' | 'mcp-server'
  version?: string
  description: string
  tags: string[]
  score: number | null
  downloads: number
  verdict?: 'pass' | 'fail'
  /** The registry's package content digest. */
  packageDigest?: string
  commit?: string
  path?: string
  entrypoint?: string
  minSignetVersion?: string
  /** The skills index artifact, with its URL resolved against the index. */
  artifact?: { url: string; type: ArtifactType; digest?: string }
  /** Every published version with its package digest and commit (registry.json `versions`), newest first. */
  versions?: readonly { version: string; digest: string; commit: string }[]
  /** Set on an entry made for a version other than the current one: fetched through its release record. */
  olderVersion?: true
}

export interface IndexSkill {
  name: string
  type: ArtifactType
  description: string
  url: string
  digest?: string
}

export class CatalogError extends Error {}

/** registry.json bytes -> the registry (by the one reader, src/core/registry/read.ts), or a CatalogError. */
export function parseRegistry(bytes: Uint8Array, where: string): { registry: Registry; statsUrl?: string } {
  const read = readRegistry(bytes)
  if (!read.ok) throw new CatalogError(`${where} ${read.reason}${read.details.length ? `: ${read.details.slice(0, 3).join('; ')}` : ''}`)
  const statsUrl = read.registry.stats_url
  return statsUrl === undefined ? { registry: read.registry } : { registry: read.registry, statsUrl }
}

/** A discovery index's bytes -> its skills. Entries a client cannot use are skipped, as `npx skills` does. */
export function parseIndex(bytes: Uint8Array, where: string): IndexSkill[] {
  const doc = parseJson(bytes, where) as { $schema?: unknown; skills?: unknown }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.skills))
    throw new CatalogError(`${where} is not an Agent Skills discovery index (no \`skills\` list)`)
  const out: IndexSkill[] = []
  for (const e of doc.skills as Record<string, unknown>[]) {
    if (!e || typeof e.name !== 'string' || typeof e.url !== 'string' || typeof e.description !== 'string') continue
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(e.name) || e.name.length > 64) continue
    if (e.type !== 'skill-md' && e.type !== 'archive') continue
    const skill: IndexSkill = { name: e.name, type: e.type, description: e.description, url: e.url }
    if (typeof e.digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(e.digest)) skill.digest = e.digest
    out.push(skill)
  }
  return out
}

/** What kind of document a .json URL served: a registry or a discovery index. */
export function documentKind(bytes: Uint8Array): 'registry' | 'index' | undefined {
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>
    if (Array.isArray(doc.packages)) return 'registry'
    if (Array.isArray(doc.skills)) return 'index'
  } catch {
    // neither
  }
  return undefined
}

const ARTIFACT_PATH = /\/publishers\/([^/]+)\/\.well-known\/agent-skills\/([^/]+)\/([^/]+)\/(?:SKILL\.md|[^/]+\.tar\.gz)$/

export function catalogOf(
  marketplace: string,
  registry: Registry | undefined,
  index: IndexSkill[] | undefined,
  indexUrl: string | undefined
): CatalogEntry[] {
  const byArtifact = new Map<string, { skill: IndexSkill; url: string }>()
  const indexOnly: { skill: IndexSkill; url: string; parsed?: RegExpExecArray }[] = []
  for (const skill of index ?? []) {
    let url: string
    try {
      url = new URL(skill.url, indexUrl).href
    } catch {
      continue
    }
    const m = ARTIFACT_PATH.exec(new URL(url).pathname)
    if (m) byArtifact.set(`${decodeURIComponent(m[1] as string).toLowerCase()}/${m[2]}@${m[3]}`, { skill, url })
    indexOnly.push(m ? { skill, url, parsed: m } : { skill, url })
  }
  const out: CatalogEntry[] = []
  const used = new Set<string>()
  // The build's install-name rule (docs/registry-build.md): the first published keeps the plain name.
  const names = new Map<string, RegistryPackage>()
  for (const p of registry?.packages ?? []) {
    const first = names.get(p.name)
    if (!first || publishedBefore(p, first)) names.set(p.name, p)
  }
  for (const p of registry?.packages ?? []) {
    const entry = fromPackage(marketplace, p, names)
    const hit = byArtifact.get(`${p.publisher.toLowerCase()}/${p.name}@${p.version}`)
    if (hit && p.type === 'skill') {
      entry.installName = hit.skill.name
      entry.artifact = { url: hit.url, type: hit.skill.type, ...(hit.skill.digest ? { digest: hit.skill.digest } : {}) }
      used.add(hit.url)
    }
    out.push(entry)
  }
  if (!registry) {
    for (const { skill, url, parsed } of indexOnly) {
      if (used.has(url)) continue
      const entry: CatalogEntry = {
        marketplace,
        id: parsed ? `${decodeURIComponent(parsed[1] as string)}/${parsed[2]}` : skill.name,
        installName: skill.name,
        name: parsed ? (parsed[2] as string) : skill.name,
        type: 'skill',
        description: skill.description,
        tags: [],
        score: null,
        downloads: 0,
        artifact: { url, type: skill.type, ...(skill.digest ? { digest: skill.digest } : {}) }
      }
      if (parsed) {
        entry.publisher = decodeURIComponent(parsed[1] as string)
        entry.version = parsed[3]
      }
      out.push(entry)
    }
  }
  return out
}

function publishedBefore(a: RegistryPackage, b: RegistryPackage): boolean {
  const ka = `${a.published_at ?? '9999'} ${a.publisher}/${a.name}`
  const kb = `${b.published_at ?? '9999'} ${b.publisher}/${b.name}`
  return ka < kb
}

function fromPackage(marketplace: string, p: RegistryPackage, names: Map<string, RegistryPackage>): CatalogEntry {
  const entry: CatalogEntry = {
    marketplace,
    id: `${p.publisher}/${p.name}`,
    installName: names.get(p.name) === p ? p.name : `${p.publisher.toLowerCase()}-${p.name}`.slice(0, 64),
    name: p.name,
    publisher: p.publisher,
    type: p.type,
    version: p.version,
    description: p.description ?? '',
    tags: p.tags,
    score: p.score,
    downloads: p.downloads
  }
  if (p.review) entry.verdict = p.review.verdict
  if (p.digest) entry.packageDigest = p.digest
  if (p.commit) entry.commit = p.commit
  if (p.path) entry.path = p.path
  if (p.entrypoint) entry.entrypoint = p.entrypoint
  if (p.min_signet_version) entry.minSignetVersion = p.min_signet_version
  if (p.versions?.length) entry.versions = p.versions
  return entry
}

function parseJson(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (e) {
    throw new CatalogError(`${where} is not valid JSON (${(e as Error).message})`)
  }
}
