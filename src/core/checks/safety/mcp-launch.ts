// How an MCP client config or a server.json package launches a server, read as a command line:
// the package a launcher (npx, uvx, pipx, bunx, pnpm dlx, docker/podman run) installs and whether
// it is pinned to one version; arguments that make the runtime run inline code; package registries
// other than the official ones; hosts that are the user's own machine however they are spelled.

export interface LaunchProblem {
  kind: 'unpinned' | 'inline-code'
  /** Index of the argument the problem is about (0 = the command). */
  index: number
  message: string
}

const EXACT_NPM = /^\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?$/
const EXACT_PY = /^(?:===?)\d+(?:\.\d+)*(?:[-._]?(?:a|b|rc|post|dev)\d*)*(?:\+[\w.]+)?$/

/** `pkg@1.2.3` / `@scope/pkg@1.2.3`: the version part, or undefined when none is given. */
function npmVersion(spec: string): string | undefined {
  const at = spec.lastIndexOf('@')
  return at > 0 ? spec.slice(at + 1) : undefined
}

/** Whether an npm spec names one exact version (tarball URLs and git URLs with a full commit also do). */
export function npmSpecPinned(spec: string): boolean {
  if (/^(?:https?:|git\+|github:|git:)/.test(spec)) return /#[0-9a-f]{40}$/.test(spec) || /\.tgz$/.test(spec)
  if (/^[./~]/.test(spec)) return true // a local path in the user's project
  const v = npmVersion(spec)
  return v !== undefined && EXACT_NPM.test(v)
}

/** Whether a Python requirement names one exact version (`pkg==1.2.3`, `pkg@1.2.3` for uvx). */
export function pySpecPinned(spec: string): boolean {
  if (/^[./~]/.test(spec) || /\.whl$/.test(spec)) return true
  if (/^git\+/.test(spec)) return /@[0-9a-f]{40}$/.test(spec)
  const m = /^[A-Za-z0-9][\w.-]*(?:\[[\w,.-]+\])?\s*(===?\d[^,;\s]*)$/.exec(spec)
  if (m?.[1]) return EXACT_PY.test(m[1].replace(/\s/g, ''))
  const at = /^[A-Za-z0-9][\w.-]*(?:\[[\w,.-]+\])?@(\d+(?:\.\d+)+\S*)$/.exec(spec)
  return at !== null
}

