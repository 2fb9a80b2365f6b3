// Which packages a run checks: all of them, the directories named, or those a change touched.
// Only directory listings are read here; no package contents.
import type { ReviewedPackage } from '../../generated/schema-types.js'
import type { Snapshot } from '../snapshot/types.js'
import type { ChangeSet } from '../git/changes.js'
import type { Finding } from '../findings/findings.js'
import { ConfigError } from '../errors.js'
import { packageNameFindings, publisherNameFindings, readLayout, strayFileFinding } from '../marketplace/layout.js'
import { type PackageRef, PROFILE_FILE, PUBLISHERS_DIR, packageRef } from '../marketplace/paths.js'

/** What to check: a package with how the change touched it. */
export interface Target {
  ref: PackageRef
  status: ReviewedPackage['status']
  renamedFrom?: PackageRef
}

export interface Selection {
  targets: Target[]
  /** Publishers whose profile.json is checked. */
  publishers: string[]
  /** Layout findings found while selecting. */
  findings: Finding[]
}

/** Every publisher and package in the snapshot. */
export async function selectAll(snapshot: Snapshot): Promise<Selection> {
  const layout = await readLayout(snapshot)
  return {
    targets: layout.packages.map((ref) => ({ ref, status: 'checked' })),
    publishers: layout.publishers,
    findings: layout.findings
  }
}

/**
 * Named directories, relative to the marketplace root: `publishers/<login>` (all its packages) or
 * `publishers/<login>/<package>`. Anything else is a usage mistake.
 */
export async function selectPaths(snapshot: Snapshot, paths: string[]): Promise<Selection> {
  const targets = new Map<string, Target>()
  const publishers = new Set<string>()
  const findings: Finding[] = []
  for (const raw of paths) {
    const parts = raw.split('/').filter((p) => p !== '' && p !== '.')
    if (parts[0] !== PUBLISHERS_DIR || parts.length < 2 || parts.length > 3 || parts.includes('..')) {
      throw new ConfigError(
        `\`${raw}\` is not a publisher or package directory: expected publishers/<login> or publishers/<login>/<package>`
      )
    }
    const dir = parts.join('/')
    const entry = await snapshot.stat(dir)
    if (!entry || entry.kind !== 'directory') throw new ConfigError(`\`${raw}\` is not a directory in ${snapshot.description}`)
    const login = parts[1] as string
    publishers.add(login)
    if (parts.length === 3) {
      const ref = packageRef(login, parts[2] as string)
      targets.set(ref.id, { ref, status: 'checked' })
      continue
    }
    for (const child of await snapshot.list(dir)) {
      const name = child.path.slice(dir.length + 1)
      if (child.kind === 'directory') {
        const ref = packageRef(login, name)
        targets.set(ref.id, { ref, status: 'checked' })
      } else if (name !== PROFILE_FILE) findings.push(strayFileFinding(child.path))
    }
  }
  for (const login of publishers) findings.push(...publisherNameFindings(login))
  for (const t of targets.values()) findings.push(...packageNameFindings(t.ref))
  return { targets: [...targets.values()], publishers: [...publishers], findings }
}

/** The packages and profiles a change touched; deleted packages are listed but not checked. */
export function selectChanges(changes: ChangeSet): Selection {
  const targets: Target[] = []
  const publishers = new Set<string>()
  const findings: Finding[] = []
  for (const change of changes.packages) {
    const target: Target = { ref: change.ref, status: change.status }
    if (change.renamedFrom) target.renamedFrom = change.renamedFrom
    targets.push(target)
    if (change.status !== 'deleted') {
      publishers.add(change.ref.publisher)
      findings.push(...packageNameFindings(change.ref))
    }
  }
  for (const p of changes.publishers) {
    const present = p.paths.filter((c) => c.status !== 'deleted')
    if (present.length || p.paths.some((c) => c.path.endsWith(`/${PROFILE_FILE}`))) publishers.add(p.login)
    for (const c of present) if (!c.path.endsWith(`/${PROFILE_FILE}`)) findings.push(strayFileFinding(c.path))
  }
  for (const login of publishers) findings.push(...publisherNameFindings(login))
  return { targets, publishers: [...publishers].sort(), findings }
}
