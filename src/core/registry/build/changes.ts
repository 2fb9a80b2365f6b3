// What a build changes in registry.json, package by package, and the removal guard: a build that
// would remove more than registry.max_removed_share of the published packages (and more than
// registry.always_allow_removed) writes nothing unless forced: a mass removal is far more often a
// broken merge than an intent.
import type { RegistrySettings } from '../../config/config.js'
import type { BuildResult, ChangeLine } from './types.js'
import { finding, type Finding } from '../../findings/findings.js'
import { REGISTRY_FILE } from '../../marketplace/paths.js'
import { comparePaths } from '../../snapshot/types.js'
import type { RegistryPackage } from './registry-json.js'

export type Changes = Pick<BuildResult, 'added' | 'updated' | 'removed'>
export type Refusal = NonNullable<BuildResult['refused']>

export function changeLines(previous: ReadonlyMap<string, RegistryPackage>, next: ReadonlyMap<string, RegistryPackage>): Changes {
  const added: ChangeLine[] = []
  const updated: ChangeLine[] = []
  const removed: ChangeLine[] = []
  for (const [id, p] of next) {
    const prev = previous.get(id)
    if (!prev) added.push({ id, version: p.version })
    else if (prev.version !== p.version || prev.digest !== p.digest) updated.push({ id, version: p.version, previousVersion: prev.version })
  }
  for (const [id, prev] of previous) if (!next.has(id)) removed.push({ id, previousVersion: prev.version })
  const byId = (a: ChangeLine, b: ChangeLine) => comparePaths(a.id, b.id)
  return { added: added.sort(byId), updated: updated.sort(byId), removed: removed.sort(byId) }
}

/** The refusal when too many of the `previous` published packages would go; undefined when the build may write. */
export function removalGuard(
  settings: RegistrySettings,
  removed: number,
  previous: number,
  force: boolean | undefined
): Refusal | undefined {
  if (force || previous === 0 || removed <= settings.always_allow_removed) return undefined
  const share = removed / previous
  return share > settings.max_removed_share ? { removed, previous, share } : undefined
}

export function tooManyRemoved(refused: Refusal, removed: readonly ChangeLine[], settings: RegistrySettings): Finding {
  return finding(
    'registry/too-many-removed',
    { file: REGISTRY_FILE },
    `this build would remove ${refused.removed} of the ${refused.previous} published packages (${Math.round(refused.share * 100)}%), more than registry.max_removed_share (${Math.round(settings.max_removed_share * 100)}%) allows; nothing was written. Removed: ${listed(removed.map((r) => r.id))}`
  )
}

/** Up to ten ids, then how many more: a message stays readable when thousands are involved. */
function listed(ids: readonly string[]): string {
  return ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ')
}
