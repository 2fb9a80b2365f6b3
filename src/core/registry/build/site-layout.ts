// Where the registry build writes. Two areas:
// - the marketplace root (committed to the repository): registry.json and
//   .claude-plugin/marketplace.json, which Claude Code and APM read from the repository itself;
// - the site folder (deployed to GitHub Pages, not committed): the Agent Skills discovery index.
//
// Site layout (paths relative to the site folder):
//   .nojekyll                                                  Pages serves dot-folders as they are
//   .well-known/agent-skills/index.json                        every skill, by install name
//   publishers/<login>/.well-known/agent-skills/index.json     one publisher's skills, plain names
//   publishers/<login>/.well-known/agent-skills/<name>/<version>/SKILL.md          a one-file skill
//   publishers/<login>/.well-known/agent-skills/<name>/<version>/<name>.tar.gz     any other skill
//   publishers/<login>/.well-known/agent-skills/<name>/<version>/files.json         every package version's
//     release record (releases.ts); an MCP server's entrypoint is copied beside it, under files/
//   catalog/...                                                the browsable catalog (catalog/layout.ts)
// Each artifact is stored once, under its publisher; the root index points at it with a relative
// URL, so the site works under a path prefix (a GitHub Pages project site). The version in the
// path makes an artifact URL name one content forever: a cached old artifact can never be served
// against a newer index digest.

import { PUBLISHERS_DIR, SKILL_FILE, WELL_KNOWN_DIR } from '../../marketplace/paths.js'
import { isCatalogPath } from './catalog/layout.js'

export const INDEX_FILE = 'index.json'
export const ROOT_INDEX = `${WELL_KNOWN_DIR}/${INDEX_FILE}`
export const NOJEKYLL_FILE = '.nojekyll'
/** The only value clients accept for an index's `$schema` (discovery RFC v0.2.0). */
export const DISCOVERY_SCHEMA = 'https://schemas.agentskills.io/discovery/0.2.0/schema.json'

export type Area = 'root' | 'site'

export function publisherSiteDir(login: string): string {
  return `${PUBLISHERS_DIR}/${login}/${WELL_KNOWN_DIR}`
}

export function publisherIndex(login: string): string {
  return `${publisherSiteDir(login)}/${INDEX_FILE}`
}

export type ArtifactType = 'skill-md' | 'archive'

/** An artifact's path relative to its publisher's index. */
export function artifactRelativeUrl(name: string, version: string, type: ArtifactType): string {
  return `${name}/${version}/${type === 'skill-md' ? SKILL_FILE : `${name}.tar.gz`}`
}

/** An artifact's path relative to the site folder. */
export function artifactSitePath(login: string, name: string, version: string, type: ArtifactType): string {
  return `${publisherSiteDir(login)}/${artifactRelativeUrl(name, version, type)}`
}

export const RELEASE_FILE = 'files.json'

/** The folder of one package version: its artifact and its release record. */
export function releaseDir(login: string, name: string, version: string): string {
  return `${publisherSiteDir(login)}/${name}/${version}`
}

/** The root index sits two folders below the site root. */
export function rootIndexUrl(sitePath: string): string {
  return `../../${sitePath}`
}

/**
 * Is this site path one the build owns? Only files under these folders are ever replaced or
 * deleted, so anything else a maintainer keeps in the site folder (a landing page) is left alone.
 */
export function isManagedSitePath(path: string): boolean {
  if (path === NOJEKYLL_FILE || path.startsWith(`${WELL_KNOWN_DIR}/`) || isCatalogPath(path)) return true
  const parts = path.split('/')
  return parts.length > 4 && parts[0] === PUBLISHERS_DIR && `${parts[2]}/${parts[3]}` === WELL_KNOWN_DIR
}
