// Semantic versions compared exactly. The manifest schema accepts any number of digits in each
// part, and a JavaScript number holds integers exactly only up to 2^53-1: read as numbers,
// 1.0.9007199254740993 equals 1.0.9007199254740992, so a real downgrade would pass. Every numeric
// part here is a BigInt; the ordering is semver 2.0.0 §11 (prereleases before their release,
// numeric identifiers below alphanumeric ones, build metadata ignored).

export interface ExactVersion {
  major: bigint
  minor: bigint
  patch: bigint
  prerelease: (bigint | string)[]
  build: string[]
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

export function parseExact(value: string): ExactVersion | undefined {
  const m = SEMVER.exec(value)
  if (!m) return undefined
  return {
    major: BigInt(m[1] as string),
    minor: BigInt(m[2] as string),
    patch: BigInt(m[3] as string),
    prerelease: m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? BigInt(id) : id)) : [],
    build: m[5] ? m[5].split('.') : []
  }
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)

/** Negative when a < b, 0 when equal in precedence, positive when a > b. */
export function compareExact(a: ExactVersion, b: ExactVersion): number {
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch)
  if (core) return core
  if (!a.prerelease.length || !b.prerelease.length) return (b.prerelease.length ? 1 : 0) - (a.prerelease.length ? 1 : 0)
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i]
    const y = b.prerelease[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const c = cmp(x, y)
      if (c) return c
    } else if (typeof x === 'bigint') return -1
    else if (typeof y === 'bigint') return 1
    else if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

export function formatExact(v: ExactVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease.length ? `-${v.prerelease.join('.')}` : ''}`
}

/** The next version of the kind, as `semver.inc` computes it (after a prerelease, `patch` is its release). */
export function incExact(v: ExactVersion, kind: 'major' | 'minor' | 'patch' | 'prerelease'): string {
  const pre = v.prerelease.length > 0
  switch (kind) {
    case 'major':
      return formatExact({
        ...v,
        major: pre && v.minor === 0n && v.patch === 0n ? v.major : v.major + 1n,
        minor: 0n,
        patch: 0n,
        prerelease: []
      })
    case 'minor':
      return formatExact({ ...v, minor: pre && v.patch === 0n ? v.minor : v.minor + 1n, patch: 0n, prerelease: [] })
    case 'patch':
      return formatExact({ ...v, patch: pre ? v.patch : v.patch + 1n, prerelease: [] })
    case 'prerelease': {
      if (!pre) return formatExact({ ...v, patch: v.patch + 1n, prerelease: [0n] })
      const ids = [...v.prerelease]
      const last = ids
        .map((id, i) => [id, i] as const)
        .filter(([id]) => typeof id === 'bigint')
        .pop()
      if (last) ids[last[1]] = (last[0] as bigint) + 1n
      else ids.push(0n)
      return formatExact({ ...v, prerelease: ids })
    }
  }
}
