// marketplace-actions search <query> [--type skill|mcp-server] [--limit N] [--json]
import { resultJson } from '../../core/client/daemon.js'
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, printWarnings, runClient } from '../client-shared.js'

export const SEARCH_HELP = `Usage: marketplace-actions search <query> [--type skill|mcp-server] [--limit N] [--json]

Searches every registered marketplace's cached index (refreshed when older than an hour; a
marketplace that cannot be reached is searched from its cache, with a warning). Ranked by name,
tags and description, with the quality score as a signal. Each result shows what to pass to
\`install\`, the version, the score and the review verdict.

  --type T     only skill or mcp-server packages
  --limit N    at most N results (default 20)
${WORKSPACE_HELP}
`

const OPTIONS = { ...WORKSPACE_OPTIONS, type: { type: 'string' }, limit: { type: 'string' } } as const

export async function search(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(SEARCH_HELP)
    return EXIT.ok
  }
  const type = values.type
  if (type !== undefined && type !== 'skill' && type !== 'mcp-server') throw new UsageError('--type must be skill or mcp-server')
  const limit = values.limit === undefined ? 20 : Number(values.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000')
  const client = clientFor(values, io)
  return runClient(io, async () => {
    const { results, warnings } = await client.search(positionals.join(' '), { ...(type ? { type } : {}), limit })
    printWarnings(warnings, io)
    const rows = results.map(resultJson)
    if (values.json) printJson(rows, io)
    else if (!rows.length) io.stdout.write('No packages found.\n')
    else {
      for (const r of rows) {
        const score = r.score === null ? 'unscored' : `score ${r.score.toFixed(2)}`
        const verdict = r.verdict === null ? 'not reviewed' : r.verdict === 'pass' ? 'review passed' : 'review FAILED'
        io.stdout.write(
          `${r.install}${r.version ? `@${r.version}` : ''}  [${r.type}]  ${score}, ${verdict}  (${r.marketplace})\n    ${r.description}\n`
        )
      }
    }
    return EXIT.ok
  })
}
