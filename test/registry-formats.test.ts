// The pure parts of the registry build: install names for same-named packages, the server.json to
// `mcpServers` mapping, the marketplace name, and canonical JSON.
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { assignInstallNames } from '../src/core/registry/build/names.js'
import { mcpServerConfig } from '../src/core/registry/build/mcp-servers.js'
import { marketplaceName } from '../src/core/registry/build/claude-marketplace.js'
import { canonicalJson } from '../src/core/registry/json.js'
import { isManagedSitePath } from '../src/core/registry/build/site-layout.js'
import { defaultConfig } from '../src/core/config/config.js'

const AGENT_SKILLS_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/
const hash8 = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 8)

describe('assignInstallNames', () => {
  it('gives the plain name to the first published, <login>-<name> to later ones, whatever the input order', () => {
    const packages = [
      { publisher: 'zed', name: 'lint', published_at: '2026-01-03T00:00:00Z' },
      { publisher: 'Ann-B', name: 'lint', published_at: '2026-01-02T00:00:00Z' },
      { publisher: 'carl', name: 'lint', published_at: '2026-01-01T00:00:00Z' },
      { publisher: 'dora', name: 'solo', published_at: '2026-01-05T00:00:00Z' }
    ]
    const names = assignInstallNames(packages)
    // Only the packages that do not get their plain name are listed.
    expect(Object.fromEntries(names)).toEqual({
      'Ann-B/lint': 'ann-b-lint',
      'zed/lint': 'zed-lint'
    })
    expect(names.has('carl/lint')).toBe(false)
    expect(names.has('dora/solo')).toBe(false)
    expect(Object.fromEntries(assignInstallNames([...packages].reverse()))).toEqual(Object.fromEntries(names))
  })

  it('breaks a tie on the publish date by id', () => {
    const names = assignInstallNames([
      { publisher: 'bob', name: 'x', published_at: '2026-01-01T00:00:00Z' },
      { publisher: 'alice', name: 'x', published_at: '2026-01-01T00:00:00Z' }
    ])
    expect(names.has('alice/x')).toBe(false)
    expect(names.get('bob/x')).toBe('bob-x')
  })

  it("never takes another package's plain name, and stays valid and unique when too long", () => {
    const login = 'a'.repeat(39)
    const name = 'b'.repeat(40)
    const names = assignInstallNames([
      { publisher: 'first', name: 'tool', published_at: '2026-01-01T00:00:00Z' },
      { publisher: 'bob', name: 'tool', published_at: '2026-01-02T00:00:00Z' },
      // Published later, yet a plain name: it keeps `bob-tool`, so bob/tool gets a hashed name.
      { publisher: 'carol', name: 'bob-tool', published_at: '2026-01-03T00:00:00Z' },
      { publisher: 'first', name, published_at: '2026-01-01T00:00:00Z' },
      { publisher: login, name, published_at: '2026-01-02T00:00:00Z' }
    ])
    expect(names.has('carol/bob-tool')).toBe(false)
    expect(names.get('bob/tool')).toBe(`bob-tool-${hash8('bob/tool')}`)
    const long = names.get(`${login}/${name}`) ?? ''
    expect(long).toBe(`${`${login}-${name}`.slice(0, 55)}-${hash8(`${login}/${name}`)}`)
    expect(long.length).toBeLessThanOrEqual(64)
    const all = [...names.values()]
    expect(new Set(all).size).toBe(all.length)
    for (const n of all) expect(n).toMatch(AGENT_SKILLS_NAME)
  })
})

describe('mcpServerConfig (server.json -> the mcpServers entry a client starts)', () => {
  const base = { name: 'io.github.bob/srv', description: 'A server.', version: '1.0.0' }

  it('runs an npm package over stdio with npx at its exact version; secrets are references, never values', () => {
    const result = mcpServerConfig({
      ...base,
      packages: [
        { registryType: 'oci', identifier: 'ghcr.io/bob/srv', version: '1.0.0', transport: { type: 'stdio' } },
        {
          registryType: 'npm',
          identifier: '@bob/srv',
          version: '1.2.3',
          transport: { type: 'stdio' },
          runtimeArguments: [{ type: 'named', name: '--registry', value: 'https://evil.example' }],
          packageArguments: [
            { type: 'positional', value: 'serve' },
            { type: 'named', name: '--port', value: '8080' },
            { type: 'named', name: '--token', isSecret: true, value: 'hunter2' }
          ],
          environmentVariables: [
            { name: 'API_TOKEN', isSecret: true, isRequired: true, value: 'sk-live-123' },
            { name: 'REGION', default: 'eu' },
            { name: 'MODE', value: 'fast' },
            { name: 'OPTIONAL' },
            { name: 'NEEDED', isRequired: true },
            { name: 'bad name', value: 'x' }
          ]
        }
      ]
    })
    expect(result).toEqual({
      config: {
        command: 'npx',
        args: ['-y', '@bob/srv@1.2.3', 'serve', '--port', '8080'],
        env: { API_TOKEN: '${API_TOKEN}', REGION: '${REGION:-eu}', MODE: 'fast', NEEDED: '${NEEDED}' }
      }
    })
    expect(JSON.stringify(result)).not.toMatch(/sk-live|hunter2|evil/)
  })

  it('runs a PyPI package with uvx when there is no npm package', () => {
    expect(
      mcpServerConfig({
        ...base,
        packages: [{ registryType: 'pypi', identifier: 'bob-srv', version: '0.4.0', transport: { type: 'stdio' } }]
      })
    ).toEqual({
      config: { command: 'uvx', args: ['bob-srv==0.4.0'] }
    })
  })

  it('uses a remote with a fixed https URL: streamable-http as type http, sse as sse', () => {
    expect(
      mcpServerConfig({
        ...base,
        remotes: [
          { type: 'streamable-http', url: 'https://{tenant}.example.com/mcp' },
          {
            type: 'streamable-http',
            url: 'https://mcp.example.com/mcp',
            headers: [
              { name: 'X-Client', value: 'marketplace' },
              { name: 'Authorization', value: 'Bearer abc', isSecret: true }
            ]
          }
        ]
      })
    ).toEqual({ config: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { 'X-Client': 'marketplace' } } })
    expect(mcpServerConfig({ ...base, remotes: [{ type: 'sse', url: 'https://mcp.example.com/sse' }] })).toEqual({
      config: { type: 'sse', url: 'https://mcp.example.com/sse' }
    })
  })

  it('refuses what npx or uvx would resolve to something other than a registry package', () => {
    const npm = (identifier: string, version: string, extra: object = {}) =>
      mcpServerConfig({ ...base, packages: [{ registryType: 'npm', identifier, version, transport: { type: 'stdio' }, ...extra }] })
    for (const [identifier, version] of [
      ['github:bob/srv', '1.0.0'],
      ['../../srv', '1.0.0'],
      ['@bob/srv', '^1.0.0'],
      ['@bob/srv', 'latest'],
      ['@bob/srv', '1.0.0 || 2.0.0']
    ]) {
      expect([identifier, version, 'problem' in npm(identifier as string, version as string)]).toEqual([identifier, version, true])
    }
    expect('problem' in npm('@bob/srv', '1.0.0', { registryBaseUrl: 'https://npm.evil.example' })).toBe(true)
    expect('problem' in npm('@bob/srv', '1.0.0', { packageArguments: [{ type: 'positional', isRequired: true, valueHint: 'path' }] })).toBe(
      true
    )
    expect(mcpServerConfig({ ...base, remotes: [{ type: 'streamable-http', url: 'http://insecure.example/mcp' }] })).toEqual({
      problem: expect.stringMatching(/no npm or PyPI package/)
    })
    expect(mcpServerConfig([])).toEqual({ problem: 'server.json is not a JSON object' })
  })
})

