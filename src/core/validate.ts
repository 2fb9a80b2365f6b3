// validate: which packages to check (all, some directories, or those a change touched), the
// checks for each, and the review that results. Adapters (CLI, action) only call runValidate.
import type { ReviewedPackage } from '../generated/schema-types.js'
import type { Snapshot } from './snapshot/types.js'
import type { PackageRef, ChangeSet } from './changes.js'
import { applyPolicy, type Finding } from './findings.js'
import { CONFIG_FILE, ConfigError, defaultConfig, parseConfig, type ResolvedConfig } from './config.js'
import {
  PROFILE_FILE,
  PUBLISHERS_DIR,
  packageNameFindings,
  packageRef,
  publisherNameFindings,
  readLayout,
  strayFileFinding
} from './marketplace.js'
import { checkManifest } from './checks/manifest.js'
import { checkEntrypoint } from './checks/entrypoint.js'
import { checkProfile } from './checks/profile.js'
import { buildReview, type Review } from './review.js'

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
      throw new ConfigError(`\`${raw}\` is not a publisher or package directory: expected publishers/<login> or publishers/<login>/<package>`)
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

/**
 * Reads the config from the snapshot (the base commit in a review). The default file may be
 * absent (the defaults apply); a file named explicitly must exist, so a typo cannot silently
 * change the rules.
 */
export async function loadConfig(snapshot: Snapshot, file?: string): Promise<ResolvedConfig> {
  const entry = await snapshot.stat(file ?? CONFIG_FILE)
  if (!entry && file !== undefined) throw new ConfigError(`config file ${file} does not exist in ${snapshot.description}`)
  if (!entry) return defaultConfig()
  file ??= CONFIG_FILE
  if (entry.kind !== 'file') throw new ConfigError(`${file} in ${snapshot.description} is a ${entry.kind}, not a regular file`)
  return parseConfig(await snapshot.read(entry, 1024 * 1024), file)
}

export interface CheckedPackages {
  packages: ReviewedPackage[]
  findings: Finding[]
}

/** Runs the validate checks over a selection. Findings are raw: the config's policy is not applied. */
export async function checkSelection(snapshot: Snapshot, selection: Selection, config: ResolvedConfig): Promise<CheckedPackages> {
  const findings: Finding[] = [...selection.findings]
  for (const login of selection.publishers) findings.push(...(await checkProfile(snapshot, login, config)))
  const packages: ReviewedPackage[] = []
  for (const target of selection.targets) {
    const reviewed: ReviewedPackage = {
      id: target.ref.id,
      publisher: target.ref.publisher,
      name: target.ref.name,
      path: target.ref.dir,
      status: target.status,
      verdict: 'pass'
    }
    if (target.renamedFrom) reviewed.renamed_from = target.renamedFrom.id
    packages.push(reviewed)
    if (target.status === 'deleted') continue
    const files = await snapshot.walk(target.ref.dir)
    const result = await checkManifest(snapshot, target.ref, files, config)
    findings.push(...result.findings)
    const m = result.manifest
    if (typeof m?.version === 'string') reviewed.version = m.version
    if (m?.type === 'skill' || m?.type === 'mcp-server') reviewed.type = m.type
    if (m && result.fieldAt) findings.push(...(await checkEntrypoint(snapshot, target.ref, files, m, result.fieldAt, config)))
  }
  return { packages, findings }
}

export interface ValidateRun {
  snapshot: Snapshot
  /** Where the config is read from: the base commit in a review, else the snapshot itself. */
  configSnapshot?: Snapshot
  configFile?: string
  selection: Selection
  source?: Review['source']
  toolVersion: string
}

export async function runValidate(run: ValidateRun): Promise<Review> {
  const config = await loadConfig(run.configSnapshot ?? run.snapshot, run.configFile)
  const checked = await checkSelection(run.snapshot, run.selection, config)
  return buildReview({
    toolVersion: run.toolVersion,
    checks: ['validate'],
    source: run.source,
    packages: checked.packages,
    findings: applyPolicy(checked.findings, config)
  })
}
