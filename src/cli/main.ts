// The `marketplace-actions` command line. Exit codes: 0 no errors, 1 errors found, 2 usage or
// internal error. Everything it checks is done by the core; this file only translates.
import { parseArgs } from 'node:util'
import path from 'node:path'
import { lstatSync } from 'node:fs'
import { ConfigError } from '../core/errors.js'
import { validateSource, type ValidateSource } from '../core/validate-source.js'
import { formatText } from '../report/text.js'
import { TOOL_VERSION } from '../version.js'
import { writeFileAtomic } from '../io/write-atomic.js'

export interface Io {
  cwd: string
  stdout: { write(s: string): unknown; isTTY?: boolean }
  stderr: { write(s: string): unknown }
  env: Record<string, string | undefined>
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const

const HELP = `Usage: marketplace-actions <command> [options]

Commands:
  validate [--root DIR] [PACKAGE_DIR...]   check manifests, profiles and entrypoints

Options for validate:
  --root DIR       marketplace root (default: the current directory)
  --base REF       check only what changed between REF and --head (git objects; no checkout)
  --head REF       the commit to check (default: HEAD; needs --base or selects all packages)
  --config FILE    marketplace config, relative to the root (default: marketplace.config.yaml)
  --json FILE      also write the review (review schema) to FILE
  --color / --no-color   force colour on or off (default: on for a terminal, unless NO_COLOR)
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
Rules and fixes: docs/rules.md
`

class UsageError extends Error {}

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
  if (command === 'validate') return validate(rest, io)
  throw new UsageError(`unknown command \`${command}\``)
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}

async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args)
  if (values.help) {
    io.stdout.write(HELP)
    return EXIT.ok
  }
  const root = path.resolve(io.cwd, values.root ?? '.')
  if ((values.base !== undefined || values.head !== undefined) && positionals.length) {
    throw new UsageError('give either --base/--head (check commits) or package directories, not both')
  }
  let source: ValidateSource
  if (values.base !== undefined || values.head !== undefined) {
    source = { kind: 'git', repo: root, head: values.head ?? 'HEAD' }
    if (values.base !== undefined) source.base = values.base
  } else {
    source = { kind: 'directory', root, paths: positionals.map((p) => packagePath(io.cwd, root, p)) }
  }
  const review = await validateSource(source, { configFile: values.config, toolVersion: TOOL_VERSION })

  if (values.json) await writeFileAtomic(path.resolve(io.cwd, values.json), `${JSON.stringify(review, null, 2)}\n`)
  const color = values['no-color'] ? false : values.color ? true : Boolean(io.stdout.isTTY) && !io.env.NO_COLOR
  io.stdout.write(formatText(review, { color }))
  return review.verdict === 'pass' ? EXIT.ok : EXIT.findings
}

/**
 * A package directory as given on the command line, relative to the root: tried against the
 * current directory first (what a shell completes), then against the root.
 */
function packagePath(cwd: string, root: string, arg: string): string {
  const candidates = [cwd, root]
    .map((base) => path.resolve(base, arg))
    .filter((abs) => {
      const rel = path.relative(root, abs)
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
    })
  // The first that exists as a directory; failing that, the first inside the root, so the core
  // reports what is wrong with it.
  const chosen = candidates.find((abs) => isDirectory(abs)) ?? candidates[0]
  if (chosen !== undefined) return path.relative(root, chosen).split(path.sep).join('/')
  throw new UsageError(`\`${arg}\` is not inside the marketplace root ${root}`)
}

function isDirectory(p: string): boolean {
  try {
    return lstatSync(p).isDirectory()
  } catch {
    return false
  }
}
