// The `marketplace-actions` command line. Exit codes: 0 no errors, 1 errors found, 2 usage or
// internal error. Each command lives in commands/; this file only dispatches and reports errors.
import { ConfigError } from '../core/errors.js'
import { TOOL_VERSION } from '../version.js'
import { EXIT, UsageError, type Io } from './shared.js'

export { EXIT, type Io }

type Run = (args: string[], io: Io) => Promise<number>

/**
 * Command name -> what it does (for --help) and how to load it. Each command is imported only when
 * it runs, so `--version`, `--help` and a usage error answer without loading the checks, ajv or git.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Run> }> = {
  validate: {
    summary: 'check manifests, publisher profiles and entrypoints',
    load: async () => (await import('./commands/validate.js')).validate
  },
  review: {
    summary: 'review a change between two commits: validate, safety, versions, namespaces',
    load: async () => (await import('./commands/review.js')).review
  },
  scan: {
    summary: 'scan packages for secrets, hidden Unicode, injection, dangerous code and escapes',
    load: async () => (await import('./commands/scan.js')).scan
  },
  merge: {
    summary: 'merge the shard reports of a re-audit (scan/review --shard i/n) into one review',
    load: async () => (await import('./commands/merge.js')).merge
  },
  build: {
    summary: 'build registry.json, the Agent Skills index and .claude-plugin/marketplace.json',
    load: async () => (await import('./commands/build.js')).build
  },
  scores: {
    summary: 'score packages from review, downloads, ratings and recency into registry.json',
    load: async () => (await import('./commands/scores.js')).scores
  },
  marketplace: {
    summary: 'add, list, update (refresh) or remove the marketplaces you install from',
    load: async () => (await import('./commands/marketplace.js')).marketplace
  },
  search: {
    summary: 'search the registered marketplaces by name, tags and description',
    load: async () => (await import('./commands/search.js')).search
  },
  install: {
    summary: 'install a skill or MCP server, verified against its digest, into the workspace',
    load: async () => (await import('./commands/install.js')).install
  },
  installed: {
    summary: 'list installed packages with version, digest and whether an update is available',
    load: async () => (await import('./commands/installed.js')).installed
  },
  update: {
    summary: 'update installed packages whose advertised digest changed',
    load: async () => (await import('./commands/update.js')).update
  },
  remove: { summary: 'remove an installed package', load: async () => (await import('./commands/remove.js')).remove },
  feedback: {
    summary: 'rate an installed package (sent only with telemetry on)',
    load: async () => (await import('./commands/feedback.js')).feedback
  },
  telemetry: {
    summary: 'show or set the opt-in install and rating telemetry',
    load: async () => (await import('./commands/telemetry.js')).telemetry
  },
  publish: {
    summary: 'run the pull-request checks on a package, then open its pull request',
    load: async () => (await import('./commands/publish.js')).publish
  },
  serve: {
    summary: "serve the Signet daemon's marketplace routes on 127.0.0.1",
    load: async () => (await import('./commands/serve.js')).serve
  }
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
  const run = await found.load()
  return run(rest, io)
}
