// Version arithmetic for the release rules, on the semver package (npm's own): the ordering a
// client applies (1.0.0-rc.1 < 1.0.0; build metadata does not order) and the versions to suggest.
import semver from 'semver'
import { SCHEMAS } from '../../parse/schemas.js'

/** The manifest schema's version pattern, so "a version" means the same thing everywhere. */
const VERSION_PATTERN = new RegExp(SCHEMAS.manifest.properties.version.pattern, 'u')

/**
 * The value as a version the rules can compare, or undefined when it is not one the manifest
 * schema accepts (validate reports that; the release rules stay silent rather than guess).
 */
export function comparableVersion(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > SCHEMAS.manifest.properties.version.maxLength) return undefined
  return VERSION_PATTERN.test(value) && semver.valid(value) !== null ? value : undefined
}

/** Precedence order: negative when a < b. Build metadata is ignored, as semver says. */
export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b)
}

export function sameVersion(a: string, b: string): boolean {
  return semver.eq(a, b)
}

export function highestVersion(versions: readonly string[]): string | undefined {
  return [...versions].sort(compareVersions).at(-1)
}

export function isPrerelease(version: string): boolean {
  return (semver.prerelease(version)?.length ?? 0) > 0
}

export interface NextVersion {
  version: string
  /** What kind of change the step is for. */
  meaning: string
}

/**
 * The versions a publisher would pick after `from`: the next patch, minor and major (and, after a
 * prerelease, the next prerelease and the release itself), without duplicates.
 */
export function nextVersions(from: string): NextVersion[] {
  const out: NextVersion[] = []
  const push = (version: string | null, meaning: string) => {
    if (version !== null && !out.some((n) => n.version === version)) out.push({ version, meaning })
  }
  if (isPrerelease(from)) {
    push(semver.inc(from, 'prerelease'), 'the next prerelease')
    // After 1.2.3-rc.1, `inc patch` is the release 1.2.3 itself.
    push(semver.inc(from, 'patch'), 'the release')
  }
  push(semver.inc(from, 'patch'), 'patch: fixes only')
  push(semver.inc(from, 'minor'), 'minor: new features')
  push(semver.inc(from, 'major'), 'major: breaking changes')
  return out
}

/** `"1.2.4" (patch: fixes only), "1.3.0" (minor: new features) or "2.0.0" (major: breaking changes)` */
export function describeNextVersions(from: string): string {
  const items = nextVersions(from).map((n) => `"${n.version}" (${n.meaning})`)
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}` : (items[0] ?? '')
}
