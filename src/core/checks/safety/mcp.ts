// MCP server configurations a package ships: server.json (the MCP registry format: remotes and
// packages with their arguments and environment variables) and client configs (`mcpServers` /
// `servers` maps of command, args, env, url). A client starts these commands or connects to these
// URLs on the user's machine, so each is held to what a reviewer can vouch for.
import type { Finding, Location } from '../../findings/findings.js'
import { finding } from '../../findings/findings.js'
import type { JsonPath } from '../../parse/located.js'
import { parseJson } from '../../parse/located.js'
import { snippet, type TextFile } from './file.js'
import { isPlaceholder } from './secrets.js'
import { MAX_JSON_DEPTH, jsonDepth } from './json.js'
import { imagePinned, isInlineCodeOption, isLocalHost, launchProblems, registryBaseUrlProblem } from './mcp-launch.js'
import { SERVER_FILE } from '../../marketplace/paths.js'

type Locator = (path: JsonPath) => Location

const TUNNEL_HOSTS =
  /(?:^|\.)(?:ngrok(?:-free)?\.(?:io|app|dev)|ngrok\.io|trycloudflare\.com|loca\.lt|localtunnel\.me|serveo\.net|localhost\.run|lhr\.life|pinggy\.(?:io|link|online)|bore\.pub|tunnelmole\.net|telebit\.(?:io|cloud)|devtunnels\.ms|exp\.direct|playit\.gg|localxpose\.io|loclx\.io|zrok\.io|tunnel\.pyjam\.as)$/i
