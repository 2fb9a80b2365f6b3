/**
 * The real `skills` CLI from npm (vercel-labs/skills, which needs Node >= 22.20), run with Node
 * 24 from npm as a user runs `npx skills`. Node 24 and the CLI are installed on first use into a
 * cache outside the repository (~/.cache/marketplace-actions/interop, or
 * MARKETPLACE_ACTIONS_INTEROP_CACHE) and reused; they are not dependencies of this package (a
 * `node` devDependency would shadow the system node in npm scripts). The CLI runs with HOME and
 * the XDG folders in the given home folder, telemetry off.
 *
 *   const tools = ensureSkillsCli()
 *   const r = await runSkills(tools, ['add', origin, '--list'], { home, cwd: project })
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import { cleanEnv } from './run-node.js'

export const SKILLS_VERSION = '1.7.4'
export const NODE_MAJOR = '24'
const CACHE = process.env.MARKETPLACE_ACTIONS_INTEROP_CACHE ?? path.join(homedir(), '.cache', 'marketplace-actions', 'interop')
const TOOLS = path.join(CACHE, `skills-${SKILLS_VERSION}-node-${NODE_MAJOR}`)

export interface SkillsCli {
  node: string
  cli: string
}

/** Node 24 and the skills CLI, from the cache or installed into it (once, atomically). */
export function ensureSkillsCli(): SkillsCli {
  const find = (dir: string): SkillsCli | undefined => {
    const candidates = [
      path.join(dir, 'node_modules', 'node', 'bin', 'node'),
      path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node')
    ]
    const node = candidates.find((c) => existsSync(c))
    const cli = path.join(dir, 'node_modules', 'skills', 'bin', 'cli.mjs')
    if (!node || !existsSync(cli)) return undefined
    const pkg = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'skills', 'package.json'), 'utf8')) as { version: string }
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    return pkg.version === SKILLS_VERSION && version.startsWith(`v${NODE_MAJOR}.`) ? { node, cli } : undefined
  }
  const cached = existsSync(TOOLS) ? find(TOOLS) : undefined
  if (cached) return cached
  mkdirSync(CACHE, { recursive: true })
  const staging = mkdtempSync(path.join(CACHE, 'staging-'))
  // npm's own variables from `npm test` (the package being tested, lifecycle) must not leak in.
  const env = Object.fromEntries(
    Object.entries(cleanEnv()).filter(([k]) => !/^npm_(package|lifecycle)_|^npm_config_(prefix|global|save)/i.test(k))
  )
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      `node@${NODE_MAJOR}`,
      `skills@${SKILLS_VERSION}`
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 280_000
    }
  )
  rmSync(TOOLS, { recursive: true, force: true })
  renameSync(staging, TOOLS)
  const installed = find(TOOLS)
  if (!installed)
    throw new Error(
      `npm installed node@${NODE_MAJOR} and skills@${SKILLS_VERSION} into ${TOOLS}, but their binaries are not where expected`
    )
  return installed
}

// Terminal escapes (colours, cursor moves) in the CLI's output.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g

/** Runs the CLI in `cwd` with HOME and XDG folders under `home`; output without escapes. */
export function runSkills(
  tools: SkillsCli,
  args: string[],
  where: { home: string; cwd: string }
): Promise<{ code: number | null; output: string }> {
  const { home, cwd } = where
  const env = cleanEnv({
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    DISABLE_TELEMETRY: '1',
    DO_NOT_TRACK: '1',
    NO_COLOR: '1',
    PATH: `${path.dirname(tools.node)}${path.delimiter}${process.env.PATH ?? ''}`
  })
  return new Promise((resolve) => {
    execFile(tools.node, [tools.cli, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
      resolve({ code, output: `${stdout}${stderr}`.replace(ANSI, '') })
    })
  })
}