/** An image reference pinned by a tag other than latest, or by digest. */
export function imagePinned(ref: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return true
  const lastSlash = ref.lastIndexOf('/')
  const colon = ref.indexOf(':', lastSlash + 1)
  if (colon < 0) return false
  const tag = ref.slice(colon + 1)
  return tag !== '' && tag.toLowerCase() !== 'latest' && !/^\$\{/.test(tag)
}

const NPX_OPTIONS_WITH_VALUE = /^(?:-p|--package|--registry|--cache|--userconfig|-c|--call|--prefix|-w|--workspace)$/
const UVX_OPTIONS_WITH_VALUE =
  /^(?:--python|-p|--with|--with-requirements|--index|--index-url|--extra-index-url|--default-index|--find-links|-f|--constraint|-c|--override|--cache-dir|--directory|--project|--env-file)$/
const DOCKER_OPTIONS_WITH_VALUE =
  /^(?:-e|--env|-v|--volume|-p|--publish|--name|--network|--net|-w|--workdir|-u|--user|--entrypoint|--env-file|--mount|-l|--label|--platform|--pull|--add-host|--cap-add|--cap-drop|--device|--dns|--memory|-m|--cpus|--security-opt|--tmpfs|--ulimit|--hostname|-h|--restart|--runtime|--gpus|--ipc|--pid|--log-driver|--log-opt|--shm-size|--stop-signal|--userns|--uts|--workdir|--label-file|--cidfile|--init-path|--health-cmd|--expose|--link|--volumes-from)$/

/** Problems of one launch command line: `command` then its arguments. */
export function launchProblems(parts: readonly string[]): LaunchProblem[] {
  const out: LaunchProblem[] = []
  const cmd =
    (parts[0] ?? '')
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.(?:exe|cmd)$/i, '') ?? ''
  const args = parts.slice(1)
  const firstOperand = (options: RegExp, from = 0): number => {
    for (let i = from; i < args.length; i++) {
      const a = args[i] as string
      if (a === '--') return i + 1 < args.length ? i + 1 : -1
      if (a.startsWith('-')) {
        if (!a.includes('=') && options.test(a)) i++
        continue
      }
      return i
    }
    return -1
  }
  const unpinned = (i: number, what: string, fix: string) =>
    out.push({
      kind: 'unpinned',
      index: i + 1,
      message: `${what} is not pinned to one version, so clients install whatever is newest, not what was reviewed. ${fix}`
    })

  if (/^(?:npx|bunx|pnpx)$/.test(cmd) || (/^(?:pnpm|yarn|bun|npm)$/.test(cmd) && /^(?:dlx|x|exec)$/.test(args[0] ?? ''))) {
    const skip = /^(?:pnpm|yarn|bun|npm)$/.test(cmd) ? 1 : 0
    // `npx -p pkg@1 cmd`: the package is the -p value.
    const p = args.findIndex((a) => a === '-p' || a === '--package')
    const i = p >= 0 ? p + 1 : firstOperand(NPX_OPTIONS_WITH_VALUE, skip)
    const spec = args[i]
    if (spec !== undefined && !/^\$\{/.test(spec) && !npmSpecPinned(spec))
      unpinned(i, `\`${cmd} ${spec}\``, `Write \`${spec.replace(/@[^@/]*$/, '')}@<exact version>\`, such as \`@1.4.2\`.`)
  } else if (cmd === 'uvx' || (cmd === 'uv' && args[0] === 'tool' && args[1] === 'run') || (cmd === 'pipx' && args[0] === 'run')) {
    const skip = cmd === 'uvx' ? 0 : cmd === 'uv' ? 2 : 1
    const from = args.findIndex((a) => a === '--from' || a === '--spec')
    const i = from >= 0 ? from + 1 : firstOperand(UVX_OPTIONS_WITH_VALUE, skip)
    const spec = args[i]
    if (spec !== undefined && !/^\$\{/.test(spec) && !pySpecPinned(spec))
      unpinned(i, `\`${cmd} ${spec}\``, `Write \`${spec.replace(/[=@<>~!].*$/, '')}==<exact version>\`, such as \`==1.4.2\`.`)
  } else if (/^(?:docker|podman|nerdctl)$/.test(cmd) && (args[0] === 'run' || (args[0] === 'container' && args[1] === 'run'))) {
    const i = firstOperand(DOCKER_OPTIONS_WITH_VALUE, args[0] === 'run' ? 1 : 2)
    const image = args[i]
    if (image !== undefined && !/^\$\{/.test(image) && !imagePinned(image))
      unpinned(i, `the image \`${image}\``, 'Add a version tag (`image:1.4.2`) or a digest (`image@sha256:…`).')
  }
  // Inline code: the runtime runs the argument text itself.
  const inline = /^(?:node|nodejs|bun|deno|python[0-9.]*|pypy[0-9.]*|perl|ruby|php|sh|bash|zsh|pwsh|powershell)$/.test(cmd)
  if (inline) {
    args.forEach((a, i) => {
      if (
        /^(?:-e|--eval|-p|--print|-c|-r|--require|--import|-Command|-EncodedCommand|-enc)$/i.test(a) &&
        args[i + 1] !== undefined &&
        !(/^(?:-r|--require|--import)$/.test(a) && /^[@\w./-]+$/.test(args[i + 1] as string) && !/^data:/.test(args[i + 1] as string))
      ) {
        out.push({
          kind: 'inline-code',
          index: i + 1,
          message: `\`${cmd} ${a}\` runs the next argument as code: ${JSON.stringify((args[i + 1] as string).slice(0, 60))}`
        })
      }
    })
  }
  return out
}

/** Inline-code options of runtime arguments in server.json (`{"name": "--eval", "value": "…"}`). */
export function isInlineCodeOption(name: string, runtime: string | undefined): boolean {
  if (/^(?:--eval|-e|--print|-p|-c|--command|-Command|-EncodedCommand)$/i.test(name)) return true
  if (/^(?:--import|--require|-r)$/.test(name) && runtime !== undefined) return true
  return false
}

const OFFICIAL_REGISTRIES: Record<string, RegExp> = {
  npm: /^https:\/\/registry\.npmjs\.org\/?$/,
  pypi: /^https:\/\/(?:pypi\.org|upload\.pypi\.org)(?:\/simple)?\/?$/,
  nuget: /^https:\/\/api\.nuget\.org(?:\/v3\/index\.json)?\/?$/,
  oci: /^https:\/\/(?:docker\.io|registry-1\.docker\.io|index\.docker\.io|ghcr\.io|quay\.io|mcr\.microsoft\.com|public\.ecr\.aws|gcr\.io|[a-z0-9-]+\.pkg\.dev)\/?$/,
  mcpb: /^https:\/\/(?:github\.com|gitlab\.com)\/?$/
}

/** Why a registryBaseUrl is not one the MCP registry accepts for its type, or undefined. */
export function registryBaseUrlProblem(type: string, url: string): string | undefined {
  if (!/^https:\/\//i.test(url)) return `is not https, so anyone on the network path can swap the package`
  const official = OFFICIAL_REGISTRIES[type]
  if (official && !official.test(url))
    return `is not the official ${type} registry, so clients would install a package nobody reviewed under this name`
  if (!official) return `is not an official package registry`
  return undefined
}

/** A host that is the user's own machine (or resolves there), however it is spelled. */
export function isLocalHost(hostname: string): boolean {
  const h = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase()
  if (h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::' || h === '::1' || h === '0') return true
  if (/^(?:0*:)*:?0*1$/.test(h) || /^::ffff:(?:127\.|7f)/.test(h)) return true
  if (/^127\.\d+\.\d+\.\d+$/.test(h) || /^0\.\d+\.\d+\.\d+$/.test(h)) return true
  // Public names that resolve to 127.0.0.1 by design.
  if (/(?:^|\.)(?:localtest\.me|lvh\.me|vcap\.me|nip\.io|sslip\.io|xip\.io|traefik\.me|local\.gd|localhost\.direct)$/.test(h)) return true
  if (h.endsWith('.local') || h.endsWith('.internal') || h.endsWith('.lan') || h.endsWith('.home.arpa')) return true
  return false
}
