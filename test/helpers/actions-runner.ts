/**
 * Runs a bundled action the way the GitHub Actions runner does, and reads back what it wrote:
 * every input of its action.yml as `INPUT_<NAME>` (upper case, hyphens kept; the default or ''),
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, the event payload at GITHUB_EVENT_PATH,
 * GITHUB_WORKSPACE and RUNNER_TEMP, and the workflow commands (`::error file=…::…`) on stdout.
 *
 *   const run = await runAction('validate-manifest', { workspace: repo.dir, event: pullRequestEvent(base, head) })
 *   run.code; run.outputs.verdict; run.annotations; run.summary
 */
import { afterAll } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { REPO_ROOT, cleanEnv, runNode, type RunResult } from './run-node.js'

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  /** title, file, line, endLine, col, endColumn: as written, unescaped. */
  properties: Record<string, string>
  message: string
}

export interface ActionRun extends RunResult {
  /** Outputs set with core.setOutput, parsed from the GITHUB_OUTPUT file. */
  outputs: Record<string, string>
  /** The GITHUB_STEP_SUMMARY file's content. */
  summary: string
  /** `::error|warning|notice …::` lines from stdout. */
  annotations: Annotation[]
  /** `::error::…` and friends without properties (setFailed, plain notices). */
  commands: Annotation[]
  /** The run's scratch directory (holds RUNNER_TEMP). */
  dir: string
  runnerTemp: string
}

export interface ActionRunOptions {
  workspace: string
  /** The event payload; written to GITHUB_EVENT_PATH. */
  event: object
  eventName?: string
  /** Inputs by their action.yml name (`fail-on-error`), overriding the defaults. */
  inputs?: Record<string, string>
  /** Where scratch directories go (default: the OS temp dir). */
  tmp?: string
  /**
   * More environment, e.g. GITHUB_API_URL pointing at a test server; `undefined` removes a
   * variable the runner would set (RUNNER_TEMP: undefined is a run outside a runner).
   */
  env?: Record<string, string | undefined>
}

interface ActionYml {
  inputs?: Record<string, { default?: string | number | boolean }>
}

/** `actions/<name>/action.yml`, or the root action.yml for the root action (`review`). */
export function actionYmlPath(action: string): string {
  const sub = path.join(REPO_ROOT, 'actions', action, 'action.yml')
  return existsSync(sub) ? sub : path.join(REPO_ROOT, 'action.yml')
}

/** The runner's input defaults: every declared input, with its default or ''. */
export function inputDefaults(action: string): Record<string, string> {
  const yml = parseYaml(readFileSync(actionYmlPath(action), 'utf8')) as ActionYml
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(yml.inputs ?? {})) out[name] = spec.default === undefined ? '' : String(spec.default)
  return out
}

/** `INPUT_` + the name upper-cased with spaces as underscores; hyphens stay (as the runner does). */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * Parses a GITHUB_OUTPUT (or GITHUB_ENV) file: `name<<DELIMITER\nvalue\nDELIMITER` blocks as
 * @actions/core writes them, and plain `name=value` lines.
 */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const value: string[] = []
      i++
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++] as string)
      if (i >= lines.length) throw new Error(`unterminated value for ${name} (delimiter ${delimiter})`)
      out[name] = value.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new Error(`unparsable line in command file: ${JSON.stringify(line)}`)
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','))

/** Workflow commands for annotations on stdout, with @actions/core's escaping undone. */
export function parseWorkflowCommands(stdout: string): Annotation[] {
  const out: Annotation[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!m) continue
    const properties: Record<string, string> = {}
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=')
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1))
    }
    out.push({ level: m[1] as Annotation['level'], properties, message: unescapeData(m[3] ?? '') })
  }
  return out
}

export function pullRequestEvent(base: string, head: string, options: { number?: number; author?: string } = {}): object {
  const author = options.author ?? 'mallory'
  return {
    action: 'synchronize',
    number: options.number ?? 7,
    pull_request: {
      number: options.number ?? 7,
      state: 'open',
      title: 'Add a package',
      user: { login: author, type: 'User' },
      base: { ref: 'main', sha: base, repo: { full_name: 'example/marketplace' } },
      head: { ref: 'feature', sha: head, repo: { full_name: `${author}/marketplace` } }
    },
    repository: { full_name: 'example/marketplace', default_branch: 'main' },
    sender: { login: author, type: 'User' }
  }
}

export function pushEvent(before: string, after: string): object {
  return {
    ref: 'refs/heads/main',
    before,
    after,
    created: /^0+$/.test(before),
    pusher: { name: 'octocat' },
    repository: { full_name: 'example/marketplace', default_branch: 'main' },
    sender: { login: 'octocat', type: 'User' }
  }
}

/** Run folders made outside a suite's own temporary folder; removed when the suite ends. */
const runFolders: string[] = []
afterAll(() => {
  for (const dir of runFolders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

export async function runAction(action: string, options: ActionRunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(options.tmp ?? tmpdir(), `action-${action}-`))
  if (options.tmp === undefined) runFolders.push(dir)
  const outputFile = path.join(dir, 'github_output')
  const summaryFile = path.join(dir, 'step_summary.md')
  const eventFile = path.join(dir, 'event.json')
  const runnerTemp = path.join(dir, 'runner-temp')
  mkdirSync(runnerTemp)
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(options.event, null, 2))
  const inputs = { ...inputDefaults(action), ...options.inputs }
  const eventName = options.eventName ?? ('pull_request' in options.event ? 'pull_request' : 'push')
  const env = cleanEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: 'example/marketplace',
    RUNNER_TEMP: runnerTemp,
    ...options.env,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariable(k), v]))
  })
  const removed = new Set(Object.entries(options.env ?? {}).flatMap(([k, v]) => (v === undefined ? [k] : [])))
  const childEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !removed.has(k)))
  const result = await runNode(path.join(REPO_ROOT, 'dist', action, 'index.js'), [], { cwd: options.workspace, env: childEnv })
  const commands = parseWorkflowCommands(result.stdout)
  return {
    ...result,
    outputs: parseCommandFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    annotations: commands.filter((c) => c.properties.file !== undefined),
    commands: commands.filter((c) => c.properties.file === undefined),
    dir,
    runnerTemp
  }
}
