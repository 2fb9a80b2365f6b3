// Timing a command as a user runs it: a fresh `node` process on the CLI bundle, so every figure
// includes process start, module loading and schema set-up.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { bundle, staleBundles } from './bundle.js'

/** dist/cli/index.js, rebuilt first when its sources changed since it was built. */
export async function currentCli(): Promise<string> {
  if (staleBundles().includes('cli')) await bundle(['cli'])
  return path.join(process.cwd(), 'dist', 'cli', 'index.js')
}

export interface ProcessRun {
  ms: number
  /** Peak resident set size of the process, in MB (GNU time's %M). */
  maxRssMb: number
  /** CPU time of the process and its children (user + sys, GNU time's %U + %S), in ms. */
  cpuMs: number
  status: number
  stdout: string
  stderr: string
}

/** Runs a command under GNU time and returns its wall time and peak memory. */
export function runProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ProcessRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-bench-time-'))
  const timeFile = path.join(dir, 'time')
  try {
    const t0 = performance.now()
    const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%M %U %S', command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      maxBuffer: 1 << 30
    })
    const ms = performance.now() - t0
    const [kb, user, sys] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number)
    return {
      ms,
      maxRssMb: (kb ?? NaN) / 1024,
      cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000,
      status: r.status ?? -1,
      stdout: r.stdout.toString(),
      stderr: r.stderr.toString()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** How many git processes a command starts: GIT_TRACE logs one `built-in: git ...` line per git run. */
export function countGitProcesses(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-bench-trace-'))
  const traceFile = path.join(dir, 'trace')
  try {
    spawnSync(command, args, { cwd: options.cwd, env: { ...(options.env ?? process.env), GIT_TRACE: traceFile }, maxBuffer: 1 << 30 })
    let text = ''
    try {
      text = readFileSync(traceFile, 'utf8')
    } catch {
      return 0
    }
    return text.split('\n').filter((l) => /trace: built-in: git /.test(l)).length
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The machine's load average, to print next to figures taken on shared cores. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ')
  } catch {
    return 'unknown'
  }
}
