// What `marketplace add <source>` accepts, and where each kind keeps its files:
//
//   owner/repo                 GitHub: registry.json on the default branch (raw.githubusercontent.com),
//                              package files at the commit that published them, skills from the
//                              repository's Pages site (https://<owner>.github.io/<repo>/)
//   https://…/registry.json    a registry.json anywhere; package files beside it (<dir>/<path>/…),
//                              skills from <dir>/.well-known/agent-skills/index.json when served
//   https://…/index.json       an Agent Skills discovery index (skills only)
//   https://host[/path]        an origin: <origin>/registry.json and/or the well-known skills index
//   ./folder, /abs/folder      a local marketplace checkout (registry.json at its root, package
//                              files read from the folder); for private marketplaces and offline use
//
// The kind of a URL ending in .json is decided by its content when it is added (a registry has
// `packages`, a discovery index `skills`).

import { ROOT_INDEX } from '../registry/build/site-layout.js'

export type SourceType = 'github' | 'registry-url' | 'index-url' | 'origin' | 'local'

/** A registered marketplace, as kept in .marketplace/marketplaces.json. */
export interface MarketplaceRecord {
  name: string
  /** The source as the user gave it. */
  source: string
  type: SourceType
  /** registry.json, when the marketplace has one. */
  registry_url?: string
  /** The Agent Skills discovery index, when the marketplace has one. */
  index_url?: string
  /** Where package files live: `<path>/<file>` is resolved against it; `{commit}` is replaced by the package's commit. */
  files_base?: string
  /** A local marketplace's folder. */
  folder?: string
  /** Origins the client may fetch from for this marketplace (scheme://host:port). */
  allowed_origins: string[]
  added_at: string
}

export const MARKETPLACE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/
const GITHUB_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/

export type ParsedSource = { kind: 'github'; owner: string; repo: string } | { kind: 'url'; url: URL } | { kind: 'local'; folder: string }

/** `isFolder` answers whether a path names an existing folder (the caller's file system). */
export function parseSource(source: string, isFolder: (p: string) => boolean): ParsedSource {
  const s = source.trim()
  if (/^https?:\/\//i.test(s)) return { kind: 'url', url: new URL(s) }
  if (s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || isFolder(s)) return { kind: 'local', folder: s }
  const gh = GITHUB_REPO.exec(s)
  if (gh && !s.includes('..')) return { kind: 'github', owner: gh[1] as string, repo: (gh[2] as string).replace(/\.git$/, '') }
  throw new Error(
    `\`${source}\` is not a marketplace source: give owner/repo, an https URL (registry.json, a skills index.json, or an origin) or a local folder`
  )
}

/** The default name: the repository, the host, or the folder's name, made a valid marketplace name. */
export function defaultName(parsed: ParsedSource, folderName?: string): string {
  const raw = parsed.kind === 'github' ? parsed.repo : parsed.kind === 'url' ? nameFromUrl(parsed.url) : (folderName ?? 'local')
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64)
  return cleaned || 'marketplace'
}

function nameFromUrl(url: URL): string {
  // A GitHub Pages project site is best named by its repository.
  const parts = url.pathname.split('/').filter((p) => p && p !== '.well-known' && p !== 'agent-skills' && !p.endsWith('.json'))
  if (url.hostname.endsWith('.github.io') && parts[0]) return parts[0]
  return url.hostname
}

export function githubRecord(
  owner: string,
  repo: string
): Pick<MarketplaceRecord, 'type' | 'registry_url' | 'index_url' | 'files_base' | 'allowed_origins'> {
  const pages = `https://${owner.toLowerCase()}.github.io`
  return {
    type: 'github',
    registry_url: `https://raw.githubusercontent.com/${owner}/${repo}/HEAD/registry.json`,
    index_url: `${pages}/${repo}/.well-known/agent-skills/index.json`,
    files_base: `https://raw.githubusercontent.com/${owner}/${repo}/{commit}/`,
    allowed_origins: ['https://raw.githubusercontent.com', pages]
  }
}

/** The folder a URL's file sits in, with a trailing slash. */
export function baseOf(url: string): string {
  return new URL('.', url).href
}

/** For an origin or a registry URL: where the build's skills index sits beside it. */
export function wellKnownIndex(base: string): string {
  return new URL(ROOT_INDEX, base.endsWith('/') ? base : `${base}/`).href
}
