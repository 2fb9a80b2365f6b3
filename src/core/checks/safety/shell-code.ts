// Dangerous shell, judged on tokenized commands (shell.ts) rather than on spellings:
// - download and run: a fetcher piped into a program that reads its code from stdin (`curl … | sh`,
//   not `curl … | python3 parse.py`), a download run through `<(…)`/`$(…)`, or a file a fetcher
//   wrote that a later command runs;
// - decoded text run: a decoder in a command substitution that is the command or the code of
//   `sh -c`/`eval`, or piped into a shell;
// - git settings that run commands (core.hooksPath to a global or absolute place, core.fsmonitor,
//   core.sshCommand that is not ssh, `!` aliases and helpers, filter/diff drivers);
// - `rm -r` of the home directory or the root.
// Official installers of well-known tools (rustup, uv, Homebrew…) are reported by their own
// policy rule, code/vendor-installer, so a marketplace decides how strict to be about them.
import { pipelines, programOf, tokenizeShell, type Command, type Word } from './shell.js'
import { objectList } from './object-list.js'

export interface ShellHit {
  rule:
    | 'code/download-exec'
    | 'code/obfuscation'
    | 'code/git-exec-config'
    | 'code/destructive'
    | 'code/vendor-installer'
    | 'injection/mode-switch'
  start: number
  end: number
  what: string
}

// The programs each rule knows, as regex alternatives: the rules match a program's whole name
// against them, and MAY_HIT (below) looks for them anywhere in a text, so a name added here is
// in both.
const FETCHER_NAMES = 'curl|wget|fetch|aria2c|http|https|xh|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|lwp-download|GET'
const BASE_DECODERS = 'base64|base32|basenc|gbase64'
const STREAM_DECODERS = 'gunzip|zcat|uudecode|rev'
const SCRIPT_DECODERS = 'python[0-9.]*|perl|node'
const DECODER_NAMES = [BASE_DECODERS, 'xxd', 'openssl', STREAM_DECODERS, 'tr', SCRIPT_DECODERS].join('|')
/** Agents whose `--yolo`/`-y` turns approvals off, codex, and agents with their own switches (the last rules below). */
const YOLO_AGENTS = 'gemini|qwen'
const SWITCH_AGENTS = 'copilot|amp|cursor-agent|aider|opencode|claude'
const AGENT_NAMES = [YOLO_AGENTS, 'codex', SWITCH_AGENTS].join('|')
const REMOVERS = 'rm|Remove-Item'
const whole = (names: string, flags = '') => new RegExp(`^(?:${names})$`, flags)

const FETCHERS = whole(FETCHER_NAMES, 'i')
const BASE_DECODER = whole(BASE_DECODERS)
const STREAM_DECODER = whole(STREAM_DECODERS)
const SCRIPT_DECODER = whole(SCRIPT_DECODERS)
const SHELLS = /^(?:sh|bash|zsh|ksh|dash|ash|fish|mksh|busybox)$/
const INTERPRETERS =
  /^(?:python[0-9.]*|pypy[0-9.]*|node|nodejs|perl|ruby|php|bun|deno|pwsh|powershell(?:\.exe)?|iex|Invoke-Expression|lua|Rscript|osascript|tclsh)$/i