const SECRET_NAME = /(?:token|secret|password|passwd|passphrase|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth)/i
// `;`, `&&`, `||`, `|`, backticks, `$(`, redirections and newlines: a shell would act on them.
const SHELL_META = /[;`\n\r]|&&|\|\||\||\$\(|(?:^|\s)[<>]|[<>](?:\s|$)|>>/
const PRIVILEGED =
  /^(?:--privileged(?:=true)?|--cap-add(?:=(?:all|sys_admin|net_admin|sys_ptrace|sys_module|dac_read_search))?|--(?:pid|net|network|ipc|uts|userns|cgroupns)(?:=host)?|--security-opt(?:=(?:seccomp|apparmor)[=:]unconfined)?|--device(?:=.*)?)$/i
const HOST_MOUNT =
  /^(?:-v|--volume|--mount)?=?(?:type=bind,\s*)?(?:source=|src=)?(?:\/|\/var\/run\/docker\.sock|\/run\/docker\.sock|\/etc|\/root|\/home|\/Users|~|\$HOME|\$\{HOME\}|%USERPROFILE%)(?::|,|$)/i

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

export function mcpFindings(file: TextFile): Finding[] {
  const name = file.rel.slice(file.rel.lastIndexOf('/') + 1)
  if (file.language !== 'json') return []
  if (jsonDepth(file.text) > MAX_JSON_DEPTH) return []
  const parsed = parseJson(file.text)
  if (!parsed.doc) return [] // syntax is the validate check's business
  const value = parsed.doc.value
  const doc = parsed.doc
  const at: Locator = (path) => ({ package: file.pkg.id, file: file.path, ...doc.locate(path) })
  const out: Finding[] = []
  if (name === SERVER_FILE && isRecord(value)) serverJson(value, at, out)
  if (isRecord(value)) {
    for (const key of ['mcpServers', 'servers'] as const) {
      const servers = value[key]
      if (isRecord(servers))
        for (const [id, server] of Object.entries(servers)) if (isRecord(server)) clientServer(server, [key, id], at, out)
    }
    const mcp = value.mcp
    if (isRecord(mcp) && isRecord(mcp.servers))
      for (const [id, server] of Object.entries(mcp.servers)) if (isRecord(server)) clientServer(server, ['mcp', 'servers', id], at, out)
  }
  return out
}

function serverJson(value: Record<string, unknown>, at: Locator, out: Finding[]): void {
  const remotes = Array.isArray(value.remotes) ? value.remotes : []
  remotes.forEach((remote, i) => {
    if (!isRecord(remote)) return
    if (typeof remote.url === 'string') remoteUrl(remote.url, at(['remotes', i, 'url']), out)
    variables(remote.headers, ['remotes', i, 'headers'], at, out)
  })
  const packages = Array.isArray(value.packages) ? value.packages : []
  packages.forEach((pkg, i) => {
    if (!isRecord(pkg)) return
    const base: JsonPath = ['packages', i]
    const version = pkg.version
    const identifier = typeof pkg.identifier === 'string' ? pkg.identifier : ''
    // An OCI image is pinned by the tag in its identifier, the form the MCP registry requires.
    const ociTagged = pkg.registryType === 'oci' && imagePinned(identifier) && (typeof version !== 'string' || version === '')
    let versionReported = false
    if (!ociTagged && (typeof version !== 'string' || version === '' || /^(?:latest|\*|x)$|[\^~<>=*|]|\bx\b/i.test(version))) {
      versionReported = true
      if (pkg.registryType !== 'mcpb') {
        out.push(
          finding(
            'mcp/unpinned',
            at(typeof version === 'string' ? [...base, 'version'] : base),
            `package ${snippet(identifier)} ${typeof version === 'string' ? `has version ${snippet(version)}, which is not one exact version` : 'has no version'}: clients would install whatever is newest, not what was reviewed`,
            'Set `version` to the exact version you published, such as "1.4.2".'
          )
        )
      }
    }
    // `image:latest` with no version is one problem: report it once.
    if (!versionReported) unpinnedSpec(identifier, at([...base, 'identifier']), out)
    if (pkg.registryType === 'mcpb' && typeof pkg.fileSha256 !== 'string') {
      out.push(
        finding(
          'mcp/unpinned',
          at(base),
          `the mcpb package ${snippet(identifier)} has no \`fileSha256\`: clients cannot check that the file they download is the one that was reviewed`,
          'Add `"fileSha256"` with the SHA-256 of the .mcpb file (`sha256sum server.mcpb`), as the MCP registry requires for mcpb packages.'
        )
      )
    }
    if (typeof pkg.registryBaseUrl === 'string') {
      const problem = registryBaseUrlProblem(String(pkg.registryType ?? ''), pkg.registryBaseUrl)
      if (problem) {
        out.push(
          finding(
            'mcp/registry-url',
            at([...base, 'registryBaseUrl']),
            `\`registryBaseUrl\` ${snippet(pkg.registryBaseUrl)} ${problem}`,
            'Remove `registryBaseUrl` (clients then use the official registry of the package type) or set the official https URL.'
          )
        )
      }
    }
    const args: { text: string; path: JsonPath }[] = []
    for (const list of ['runtimeArguments', 'packageArguments'] as const) {
      const items = Array.isArray(pkg[list]) ? pkg[list] : []
      items.forEach((arg, j) => {
        if (!isRecord(arg)) return
        for (const field of ['name', 'value', 'default'] as const) {
          const v = arg[field]
          if (typeof v === 'string') args.push({ text: v, path: [...base, list, j, field] })
        }
        const runtime = typeof pkg.runtimeHint === 'string' ? pkg.runtimeHint : undefined
        if (
          typeof arg.name === 'string' &&
          isInlineCodeOption(arg.name, list === 'runtimeArguments' ? (runtime ?? 'node') : runtime) &&
          (typeof arg.value === 'string' || typeof arg.default === 'string')
        ) {
          const code = String(arg.value ?? arg.default)
          out.push(
            finding(
              'mcp/inline-code',
              at([...base, list, j, typeof arg.value === 'string' ? 'value' : 'default']),
              `the argument ${snippet(arg.name)} makes the runtime run its value as code when a client starts the server: ${snippet(code, 60)}`,
              'Put the code in the published package and start it by its entry point; arguments carry settings, not code.'
            )
          )
        }
        variables(arg.variables, [...base, list, j, 'variables'], at, out)
      })
    }
    if (typeof pkg.runtimeHint === 'string') commandLine([{ text: pkg.runtimeHint, path: [...base, 'runtimeHint'] }, ...args], at, out)
    else commandLine(args, at, out)
    variables(pkg.environmentVariables, [...base, 'environmentVariables'], at, out)
    const transport = pkg.transport
    if (isRecord(transport)) variables(transport.headers, [...base, 'transport', 'headers'], at, out)
  })
}

