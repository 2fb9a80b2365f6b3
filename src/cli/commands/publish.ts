// marketplace-actions publish [DIR] [--base REF] [--remote NAME] [--author LOGIN] [--no-pr]
//
// Runs the pull-request review locally on exactly what would be proposed, then prepares the
// branch and opens the pull request with `gh`, or prints the commands when `gh` is missing. The
// change is committed from a temporary index (GIT_INDEX_FILE) on top of HEAD, so the user's
// index, working tree and current branch are never touched; the branch is created only when the
// review passes.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runOnSource } from '../../core/review/source.js'
import { REVIEW_CHECKS } from '../../core/review/checks.js'
import { formatText } from '../../report/text.js'
import { TOOL_VERSION } from '../../version.js'
import { EXIT, UsageError, parse, useColor, type Io } from '../shared.js'

export const PUBLISH_HELP = `Usage: marketplace-actions publish [DIR] [--base REF] [--remote NAME] [--no-pr]

Publishes the package in DIR (default: the current directory), a folder
publishers/<login>/<package>/ in a clone of your fork of the marketplace:

  1. commits the folder as it is on disk on top of HEAD (your index, working tree and branch
     are left alone) and runs the checks a pull request gets against --base: manifest,
     profile and entrypoint; the safety scan; the version bump against the marketplace's
     registry.json; the namespace rules;
  2. when they pass, creates the branch publish/<login>-<package>-<version> at that commit;
  3. pushes it to --remote and runs \`gh pr create\`, or, without \`gh\` (or with --no-pr),
     prints the exact commands to do so.

  --base REF       the marketplace's branch the pull request is for (default: origin/HEAD, else main)
  --remote NAME    your fork's remote (default: origin)
  --author LOGIN   your GitHub login (default: the <login> folder the package is in)
  --no-pr          stop after creating the branch and print the commands
  --color / --no-color   force colour on or off

Exit codes: 0 branch created (and the pull request opened, with gh); 1 the review found errors
(nothing created); 2 usage or git error.
`

const OPTIONS = {
  base: { type: 'string' },
  remote: { type: 'string' },
  author: { type: 'string' },
  'no-pr': { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

const PACKAGE_DIR = /^publishers\/([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\/([a-z0-9]+(?:-[a-z0-9]+)*)$/

export async function publish(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(PUBLISH_HELP)
    return EXIT.ok
  }
  if (positionals.length > 1) throw new UsageError('publish takes one package folder')
  const dir = path.resolve(io.cwd, positionals[0] ?? '.')
  const git = (gitArgs: string[], env: Record<string, string> = {}) => run('git', ['-C', dir, ...gitArgs], { ...io.env, ...env })
  const root = (
    await git(['rev-parse', '--show-toplevel']).catch(() => {
      throw new UsageError(`${dir} is not inside a git clone of a marketplace`)
    })
  ).trim()
  const rel = path.relative(root, dir).split(path.sep).join('/')
  const m = PACKAGE_DIR.exec(rel)
  if (!m) throw new UsageError(`${rel || '.'} is not a package folder; publish the folder publishers/<login>/<package>/`)
  const [, login, name] = m as unknown as [string, string, string]
  const version = /^version:\s*["']?([^"'\s#]+)/m.exec(readText(path.join(dir, 'manifest.yaml')))?.[1] ?? 'unversioned'
  const base = values.base ?? ((await git(['rev-parse', '--verify', '--quiet', 'origin/HEAD']).catch(() => '')) ? 'origin/HEAD' : 'main')
  const remote = values.remote ?? 'origin'
  const author = values.author ?? login

  // The proposed commit, built in a temporary index.
  const tmp = mkdtempSync(path.join(tmpdir(), 'mpa-publish-'))
  let commit: string
  const title = `Publish @${login}/${name}@${version}`
  try {
    const index = { GIT_INDEX_FILE: path.join(tmp, 'index') }
    await git(['read-tree', 'HEAD'], index)
    await git(['add', '-A', '--', `:(top,literal)${rel}`], index)
    const tree = (await git(['write-tree'], index)).trim()
    commit = (await git(['commit-tree', tree, '-p', 'HEAD', '-m', title])).trim()
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  const review = await runOnSource({ kind: 'git', repo: root, base, head: commit, author }, REVIEW_CHECKS, { toolVersion: TOOL_VERSION })
  io.stdout.write(formatText(review, { color: useColor(values, io) }))
  if (review.verdict !== 'pass') {
    io.stderr.write(`error: the review found errors; fix them and run publish again (nothing was created)\n`)
    return EXIT.findings
  }
  const branch = `publish/${login.toLowerCase()}-${name}-${version}`
  await git(['branch', '--force', branch, commit])
  const baseBranch = base.replace(/^origin\//, '') === 'HEAD' ? 'main' : base.replace(/^origin\//, '')
  const commands = [
    ['git', '-C', root, 'push', '--set-upstream', remote, branch],
    [
      'gh',
      'pr',
      'create',
      '--head',
      branch,
      '--base',
      baseBranch,
      '--title',
      title,
      '--body',
      `${title}\n\nChecked locally with marketplace-actions publish ${TOOL_VERSION}.`
    ]
  ]
  io.stdout.write(`Created branch ${branch} at ${commit.slice(0, 12)}.\n`)
  const hasGh =
    !values['no-pr'] &&
    (await run('gh', ['--version'], io.env).then(
      () => true,
      () => false
    ))
  if (!hasGh) {
    io.stdout.write(
      `${values['no-pr'] ? '' : '`gh` is not installed. '}Open the pull request with:\n${commands.map((c) => `  ${c.map(shellQuote).join(' ')}`).join('\n')}\n`
    )
    return EXIT.ok
  }
  for (const [cmd, ...rest] of commands) io.stdout.write(await run(cmd as string, rest, io.env, root))
  return EXIT.ok
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`${file} cannot be read; a package folder has a manifest.yaml`)
  }
}

function run(cmd: string, args: string[], env: Record<string, string | undefined>, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed: ${stderr.trim() || error.message}`))
      else resolve(stdout)
    })
  })
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9@%_+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}
