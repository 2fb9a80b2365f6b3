// marketplace-actions telemetry [on|off]
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson } from '../client-shared.js'

export const TELEMETRY_HELP = `Usage: marketplace-actions telemetry [on|off]

Shows or sets whether this workspace sends install pings and ratings to a marketplace's stats
endpoint (registry.json's stats_url). Off by default. When on, an install sends the package,
its version and a random id created for this workspace (never derived from you or the machine);
a failed ping never fails an install.

${WORKSPACE_HELP}
`

export async function telemetry(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, WORKSPACE_OPTIONS)
  if (values.help) {
    io.stdout.write(TELEMETRY_HELP)
    return EXIT.ok
  }
  const [setting, ...rest] = positionals
  if (rest.length || (setting !== undefined && setting !== 'on' && setting !== 'off')) throw new UsageError('telemetry takes on or off')
  const client = clientFor(values, io)
  const settings = setting === undefined ? await client.settings() : await client.setTelemetry(setting === 'on')
  if (values.json) printJson(settings, io)
  else io.stdout.write(`Telemetry is ${settings.telemetry ? 'on' : 'off'}.\n`)
  return EXIT.ok
}
