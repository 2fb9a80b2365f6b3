// The marketplace's layout: `publishers/<login>/profile.json` and `publishers/<login>/<package>/`.
import type { Snapshot } from '../snapshot/types.js'
import { PROFILE_FILE, PUBLISHERS_DIR, packageRef, type PackageRef } from './paths.js'
import { finding, type Finding } from '../findings/findings.js'
import { quoteVisible } from '../parse/text.js'

/** GitHub's login rule: 1-39 alphanumerics or single inner hyphens. */
export const LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/
/** The Agent Skills name rule, which package names follow. */
export const PACKAGE_NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/

export interface Layout {
  publishers: string[]
  packages: PackageRef[]
  findings: Finding[]
}

/**
 * Lists publishers and their packages (directory listings only: no package contents are read)
 * and reports entries that do not fit the layout.
 */
export async function readLayout(snapshot: Snapshot): Promise<Layout> {
  const findings: Finding[] = []
  const publishers: string[] = []
  const packages: PackageRef[] = []
  for (const entry of await snapshot.list(PUBLISHERS_DIR)) {
    // Files beside the namespaces (a README) are the maintainers' business.
    if (entry.kind !== 'directory') continue
    const login = baseName(entry.path)
    publishers.push(login)
    findings.push(...publisherNameFindings(login))
    for (const child of await snapshot.list(entry.path)) {
      const name = baseName(child.path)
      if (child.kind === 'directory') {
        const ref = packageRef(login, name)
        packages.push(ref)
        findings.push(...packageNameFindings(ref))
      } else if (name !== PROFILE_FILE) {
        findings.push(strayFileFinding(child.path))
      }
    }
  }
  return { publishers, packages, findings }
}

export function publisherNameFindings(login: string): Finding[] {
  if (LOGIN_PATTERN.test(login)) return []
  return [
    finding(
      'layout/publisher-name',
      { file: `${PUBLISHERS_DIR}/${login}` },
      `publisher directory \`${showName(login)}\` is not a valid GitHub login`,
      'Rename the directory to your GitHub login (letters, digits and single hyphens, at most 39 characters).'
    )
  ]
}

export function packageNameFindings(ref: PackageRef): Finding[] {
  if (PACKAGE_NAME_PATTERN.test(ref.name) && ref.name.length <= 64) return []
  return [
    finding(
      'layout/package-name',
      { package: ref.id, file: ref.dir },
      `package directory \`${showName(ref.name)}\` is not a valid package name`,
      `Rename it to lowercase letters, digits and single hyphens, at most 64 characters${suggestName(ref.name)}.`
    )
  ]
}

export function strayFileFinding(path: string): Finding {
  return finding('layout/stray-file', { file: path }, `\`${showName(path)}\` is not inside a package directory`)
}

function suggestName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
  return s && s !== name ? `, for instance \`${s}\`` : ''
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** Names can hold anything git allows; show them escaped so a message cannot be spoofed. */
export function showName(name: string): string {
  return quoteVisible(name).slice(1, -1)
}
