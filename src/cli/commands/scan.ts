// marketplace-actions scan [--root DIR] [PACKAGE_DIR...] | --base REF [--head REF]
import { lstatSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { TOOL_VERSION } from '../../version.js'
import { PUBLISHERS_DIR } from '../../core/marketplace/paths.js'
import type { Source } from '../../core/review/source.js'
import {
  EXIT,
  RANGE_OPTIONS,
  REPORT_OPTIONS,
  SARIF_OPTIONS,
  SHARD_OPTIONS,
  UsageError,
  parse,
  rootOf,
  shardOf,
  sourceOf,
  type Io
} from '../shared.js'
import { loadReporters, report } from '../report.js'

export const SCAN_HELP = `Usage: marketplace-actions scan [--root DIR] [PACKAGE_DIR...]
       marketplace-actions scan [--root DIR] --base REF [--head REF]
       marketplace-actions scan [--root DIR] [--head REF] --shard I/N --json FILE

Scans packages for what must never reach a user's agent: links and paths that leave the
package, oversized, binary and archived files, hidden Unicode, secrets, prompt injection,
dangerous code and unsafe MCP server configs. Nothing in a package is run or followed.

  --root DIR       marketplace root (default: the current directory)
  --base REF       scan only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to scan (default: HEAD; without --base, every package at it)
  --shard I/N      scan only shard I of N of every package (a re-audit split over jobs; a
                   package's shard depends only on its id); combine the --json reports of
                   shards 1..N with 'marketplace-actions merge'
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --threads N      scan a directory with N threads (default: one per core, at most 8);
                   1 scans on one thread. Commits (--base/--head) are scanned on one.
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Secrets are never printed: findings show their first characters and length.
Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`

export async function scan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...REPORT_OPTIONS,
    ...RANGE_OPTIONS,
    ...SARIF_OPTIONS,
    ...SHARD_OPTIONS,
    threads: { type: 'string' }
  })
  if (values.help) {
    io.stdout.write(SCAN_HELP)
    return EXIT.ok
  }
  const root = rootOf(values, io)
  const source = sourceOf(values, positionals, root, io)
  const shard = shardOf(values)
  const threads = threadsOf(values.threads)
  const started = await startWorkersEarly(source, root, threads)
  // Loaded while the scan runs, so that its end, on one thread, does not wait for them (a failure
  // to load them is reported by report() itself).
  if (started) loadReporters().catch(() => undefined)
  try {
    const { runOnSource } = await import('../../core/review/source.js')
    const { createSafetyCheck } = await import('../../core/checks/safety/check.js')
    const options = { ...(threads === undefined ? {} : { threads }), ...(started ? { started } : {}) }
    const review = await runOnSource(source, [createSafetyCheck(options)], {
      configFile: values.config,
      toolVersion: TOOL_VERSION,
      ...(shard ? { shard } : {})
    })
    return report(review, values, io)
  } finally {
    started?.release()
  }
}

/** A marketplace with fewer publisher folders than this is scanned before a worker would be ready. */
const EARLY_WORKERS_FROM_PUBLISHERS = 20

/**
 * For a scan of a whole directory marketplace, the worker threads start before the tree is listed
 * and the config read, so that their start-up (loading the scan, ≈ 0.1–0.3 s each) overlaps that
 * work instead of following it. A small marketplace (few publisher folders) starts none here: the
 * check decides from the package count, as before.
 */
async function startWorkersEarly(source: Source, root: string, threads: number | undefined) {
  if (source.kind !== 'directory' || source.paths?.length || threads === 1) return undefined
  let publishers: number
  try {
    // Counted only when it is a real folder: nothing a publisher wrote is followed, even here.
    const dir = path.join(root, PUBLISHERS_DIR)
    publishers = lstatSync(dir).isDirectory() ? readdirSync(dir).length : 0
  } catch {
    return undefined // no publishers folder: the check reports it
  }
  if (publishers < EARLY_WORKERS_FROM_PUBLISHERS) return undefined
  const { startScanWorkers } = await import('../../core/checks/safety/threads.js')
  return startScanWorkers(threads)
}

export function threadsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9][0-9]{0,2}$/.test(value)) throw new UsageError(`--threads takes a whole number from 1 to 999, not ${JSON.stringify(value)}`)
  return Number(value)
}
