// marketplace-actions remove <name> [--agent ID]
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, runClient } from '../client-shared.js'

export const REMOVE_HELP = `Usage: marketplace-actions remove <name> [--agent ID]

Removes a package installed from a marketplace: its skill folder or its mcp.json entry, and its
lockfile entry, together. Skills and servers that were not installed from a marketplace are
never touched. With --agent it is removed for that agent only; the files go when no agent
that has it is left. A package installed for every agent is removed with \`remove <name>\`.

  --agent ID    remove it for this agent only

${WORKSPACE_HELP}
`

export async function remove(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...WORKSPACE_OPTIONS, agent: { type: 'string' } } as const)
  if (values.help) {
    io.stdout.write(REMOVE_HELP)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError('remove takes one installed name')
  const client = clientFor(values, io)
  return runClient(io, async () => {
    const removed = await client.remove(positionals[0] as string, values.agent === undefined ? {} : { agent: values.agent })
    if (values.json) printJson(removed, io)
    else if (removed.remaining_agents)
      io.stdout.write(`Removed ${removed.package} for agent ${values.agent ?? '?'}; it stays for ${removed.remaining_agents.join(', ')}.\n`)
    else io.stdout.write(`Removed ${removed.package}@${removed.version ?? '?'} (${removed.location}).\n`)
    return EXIT.ok
  })
}
