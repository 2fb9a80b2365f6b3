/**
 * Git repositories holding a copy of the bundled example marketplace, for end-to-end tests of the
 * CLI and the action in git mode.
 *
 *   const repo = await exampleMarketplaceRepo()      // one commit: examples/marketplace
 *   repo.write('publishers/bob/new/manifest.yaml', manifestYaml('new'))
 *   const head = repo.commit('add new')
 */
import { cpSync, rmSync } from 'node:fs'
import path from 'node:path'
import { makeRepo, type TestRepo } from './git-repo.js'
import { REPO_ROOT } from './run-node.js'

export const EXAMPLE_MARKETPLACE = path.join(REPO_ROOT, 'examples', 'marketplace')

export interface MarketplaceRepo extends TestRepo {
  /** The first commit: the example marketplace. */
  base: string
}

export async function exampleMarketplaceRepo(options: { withConfig?: boolean } = {}): Promise<MarketplaceRepo> {
  const repo = await makeRepo()
  cpSync(EXAMPLE_MARKETPLACE, repo.dir, { recursive: true })
  if (options.withConfig === false) rmSync(path.join(repo.dir, 'marketplace.config.yaml'))
  repo.git(['add', '-A'])
  const base = repo.commit('the example marketplace')
  return { ...repo, base }
}