/** A client config's server entry: `{command, args, env}` or `{url, headers}`. */
function clientServer(server: Record<string, unknown>, base: JsonPath, at: Locator, out: Finding[]): void {
  const url = typeof server.url === 'string' ? server.url : typeof server.serverUrl === 'string' ? server.serverUrl : undefined
  if (url !== undefined) remoteUrl(url, at([...base, typeof server.url === 'string' ? 'url' : 'serverUrl']), out)
  const parts: { text: string; path: JsonPath }[] = []
  if (typeof server.command === 'string') parts.push({ text: server.command, path: [...base, 'command'] })
  strings(server.args).forEach((text, i) => parts.push({ text, path: [...base, 'args', i] }))
  commandLine(parts, at, out)
  const launch = launchProblems(parts.map((p) => p.text))
  for (const problem of launch) {
    const part = parts[problem.index] ?? parts[0]
    if (!part) continue
    out.push(
      finding(
        problem.kind === 'unpinned' ? 'mcp/unpinned' : 'mcp/inline-code',
        at(part.path),
        problem.message,
        problem.kind === 'unpinned'
          ? 'Pin the exact version the server was reviewed at (`pkg@1.4.2`, `pkg==1.4.2`, `image:1.4.2`).'
          : 'Start a script or package entry point instead of passing code on the command line.'
      )
    )
  }
  const reported = new Set(launch.filter((p) => p.kind === 'unpinned').map((p) => p.index))
  parts.forEach((part, i) => {
    if (!reported.has(i)) unpinnedSpec(part.text, at(part.path), out)
  })
  for (const field of ['env', 'headers'] as const) {
    const env = server[field]
    if (!isRecord(env)) continue
    for (const [name, v] of Object.entries(env)) {
      if (typeof v !== 'string' || v.trim() === '' || !SECRET_NAME.test(name) || isReference(v)) continue
      out.push(secretDefault(name, at([...base, field, name]), `is set to a literal value in the config (${v.length} chars)`))
    }
  }
}

/** server.json `environmentVariables`, `headers` and argument `variables`: secrets must not have a value. */
function variables(list: unknown, base: JsonPath, at: Locator, out: Finding[]): void {
  const entries: [string | number, unknown][] = Array.isArray(list)
    ? list.map((v, i) => [i, v])
    : isRecord(list)
      ? Object.entries(list)
      : []
  for (const [key, v] of entries) {
    if (!isRecord(v)) continue
    const name = typeof v.name === 'string' ? v.name : String(key)
    const secret = v.isSecret === true || SECRET_NAME.test(name)
    if (!secret) continue
    for (const field of ['default', 'value'] as const) {
      const given = v[field]
      if (typeof given !== 'string' || given.trim() === '' || isReference(given)) continue
      out.push(secretDefault(name, at([...base, key, field]), `has a \`${field}\` (${given.length} chars)`))
    }
  }
}

function secretDefault(name: string, loc: Location, what: string): Finding {
  return finding(
    'mcp/secret-default',
    loc,
    `the secret variable ${snippet(name)} ${what}: every user would share it, and it is public in the repository`,
    'Remove the value and mark the variable `"isSecret": true` with no default, so each user supplies their own (or reference it as `${VAR}` / `{VAR}`).'
  )
}

/** `${VAR}`, `{VAR}`, `${input:x}` and placeholders are references, not values. */
function isReference(v: string): boolean {
  // `Bearer {api_key}`: the secret part is a variable the user fills in.
  return (
    /^\$\{[^}]+\}$|^\{[A-Za-z_][\w.-]*\}$|^\$[A-Z_][A-Z0-9_]*$|^<[^>]+>$/.test(v.trim()) ||
    /^(?:Bearer|Basic|Token|Bot)\s+(?:\$\{[^}]+\}|\{[A-Za-z_][\w.-]*\}|\$[A-Z_][A-Z0-9_]*|<[^>]+>)$/i.test(v.trim()) ||
    isPlaceholder(v)
  )
}

