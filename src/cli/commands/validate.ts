// marketplace-actions validate [--root DIR] [PACKAGE_DIR...] | --base REF [--head REF]
import path from 'node:path'
import { validateSource, type Source } from '../../core/source.js'
import { TOOL_VERSION } from '../../version.js'
import { EXIT, REPORT_OPTIONS, UsageError, packagePath, parse, report, type Io } from '../shared.js'

export const VALIDATE_HELP = `Usage: marketplace-actions validate [--root DIR] [PACKAGE_DIR...]
       marketplace-actions validate [--root DIR] --base REF [--head REF]

Checks manifests, publisher profiles and entrypoints.

  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; without --base, every package at it)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
`

export async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...REPORT_OPTIONS, base: { type: 'string' }, head: { type: 'string' } })
  if (values.help) {
    io.stdout.write(VALIDATE_HELP)
    return EXIT.ok
  }
  const root = path.resolve(io.cwd, values.root ?? '.')
  if ((values.base !== undefined || values.head !== undefined) && positionals.length) {
    throw new UsageError('give either --base/--head (check commits) or package directories, not both')
  }
  let source: Source
  if (values.base !== undefined || values.head !== undefined) {
    source = { kind: 'git', repo: root, head: values.head ?? 'HEAD' }
    if (values.base !== undefined) source.base = values.base
  } else {
    source = { kind: 'directory', root, paths: positionals.map((p) => packagePath(io.cwd, root, p)) }
  }
  const review = await validateSource(source, { configFile: values.config, toolVersion: TOOL_VERSION })
  return report(review, values, io)
}
