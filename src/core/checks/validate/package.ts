// One package's validation: its manifest, then its entrypoint. Also the entry of the worker
// threads that validate a directory marketplace on several cores (safety/threads.ts's pool): a
// thread started from this module's file validates the packages it claims with its own snapshot.
import type { PackageFacts } from '../check.js'
import type { ResolvedConfig } from '../../config/config.js'
import type { Finding } from '../../findings/findings.js'
import type { ListedEntry, Snapshot } from '../../snapshot/types.js'
import type { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import type { PackageRef } from '../../marketplace/paths.js'
import type { Target } from '../selection.js'
import { manifestSteps, type ManifestResult } from './manifest.js'
import { manifestOnce } from './manifest-once.js'
import { entrypointSteps } from './entrypoint.js'
import { runNow, runOn, type Steps } from '../steps.js'
import { serveThreadTask } from '../safety/threads.js'

export interface PackageResult {
  id: string
  findings: Finding[]
  facts: PackageFacts
}

/** The task name and entry file validate's worker threads are started with. */
export const VALIDATE_TASK = 'marketplace-actions/validate'
export const VALIDATE_TASK_FILE = import.meta.url

/**
 * `shareManifest`: keep the parsed manifest for a later check of the same run (version-bump reads it
 * in a review with a base). Only then: kept parsed documents outlive the young generation, and a
 * validate of 10,000 packages that nobody reads twice paid 0.3 s of CPU and 24 MB for them.
 */
export async function checkPackage(
  head: Snapshot,
  config: ResolvedConfig,
  target: Target,
  shareManifest = false
): Promise<PackageResult | undefined> {
  if (target.status === 'deleted') return undefined
  const files = await head.walk(target.ref.dir)
  const manifest = shareManifest ? await manifestOnce(head, target.ref, files, config) : undefined
  return runOn(head, packageSteps(target.ref, files, config, manifest))
}

/**
 * checkPackage on a work tree, synchronously (a promise only while the first tool script's parser
 * loads): the package folder listed by its entries' types, each file it reads opened once.
 */
export function checkPackageNow(
  directory: DirectorySnapshot,
  config: ResolvedConfig,
  target: Target
): PackageResult | Promise<PackageResult> | undefined {
  if (target.status === 'deleted') return undefined
  return runNow(directory, packageSteps(target.ref, directory.walkKinds(target.ref.dir), config, undefined))
}

/** One package's steps: its manifest (unless already checked), then its entrypoint. */
function* packageSteps<E extends ListedEntry>(
  ref: PackageRef,
  files: readonly E[],
  config: ResolvedConfig,
  checked: ManifestResult | undefined
): Steps<PackageResult, E> {
  const result = checked ?? (yield* manifestSteps(ref, files, config))
  const findings = result.findings
  const m = result.manifest
  const facts: PackageFacts = {}
  if (typeof m?.version === 'string') facts.version = m.version
  if (m?.type === 'skill' || m?.type === 'mcp-server') facts.type = m.type
  if (m && result.fieldAt) {
    const more = yield* entrypointSteps(ref, files, m, result.fieldAt, config)
    if (more.length) findings.push(...more)
  }
  return { id: ref.id, findings, facts }
}

serveThreadTask(VALIDATE_TASK, async (snapshot, target: Target, config: ResolvedConfig) => checkPackageNow(snapshot, config, target))
