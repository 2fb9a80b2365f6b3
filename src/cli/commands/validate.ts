// marketplace-actions validate [--root DIR] [PACKAGE_DIR...] | --base REF [--head REF]
import { TOOL_VERSION } from '../../version.js'
import { EXIT, RANGE_OPTIONS, REPORT_OPTIONS, SARIF_OPTIONS, parse, rootOf, sourceOf, type Io } from '../shared.js'
import { report } from '../report.js'

export const VALIDATE_HELP = `Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`

export async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...REPORT_OPTIONS, ...RANGE_OPTIONS, ...SARIF_OPTIONS })
  if (values.help) {
    io.stdout.write(VALIDATE_HELP)
    return EXIT.ok
  }
  const source = sourceOf(values, positionals, rootOf(values, io), io)
  // Loaded after the options are read: a usage error or --help never pays for the checks.
  const { validateSource } = await import('../../core/review/source.js')
  const review = await validateSource(source, { configFile: values.config, toolVersion: TOOL_VERSION })
  return report(review, values, io)
}
