// marketplace-actions validate [--root DIR] [PACKAGE_DIR...] | --base REF [--head REF]
import { TOOL_VERSION } from '../../version.js'
import { EXIT, RANGE_OPTIONS, REPORT_OPTIONS, SARIF_OPTIONS, parse, rootOf, sourceOf, type Io } from '../shared.js'
import { report } from '../report.js'
import { threadsOf } from './scan.js'

export const VALIDATE_HELP = `Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --threads N      check a directory with N threads (default: 1; a helper thread pays only on an
                   idle core with 2,000+ packages each). Commits (--base/--head) are checked on one.
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`

export async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...REPORT_OPTIONS, ...RANGE_OPTIONS, ...SARIF_OPTIONS, threads: { type: 'string' } })
  if (values.help) {
    io.stdout.write(VALIDATE_HELP)
    return EXIT.ok
  }
  const source = sourceOf(values, positionals, rootOf(values, io), io)
  const threads = threadsOf(values.threads)
  // Loaded after the options are read: a usage error or --help never pays for the checks.
  const { runOnSource } = await import('../../core/review/source.js')
  const { createValidateCheck } = await import('../../core/checks/validate/index.js')
  const check = createValidateCheck(threads === undefined ? {} : { threads })
  const review = await runOnSource(source, [check], { configFile: values.config, toolVersion: TOOL_VERSION })
  return report(review, values, io)
}