describe('marketplaceName', () => {
  it("is the config's name, else the repository folder's name made valid", () => {
    const config = defaultConfig()
    expect(marketplaceName(config, 'signet-marketplace')).toBe('signet-marketplace')
    expect(marketplaceName(config, '.hidden repo (copy)')).toBe('hidden-repo-copy')
    expect(marketplaceName(config, '...')).toBe('marketplace')
    expect(marketplaceName({ ...config, marketplace: { name: 'Named' } }, 'folder')).toBe('Named')
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, and ends with a newline', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{\n  "a": {\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n'
    )
    expect(canonicalJson(JSON.parse('{"__proto__": {"x": 1}, "a": 0}'))).toBe('{\n  "__proto__": {\n    "x": 1\n  },\n  "a": 0\n}\n')
  })
})

describe('isManagedSitePath', () => {
  it('owns the indexes and artifacts only', () => {
    expect(isManagedSitePath('.well-known/agent-skills/index.json')).toBe(true)
    expect(isManagedSitePath('publishers/alice/.well-known/agent-skills/x/1.0.0/SKILL.md')).toBe(true)
    expect(isManagedSitePath('.nojekyll')).toBe(true)
    expect(isManagedSitePath('index.html')).toBe(false)
    expect(isManagedSitePath('publishers/alice/about.html')).toBe(false)
    expect(isManagedSitePath('.well-known/security.txt')).toBe(false)
  })
})

describe('canonicalJson: the JSON.stringify path for values mostly in key order', () => {
  // The definition: keys sorted at every level, as a sorted copy handed to JSON.stringify.
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys)
    if (v === null || typeof v !== 'object') return v
    const out = Object.create(null) as Record<string, unknown>
    for (const k of Object.keys(v).sort())
      if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sortKeys((v as Record<string, unknown>)[k])
    return out
  }
  const reference = (v: unknown) => `${JSON.stringify(sortKeys(v), null, 2)}\n`

  it.each([
    ['already sorted', { a: 1, b: { c: [1, { d: null, e: 'x' }], f: true } }],
    ['unsorted deep inside a sorted one', { a: 1, b: { z: [1, { y: 2, x: 3 }], c: -0 } }],
    ['unsorted at the top', { version: 1, formula: 'q/1', packages: [{ score: 0.5, id: 'a/b', components: {} }] }],
    ['arrays with undefined, holes and empty containers', { b: [undefined, 1, , 3], a: [], c: {} }], // eslint-disable-line no-sparse-arrays
    ['undefined values and a key named toJSON holding data', { b: undefined, toJSON: 'text', a: 'é\u2028"\\' }],
    ['integer-like keys (JavaScript lists them first)', { b: 1, '10': 2, '2': 3, a: { '0': 'x', z: 1 } }],
    ['a parsed __proto__ key among unsorted ones', JSON.parse('{"z": 1, "__proto__": {"b": 1, "a": 2}}') as unknown],
    ['a Date (toJSON) and a Map', { b: new Date(0), a: new Map([['k', 1]]) }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { b: 1, a: 2 })],
    ['primitives', 'text'],
    ['null', null]
  ])('writes the same bytes as sorting every object: %s', (_, value) => {
    expect(canonicalJson(value)).toBe(reference(value))
  })

  it('leaves the input unchanged', () => {
    const value = { b: { d: 1, c: 2 }, a: [{ y: 1, x: 2 }] }
    const copy = structuredClone(value)
    canonicalJson(value)
    expect(value).toEqual(copy)
    expect(Object.keys(value)).toEqual(['b', 'a'])
  })
})
