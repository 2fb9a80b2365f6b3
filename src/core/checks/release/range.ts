// The version and namespace rules judge a change: what the base commit had against what the head
// has. Run without a base (a directory, or every package at one commit) they have nothing to
// compare, which is the caller's mistake, not a publisher's.
import type { CheckContext } from '../check.js'
import type { ChangeSet } from '../../git/changes.js'
import type { Snapshot } from '../../snapshot/types.js'
import { ConfigError } from '../../errors.js'

export interface ReviewedRange {
  base: Snapshot
  changes: ChangeSet
}

export function requireRange(ctx: CheckContext, check: string): ReviewedRange {
  if (!ctx.base || !ctx.changes) {
    throw new ConfigError(
      `the ${check} check needs base and head commits: it compares a change with the commit it was made on. ` +
        'Run it on a pull request (or give the `base` input), or pass --base REF --head REF on the command line.'
    )
  }
  return { base: ctx.base, changes: ctx.changes }
}
