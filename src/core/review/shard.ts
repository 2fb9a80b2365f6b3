// Shards of a re-audit: the whole marketplace split into `count` slices that separate jobs check
// (an Actions matrix), merged afterwards by review/merge.ts.
//
// Membership depends only on a package's own id, never on what else the marketplace holds: a
// package belongs to shard 1 + (the first 4 bytes of SHA-256("<publisher>/<package>"), read as a
// big-endian unsigned integer, mod count). Adding, removing or renaming another package moves no
// one else, so shard k of this week's re-audit is comparable with shard k of last week's. A
// publisher's profile (and the layout findings about the publisher's folder) go to the shard of
// SHA-256("<publisher>"); a finding outside every publisher's folder to shard 1. Every finding a
// whole run makes therefore lands in exactly one shard.
import { createHash } from 'node:crypto'
import { ConfigError } from '../errors.js'
import type { Finding } from '../findings/findings.js'
import type { Selection } from '../checks/selection.js'
import { PUBLISHERS_DIR } from '../marketplace/paths.js'

export interface Shard {
  /** From 1 to count. */
  index: number
  count: number
}

/** More shards than this is a typo: an Actions matrix has at most 256 jobs. */
export const MAX_SHARDS = 1000

/** `i/n` as typed on a command line or in a workflow (`${{ matrix.shard }}/20`). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text)
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new ConfigError(
      `shard \`${text}\` is not i/n with 1 <= i <= n <= ${MAX_SHARDS}: write it as 3/20 for the third of twenty shards (shards count from 1)`
    )
  }
  return { index, count }
}

/** The shard (1..count) a key belongs to: a package id `<publisher>/<package>`, or a publisher's login. */
export function shardOf(key: string, count: number): number {
  const digest = createHash('sha256').update(key, 'utf8').digest()
  return 1 + (digest.readUInt32BE(0) % count)
}

/** The shard a finding belongs to: its package's, else its publisher folder's, else shard 1. */
export function findingShard(f: Pick<Finding, 'package' | 'file'>, count: number): number {
  if (f.package !== undefined) return shardOf(f.package, count)
  const parts = f.file?.split('/') ?? []
  if (parts[0] === PUBLISHERS_DIR && parts[1]) return shardOf(parts[1], count)
  return 1
}

/** The part of a whole-marketplace selection that one shard checks. */
export function shardSelection(selection: Selection, shard: Shard): Selection {
  const mine = (key: string) => shardOf(key, shard.count) === shard.index
  return {
    targets: selection.targets.filter((t) => mine(t.ref.id)),
    publishers: selection.publishers.filter(mine),
    findings: selection.findings.filter((f) => findingShard(f, shard.count) === shard.index)
  }
}
