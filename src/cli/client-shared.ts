// What the install-side commands share: the workspace ($SIGNET_WORKSPACE, else ~/.agents, or
// --workspace), the client built on the real network, and how results and errors are printed.
import { homedir } from 'node:os'
import path from 'node:path'
import { ClientError, MarketplaceClient } from '../core/client/client.js'
import { httpFetch } from '../io/http-fetch.js'
import { EXIT, type Io } from './shared.js'

export const WORKSPACE_OPTIONS = {
  workspace: { type: 'string' },
  'signet-version': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

export const WORKSPACE_HELP = `  --workspace DIR         the Signet workspace (default: $SIGNET_WORKSPACE, else ~/.agents)
  --signet-version V      the Signet version min_signet_version is checked against
                          (default: $SIGNET_VERSION; unchecked, with a warning, when unknown)
  --json                  print JSON instead of text`

export function workspaceOf(values: { workspace?: string | undefined }, io: Io): string {
  if (values.workspace) return path.resolve(io.cwd, values.workspace)
  if (io.env.SIGNET_WORKSPACE) return path.resolve(io.cwd, io.env.SIGNET_WORKSPACE)
  return path.join(io.env.HOME ?? homedir(), '.agents')
}

export function clientFor(values: { workspace?: string | undefined; 'signet-version'?: string | undefined }, io: Io): MarketplaceClient {
  const signetVersion = values['signet-version'] ?? io.env.SIGNET_VERSION
  return new MarketplaceClient({
    workspace: workspaceOf(values, io),
    fetch: httpFetch,
    notice: (message) => io.stderr.write(`warning: ${message}\n`),
    ...(signetVersion ? { signetVersion } : {})
  })
}

export function printWarnings(warnings: readonly string[], io: Io): void {
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`)
}

export function printJson(value: unknown, io: Io): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Runs a client operation: a ClientError is the user's problem (exit 1), with its message. */
export async function runClient(io: Io, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof ClientError) {
      io.stderr.write(`error: ${e.message}\n`)
      return EXIT.findings
    }
    throw e
  }
}
