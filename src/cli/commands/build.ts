// marketplace-actions build [--root DIR] [--out DIR] [--head REF] [--full] [--force] [--config FILE] [--json FILE] [--threads N]
import path from 'node:path'
import { countFindings } from '../../core/findings/findings.js'
import { writeJsonAtomic } from '../../io/write-json.js'
import { boundHeapGrowth } from '../../io/heap-growth.js'
import { buildJson, formatBuildText } from '../../report/build.js'
import { TOOL_VERSION } from '../../version.js'
import { EXIT, UsageError, parse, useColor, type Io } from '../shared.js'
import { threadsOf } from './scan.js'

export const BUILD_HELP = `Usage: marketplace-actions build [--root DIR] [--out DIR] [--full] [--force]

Builds what clients install from, for one commit of the marketplace (read from git objects; no
checkout): registry.json and .claude-plugin/marketplace.json in the root (commit them), and the
Agent Skills discovery index with its artifacts in the site folder (deploy it, e.g. to GitHub
Pages). Only the packages changed since the last build are read; the result is byte-identical
to a full build. The site folder keeps a record of the last build (.marketplace-actions-build.json):
with it, a rebuild with no package, profile or config change reads and writes nothing; without it
(an empty or uncached site folder) the build is a full one. Beside it, a ledger of where each
package stands in the aggregate files (.marketplace-actions-ledger.json) lets a change to a few
existing packages be spliced into them instead of rebuilding them. Keep both with the site.

  --root DIR       marketplace root, a git clone (default: the current directory)
  --out DIR        site folder (default: <root>/site); must not be the root itself
  --head REF       the commit to build (default: HEAD)
  --full           read every package, not only those changed since the last build
  --force          publish even when more packages would be removed than
                   registry.max_removed_share in the config allows
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write a summary of the build (changes, files, findings) as JSON
  --threads N      2: a large build writes its new files and gzips its skill archives on
                   other threads while it renders the rest; 1: everything on one thread
                   (default: 2 with two cores or more; a build of a few hundred files or
                   a few dozen archives never starts them)
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 built; 1 built, but some packages are not published from this commit (errors
above; the rest published); 2 usage, configuration or internal error, or the removal guard
refused the build (nothing written).
`

const OPTIONS = {
  root: { type: 'string' },
  out: { type: 'string' },
  head: { type: 'string' },
  full: { type: 'boolean' },
  force: { type: 'boolean' },
  config: { type: 'string' },
  json: { type: 'string' },
  threads: { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

export async function build(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(BUILD_HELP)
    return EXIT.ok
  }
  if (positionals.length)
    throw new UsageError(`build takes no package directories (got ${positionals.join(' ')}); it always builds the whole marketplace`)
  const root = path.resolve(io.cwd, values.root ?? '.')
  const threads = threadsOf(values.threads)
  // Before the build allocates (io/heap-growth.ts).
  boundHeapGrowth()
  const { buildRegistry } = await import('../../core/registry/build/build.js')
  const { RegistryOutputs } = await import('../../io/registry-output.js')
  const site = values.out === undefined ? path.join(root, 'site') : path.resolve(io.cwd, values.out)
  const { archiveGzip } = await import('../../io/gzip-thread.js')
  const outputs = new RegistryOutputs(root, site, threads === undefined ? {} : { threads })
  const gzip = archiveGzip(threads)
  const result = await buildRegistry({
    repo: root,
    head: values.head,
    configFile: values.config,
    full: values.full,
    force: values.force,
    toolVersion: TOOL_VERSION,
    outputs,
    ...(gzip ? { gzip } : {})
  }).finally(() => gzip?.close())
  const applied = result.refused ? undefined : await outputs.apply(result)
  if (values.json) await writeJsonAtomic(path.resolve(io.cwd, values.json), buildJson(result, applied))
  io.stdout.write(formatBuildText(result, applied, { color: useColor(values, io) }))
  if (result.refused) return EXIT.usage
  return countFindings(result.findings).error > 0 ? EXIT.findings : EXIT.ok
}
