// marketplace-actions serve [--host 127.0.0.1] [--port 3851]
import { MarketplaceApi } from '../../core/client/daemon.js'
import { listen } from '../../io/marketplace-server.js'
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor } from '../client-shared.js'

export const SERVE_HELP = `Usage: marketplace-actions serve [--host HOST] [--port PORT]

Serves the Signet daemon's marketplace routes over HTTP for the workspace:
  GET  /api/marketplace/search?q=&type=     ranked search results
  POST /api/marketplace/install             {"name": "@publisher/package", "agent_id": "..."}
  GET  /api/marketplace/installed?agent_id= installed packages with update status (one agent's)
  POST /api/marketplace/feedback            {"name": "...", "rating": 1..5}
Bad input is a 400 with {"error": "..."}. Runs until interrupted.

  --host HOST    address to listen on (default 127.0.0.1; anything else exposes installs to the network)
  --port PORT    port (default 3851; 0 picks a free one)
${WORKSPACE_HELP}
`

const OPTIONS = { ...WORKSPACE_OPTIONS, host: { type: 'string' }, port: { type: 'string' } } as const

export async function serve(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(SERVE_HELP)
    return EXIT.ok
  }
  if (positionals.length) throw new UsageError('serve takes no arguments')
  const port = values.port === undefined ? 3851 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number')
  const client = clientFor(values, io)
  const recovered = await client.open()
  if (recovered === 'rolled-back') io.stderr.write('warning: an interrupted install was rolled back\n')
  const { server, url } = await listen(new MarketplaceApi(client), values.host ?? '127.0.0.1', port)
  io.stdout.write(`Serving the marketplace routes at ${url} (workspace ${client.ws.root})\n`)
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve())
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return EXIT.ok
}
