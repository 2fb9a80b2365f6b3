import { describe, expect, it } from '@jest/globals'
import { checkServerJson, versionRangeProblem, type ServerJsonContext } from '../src/core/checks/validate/server-json.js'
import type { Finding } from '../src/core/findings/findings.js'

const ctx: ServerJsonContext = { package: 'alice/weather', file: 'publishers/alice/weather/server.json', manifestVersion: '1.0.2' }

const MINIMAL = { name: 'io.github.alice/weather', description: 'Weather forecasts', version: '1.0.2' }

const FULL = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  ...MINIMAL,
  title: 'Weather',
  websiteUrl: 'https://example.com/weather',
  repository: { url: 'https://github.com/alice/weather', source: 'github', subfolder: 'servers/weather' },
  icons: [{ src: 'https://example.com/icon.png', mimeType: 'image/png', sizes: ['48x48', 'any'], theme: 'dark' }],
  packages: [
    {
      registryType: 'npm',
      identifier: '@alice/weather-mcp',
      version: '1.0.2',
      runtimeHint: 'npx',
      transport: { type: 'stdio' },
      runtimeArguments: [{ type: 'named', name: '--yes' }],
      packageArguments: [
        { type: 'positional', valueHint: 'city' },
        { type: 'positional', value: 'serve' }
      ],
      environmentVariables: [{ name: 'WEATHER_API_KEY', isRequired: true, isSecret: true, format: 'string' }]
    },
    {
      registryType: 'mcpb',
      identifier: 'https://github.com/alice/weather/releases/download/v1.0.2/weather.mcpb',
      fileSha256: 'fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce',
      transport: { type: 'streamable-http', url: 'http://localhost:{port}/mcp', headers: [{ name: 'X-Key', value: '{key}' }] }
    }
  ],
  remotes: [
    {
      type: 'sse',
      url: 'https://mcp.example.com/{tenant}/sse',
      variables: { tenant: { description: 'Your tenant', isRequired: true } },
      headers: [{ name: 'Authorization', value: 'Bearer {token}', isSecret: true }]
    }
  ],
  _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { tool: 'publisher-cli', anything: [1, 2] }, 'com.example/custom': true }
}

