// What a package's tree says before any file is read: links, submodules and special files that
// would reach outside what was reviewed, and file names that break or spoof on some system.
import type { TreeEntry } from '../../snapshot/types.js'
import { finding, type Finding } from '../../findings/findings.js'
import { showName } from '../../marketplace/layout.js'
import type { PackageRef } from '../../marketplace/paths.js'

/** Symlinks, submodules, hard links and special files: none may be in a package. */
export function entryKindFindings(pkg: PackageRef, entries: readonly TreeEntry[]): Finding[] {
  const findings: Finding[] = []
  for (const e of entries) {
    // Nearly every entry is a regular file with one link: the name is shown only for a finding.
    if (e.kind === 'file' && (e.links ?? 1) <= 1) continue
    const at = { package: pkg.id, file: e.path }
    const rel = showName(e.path.slice(pkg.dir.length + 1))
    if (e.kind === 'symlink') {
      findings.push(
        finding(
          'escape/symlink',
          at,
          `\`${rel}\` is a symbolic link (git mode 120000); links are never followed, and what they point at was not reviewed`,
          'Replace the link with a copy of the file it points to (`cp --remove-destination "$(readlink f)" f`), or remove it.'
        )
      )
    } else if (e.kind === 'submodule') {
      findings.push(
        finding(
          'escape/submodule',
          at,
          `\`${rel}\` is a git submodule (mode 160000): its content lives in another repository and was not reviewed`,
          'Remove the submodule (`git rm` it) and commit the files the package needs directly.'
        )
      )
    } else if (e.kind === 'other') {
      findings.push(
        finding(
          'escape/special-file',
          at,
          `\`${rel}\` is not a regular file (mode ${e.mode}: a FIFO, socket or device)`,
          'Remove it; a package holds only regular files and directories.'
        )
      )
    } else if (e.kind === 'file' && (e.links ?? 1) > 1) {
      findings.push(
        finding(
          'escape/hard-link',
          at,
          `\`${rel}\` is a hard link (${e.links} names for one file): the same bytes are reachable from outside the package`,
          'Replace it with a real copy (`cp f f.tmp && mv f.tmp f`).'
        )
      )
    }
  }
  return findings
}

// C0 and C1 controls, DEL, and the invisible and bidi characters that make a name look like another.
// eslint-disable-next-line no-control-regex
const HIDDEN_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]|[\u{e0000}-\u{e007f}]/u
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/

/** Per path component inside the package: control characters, names Windows cannot hold, and case collisions. */
export function nameFindings(pkg: PackageRef, entries: readonly TreeEntry[]): Finding[] {
  const findings: Finding[] = []
  const seen = new Set<string>()
  const folded = new Map<string, string>()
  for (const e of entries) {
    const parts = e.path.slice(pkg.dir.length + 1).split('/')
    for (let i = 0; i < parts.length; i++) {
      const rel = parts.slice(0, i + 1).join('/')
      if (seen.has(rel)) continue
      seen.add(rel)
      const name = parts[i] as string
      const at = { package: pkg.id, file: `${pkg.dir}/${rel}` }
      if (HIDDEN_IN_NAME.test(name)) {
        findings.push(
          finding(
            'name/control-character',
            at,
            `the name \`${showName(rel)}\` holds a control, invisible or bidi character, so it displays differently from what it is`,
            'Rename it using visible characters only (letters, digits, `-`, `_`, `.`).'
          )
        )
      }
      const problem = portabilityProblem(name)
      if (problem)
        findings.push(
          finding(
            'name/not-portable',
            at,
            `the name \`${showName(rel)}\` ${problem}`,
            'Rename it: the package must check out the same on Windows, macOS and Linux.'
          )
        )
      // Case-insensitive and normalization-insensitive file systems (Windows, macOS) see one name.
      const key = rel.normalize('NFC').toLowerCase()
      const other = folded.get(key)
      if (other === undefined) folded.set(key, rel)
      else if (other !== rel) {
        findings.push(
          finding(
            'name/case-collision',
            at,
            `\`${showName(rel)}\` and \`${showName(other)}\` are the same name on case-insensitive file systems (Windows, macOS); one silently replaces the other on checkout`,
            'Rename or remove one of them.'
          )
        )
      }
    }
  }
  return findings
}

function portabilityProblem(name: string): string | undefined {
  if (name.includes('\uFFFD')) return 'is not valid UTF-8'
  if (/[. ]$/.test(name)) return 'ends with a dot or a space, which Windows strips, so it names another file there'
  const stem = name.split('.')[0] ?? name
  if (WINDOWS_DEVICE.test(stem.trimEnd()))
    return `is a reserved device name on Windows (\`${stem}\`), which cannot be created or read there`
  const bad = WINDOWS_FORBIDDEN.exec(name)
  if (bad) return `contains \`${bad[0]}\`, which Windows does not allow in file names`
  return undefined
}
