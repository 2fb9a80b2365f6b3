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

export { EXIT, type Io }

/** Command name -> what it does (for --help) and its implementation. */
const COMMANDS: Record<string, { summary: string; run: (args: string[], io: Io) => Promise<number> }> = {
  validate: { summary: 'check manifests, publisher profiles and entrypoints', run: validate },
  review: { summary: 'review a change between two commits: validate, safety, versions, namespaces', run: review },
  scan: { summary: 'scan packages for secrets, hidden Unicode, injection, dangerous code and escapes', run: scan },
  build: { summary: 'build registry.json, the Agent Skills index and .claude-plugin/marketplace.json', run: build },
  scores: { summary: 'score packages from review, downloads, ratings and recency into registry.json', run: scores }
}

const HELP = `Usage: marketplace-actions <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run 'marketplace-actions <command> --help' for a command's options.
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
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
