// marketplace-actions install <@publisher/package[@version] | name@marketplace | name> [--agent ID] [--force]
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, printWarnings, runClient } from '../client-shared.js'

export const INSTALL_HELP = `Usage: marketplace-actions install <@publisher/package[@version] | name@marketplace | name> [--agent ID] [--force]

Installs a package: a skill into <workspace>/skills/<name>/, an MCP server into
<workspace>/mcp.json (\`mcpServers\`, with its package version pinned). The download is verified
against the digest the marketplace advertises before anything is written; the install and the
lockfile (<workspace>/.marketplace/installed.json) change together or not at all. Nothing from
the package is run. A skill or server of the same name that was not installed from a
marketplace wins, with a warning, unless --force.

@publisher/package@<version> installs that version, also an older one (verified against the
registry's digest for it), and pins it: \`update\` leaves it there until you install without a
version. Without --agent a package is installed for every agent; with it, for that agent (the
files are shared by the workspace; \`installed --agent ID\` shows what an agent has).

  --agent ID         install it for this agent (again for another agent adds that agent)
  --marketplace N    resolve in this marketplace only
  --force            replace a local skill or server of the same name; reinstall an unchanged package
${WORKSPACE_HELP}

Exit codes: 0 installed (or already up to date, or a local package won); 1 not found, refused
or failed (nothing changed); 2 usage error.
`

const OPTIONS = { ...WORKSPACE_OPTIONS, agent: { type: 'string' }, marketplace: { type: 'string' }, force: { type: 'boolean' } } as const

export async function install(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(INSTALL_HELP)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError('install takes one package: @publisher/package[@version], name@marketplace or name')
  const client = clientFor(values, io)
  return runClient(io, async () => {
    const result = await client.install(positionals[0] as string, {
      ...(values.agent ? { agent: values.agent } : {}),
      ...(values.marketplace ? { marketplace: values.marketplace } : {}),
      force: values.force === true
    })
    printWarnings(result.warnings, io)
    if (values.json) printJson(result, io)
    else if (result.entry) {
      const e = result.entry
      const verb = { installed: 'Installed', updated: 'Updated', unchanged: 'Already up to date:', skipped: 'Skipped' }[result.status]
      io.stdout.write(`${verb} ${e.package}@${e.version ?? '?'} as ${e.location} (from ${e.marketplace}, ${e.digest ?? e.content_hash})\n`)
    } else io.stdout.write(`Skipped ${positionals[0]}: a local package of that name wins (see the warning).\n`)
    return EXIT.ok
  })
}
