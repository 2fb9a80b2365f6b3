// Earlier states of one package on a commit's history. The registry forgets a package once it is
// removed, so a package deleted and added again would otherwise be free to reuse a version it
// already published with other files; git still remembers every version its manifest named.
import { runGit } from './git.js'
import { MANIFEST_FILE, type PackageRef } from '../marketplace/paths.js'

/** Most commits looked at per package: a bound on one review's work, far above real histories. */
export const MAX_PAST_STATES = 50

/** Commits reachable from `commit` that changed the package's manifest, newest first. */
export async function manifestCommits(repoDir: string, commit: string, ref: PackageRef): Promise<string[]> {
  const out = await runGit(repoDir, ['log', `--max-count=${MAX_PAST_STATES}`, '--format=%H', commit, '--', `${ref.dir}/${MANIFEST_FILE}`])
  return out
    .toString('utf8')
    .split('\n')
    .filter((l) => /^[0-9a-f]{40,64}$/.test(l))
}
