// What every CLI command shares: its I/O, exit codes, argument parsing and report output.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { lstatSync } from 'node:fs'
import path from 'node:path'
import type { Source } from '../core/review/source.js'
import { parseShard, type Shard } from '../core/review/shard.js'

export interface Io {
  cwd: string
  stdout: { write(s: string): unknown; isTTY?: boolean }
  stderr: { write(s: string): unknown }
  env: Record<string, string | undefined>
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const

/** A mistake on the command line: exit 2 with a pointer to --help. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>

/** Options every command that prints a review takes. */
export const REPORT_OPTIONS = {
  root: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const satisfies Options

/** The two commits of a change (read from git objects; nothing is checked out). */
export const RANGE_OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' }
} as const satisfies Options

/** The marketplace root: --root against the current directory. */
export function rootOf(values: { root?: string | undefined }, io: Io): string {
  return path.resolve(io.cwd, values.root ?? '.')
}

/** A value the command cannot run without. */
export function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required`)
  return value
}

export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options })
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}

export function useColor(values: { color?: boolean | undefined; 'no-color'?: boolean | undefined }, io: Io): boolean {
  if (values['no-color']) return false
  if (values.color) return true
  return Boolean(io.stdout.isTTY) && !io.env.NO_COLOR
}

/** `--shard i/n`: check only one slice of every package (a re-audit split over jobs; see `merge`). */
export const SHARD_OPTIONS = {
  shard: { type: 'string' }
} as const satisfies Options

/** The shard asked for, if any. */
export function shardOf(values: { shard?: string | undefined }): Shard | undefined {
  return values.shard === undefined ? undefined : parseShard(values.shard)
}

/** `--sarif FILE`: also write the review as SARIF 2.1.0 (for GitHub code scanning). */
export const SARIF_OPTIONS = {
  sarif: { type: 'string' }
} as const satisfies Options

/**
 * What a checking command reads: with --base/--head, commits (git objects, no checkout); else the
 * directory at the root, all packages or the PACKAGE_DIRs named.
 */
export function sourceOf(
  values: { base?: string | undefined; head?: string | undefined },
  positionals: readonly string[],
  root: string,
  io: Io
): Source {
  if (values.base === undefined && values.head === undefined) {
    return { kind: 'directory', root, paths: positionals.map((p) => packagePath(io.cwd, root, p)) }
  }
  if (positionals.length) throw new UsageError('give either --base/--head (check commits) or package directories, not both')
  const source: Source = { kind: 'git', repo: root, head: values.head ?? 'HEAD' }
  if (values.base !== undefined) source.base = values.base
  return source
}

/**
 * A package directory as given on the command line, relative to the root: tried against the
 * current directory first (what a shell completes), then against the root.
 */
export function packagePath(cwd: string, root: string, arg: string): string {
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
