// Install names: the one name a package has in the marketplace-wide indexes (the root Agent Skills
// index and .claude-plugin/marketplace.json), where names of different publishers meet. A name
// must be unique there and valid for both formats: the Agent Skills rule (1-64 characters of
// lowercase letters, digits and single hyphens) is the stricter one, so it is the rule.
//
//   1. The package published first under a name (earliest `published_at`, then `<publisher>/<name>`)
//      keeps the plain name: a name never moves away from the package its users installed.
//   2. Every later package of that name is `<login>-<name>` (login lowercased), if that is at
//      most 64 characters and not already some package's name.
//   3. Otherwise `<first 55 characters of login-name, no trailing hyphen>-<8 hex digits of
//      sha256("<publisher>/<name>")>`: unique, stable, and valid.
// Per-publisher indexes always use the plain names. The assignment depends only on the registry's
// packages, so a full and an incremental build give the same names.
import { createHash } from 'node:crypto'
import { finding, type Finding } from '../../findings/findings.js'
import { MANIFEST_FILE, packageRef } from '../../marketplace/paths.js'
import { comparePaths } from '../../snapshot/types.js'

export interface NamedPackage {
  publisher: string
  name: string
  published_at?: string
}

const MAX = 64

/** The install names of the packages that do not get their plain name, by id. */
export type QualifiedNames = ReadonlyMap<string, string>

/**
 * The packages that do not get their plain name, by id, with the name they get; every other package
 * is listed under its plain name (`names.get(id) ?? p.name`). Only these are kept: a Map entry
 * for every package was ~16 MB at 100,000 packages, held from the site stage to the end of the build.
 */
export function assignInstallNames(packages: readonly NamedPackage[]): Map<string, string> {
  const byAge = [...packages].sort((a, b) => comparePaths(a.published_at ?? '', b.published_at ?? '') || comparePaths(idOf(a), idOf(b)))
  const out = new Map<string, string>()
  const taken = new Set<string>()
  const later: NamedPackage[] = []
  for (const p of byAge) {
    if (taken.has(p.name)) later.push(p)
    else taken.add(p.name)
  }
  // Plain names are all taken first, so a qualified name can never take one from its owner.
  for (const p of later) {
    let name = `${p.publisher.toLowerCase()}-${p.name}`
    if (name.length > MAX || taken.has(name)) {
      const hash = createHash('sha256').update(idOf(p), 'utf8').digest('hex').slice(0, 8)
      name = `${name.slice(0, MAX - 9).replace(/-+$/, '')}-${hash}`
    }
    taken.add(name)
    out.set(idOf(p), name)
  }
  return out
}

/** A notice for each package read in this build that did not get its plain name (`read`: their ids). */
export function qualifiedNameFindings(
  packages: readonly (NamedPackage & { path?: string })[],
  names: QualifiedNames,
  read: ReadonlySet<string>
): Finding[] {
  const findings: Finding[] = []
  for (const p of packages) {
    const name = names.get(idOf(p))
    if (name !== undefined && read.has(idOf(p))) {
      findings.push(
        finding(
          'registry/install-name-qualified',
          { package: idOf(p), file: `${p.path ?? packageRef(p.publisher, p.name).dir}/${MANIFEST_FILE}` },
          `another publisher published \`${p.name}\` first, so ${idOf(p)} is listed as \`${name}\` in the marketplace-wide indexes (its publisher's own index keeps \`${p.name}\`)`
        )
      )
    }
  }
  return findings
}

function idOf(p: NamedPackage): string {
  return `${p.publisher}/${p.name}`
}
