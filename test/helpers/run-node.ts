/**
 * Runs a bundled entry point (dist/<name>/index.js) the way users and the Actions runner do: a
 * separate `node` process with its own argv, cwd and environment. Tests never import dist.
 *
 *   const r = await runNode(CLI, ['validate', '--root', dir], { cwd: ROOT })
 *   expect(r.code).toBe(0)
 */
import { execFile, execFileSync } from 'node:child_process'
import { transformSync } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli', 'index.js')
export const VALIDATE_BUNDLE = path.join(REPO_ROOT, 'dist', 'validate-manifest', 'index.js')

export interface RunResult {
  /** Exit code; null only when the process was killed. */
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  /** The whole environment of the child (see cleanEnv); not merged with process.env. */
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

/**
 * process.env without what would leak from the test runner (or a CI job running the tests) into
 * the child: GitHub Actions variables and inputs, colour switches and jest's NODE_OPTIONS.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|STATE_)/.test(k)) continue
    if (['NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS', 'CI', 'MARKETPLACE_ACTIONS_DEBUG'].includes(k)) continue
    env[k] = v
  }
  return { ...env, ...extra }
}

/** Runs `node <script> ...args`; resolves with the exit code and output whatever the code. */
export function runNode(script: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [script, ...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: options.env ?? cleanEnv(),
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 30000,
        maxBuffer: 64 * 1024 * 1024
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          // Killed (timeout) or could not start: not an exit code a test should assert on.
          if (error.killed || error.signal) resolve({ code: null, stdout, stderr })
          else reject(error)
          return
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr })
      }
    )
  })
}

/**
 * The bundled CLI's `scan` or `validate` of a directory on `threads` threads, with its --json report
 * read back (and removed): the thread tests compare these between thread counts.
 */
export async function runOnThreads<Doc>(
  command: 'scan' | 'validate',
  root: string,
  threads: number
): Promise<{ code: number | null; stdout: string; doc: Doc }> {
  const json = path.join(root, `review-${threads}.json`)
  const r = await runNode(CLI_BUNDLE, [command, '--root', root, '--no-color', '--threads', String(threads), '--json', json], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
    timeoutMs: 120_000
  })
  const doc = JSON.parse(readFileSync(json, 'utf8')) as Doc
  rmSync(json)
  return { code: r.code, stdout: r.stdout, doc }
}

/**
 * Runs a program in a fresh node process after the source of a self-contained module of src/
 * (`rel`, e.g. `io/heap-growth.ts`), for settings that only a process of its own shows (V8 flags);
 * returns what it prints.
 */
export function runAfterModule(rel: string, program: string): string {
  const source = transformSync(readFileSync(path.join(REPO_ROOT, 'src', rel), 'utf8'), { loader: 'ts', format: 'esm' }).code
  return execFileSync(process.execPath, ['--input-type=module', '-e', `${source}\n${program}`], { env: cleanEnv(), encoding: 'utf8' })
}
