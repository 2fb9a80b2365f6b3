// What a check is: it reads one context (the snapshot, the base and the change when there is one,
// the packages selected, the config) and returns findings and facts about packages. Every check
// (validate, safety, version bump, namespace) implements this; review/pipeline.ts runs them.
import type { Review, ReviewedPackage } from '../../generated/schema-types.js'
import type { Snapshot } from '../snapshot/types.js'
import type { ChangeSet } from '../git/changes.js'
import type { ResolvedConfig } from '../config/config.js'
import type { Finding } from '../findings/findings.js'
import type { Selection } from './selection.js'

export type CheckId = Review['checks'][number]

export interface CheckContext {
  /** What is checked: the head commit, or a directory. */
  head: Snapshot
  /** The base commit of a review (git sources with a base only). */
  base?: Snapshot
  /** What changed between merge-base and head (git sources with a base only). */
  changes?: ChangeSet
  /** The packages and publishers to check. */
  selection: Selection
  /** The marketplace config, read from the base commit when there is one. */
  config: ResolvedConfig
  /** The pull-request author, when known. */
  author?: string
}

/** Facts a check learned about a package (its version, its type, the base's version...). */
export type PackageFacts = Partial<Omit<ReviewedPackage, 'id' | 'publisher' | 'name' | 'verdict'>>

export interface CheckResult {
  /** Raw findings: the config's severities and allowances are applied once, by runChecks. */
  findings: Finding[]
  /** Facts by package id. */
  packages?: Record<string, PackageFacts>
  /** Secret values found: masked in every check's findings before anything is written. */
  secrets?: string[]
}

export interface Check {
  id: CheckId
  run(ctx: CheckContext): Promise<CheckResult>
  /**
   * Set on a check that spends its time waiting on git rather than computing: runChecks starts
   * it together with the first check instead of after the others (same findings, same order).
   */
  waitsOnGit?: boolean
}
