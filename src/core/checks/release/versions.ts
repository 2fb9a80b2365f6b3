// Version arithmetic for the release rules: the ordering a client applies (1.0.0-rc.1 < 1.0.0;
// build metadata does not order) and the versions to suggest, computed exactly (exact-semver.ts:
// numbers past 2^53-1 are BigInts, so 1.0.9007199254740992 is below 1.0.9007199254740993).
import { compareExact, incExact, parseExact, type ExactVersion } from './exact-semver.js'
import manifestSchema from '../../../../schemas/manifest.schema.json' with { type: 'json' }

/** The manifest schema's version pattern, so "a version" means the same thing everywhere. */
const VERSION_PATTERN = new RegExp(manifestSchema.properties.version.pattern, 'u')

/**
 * The value as a version the rules can compare, or undefined when it is not one the manifest
 * schema accepts (validate reports that; the release rules stay silent rather than guess).
 */
export function comparableVersion(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > manifestSchema.properties.version.maxLength) return undefined
  return VERSION_PATTERN.test(value) && parseExact(value) !== undefined ? value : undefined
}

/** Precedence order: negative when a < b. Build metadata is ignored, as semver says. */
export function compareVersions(a: string, b: string): number {
  return compareExact(exact(a), exact(b))
}

/** A version the caller already knows is valid (comparableVersion), parsed exactly. */
function exact(v: string): ExactVersion {
  const parsed = parseExact(v)
  if (!parsed) throw new Error(`not a semantic version: ${v}`)
  return parsed
}

export function sameVersion(a: string, b: string): boolean {
  return compareVersions(a, b) === 0
}

export function highestVersion(versions: readonly string[]): string | undefined {
  return [...versions].sort(compareVersions).at(-1)
}

export function isPrerelease(version: string): boolean {
  return exact(version).prerelease.length > 0
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
  const push = (version: string, meaning: string) => {
    if (!out.some((n) => n.version === version)) out.push({ version, meaning })
  }
  if (isPrerelease(from)) {
    push(incExact(exact(from), 'prerelease'), 'the next prerelease')
    // After 1.2.3-rc.1, `inc patch` is the release 1.2.3 itself.
    push(incExact(exact(from), 'patch'), 'the release')
  }
  push(incExact(exact(from), 'patch'), 'patch: fixes only')
  push(incExact(exact(from), 'minor'), 'minor: new features')
  push(incExact(exact(from), 'major'), 'major: breaking changes')
  return out
}

/** `"1.2.4" (patch: fixes only), "1.3.0" (minor: new features) or "2.0.0" (major: breaking changes)` */
export function describeNextVersions(from: string): string {
  const items = nextVersions(from).map((n) => `"${n.version}" (${n.meaning})`)
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}` : (items[0] ?? '')
}