function remoteUrl(raw: string, loc: Location, out: Finding[]): void {
  // Templates such as {region} are filled in by the client; they are not the host's problem.
  let url: URL
  try {
    url = new URL(raw.replace(/\{[^}]*\}/g, 'x'))
  } catch {
    return
  }
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') {
    out.push(
      finding(
        'mcp/remote-not-https',
        loc,
        `the remote server URL ${snippet(raw)} uses ${url.protocol.replace(':', '')}, not https: anyone on the network path can read and change the traffic, tool calls and tokens included`,
        'Serve the remote over https and use its https:// URL.'
      )
    )
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const why = isLocalHost(host)
    ? "points at the user's own machine (however the name is spelled)"
    : /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':')
      ? 'is an IP address, which no certificate or domain owner vouches for'
      : TUNNEL_HOSTS.test(host)
        ? "is a tunnel host (a temporary address that forwards to someone's own machine)"
        : undefined
  if (why) {
    out.push(
      finding(
        'mcp/remote-host',
        loc,
        `the remote server URL ${snippet(raw)} ${why}`,
        'Publish the server on a stable https domain you control; a server for local use belongs in `packages` with a stdio transport.'
      )
    )
  }
}

function commandLine(parts: readonly { text: string; path: JsonPath }[], at: Locator, out: Finding[]): void {
  parts.forEach((part, i) => {
    const meta = SHELL_META.exec(part.text)
    if (meta) {
      out.push(
        finding(
          'mcp/shell-metacharacters',
          at(part.path),
          `${snippet(part.text)} contains the shell operator ${snippet(meta[0])}: if a client passes the command line through a shell, it runs more than one program`,
          'Give the program and each argument separately, with no `;`, `&&`, `|`, backticks, `$(...)` or redirections; put complex logic in a script inside the package.'
        )
      )
    }
    const next = parts[i + 1]?.text ?? ''
    const flag = part.text.trim()
    const privileged =
      PRIVILEGED.test(flag) &&
      (!/^--(?:pid|net|network|ipc|uts|userns|cgroupns)$/i.test(flag) || next === 'host') &&
      (!/^--security-opt$/i.test(flag) || /unconfined/i.test(next)) &&
      (!/^--cap-add$/i.test(flag) || /^(?:all|sys_admin|net_admin|sys_ptrace|sys_module|dac_read_search)$/i.test(next))
    const mount =
      (/^(?:-v|--volume|--mount)$/i.test(flag) && HOST_MOUNT.test(next)) ||
      (/^(?:-v|--volume|--mount)=/i.test(flag) && HOST_MOUNT.test(flag.replace(/^[^=]*=/, '')))
    if (privileged || mount) {
      out.push(
        finding(
          'mcp/privileged-container',
          at(part.path),
          `the container option ${snippet(mount ? `${flag} ${next.startsWith('-') ? '' : next}`.trim() : flag)} gives the server ${mount ? "the host's files or Docker socket" : 'control over the host (privileges, host namespaces or devices)'}: it is no longer contained`,
          'Drop the option; mount only a directory the server needs, read-only (`-v "$PWD/data:/data:ro"`), and run without extra privileges.'
        )
      )
    }
  })
}

/** `pkg@latest`, git and GitHub installs, and `:latest` images install whatever is newest. */
function unpinnedSpec(text: string, loc: Location, out: Finding[]): void {
  const m =
    /(?:^|\s|=)((?:@[\w.-]+\/)?[\w.-]+@latest|git\+(?:https?|ssh|git):\/\/\S+|github:[\w.-]+\/[\w.-]+\S*|https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git\S*|[\w./-]+:latest)(?=\s|$)/.exec(
      text
    )
  if (!m?.[1]) return
  // A git URL pinned to a full commit is reproducible.
  if (/#[0-9a-f]{40}$|@[0-9a-f]{40}$/.test(m[1])) return
  out.push(
    finding(
      'mcp/unpinned',
      loc,
      `${snippet(m[1])} installs whatever is newest at the time, not the version that was reviewed`,
      'Pin an exact version (`pkg@1.4.2`, `image:1.4.2` or `image@sha256:…`, a git URL with a full commit id).'
    )
  )
}
