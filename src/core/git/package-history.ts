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

/** Keeps each log command line far below the system's argument limit. */
const PATHSPECS_PER_CALL = 500

/**
 * Which of the packages had a manifest in any commit reachable from `commit`: one walk of the
 * history for all of them, instead of one per package. Full history, merges against every parent
 * and no rename pairing make it a superset of what manifestCommits would find, so a package not
 * in it certainly has no earlier state, and only the others need manifestCommits.
 */
export async function packagesWithManifestHistory(repoDir: string, commit: string, refs: readonly PackageRef[]): Promise<Set<string>> {
  const byPath = new Map(refs.map((ref) => [`${ref.dir}/${MANIFEST_FILE}`, ref.id]))
  const paths = [...byPath.keys()]
  const found = new Set<string>()
  for (let i = 0; i < paths.length; i += PATHSPECS_PER_CALL) {
    const batch = paths.slice(i, i + PATHSPECS_PER_CALL)
    const args = ['--literal-pathspecs', 'log', '--full-history', '-m', '--no-renames', '--format=', '--name-only', '-z', commit, '--']
    const out = await runGit(repoDir, [...args, ...batch])
    for (const field of out.toString('utf8').split('\0')) {
      // git separates commits with a newline before the next name.
      for (const name of [field, field.replace(/^\n+/, '')]) {
        const id = byPath.get(name)
        if (id !== undefined) found.add(id)
      }
    }
  }
  return found
}
