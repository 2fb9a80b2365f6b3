/**
 * Fixtures for the scores job: a registry.json built by the real registry build from a temp git
 * repository (three packages, reviews patched in as the review record would set them), and stats
 * documents.
 *
 *   const registry = await builtRegistry()         // built once per test file
 *   const root = marketplaceRoot(registry)         // a fresh folder holding that registry.json
 *   writeStats(root, stats({ 'alice/demo': { ratings: { '5': 3 } } }))
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { PackageStats, Registry, Stats } from '../../src/generated/schema-types.js'
import { canonicalJson } from '../../src/core/registry/json.js'
import { makeRepo } from './git-repo.js'
import { validServer, validSkill } from './marketplace.js'
import { build, commitAt, outputDirs, readRegistry, registrySchemaErrors, removeOutputDirs, writeAll } from './registry.js'

export const STATS_AT = '2026-03-01T00:00:00Z'
export const IDS = ['alice/demo', 'alice/tool', 'bob/web'] as const

const roots: string[] = []

/** The registry of alice/demo (review passed), alice/tool (review failed) and bob/web (no review). */
export async function builtRegistry(): Promise<Registry> {
  const repo = await makeRepo()
  try {
    writeAll(repo, { ...validSkill('alice', 'demo'), ...validServer('alice', 'tool') })
    commitAt(repo, 'alice', '2026-01-01T10:00:00Z')
    writeAll(repo, validSkill('bob', 'web'))
    commitAt(repo, 'bob', '2026-02-15T10:00:00Z')
    const out = outputDirs()
    await build(repo, out)
    const registry = readRegistry(out)
    for (const p of registry.packages) {
      if (p.name === 'demo') p.review = { verdict: 'pass', commit: p.commit as string, errors: 0, warnings: 0 }
      if (p.name === 'tool') p.review = { verdict: 'fail', commit: p.commit as string, errors: 2, warnings: 0 }
    }
    const problems = registrySchemaErrors(registry)
    if (problems.length) throw new Error(`fixture registry is invalid: ${problems.join('; ')}`)
    return registry
  } finally {
    removeOutputDirs()
    await repo.cleanup()
  }
}

/** A fresh marketplace root holding `registry` as registry.json (canonical bytes, as the build writes). */
export function marketplaceRoot(registry: Registry): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-scores-'))
  roots.push(dir)
  writeFileSync(path.join(dir, 'registry.json'), canonicalJson(registry))
  return dir
}

export function removeRoots(): void {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export function stats(packages: Record<string, PackageStats>, generatedAt = STATS_AT): Stats {
  return { version: 1, generated_at: generatedAt, packages }
}

/** Stats for all three packages. */
export function fullStats(): Stats {
  return stats({
    'alice/demo': {
      downloads: {
        total: 1200,
        daily: [
          { date: '2026-02-27', count: 40 },
          { date: '2026-02-28', count: 60 }
        ]
      },
      ratings: { '4': 6, '5': 4 }
    },
    'alice/tool': { downloads: { total: 9000 }, ratings: { '5': 50 } },
    'bob/web': { downloads: { daily: [{ date: '2026-02-20', count: 5 }] }, ratings: { '3': 1 } }
  })
}

export function writeStats(dir: string, doc: unknown, name = 'stats.json'): string {
  const file = path.join(dir, name)
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc))
  return file
}
