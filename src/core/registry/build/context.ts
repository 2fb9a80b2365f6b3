// What every stage of the registry build reads and none changes: the built commit and its config,
// the clone's other commits, and what the last build wrote. build.ts makes it once; each stage
// takes it with the results of the stages before it and returns its own.
import type { ResolvedConfig } from '../../config/config.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { PackageRef } from '../../marketplace/paths.js'
import type { OutputReader } from './types.js'
import type { SnapshotPool } from './sources.js'
import type { History } from './history.js'
import { readPackage, type ReadOutcome } from './model.js'
import type { ArchiveGzip } from './archive-gzip.js'

export interface BuildContext {
  /** The marketplace repository. */
  readonly repo: string
  /** The built commit, resolved. */
  readonly headSha: string
  /** The built commit's files. */
  readonly head: Snapshot
  /** Every commit the build reads (a withheld package's artifact comes from its published commit). */
  readonly pool: SnapshotPool
  /** The built commit's config, validated. */
  readonly config: ResolvedConfig
  readonly outputs: OutputReader
  /**
   * What git says about the built commit's history, each question asked once per build: the
   * unchanged check, the plan, the splice and the publish stage's stamps ask the same ones.
   */
  readonly history: History
  /** Where the publish stage's archives are gzipped (BuildOptions.gzip); on this thread when absent. */
  readonly gzip?: ArchiveGzip
}

export interface PackageReads {
  read(snapshot: Snapshot, ref: PackageRef, listed?: TreeEntry[]): Promise<ReadOutcome>
  /** How many packages were read so far (the build reports the sum over its stages). */
  readonly count: number
}

/** A stage's package reads, counted: a build reports how many packages it had to read from git. */
export function packageReads(config: ResolvedConfig): PackageReads {
  let count = 0
  return {
    read(snapshot, ref, listed) {
      count++
      return readPackage(snapshot, ref, config, listed)
    },
    get count() {
      return count
    }
  }
}
