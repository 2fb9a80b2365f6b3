/**
 * Real git repositories for tests, built with the git CLI in a temporary directory.
 *
 *   const repo = await makeRepo()
 *   repo.write('publishers/alice/pkg/manifest.yaml', 'name: pkg\n')
 *   repo.write('publishers/alice/pkg/run.sh', '#!/bin/sh\n', 0o755)
 *   repo.symlink('publishers/alice/pkg/link', '../../../etc/passwd')
 *   const sha = repo.commit('add pkg')          // stages only what write/symlink/remove touched
 *   repo.git(['mv', 'publishers/alice/pkg', 'publishers/alice/renamed'])   // any git command
 *   await repo.cleanup()
 *
 * Git runs with fixed author, committer and dates and without the user's or system's config, so
 * commit ids are reproducible. `commit` stages only the paths this helper touched (anything staged
 * directly with `git` is kept), so index-only entries such as gitlinks survive.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface TestRepo {
  dir: string
  /** Runs git in the repository and returns its stdout. */
  git(args: string[], input?: string | Buffer): string
  /** Writes a file in the work tree (parents created); `mode` e.g. 0o755. */
  write(path: string, content: string | Buffer, mode?: number): void
  symlink(path: string, target: string): void
  remove(path: string): void
  /** Stages what write/symlink/remove touched, commits (empty commits allowed) and returns the sha. */
  commit(message: string, options?: { author?: string }): string
  cleanup(): Promise<void>
}

export const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
}

export async function makeRepo(): Promise<TestRepo> {
  const dir = mkdtempSync(join(tmpdir(), 'marketplace-repo-'))
  const env = { ...process.env, ...GIT_ENV }
  const git = (args: string[], input?: string | Buffer): string =>
    execFileSync('git', args, { cwd: dir, env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] })
  git(['init', '-q', '-b', 'main'])
  const touched = new Set<string>()

  return {
    dir,
    git,
    write(path, content, mode) {
      const file = join(dir, path)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, content)
      if (mode !== undefined) chmodSync(file, mode)
      touched.add(path)
    },
    symlink(path, target) {
      const file = join(dir, path)
      mkdirSync(dirname(file), { recursive: true })
      symlinkSync(target, file)
      touched.add(path)
    },
    remove(path) {
      rmSync(join(dir, path), { recursive: true, force: true })
      touched.add(path)
    },
    commit(message, options = {}) {
      if (touched.size > 0) git(['--literal-pathspecs', 'add', '-A', '--', ...touched])
      touched.clear()
      git(['commit', '-q', '--allow-empty', '--no-verify', '-m', message, ...(options.author ? ['--author', options.author] : [])])
      return git(['rev-parse', 'HEAD']).trim()
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true })
    }
  }
}
