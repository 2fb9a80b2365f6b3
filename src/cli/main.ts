// The `marketplace-actions` command line. Exit codes: 0 no errors, 1 errors found, 2 usage or
// internal error. Each command lives in commands/; this file only dispatches and reports errors.
import { ConfigError } from '../core/errors.js'
import { TOOL_VERSION } from '../version.js'
import { EXIT, UsageError, type Io } from './shared.js'
import { validate } from './commands/validate.js'
import { review } from './commands/review.js'
import { scan } from './commands/scan.js'
import { build } from './commands/build.js'
import { scores } from './commands/scores.js'
import { marketplace } from './commands/marketplace.js'
import { search } from './commands/search.js'
import { install } from './commands/install.js'
import { installed } from './commands/installed.js'
import { update } from './commands/update.js'
import { remove } from './commands/remove.js'
import { feedback } from './commands/feedback.js'
import { telemetry } from './commands/telemetry.js'
import { publish } from './commands/publish.js'
import { serve } from './commands/serve.js'

export { EXIT, type Io }

/** Command name -> what it does (for --help) and its implementation. */
const COMMANDS: Record<string, { summary: string; run: (args: string[], io: Io) => Promise<number> }> = {
  validate: { summary: 'check manifests, publisher profiles and entrypoints', run: validate },
  review: { summary: 'review a change between two commits: validate, safety, versions, namespaces', run: review },
  scan: { summary: 'scan packages for secrets, hidden Unicode, injection, dangerous code and escapes', run: scan },
  build: { summary: 'build registry.json, the Agent Skills index and .claude-plugin/marketplace.json', run: build },
  scores: { summary: 'score packages from review, downloads, ratings and recency into registry.json', run: scores },
  marketplace: { summary: 'add, list, update (refresh) or remove the marketplaces you install from', run: marketplace },
  search: { summary: 'search the registered marketplaces by name, tags and description', run: search },
  install: { summary: 'install a skill or MCP server, verified against its digest, into the workspace', run: install },
  installed: { summary: 'list installed packages with version, digest and whether an update is available', run: installed },
  update: { summary: 'update installed packages whose advertised digest changed', run: update },
  remove: { summary: 'remove an installed package', run: remove },
  feedback: { summary: 'rate an installed package (sent only with telemetry on)', run: feedback },
  telemetry: { summary: 'show or set the opt-in install and rating telemetry', run: telemetry },
  publish: { summary: 'run the pull-request checks on a package, then open its pull request', run: publish },
  serve: { summary: "serve the Signet daemon's marketplace routes on 127.0.0.1", run: serve }
}

const HELP = `Usage: marketplace-actions <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run 'marketplace-actions <command> --help' for a command's options.
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 no errors, 1 errors found (or the operation failed), 2 usage or internal error.
Rules and fixes: docs/rules.md
`

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr.write(`marketplace-actions: ${e.message}\n`)
      if (e instanceof UsageError) io.stderr.write(`Run 'marketplace-actions --help' for usage.\n`)
      return EXIT.usage
    }
    const err = e as Error
    io.stderr.write(`marketplace-actions: internal error: ${err.message}\n`)
    if (io.env.MARKETPLACE_ACTIONS_DEBUG) io.stderr.write(`${err.stack ?? ''}\n`)
    return EXIT.usage
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(HELP)
    return command === undefined ? EXIT.usage : EXIT.ok
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${TOOL_VERSION}\n`)
    return EXIT.ok
  }
  const found = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (!found) throw new UsageError(`unknown command \`${command}\``)
  return found.run(rest, io)
}