const DECODERS = (cmd: Command): boolean => {
  const { name, args } = programOf(cmd)
  const flags = args.map((a) => a.value)
  if (BASE_DECODER.test(name)) return flags.some((f) => /^(?:-d|--decode|-D|-di|-id)$/.test(f))
  if (name === 'xxd') return flags.some((f) => /^-r/.test(f))
  if (name === 'openssl') return flags.includes('-d') || flags.includes('base64') || flags.includes('enc')
  if (STREAM_DECODER.test(name)) return true
  if (name === 'tr' && flags.join(' ').includes('A-Za-z')) return true // rot13
  if (SCRIPT_DECODER.test(name)) return flags.join(' ').match(/b64decode|decode\(|fromhex|MIME::Base64|Buffer\.from/) !== null
  return false
}

/**
 * Hosts of official installers that documentation tells users to pipe to a shell. A marketplace
 * that wants none of them sets code/vendor-installer to error.
 */
const VENDOR_INSTALLERS =
  /^(?:sh\.rustup\.rs|astral\.sh|install\.python-poetry\.org|bun\.sh|deno\.land|get\.pnpm\.io|fnm\.vercel\.app|get\.volta\.sh|volta\.sh|raw\.githubusercontent\.com\/(?:Homebrew|nvm-sh|pyenv|rbenv|foundry-rs|tj)\/|get\.docker\.com|get\.helm\.sh|ollama\.com|tailscale\.com|claude\.ai|cli\.github\.com|sdk\.cloud\.google\.com|aka\.ms|awscli\.amazonaws\.com|get\.sdkman\.io|starship\.rs|mise\.run|pixi\.sh|cli\.doppler\.com|install\.determinate\.systems|nixos\.org|get\.k3s\.io|dot\.net|dotnet\.microsoft\.com|sh\.vector\.dev|fly\.io|cli\.vercel\.com|supabase\.com|opencode\.ai|docs\.astral\.sh|get\.jetify\.com|install\.duckdb\.org|foundry\.paradigm\.xyz)/i

function urlOf(words: readonly Word[]): string | undefined {
  for (const w of words) {
    const m = /\bhttps?:\/\/[^\s'"`)]+/.exec(w.value)
    if (m) return m[0]
  }
  return undefined
}

export function isVendorUrl(url: string | undefined): boolean {
  if (!url) return false
  return VENDOR_INSTALLERS.test(url.replace(/^https?:\/\//i, ''))
}

/** Whether the command runs code it reads from stdin (no script operand, or `-`, `-s`, /dev/stdin). */
function readsCodeFromStdin(cmd: Command): boolean {
  const { name, args } = programOf(cmd)
  const values = args.map((a) => a.value)
  if (/^(?:source|\.)$/.test(name)) return values[0] === '/dev/stdin' || values[0] === '-'
  if (SHELLS.test(name)) {
    if (values.includes('-c')) return false
    if (values.some((v) => /^-[a-z]*s[a-z]*$/.test(v) || v === '-' || v === '/dev/stdin')) return true
    return !values.some((v) => !v.startsWith('-'))
  }
  if (INTERPRETERS.test(name)) {
    if (/^(?:iex|Invoke-Expression)$/i.test(name)) return true
    if (/^(?:pwsh|powershell)/i.test(name))
      return values.length === 0 || values.some((v, i) => /^-(?:c|command)$/i.test(v) && values[i + 1] === '-')
    // `-c code`, `-e code`, `-m module`, `-p code` name their code; a script operand is the code.
    if (values.some((v) => /^-(?:c|e|m|p|E|r)$/.test(v) || /^--(?:eval|print|command)/.test(v))) return false
    const operand = values.find((v) => !v.startsWith('-'))
    return operand === undefined || operand === '-' || operand === '/dev/stdin'
  }
  return false
}

/** The code text a command runs from a string argument (`sh -c X`, `eval X`, `python -c X`), if any. */
function codeArgument(cmd: Command): Word | undefined {
  const { name, args } = programOf(cmd)
  if (name === 'eval') return args[0]
  if (SHELLS.test(name) || INTERPRETERS.test(name)) {
    const i = args.findIndex(
      (a) => /^-(?:c|e|E|p)$/.test(a.value) || /^--(?:eval|command|print)$/.test(a.value) || /^-(?:Command|EncodedCommand)$/i.test(a.value)
    )
    if (i >= 0) return args[i + 1]
  }
  return undefined
}

/** Files a fetcher writes (`curl -o f`, `wget -O f`, `wget URL`, `> f`). */
function downloadedFiles(cmd: Command): string[] {
  const { name, args } = programOf(cmd)
  if (!FETCHERS.test(name)) return []
  const out: string[] = []
  const values = args.map((a) => a.value)
  values.forEach((v, i) => {
    const next = values[i + 1]
    if (/^(?:-o|--output|-O|--output-document|-OutFile|--out)$/i.test(v) && next && !next.startsWith('-')) out.push(next)
    const eq = /^(?:--output|--output-document|-OutFile)=(.+)$/i.exec(v)
    if (eq?.[1]) out.push(eq[1])
  })
  // `wget URL` and `curl -O URL` save under the URL's last path segment.
  const url = urlOf(args)
  if (
    url &&
    ((name === 'wget' && !values.some((v) => /^-(?:O|-output-document)/.test(v))) ||
      (name === 'curl' && values.some((v) => /^-[a-zA-Z]*O[a-zA-Z]*$/.test(v) && !/o/.test(v))))
  ) {
    const last = url
      .replace(/[?#].*$/, '')
      .split('/')
      .pop()
    if (last) out.push(last)
  }
  for (const r of cmd.redirects) if (/^\d*>>?$|^&>$/.test(r.op) && r.target.value !== '/dev/null') out.push(r.target.value)
  return out.filter((f) => f !== '-' && f !== '/dev/stdout')
}

const sameFile = (a: string, b: string) => {
  const norm = (s: string) => s.replace(/^\.\//, '').replace(/^"|"$/g, '')
  return (
    norm(a) === norm(b) ||
    (norm(a).includes('/') === false && norm(b).endsWith(`/${norm(a)}`)) ||
    (norm(b).includes('/') === false && norm(a).endsWith(`/${norm(b)}`))
  )
}

/** Whether the command runs the file (as the program, or as the script of a shell/interpreter/source). */
function runsFile(cmd: Command, file: string): boolean {
  const first = cmd.words[0]?.value ?? ''
  const { name, args } = programOf(cmd)
  if (sameFile(first, file) || sameFile(name, file)) return true
  if (SHELLS.test(name) || INTERPRETERS.test(name) || /^(?:source|\.)$/.test(name)) {
    const operand = args.find((a) => !a.value.startsWith('-'))
    return operand !== undefined && sameFile(operand.value, file) && codeArgument(cmd) === undefined
  }
  return false
}

const GIT_EXEC_KEYS =
  /^(?:core\.hookspath|core\.fsmonitor|core\.sshcommand|core\.askpass|alias\..+|credential\.(?:.+\.)?helper|filter\..+\.(?:clean|smudge|process)|diff\..+\.(?:textconv|command)|diff\.external|merge\..+\.driver|sequence\.editor|gpg\.program|gpg\..+\.program|uploadpack\.packobjectshook|core\.gitproxy|remote\..+\.(?:uploadpack|receivepack))$/i

/** Whether setting `key` to `value` (with `scope` flags) makes git run something it would not otherwise. */
function gitSettingRuns(key: string, value: string, global: boolean): boolean {
  const k = key.toLowerCase()
  if (!GIT_EXEC_KEYS.test(k)) return false
  if (k === 'core.hookspath') return global || /^(?:\/|~|\$)/.test(value)
  if (k === 'core.fsmonitor') return !/^(?:true|false|)$/i.test(value.trim())
  if (k === 'core.sshcommand' || k === 'core.gitproxy')
    return !/^(?:ssh|plink|putty)(?:\.exe)?(?:\s+-[\w-]+(?:\s+[^\s;|&`$]+)?)*\s*$/.test(value.trim())
  if (k.startsWith('alias.') || /helper$/.test(k)) return value.trim().startsWith('!') || /^\/|sh -c/.test(value.trim())
  return true
}

const HOME_TARGET =
  /^(?:~|\$HOME|\$\{HOME\}|\/home\/[^/]+|\/Users\/[^/]+|\/root|%USERPROFILE%|\$env:USERPROFILE|\/|\/home|\/Users)(?:\/(?:\*|\.|\.\*)?)?$/

const YOLO = whole(YOLO_AGENTS)
const SWITCHES = whole(SWITCH_AGENTS)
const REMOVER = whole(REMOVERS)

/**
 * A word every hit above needs, in some case: a fetcher or a decoder (the only sources of the piped,
 * downloaded and substituted hits), git's `-c`, `config` or a GIT_ variable, rm or Remove-Item, an
 * agent's name. They are compared after quotes and escapes are removed; in a text without quotes
 * or backslashes every word, substitution and `sh -c` string is a slice of the text as written, so
 * such a text with none of these (case ignored, as FETCHERS does) has no hit and is not tokenized.
 * Most Markdown code blocks are such texts. test/safety-shell-prefilter.test.ts holds it to the
 * full analysis. The program names come from the rules' own lists above; a rule that needs a new
 * word of another kind (an option, a variable) adds it here.
 */
const MAY_HIT = new RegExp([FETCHER_NAMES, DECODER_NAMES, AGENT_NAMES, REMOVERS, '-c|config|GIT_'].join('|'), 'i')
const QUOTE_OR_ESCAPE = /['"\\]/

/** Whether shellHits must tokenize the text: false only when it provably has no hit (MAY_HIT). */
export function shellMayHit(text: string): boolean {
  return QUOTE_OR_ESCAPE.test(text) || MAY_HIT.test(text)
}

/** `prefilter: false` tokenizes every text (tests compare the two). */
export function shellHits(text: string, offset = 0, options: { prefilter?: boolean } = {}): ShellHit[] {
  const hits = objectList<ShellHit>() // one kind of list, empty or not (object-list.ts)
  if (options.prefilter !== false && !shellMayHit(text)) return hits
  const add = (rule: ShellHit['rule'], start: number, end: number, what: string) => hits.push({ rule, start, end, what })
  analyse(text, offset, 0)
  return hits

  function analyse(src: string, base: number, depth: number): void {
    const commands = tokenizeShell(src, base)
    const downloads: { file: string; url?: string; cmd: Command }[] = []
    for (const pipe of pipelines(commands)) {
      // Fetch or decode piped into something that runs its input.
      let source: { kind: 'fetch' | 'decode'; cmd: Command; url?: string } | undefined
      for (const cmd of pipe) {
        const { name } = programOf(cmd)
        if (source && readsCodeFromStdin(cmd)) {
          if (source.kind === 'decode') add('code/obfuscation', source.cmd.start, cmd.end, `decoded text piped into ${name}, which runs it`)
          else if (isVendorUrl(source.url))
            add('code/vendor-installer', source.cmd.start, cmd.end, `an installer downloaded and piped into ${name} (${source.url})`)
          else add('code/download-exec', source.cmd.start, cmd.end, `code downloaded and piped into ${name}, which runs it`)
          break
        }
        if (FETCHERS.test(name))
          source = { kind: 'fetch', cmd, ...(urlOf(programOf(cmd).args) ? { url: urlOf(programOf(cmd).args) as string } : {}) }
        else if (DECODERS(cmd))
          source = {
            kind: source?.kind === 'fetch' ? 'fetch' : 'decode',
            cmd: source?.cmd ?? cmd,
            ...(source?.url ? { url: source.url } : {})
          }
      }
    }
    for (const cmd of commands) {
      const { name, args } = programOf(cmd)
      // A file downloaded earlier and run now.
      for (const d of downloads) {
        if (runsFile(cmd, d.file)) {
          if (isVendorUrl(d.url))
            add('code/vendor-installer', d.cmd.start, cmd.end, `an installer downloaded to ${d.file} and run (${d.url})`)
          else
            add(
              'code/download-exec',
              d.cmd.start,
              cmd.end,
              `a file downloaded to ${JSON.stringify(d.file)} and then run by a later command`
            )
        }
      }
      for (const file of downloadedFiles(cmd))
        downloads.push({ file, cmd, ...(urlOf(programOf(cmd).args) ? { url: urlOf(programOf(cmd).args) } : {}) })

      // Substitutions: their output may be the command, the code of sh -c/eval, or a script file.
      const code = codeArgument(cmd)
      const firstWord = cmd.words[0]
      for (const w of [...cmd.words, ...cmd.assignments]) {
        for (const s of w.substitutions) {
          const inner = tokenizeShell(s.text, s.start)
          const fetches = inner.some((c) => FETCHERS.test(programOf(c).name))
          const decodesText = inner.some((c) => DECODERS(c))
          const isCode =
            w === code ||
            w === firstWord ||
            (w.value.startsWith('<(') && (SHELLS.test(name) || INTERPRETERS.test(name) || /^(?:source|\.)$/.test(name)))
          if (isCode && fetches) {
            const url = urlOf(inner.flatMap((c) => c.words))
            if (isVendorUrl(url))
              add('code/vendor-installer', cmd.start, cmd.end, `an installer downloaded and run through a substitution (${url})`)
            else add('code/download-exec', cmd.start, cmd.end, `code downloaded and run through a command substitution by ${name}`)
          } else if (isCode && decodesText)
            add('code/obfuscation', cmd.start, cmd.end, `decoded text run as code by ${name || 'the shell'}`)
          if (depth < 3) analyse(s.text, s.start, depth + 1)
        }
      }
      // The code string of sh -c / eval is shell too.
      if (code && depth < 3 && (SHELLS.test(name) || name === 'eval') && !code.substitutions.length)
        analyse(code.value, code.start, depth + 1)

      // git settings that run commands.
      if (name === 'git') {
        // Read from the words themselves: an array of their values, made for every git command, changed
        // its map from one command to the next and discarded this function's optimized code (--trace-deopt).
        for (let i = 0; i + 1 < args.length; i++) {
          const next = (args[i + 1] as Word).value
          if ((args[i] as Word).value !== '-c' || !next) continue
          const [key = '', ...rest] = next.split('=')
          if (gitSettingRuns(key, rest.join('='), false))
            add('code/git-exec-config', cmd.start, cmd.end, `git run with \`${key}\`, a setting that makes git run a command`)
        }
        const at = args.findIndex((a) => a.value === 'config')
        if (at >= 0) {
          const rest = args.slice(at + 1).map((a) => a.value)
          const global = rest.some((v) => v === '--global' || v === '--system')
          const positional = rest.filter((v) => !v.startsWith('-'))
          const [key = '', value = ''] = positional[0] === 'set' ? positional.slice(1) : positional
          if (positional.length >= 2 && gitSettingRuns(key, value, global))
            add(
              'code/git-exec-config',
              cmd.start,
              cmd.end,
              `\`git config ${key}\` set to ${JSON.stringify(value)}: git runs it on ordinary commands (status, fetch, commit), long after this step`
            )
        }
      }
      for (const a of cmd.assignments) {
        if (
          /^(?:GIT_SSH_COMMAND|GIT_SSH|GIT_ASKPASS|GIT_EXTERNAL_DIFF|GIT_PROXY_COMMAND)=/.test(a.value) &&
          !/^GIT_SSH_COMMAND=(?:ssh|plink)\b[^;|&`$]*$/.test(a.value)
        )
          add('code/git-exec-config', cmd.start, cmd.end, `${a.value.split('=')[0]} makes git run a command`)
      }
      if (name === 'export') {
        for (const a of args)
          if (
            /^(?:GIT_SSH_COMMAND|GIT_ASKPASS|GIT_EXTERNAL_DIFF|GIT_PROXY_COMMAND)=/.test(a.value) &&
            !/^GIT_SSH_COMMAND=(?:ssh|plink)\b[^;|&`$]*$/.test(a.value)
          )
            add('code/git-exec-config', cmd.start, cmd.end, `${a.value.split('=')[0]} makes git run a command`)
      }

      // rm -r of the home directory or the root.
      if (REMOVER.test(name)) {
        const values = args.map((a) => a.value)
        const recursive = values.some((v) => /^-[a-zA-Z]*[rR][a-zA-Z]*$/.test(v) || v === '--recursive' || /^-Recurse$/i.test(v))
        const target = args.find((a) => !a.value.startsWith('-') && HOME_TARGET.test(a.value.replace(/\/+$/, '/').replace(/(.)\/$/, '$1')))
        if (recursive && target)
          add(
            'code/destructive',
            cmd.start,
            cmd.end,
            `\`rm\` deletes ${target.value.startsWith('/') && !/^\/(?:home|Users|root)\/./.test(target.value) ? 'the whole file system' : 'the home directory'} (${target.value})`
          )
      }

      // Other agents' auto-approve switches.
      const joined = args.map((a) => a.value)
      if (YOLO.test(name) && joined.some((v) => v === '--yolo' || v === '-y' || /^--approval-mode=yolo$/.test(v)))
        add('injection/mode-switch', cmd.start, cmd.end, `${name} run with its approval prompts turned off`)
      if (name === 'codex' && joined.some((v) => /^--(?:full-auto|yolo|dangerously-bypass-approvals-and-sandbox)$/.test(v)))
        add('injection/mode-switch', cmd.start, cmd.end, 'codex run with its approval prompts turned off')
      if (
        SWITCHES.test(name) &&
        joined.some((v) =>
          /^--(?:allow-all-tools|allow-all-paths|dangerously-allow-all|dangerously-skip-permissions|yes-always|force)$/.test(v)
        )
      )
        add('injection/mode-switch', cmd.start, cmd.end, `${name} run with its approval prompts turned off`)
    }
  }
}
