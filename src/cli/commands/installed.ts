// marketplace-actions installed [--agent ID] [--json]
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, printWarnings, runClient } from '../client-shared.js'

export const INSTALLED_HELP = `Usage: marketplace-actions installed [--agent ID] [--json]

Lists the packages installed from marketplaces (the lockfile), with version, marketplace, the
verified digest, and whether the marketplace now advertises a different one (an update).

  --agent ID    only what this agent has: installed for it, or for every agent

${WORKSPACE_HELP}
`

export async function installed(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...WORKSPACE_OPTIONS, agent: { type: 'string' } } as const)
  if (values.help) {
    io.stdout.write(INSTALLED_HELP)
    return EXIT.ok
  }
  if (positionals.length) throw new UsageError('installed takes no arguments')
  const client = clientFor(values, io)
  return runClient(io, async () => {
    const { packages, warnings } = await client.installed(values.agent === undefined ? {} : { agent: values.agent })
    printWarnings(warnings, io)
    if (values.json) printJson(packages, io)
    else if (!packages.length) io.stdout.write('Nothing is installed from a marketplace.\n')
    else
      for (const p of packages) {
        const update = p.pinned
          ? `pinned${p.latest_version && p.latest_version !== p.version ? ` (latest ${p.latest_version})` : ''}`
          : p.update_available === null
            ? 'update status unknown'
            : p.update_available
              ? `update available: ${p.latest_version ?? 'new digest'}`
              : 'up to date'
        io.stdout.write(
          `${p.name}\t${p.type}\t${p.package}@${p.version ?? '?'}\t${p.marketplace}\t${p.digest ?? p.content_hash}\t${update}\t${p.agents ? `agents: ${p.agents.join(',')}` : 'every agent'}\n`
        )
      }
    return EXIT.ok
  })
}
