// The home page a one-package rebuild renders from the ledger's kept figures (delta.ts,
// updatedHome) must be the page a full build renders from every package: random catalogs, random
// changes one or a few packages at a time, the kept figures carried from change to change as the
// ledger carries them, and each page compared with homePageHtml over all packages.
import { describe, it, expect } from '@jest/globals'
import { rng } from './helpers/random.js'
import { updatedHome } from '../src/core/registry/build/delta.js'
import { HOME_KEEP } from '../src/core/registry/build/ledger.js'
import { HOME_COUNT, homeData, homePageFrom, homePageHtml } from '../src/core/registry/build/catalog/pages.js'
import { compareRank, type SearchPackage } from '../src/core/registry/build/catalog/search-index.js'

const TAGS = ['deploy', 'test', 'lint', 'docs', 'db', 'ci', 'k8s', 'auth', 'search', 'pdf']

function randomPackage(random: () => number, publisher: number, name: number): SearchPackage {
  const tags = TAGS.filter(() => random() < 0.2)
  // Few distinct scores, so ties are broken by id as often as by score; some not scored yet.
  const score = random() < 0.1 ? null : Math.round(random() * 20) / 20
  return {
    id: `pub-${publisher}/pkg-${name}`,
    publisher: `pub-${publisher}`,
    name: `pkg-${name}`,
    type: random() < 0.8 ? 'skill' : 'mcp-server',
    version: `1.${Math.floor(random() * 10)}.0`,
    description: `Package ${publisher}/${name}`,
    tags,
    score
  }
}

describe('the home page from the ledger’s kept figures', () => {
  for (const size of [1, 7, HOME_COUNT + 3, 400]) {
    it(`equals the page made from every package, over 300 random changes (${size} packages)`, () => {
      const random = rng(size)
      const all = Array.from({ length: size }, (_, i) => randomPackage(random, i % 13, i))
      let home = homeData(all, HOME_KEEP)
      let recomputed = 0
      for (let step = 0; step < 300; step++) {
        const count = 1 + Math.floor(random() * 3)
        const picked = [...new Set(Array.from({ length: count }, () => Math.floor(random() * size)))]
        const before = picked.map((i) => all[i] as SearchPackage)
        // Mostly small moves; sometimes a package jumps to the top or falls to the bottom.
        const after = before.map((p) => {
          const next = randomPackage(random, 0, 0)
          const jump = random()
          return { ...next, id: p.id, publisher: p.publisher, name: p.name, score: jump < 0.1 ? 1 : jump < 0.3 ? 0 : next.score }
        })
        for (const [k, i] of picked.entries()) all[i] = after[k] as SearchPackage
        const next = updatedHome(home, before, after)
        if (!next) recomputed++
        home = next ?? homeData(all, HOME_KEEP)
        expect(homePageFrom(home, 'Demo')).toBe(homePageHtml(all, 'Demo'))
        // The kept list is always the true head of the ranking, long enough for the page.
        expect(home.top.length).toBeGreaterThanOrEqual(Math.min(HOME_COUNT, size))
        expect(home.top.map((p) => p.id)).toEqual(
          [...all]
            .sort(compareRank)
            .slice(0, home.top.length)
            .map((p) => p.id)
        )
      }
      // A small catalog is kept whole and never recomputed; a large one only now and then.
      if (size <= HOME_KEEP) expect(recomputed).toBe(0)
      else expect(recomputed).toBeLessThan(150)
    })
  }
})
