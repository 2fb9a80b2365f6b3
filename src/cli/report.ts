// How the checking commands (validate, review, scan, merge) hand over a review: --json and --sarif
// files, the text report, and the exit code. The reporters and the rule catalog they format with
// are loaded when there is a review to report: a usage error or --help answers without them.
import path from 'node:path'
import type { Review } from '../core/review/review.js'
import type * as TextReport from '../report/text.js'
import type * as SarifReport from '../report/sarif.js'
import type * as WriteJson from '../io/write-json.js'
import { EXIT, useColor, type Io } from './shared.js'

/** Writes --json and --sarif (when the command takes them), prints the review, returns the exit code. */
export async function report(
  review: Review,
  values: { json?: string | undefined; sarif?: string | undefined; color?: boolean | undefined; 'no-color'?: boolean | undefined },
  io: Io
): Promise<number> {
  const [{ formatText }, { toSarif }, { writeJsonAtomic }] = await loadReporters()
  if (values.json) await writeJsonAtomic(path.resolve(io.cwd, values.json), review)
  if (values.sarif) await writeJsonAtomic(path.resolve(io.cwd, values.sarif), toSarif(review))
  io.stdout.write(formatText(review, { color: useColor(values, io) }))
  return review.verdict === 'pass' ? EXIT.ok : EXIT.findings
}

let reporters: Promise<[typeof TextReport, typeof SarifReport, typeof WriteJson]> | undefined

/**
 * The reporters, loaded once. A long command (a scan of a whole marketplace) starts loading them
 * while its worker threads scan, so that its end, which runs on one thread, does not wait for them.
 */
export function loadReporters(): NonNullable<typeof reporters> {
  return (reporters ??= Promise.all([import('../report/text.js'), import('../report/sarif.js'), import('../io/write-json.js')]))
}