/** Pretty-printed, as publishers write it: each key on its own line. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

function check(value: unknown, over: Partial<ServerJsonContext> = {}): Finding[] {
  return checkServerJson(typeof value === 'string' ? value : json(value), { ...ctx, ...over })
}

function only(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1)
  return findings[0] as Finding
}

describe('checkServerJson: passing files', () => {
  it('accepts the three required fields', () => {
    expect(check(MINIMAL)).toEqual([])
  })

  it('accepts a file that uses every part of the format', () => {
    expect(check(FULL)).toEqual([])
  })

  it('accepts exact versions of every kind the MCP registry takes', () => {
    for (const version of ['1.0.2', '2.1.0-alpha.1', '1.0.0+build.5', 'v1.0.2', '1.0', '20240115', '2024.01.15']) {
      expect(check({ ...MINIMAL, version }, { manifestVersion: version })).toEqual([])
    }
  })
})

describe('json/* parse problems', () => {
  it('reports a trailing comma with its position', () => {
    const f = only(check('{\n  "name": "io.github.alice/weather",\n}\n'))
    expect(f).toMatchObject({ rule: 'json/syntax', severity: 'error', line: 3, column: 1, file: ctx.file, package: ctx.package })
    expect(f.message).toContain('no trailing commas')
  })

  it('reports a duplicate key at its second occurrence', () => {
    const f = only(check('{\n  "name": "a/b",\n  "description": "x",\n  "version": "1.0.2",\n  "name": "c/d"\n}\n'))
    expect(f).toMatchObject({ rule: 'json/duplicate-key', severity: 'error', line: 5, column: 3 })
    expect(f.message).toContain('"name"')
  })

  it('reports comments, which strict JSON parsers reject', () => {
    expect(only(check('// server\n{}\n')).rule).toBe('json/syntax')
  })
})

describe('server-json/schema', () => {
  it('reports every missing required field at once, with what to write', () => {
    const findings = check({})
    expect(findings.map((f) => [f.rule, f.severity, f.line, f.column, f.message])).toEqual([
      ['server-json/schema', 'error', 1, 1, 'the server.json is missing the required field `name`'],
      ['server-json/schema', 'error', 1, 1, 'the server.json is missing the required field `description`'],
      ['server-json/schema', 'error', 1, 1, 'the server.json is missing the required field `version`']
    ])
    expect(findings[0]?.hint).toContain('io.github.example/weather')
  })

  it('rejects a name without a namespace, at the value', () => {
    const f = only(check({ ...MINIMAL, name: 'weather' }))
    expect(f).toMatchObject({ rule: 'server-json/schema', severity: 'error', line: 2, column: 11 })
    expect(f.message).toBe('server.json field `name` has an invalid value "weather"')
    expect(f.hint).toContain('exactly one `/`')
  })

  it('rejects a name with two slashes and one over 200 characters', () => {
    expect(only(check({ ...MINIMAL, name: 'io.github.alice/weather/extra' })).message).toContain('`name` has an invalid value')
    expect(only(check({ ...MINIMAL, name: `io.github.alice/${'w'.repeat(190)}` })).message).toContain(
      '`name` is too long (206 characters, at most 200)'
    )
  })

  it('rejects a description over 100 characters', () => {
    const f = only(check({ ...MINIMAL, description: 'd'.repeat(101) }))
    expect(f).toMatchObject({ line: 3, column: 18 })
    expect(f.message).toBe('server.json field `description` is too long (101 characters, at most 100)')
    expect(f.hint).toContain('1-100 characters')
  })

  it('rejects an http websiteUrl and an http icon', () => {
    const findings = check({ ...MINIMAL, websiteUrl: 'http://example.com', icons: [{ src: 'http://example.com/i.png' }] })
    expect(findings.map((f) => f.message)).toEqual([
      'server.json field `websiteUrl` has an invalid value "http://example.com"',
      'server.json field `icons[0].src` has an invalid value "http://example.com/i.png"'
    ])
    expect(findings[0]?.hint).toContain('https://')
    expect(findings[1]?.hint).toContain('https://')
  })

  it('rejects a websiteUrl that is not a URL', () => {
    expect(only(check({ ...MINIMAL, websiteUrl: 'https://exa mple.com' })).message).toContain('`websiteUrl` has an invalid value')
  })

  it('rejects an http transport without url, pointing at the transport', () => {
    const doc = { ...MINIMAL, packages: [{ registryType: 'npm', identifier: '@alice/weather', transport: { type: 'streamable-http' } }] }
    const f = only(check(doc))
    expect(f).toMatchObject({ rule: 'server-json/schema', severity: 'error', line: 9, column: 20 })
    expect(f.message).toBe('server.json field `packages[0].transport` is missing the required field `url`')
    expect(f.hint).toContain('needs the URL the server listens on')
  })

  it('rejects a transport url without a scheme, and an unknown transport type', () => {
    const bad = (transport: unknown) => check({ ...MINIMAL, packages: [{ registryType: 'npm', identifier: 'x', transport }] })
    expect(only(bad({ type: 'sse', url: 'localhost:8080/sse' })).message).toBe(
      'server.json field `packages[0].transport.url` has an invalid value "localhost:8080/sse"'
    )
    const f = only(bad({ type: 'http' }))
    expect(f.message).toBe(
      'server.json field `packages[0].transport.type` is "http", which is not one of "stdio", "streamable-http", "sse"'
    )
  })

  it('rejects a stdio remote and says where it belongs', () => {
    const f = only(check({ ...MINIMAL, remotes: [{ type: 'stdio', url: 'https://x.example.com' }] }))
    expect(f).toMatchObject({ rule: 'server-json/schema', line: 7, column: 15 })
    expect(f.message).toBe('server.json field `remotes[0].type` is "stdio", which is not one of "streamable-http", "sse"')
    expect(f.hint).toContain('belongs in `packages`')
  })

  it('rejects a remote without url', () => {
    expect(only(check({ ...MINIMAL, remotes: [{ type: 'streamable-http' }] })).message).toBe(
      'server.json field `remotes[0]` is missing the required field `url`'
    )
  })

  it('rejects a bad fileSha256 and tells how to compute it', () => {
    const f = only(
      check({
        ...MINIMAL,
        packages: [{ registryType: 'mcpb', identifier: 'https://x.example.com/a.mcpb', fileSha256: 'ABC123', transport: { type: 'stdio' } }]
      })
    )
    expect(f.message).toBe('server.json field `packages[0].fileSha256` has an invalid value "ABC123"')
    expect(f.hint).toContain('sha256sum')
  })

  it('rejects arguments without the field their type needs', () => {
    const findings = check({
      ...MINIMAL,
      packages: [
        {
          registryType: 'npm',
          identifier: 'x',
          transport: { type: 'stdio' },
          packageArguments: [{ type: 'named' }, { type: 'positional' }]
        }
      ]
    })
    expect(findings.map((f) => f.message)).toEqual([
      'server.json field `packages[0].packageArguments[0]` is missing the required field `name`',
      'server.json field `packages[0].packageArguments[1]` is missing the required field `valueHint`'
    ])
    expect(findings[1]?.hint).toContain('fixed `value` or a `valueHint`')
  })

  it('rejects an environment variable without name and a wrongly typed flag', () => {
    const findings = check({
      ...MINIMAL,
      packages: [{ registryType: 'npm', identifier: 'x', transport: { type: 'stdio' }, environmentVariables: [{ isSecret: 'yes' }] }]
    })
    expect(findings.map((f) => f.message)).toEqual([
      'server.json field `packages[0].environmentVariables[0]` is missing the required field `name`',
      'server.json field `packages[0].environmentVariables[0].isSecret` must be a boolean, not a string'
    ])
  })

  it('rejects a repository without source and a package without transport', () => {
    const findings = check({
      ...MINIMAL,
      repository: { url: 'https://github.com/alice/weather' },
      packages: [{ registryType: 'npm', identifier: 'x' }]
    })
    expect(findings.map((f) => f.message)).toEqual([
      'server.json field `repository` is missing the required field `source`',
      'server.json field `packages[0]` is missing the required field `transport`'
    ])
    expect(findings[1]?.hint).toContain('stdio')
  })

  it('rejects a version over 255 characters', () => {
    expect(only(check({ ...MINIMAL, version: `1.0.0-${'a'.repeat(250)}` }, { manifestVersion: undefined })).message).toContain(
      'at most 255'
    )
  })

  it('rejects a file that is not an object', () => {
    expect(only(check([MINIMAL])).message).toBe('the server.json must be a mapping, not a list')
  })
})

describe('server-json/version-range', () => {
  it.each([
    ['^1.2.3', 'version range'],
    ['~1.2', 'version range'],
    ['>=1.0.0', 'version range'],
    ['1.x', 'version range'],
    ['1.2.*', 'version range'],
    ['1.2.3 - 2.0.0', 'version range'],
    ['1.2 || 1.3', 'version range'],
    ['=1.0.2', 'version range'],
    ['latest', '`latest` names no version'],
    ['*', 'wildcard'],
    ['x', 'wildcard']
  ])('rejects %j at the value', (version, why) => {
    const f = only(check({ ...MINIMAL, version }))
    expect(f).toMatchObject({ rule: 'server-json/version-range', severity: 'error', line: 4, column: 14 })
    expect(f.message).toContain(why)
    expect(f.message).toContain('must be one exact version')
    // With a manifest version known, that is the version to write.
    expect(f.hint).toContain('"version": "1.0.2" (the manifest\'s version)')
  })

  it('suggests the lowest version of the range when no manifest version is known', () => {
    expect(only(check({ ...MINIMAL, version: '^2.3.4' }, { manifestVersion: undefined })).hint).toContain('"version": "2.3.4"')
  })

  it('checks package versions too', () => {
    const doc = { ...MINIMAL, packages: [{ registryType: 'npm', identifier: 'x', version: '^1.0.0', transport: { type: 'stdio' } }] }
    const f = only(check(doc))
    expect(f).toMatchObject({ rule: 'server-json/version-range', line: 9, column: 18 })
    expect(f.message).toBe(
      'server.json `packages[0].version` is "^1.0.0"; that is a version range, not a version, and it must be one exact version'
    )
    expect(f.hint).toContain('"version": "1.0.0"')
  })

  it('knows versions from ranges', () => {
    expect(versionRangeProblem('1.0.2')).toBeUndefined()
    expect(versionRangeProblem('1.0')).toBeUndefined()
    expect(versionRangeProblem('')).toBeUndefined()
    expect(versionRangeProblem('2024.01.15')).toBeUndefined()
    expect(versionRangeProblem('LATEST')).toBe('`latest` names no version')
    expect(versionRangeProblem('1.2.x-beta')).toContain('range')
  })
})

describe('server-json/version-mismatch', () => {
  it('warns when server.json and the manifest disagree, at the version', () => {
    const f = only(check({ ...MINIMAL, version: '1.0.1' }))
    expect(f).toMatchObject({ rule: 'server-json/version-mismatch', severity: 'warning', line: 4, column: 14 })
    expect(f.message).toBe('server.json `version` is "1.0.1", but manifest.yaml says version "1.0.2"')
    expect(f.hint).toContain('"version": "1.0.2"')
  })

  it('is quiet when the versions agree or the manifest version is unknown', () => {
    expect(check(MINIMAL)).toEqual([])
    expect(check({ ...MINIMAL, version: '9.9.9' }, { manifestVersion: undefined })).toEqual([])
  })
})

describe('server-json/unknown-field', () => {
  it('warns about a misspelt field and names the right one', () => {
    const f = only(check({ ...MINIMAL, websiteURL: 'https://example.com' }))
    expect(f).toMatchObject({ rule: 'server-json/unknown-field', severity: 'warning', line: 5, column: 3 })
    expect(f.message).toBe('server.json has a field `websiteURL` that the MCP server.json format does not define; clients ignore it')
    expect(f.hint).toBe('Did you mean `websiteUrl`? Field names are case-sensitive.')
  })

  it('warns inside packages and lists the known fields when nothing is close', () => {
    const findings = check({
      ...MINIMAL,
      packages: [{ registryType: 'npm', identifier: 'x', transport: { type: 'stdio' }, enviromentVariables: [], sandbox: 'strict' }]
    })
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      [
        'server-json/unknown-field',
        '`packages[0]` has a field `enviromentVariables` that the MCP server.json format does not define; clients ignore it'
      ],
      [
        'server-json/unknown-field',
        '`packages[0]` has a field `sandbox` that the MCP server.json format does not define; clients ignore it'
      ]
    ])
    expect(findings[0]?.hint).toContain('`environmentVariables`')
    expect(findings[1]?.hint).toContain('`_meta`')
  })

  it('leaves `_meta` and `$schema` alone', () => {
    expect(
      check({
        ...MINIMAL,
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        _meta: { 'com.example/x': { any: 'thing' } }
      })
    ).toEqual([])
  })
})
