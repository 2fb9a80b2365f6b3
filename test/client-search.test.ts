// Search ranking on a catalog of its own: single words find what a person means (a prefix, one
// part of a hyphenated name, a tag), the name outranks a description mention, the quality score
// breaks ties, a failed review ranks lower, every word of a query must match, and only the best
// `limit` results come back.
import { describe, it, expect } from '@jest/globals'
import type { CatalogEntry } from '../src/core/client/catalog.js'
import { SearchIndex, tokenize } from '../src/core/client/search.js'

function entry(id: string, fields: Partial<CatalogEntry> = {}): CatalogEntry {
  const [publisher, name] = id.split('/') as [string, string]
  return {
    marketplace: 'm',
    id,
    installName: name,
    name,
    publisher,
    type: 'skill',
    description: '',
    tags: [],
    score: null,
    downloads: 0,
    ...fields
  }
}

const index = new SearchIndex([
  entry('alice/web-deploy', { description: 'Deploy static sites to a CDN', tags: ['deploy', 'cdn'], score: 0.5 }),
  entry('bob/deploy', { description: 'Deploy anything', score: 0.1 }),
  entry('carol/release-notes', { description: 'Write release notes; can deploy docs too', tags: ['writing'] }),
  entry('dave/deploy-helper', { description: 'Helps with deploys', verdict: 'fail', score: 0.9 }),
  entry('erin/postgres', { type: 'mcp-server', description: 'Query a Postgres database', tags: ['sql', 'database'] }),
  entry('frank/café-menu', { installName: 'cafe-menu', name: 'cafe-menu', description: 'Menus for a café' })
])

const ids = (q: string, o = {}) => index.search(q, o).map((r) => r.entry.id)

describe('search', () => {
  it('ranks an exact name first, then name parts, then tags and descriptions', () => {
    expect(ids('deploy')).toEqual(['bob/deploy', 'alice/web-deploy', 'dave/deploy-helper', 'carol/release-notes'])
  })

  it('finds prefixes and tags, and filters by type', () => {
    expect(ids('postg')).toEqual(['erin/postgres'])
    expect(ids('sql')).toEqual(['erin/postgres'])
    expect(ids('database', { type: 'skill' })).toEqual([])
    expect(ids('database', { type: 'mcp-server' })).toEqual(['erin/postgres'])
  })

  it('needs every word, and puts the hyphenated whole query first', () => {
    expect(ids('web deploy')).toEqual(['alice/web-deploy'])
    expect(ids('release notes')[0]).toBe('carol/release-notes')
    expect(ids('deploy postgres')).toEqual([])
  })

  it('uses the score as a signal and ranks a failed review lower', () => {
    const r = index.search('deploy')
    const helper = r.find((x) => x.entry.id === 'dave/deploy-helper')
    const web = r.find((x) => x.entry.id === 'alice/web-deploy')
    expect(helper && web && helper.relevance < web.relevance).toBe(true)
  })

  it('normalizes Unicode and case, lists everything for an empty query, honours the limit', () => {
    expect(tokenize('Café-MENU')).toEqual(['café', 'menu'])
    expect(ids('CAFÉ')).toEqual(['frank/café-menu'])
    expect(ids('')).toHaveLength(6)
    expect(ids('', { limit: 2 })).toEqual(['alice/web-deploy', 'bob/deploy'])
    expect(ids('d', { limit: 1 })).toEqual(['bob/deploy'])
  })
})
