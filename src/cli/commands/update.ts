// marketplace-actions update [name...] [--force] [--json]
import { EXIT, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, printWarnings, runClient } from '../client-shared.js'

export const UPDATE_HELP = `Usage: marketplace-actions update [name...] [--force]

Updates installed packages (all, or those named), digest first: the digest the marketplace
advertises now is compared with the one in the lockfile; equal means nothing is downloaded.
A different digest means the new artifact is fetched, verified against it, and swapped in
atomically with the lockfile. A change to metadata only (a description) changes no digest and
is a no-op. When no digest is advertised, the content hash of the fetched files decides.
A package installed at a version you named is pinned: it is reported and left as it is.

  --force    reinstall even when the digest is unchanged
${WORKSPACE_HELP}

Exit codes: 0 all up to date or updated; 1 some package could not be updated (it stays as it
was); 2 usage error.
`

const OPTIONS = { ...WORKSPACE_OPTIONS, force: { type: 'boolean' } } as const

export async function update(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(UPDATE_HELP)
    return EXIT.ok
  }
  const client = clientFor(values, io)
  return runClient(io, async () => {
    const { results, warnings } = await client.update(positionals, { force: values.force === true })
    printWarnings(warnings, io)
    if (values.json) printJson(results, io)
    else if (!results.length) io.stdout.write('Nothing is installed from a marketplace.\n')
    else
      for (const r of results) {
        if (r.status === 'updated') io.stdout.write(`${r.name}: updated ${r.from ?? '?'} -> ${r.to ?? '?'}\n`)
        else if (r.status === 'unchanged') io.stdout.write(`${r.name}: up to date\n`)
        else if (r.status === 'pinned') io.stdout.write(`${r.name}: ${r.message ?? 'pinned'}\n`)
        else io.stdout.write(`${r.name}: ${r.status}${r.message ? ` (${r.message})` : ''}\n`)
      }
    return results.some((r) => r.status === 'error') ? EXIT.findings : EXIT.ok
  })
}
