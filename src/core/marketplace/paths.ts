// Every path of the marketplace repository and of the site the build deploys, in one place: the
// folders publishers write to, the files the marketplace generates, and the package ids that
// tie a path to its package. A module that needs one of these names imports it from here.
//
// Repository layout:
//   marketplace.config.yaml                            the maintainers' config (optional)
//   registry.json                                      generated after merge
//   .claude-plugin/marketplace.json                    generated after merge
//   .registry/index.json, published/, digests/          generated after merge: the published-versions index
//   publishers/<login>/profile.json                    publisher metadata
//   publishers/<login>/<package>/manifest.yaml         the package's manifest
//   publishers/<login>/<package>/review.json           generated after merge: the review record
//   publishers/<login>/<package>/SKILL.md | server.json | ...

/** The directory that holds every namespace. */
export const PUBLISHERS_DIR = 'publishers'
export const PROFILE_FILE = 'profile.json'
export const MANIFEST_FILE = 'manifest.yaml'
/** The Agent Skills entrypoint. */
export const SKILL_FILE = 'SKILL.md'
/** The MCP registry's server description. */
export const SERVER_FILE = 'server.json'
/** The review record the marketplace writes beside each package after merge. */
export const REVIEW_RECORD_FILE = 'review.json'
export const CONFIG_FILE = 'marketplace.config.yaml'

/** Generated after merge into the repository root (committed). */
export const REGISTRY_FILE = 'registry.json'
export const CLAUDE_MARKETPLACE_FILE = '.claude-plugin/marketplace.json'
export const CLAUDE_PLUGIN_DIR = '.claude-plugin'
/** The registry's published-versions index (registry/published-index.ts), generated beside registry.json. */
export const PUBLISHED_INDEX_DIR = '.registry'

/** The Agent Skills discovery folder, in the deployed site (and never a publisher's to edit). */
export const WELL_KNOWN_DIR = '.well-known/agent-skills'
/** The folder every well-known URI lives under. */
export const WELL_KNOWN_ROOT = '.well-known'

export interface PackageRef {
  publisher: string
  name: string
  /** `${publisher}/${name}` */
  id: string
  /** `publishers/${publisher}/${name}` */
  dir: string
}

export function packageRef(publisher: string, name: string): PackageRef {
  return { publisher, name, id: `${publisher}/${name}`, dir: `${PUBLISHERS_DIR}/${publisher}/${name}` }
}

/** The package a path lies inside (`publishers/<login>/<package>/...`), else undefined. */
export function packageRefOf(path: string): PackageRef | undefined {
  const parts = path.split('/')
  const [top, publisher, name] = parts
  if (parts.length < 4 || top !== PUBLISHERS_DIR || !publisher || !name) return undefined
  return packageRef(publisher, name)
}

/** The publisher whose own files (profile.json, stray files) a path is: `publishers/<login>/<file>`. */
export function publisherOf(path: string): string | undefined {
  const parts = path.split('/')
  return parts.length === 3 && parts[0] === PUBLISHERS_DIR && parts[1] ? parts[1] : undefined
}

export function publisherDir(login: string): string {
  return `${PUBLISHERS_DIR}/${login}`
}

export function profilePath(login: string): string {
  return `${publisherDir(login)}/${PROFILE_FILE}`
}

/** The review record of a package folder (`publishers/<login>/<package>`). */
export function reviewRecordPath(packageDir: string): string {
  return `${packageDir}/${REVIEW_RECORD_FILE}`
}

/** A git pathspec glob for every review record. */
export const REVIEW_RECORDS_GLOB = `${PUBLISHERS_DIR}/*/*/${REVIEW_RECORD_FILE}`
