// An MCP server package's server.json as the `mcpServers` entry a client starts, for
// .claude-plugin/marketplace.json. The mapping, in order of preference:
//   - the first npm package run over stdio:  {command: "npx", args: ["-y", "<identifier>@<version>", ...]}
//   - else the first PyPI package over stdio: {command: "uvx", args: ["<identifier>==<version>", ...]}
//   - else the first remote with a fixed https URL: {type: "http" (streamable-http) | "sse", url}
// Only exact versions from the public registries, and identifiers that are plain package names,
// are used: `npx -y` would otherwise install whatever a publisher's string points at (a git URL,
// a local path). Literal package arguments are kept; runtime arguments are not (they would be
// flags to npx or uvx themselves). A package whose required argument needs the user's input is
// skipped.
// Environment variables never carry a secret: a secret or required one is written as `${NAME}`
// (the client expands it from the user's environment), a non-secret default as
// `${NAME:-default}`, a fixed non-secret value literally; an optional one without a default is
// left out. Remote headers are kept only when they are fixed, non-secret values.
import type { McpArgument, McpKeyValueInput, McpPackage, McpRemoteTransport, McpServerJson } from '../../../generated/schema-types.js'
import { decodeText } from '../../parse/text.js'

export type McpServerConfig =
  | { command: 'npx' | 'uvx'; args: string[]; env?: Record<string, string> }
  | { type: 'http' | 'sse'; url: string; headers?: Record<string, string> }

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/
const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/
/** An exact version: no range operators, spaces, `latest` or tags. */
const EXACT_VERSION = /^\d+(?:\.[0-9A-Za-z-]+)*(?:[-+][0-9A-Za-z.+-]+)?$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const REGISTRIES: Record<string, { base: string; name: RegExp }> = {
  npm: { base: 'https://registry.npmjs.org', name: NPM_NAME },
  pypi: { base: 'https://pypi.org', name: PYPI_NAME }
}

/** The client configuration for a server.json file's bytes, or why there is none. */
export function mcpServerFromFile(bytes: Uint8Array, name: string): { config: McpServerConfig } | { problem: string } {
  const decoded = decodeText(bytes)
  if (!decoded.ok) return { problem: `${name} cannot be read (${decoded.reason})` }
  try {
    return mcpServerConfig(JSON.parse(decoded.text))
  } catch {
    return { problem: `${name} is not valid JSON` }
  }
}

/** The client configuration for a server.json value, or why there is none. */
export function mcpServerConfig(server: unknown): { config: McpServerConfig } | { problem: string } {
  if (!isObject(server)) return { problem: 'server.json is not a JSON object' }
  const json = server as Partial<McpServerJson>
  const packages = Array.isArray(json.packages) ? json.packages : []
  for (const type of ['npm', 'pypi'] as const) {
    for (const p of packages) {
      const config = isObject(p) ? packageConfig(p, type) : undefined
      if (config) return { config }
    }
  }
  for (const r of Array.isArray(json.remotes) ? json.remotes : []) {
    const config = isObject(r) ? remoteConfig(r) : undefined
    if (config) return { config }
  }
  return { problem: 'it has no npm or PyPI package run over stdio with an exact version, and no remote with a fixed https URL' }
}

function packageConfig(p: McpPackage, type: 'npm' | 'pypi'): McpServerConfig | undefined {
  const registry = REGISTRIES[type]
  if (!registry || p.registryType !== type || p.transport?.type !== 'stdio') return undefined
  if (p.registryBaseUrl !== undefined && p.registryBaseUrl.replace(/\/+$/, '') !== registry.base) return undefined
  if (typeof p.identifier !== 'string' || !registry.name.test(p.identifier)) return undefined
  if (typeof p.version !== 'string' || !EXACT_VERSION.test(p.version)) return undefined
  const args = literalArguments(p.packageArguments)
  if (!args) return undefined
  const env = environment(p.environmentVariables)
  const head = type === 'npm' ? ['-y', `${p.identifier}@${p.version}`] : [`${p.identifier}==${p.version}`]
  const config: McpServerConfig = { command: type === 'npm' ? 'npx' : 'uvx', args: [...head, ...args] }
  if (Object.keys(env).length) config.env = env
  return config
}

/** Fixed arguments in order; undefined when a required one needs the user's input. */
function literalArguments(args: McpArgument[] | undefined): string[] | undefined {
  const out: string[] = []
  for (const a of Array.isArray(args) ? args : []) {
    if (!isObject(a)) return undefined
    const value = typeof a.value === 'string' && !a.value.includes('{') && !a.isSecret ? a.value : undefined
    if (value === undefined) {
      if (a.isRequired) return undefined
      continue
    }
    if (a.type === 'named') {
      if (typeof a.name !== 'string' || !a.name.startsWith('-')) return undefined
      out.push(a.name, value)
    } else out.push(value)
  }
  return out
}

function environment(vars: McpKeyValueInput[] | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const v of Array.isArray(vars) ? vars : []) {
    if (!isObject(v) || typeof v.name !== 'string' || !ENV_NAME.test(v.name)) continue
    const literal = typeof v.value === 'string' && !v.value.includes('{') && !v.value.includes('$') ? v.value : undefined
    const fallback = typeof v.default === 'string' && !/[{}$]/.test(v.default) ? v.default : undefined
    if (v.isSecret) env[v.name] = `\${${v.name}}`
    else if (literal !== undefined) env[v.name] = literal
    else if (fallback !== undefined) env[v.name] = `\${${v.name}:-${fallback}}`
    else if (v.isRequired || typeof v.value === 'string') env[v.name] = `\${${v.name}}`
  }
  return env
}

function remoteConfig(r: McpRemoteTransport): McpServerConfig | undefined {
  if (r.type !== 'streamable-http' && r.type !== 'sse') return undefined
  if (typeof r.url !== 'string' || !r.url.startsWith('https://') || /[{}\s]/.test(r.url)) return undefined
  try {
    new URL(r.url)
  } catch {
    return undefined
  }
  const headers: Record<string, string> = {}
  for (const h of Array.isArray(r.headers) ? r.headers : []) {
    if (!isObject(h) || typeof h.name !== 'string' || h.isSecret) continue
    if (typeof h.value === 'string' && !/[{}$]/.test(h.value)) headers[h.name] = h.value
  }
  const config: McpServerConfig = { type: r.type === 'sse' ? 'sse' : 'http', url: r.url }
  if (Object.keys(headers).length) config.headers = headers
  return config
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
