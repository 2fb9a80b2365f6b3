// marketplace-actions review --base REF --head REF --author LOGIN: the pull-request review, run
// locally or in any CI. Every review check over what changed between merge-base(base, head) and
// head, with both commits read from git objects (the head needs no checkout).
// With --all or --shard I/N instead of --base: a re-audit of every package (or one shard of them)
// at --head, with the checks that judge a package at rest.
import { TOOL_VERSION } from '../../version.js'
import {
  EXIT,
  RANGE_OPTIONS,
  REPORT_OPTIONS,
  SARIF_OPTIONS,
  SHARD_OPTIONS,
  UsageError,
  parse,
  required,
  rootOf,
  shardOf,
  type Io
} from '../shared.js'
import { report } from '../report.js'

export const REVIEW_HELP = `Usage: marketplace-actions review --base REF --head REF --author LOGIN [--root DIR] [--json FILE] [--sarif FILE]
       marketplace-actions review --all [--head REF] [--root DIR] [--json FILE] [--sarif FILE]
       marketplace-actions review --shard I/N [--head REF] [--root DIR] --json FILE

Reviews a change as the pull-request checks do: manifests, profiles and entrypoints; safety
(links, sizes, secrets, hidden text, risky code); versions (every changed package has a higher
version, a published version never changes); namespaces (the author changes only what they own).
It covers what changed between merge-base(--base, --head) and --head, reads both commits from git
objects (no checkout), and takes the config, the owners and the published versions from the base.

With --all, it re-audits every package at --head instead (after a toolkit upgrade or a rule
change): manifests, profiles, entrypoints and safety; versions and namespaces judge a change, so
they are left out. --shard I/N re-audits only shard I of N (a package's shard depends only on its
id), for a matrix of jobs whose --json reports 'marketplace-actions merge' combines.

  --base REF       the branch the change is for, e.g. origin/main (required for a change)
  --head REF       the change, e.g. HEAD or a pull request's branch (required for a change;
                   for --all and --shard, default HEAD)
  --author LOGIN   GitHub login of the change's author; it owns publishers/<LOGIN>/ (required for a change)
  --all            re-audit every package at --head
  --shard I/N      re-audit shard I of N of every package at --head
  --root DIR       marketplace repository (default: the current directory)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --sarif FILE     also write the findings as SARIF 2.1.0 (GitHub code scanning) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`

export async function review(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...REPORT_OPTIONS,
    ...RANGE_OPTIONS,
    ...SARIF_OPTIONS,
    ...SHARD_OPTIONS,
    all: { type: 'boolean' },
    author: { type: 'string' }
  })
  if (values.help) {
    io.stdout.write(REVIEW_HELP)
    return EXIT.ok
  }
  if (positionals.length)
    throw new UsageError(
      `review takes no package directories (got \`${positionals[0] ?? ''}\`): it reviews what changed between --base and --head`
    )
  const shard = shardOf(values)
  const { runOnSource } = await import('../../core/review/source.js')
  const { RE_AUDIT_CHECKS, REVIEW_CHECKS } = await import('../../core/review/checks.js')
  if (values.all || shard) {
    if (values.base !== undefined || values.author !== undefined) {
      throw new UsageError(
        `${shard ? '--shard' : '--all'} re-audits every package at --head: drop --base and --author (they are for reviewing a change)`
      )
    }
    const result = await runOnSource({ kind: 'git', repo: rootOf(values, io), head: values.head ?? 'HEAD' }, RE_AUDIT_CHECKS, {
      configFile: values.config,
      toolVersion: TOOL_VERSION,
      ...(shard ? { shard } : {})
    })
    return report(result, values, io)
  }
  const base = required(values.base, '--base REF')
  const head = required(values.head, '--head REF')
  const author = required(values.author, '--author LOGIN')
  const result = await runOnSource({ kind: 'git', repo: rootOf(values, io), base, head, author }, REVIEW_CHECKS, {
    configFile: values.config,
    toolVersion: TOOL_VERSION
  })
  return report(result, values, io)
}
