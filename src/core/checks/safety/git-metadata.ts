// Git metadata inside a package. An agent that runs git in an installed package (to commit,
// diff, or just `git status`) lets git read the nearest repository: a `.git` folder (in any
// spelling a client's file system folds to `.git`) or a folder laid out as a bare repository,
// whose config can run commands (core.fsmonitor, core.hooksPath, aliases, filters).
import type { PackageRef } from '../../marketplace/paths.js'
import type { TreeEntry } from '../../snapshot/types.js'
import { finding, type Finding } from '../../findings/findings.js'

// Code points HFS+ ignores in names, and the invisible ones other systems drop when copying.
// Combining and joining characters on purpose: these are the characters being removed.
/* eslint-disable no-misleading-character-class */
const IGNORABLE =
  /[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]/gu
/* eslint-enable no-misleading-character-class */

const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/

/** The name a case-insensitive, trailing-dot-dropping, stream-splitting file system sees. */
export function foldedName(component: string): string {
  return component
    .normalize('NFC')
    .replace(IGNORABLE, '')
    .replace(/::?\$[A-Za-z_]+$/, '') // NTFS stream names: `.git::$INDEX_ALLOCATION`
    .replace(/[. ]+$/, '') // Windows drops trailing dots and spaces
    .toLowerCase()
}

/** Whether a path component is `.git` on some client. */
export function isGitDirName(component: string): boolean {
  // Asked for every component of every file. Printable ASCII folds to a lower-cased prefix of itself
  // (NFC leaves it alone, no ignorable character is ASCII, only suffixes are dropped), and both
  // answers (`.git`, `git~N`) hold "git": a name without it needs no folding.
  if (!NOT_PRINTABLE_ASCII.test(component) && !/git/i.test(component)) return false
  const name = foldedName(component)
  return name === '.git' || /^git~\d+$/.test(name)
}

export function gitMetadataFindings(pkg: PackageRef, entries: readonly TreeEntry[]): Finding[] {
  const out: Finding[] = []
  const reported = new Set<string>()
  const filesByDir = new Map<string, Set<string>>()
  for (const e of entries) {
    const rel = e.path.slice(pkg.dir.length + 1)
    const parts = rel.split('/')
    const at = parts.findIndex(isGitDirName)
    if (at >= 0) {
      const dir = parts.slice(0, at + 1).join('/')
      if (!reported.has(dir)) {
        reported.add(dir)
        const shown = JSON.stringify(parts[at])
        out.push(
          finding(
            'escape/git-metadata',
            { package: pkg.id, file: e.path },
            `${shown} in \`${dir}\` is a git directory${parts[at] === '.git' ? '' : ` on ${/~/.test(parts[at] as string) ? 'Windows (8.3 short name)' : 'Windows and macOS (case, trailing dots and invisible characters are ignored there)'}`}: git reads it when anyone runs git inside the installed package, and its config and hooks can run commands`,
            'Remove the folder. Ship the files themselves; a package is never a git repository.'
          )
        )
      }
      continue
    }
    const dir = parts.slice(0, -1).join('/')
    const set = filesByDir.get(dir) ?? new Set<string>()
    set.add(parts.slice(-1)[0] as string)
    filesByDir.set(dir, set)
  }
  // A bare repository: HEAD and config files beside objects/ or refs/.
  const dirs = new Set<string>()
  for (const e of entries) {
    const parts = e.path.slice(pkg.dir.length + 1).split('/')
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  for (const [dir, files] of filesByDir) {
    if (!files.has('HEAD') || !files.has('config')) continue
    const sub = (name: string) => dirs.has(dir ? `${dir}/${name}` : name)
    if (!sub('objects') && !sub('refs')) continue
    out.push(
      finding(
        'escape/git-metadata',
        { package: pkg.id, file: `${pkg.dir}/${dir ? `${dir}/` : ''}config` },
        `\`${dir || '.'}\` is laid out as a bare git repository (HEAD, config, ${sub('objects') ? 'objects/' : 'refs/'}): git uses it as the repository when anyone runs git in that folder, and its config can run commands`,
        'Remove the repository files. To ship example history, ship a script that builds it with `git init`, or a patch file.'
      )
    )
  }
  return out
}
