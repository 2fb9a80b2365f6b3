// The one way core code runs git: argv only (no shell), quoting off so `-z` paths arrive as
// written, and failures that say which command failed and what git printed.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { ConfigError } from '../errors.js'

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    message?: string
  ) {
    super(
      message ??
        `git ${args.join(' ')} failed (${exitCode === null ? 'killed' : `exit code ${exitCode}`}): ${stderr.trim() || 'no message'}`
    )
    this.name = 'GitError'
  }
}

export interface RunGitOptions {
  input?: string | Uint8Array
  /** Bytes of stdout beyond which git is killed and the call fails (default 256 MiB). */
  maxBuffer?: number
  /** Variables added to git's environment. */
  env?: Record<string, string>
}

export interface GitCommand {
  cwd: string
  args: readonly string[]
}
export type GitCommandListener = (command: GitCommand) => void

const listeners = new Set<GitCommandListener>()

/**
 * Observes every git process core code starts (tests use it to prove that a review only asks git
 * about what changed). Returns a function that stops observing.
 */
export function onGitCommand(listener: GitCommandListener): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** Prefixed to every invocation; `-z` output is unquoted anyway, this keeps messages readable. */
export const GIT_BASE_ARGS: readonly string[] = ['-c', 'core.quotePath=false']

const DEFAULT_MAX_BUFFER = 256 * 1024 * 1024
const MAX_STDERR = 64 * 1024

/** Announces and spawns `git`; shared with the long-lived cat-file process. */
export function spawnGit(cwd: string, args: readonly string[], env?: Record<string, string>): ChildProcessWithoutNullStreams {
  for (const listener of listeners) listener({ cwd, args })
  // Node replaces the whole environment when given one: git gets the inherited one (not read
  // here, only passed on) plus the variables the caller adds.
  // eslint-disable-next-line no-restricted-properties
  const childEnv = env ? { ...process.env, ...env } : undefined
  return spawn('git', [...GIT_BASE_ARGS, ...args], { cwd, windowsHide: true, ...(childEnv ? { env: childEnv } : {}) })
}

export function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<Buffer> {
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args, options.env)
    const out: Buffer[] = []
    let outBytes = 0
    let err = ''
    let failure: GitError | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length
      if (outBytes > maxBuffer) {
        failure ??= new GitError(args, null, err, `git ${args.join(' ')} wrote more than ${maxBuffer} bytes`)
        child.kill()
        return
      }
      out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < MAX_STDERR) err += chunk.toString('utf8')
    })
    // A process that cannot start reports 'error' and may never report 'close'.
    child.on('error', (e) => {
      reject(failure ?? new GitError(args, null, err, `git ${args.join(' ')} could not run: ${e.message}`))
    })
    child.on('close', (code) => {
      if (failure) reject(failure)
      else if (code !== 0) reject(new GitError(args, code, err))
      else resolve(Buffer.concat(out, outBytes))
    })
    // git may exit before reading all input (a failed command); the exit code reports that.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

export function isObjectId(value: string): boolean {
  return OID.test(value)
}

const FETCH_HINT = 'fetch it, or with actions/checkout set fetch-depth: 0'

/**
 * The full commit id a ref names. A missing commit (a shallow clone) or a folder that is not a
 * repository is the user's setup to fix, so it is a ConfigError that says how.
 */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  try {
    const out = await runGit(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
    return out.toString('utf8').trim()
  } catch (e) {
    if (e instanceof GitError && e.exitCode === 1) throw new ConfigError(`commit ${ref} is not in this clone; ${FETCH_HINT}`)
    if (e instanceof GitError && /not a git repository/i.test(e.stderr)) throw new ConfigError(`${cwd} is not a git repository`)
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError(`${cwd} does not exist, or git is not installed`)
    throw e
  }
}

/** The best common ancestor of two commits; a PR is reviewed against it, not the base tip. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string> {
  try {
    const out = await runGit(cwd, ['merge-base', '--end-of-options', a, b])
    return out.toString('utf8').trim()
  } catch (e) {
    if (e instanceof GitError && e.exitCode === 1) {
      throw new ConfigError(`commits ${a} and ${b} have no common ancestor in this clone; ${FETCH_HINT}`)
    }
    throw e
  }
}
