// Dangerous code in what a package ships to run: scripts (by extension or shebang), the code
// blocks SKILL.md tells an agent to run, and install hooks. Patterns describe shapes of behaviour
// (download piped to a shell, a socket wired to a shell, a write to ~/.bashrc), never a single
// function name, so ordinary tools do not trip them. Starting a process is what many honest tools
// do (`git`, `gh`, `npx`): it is a warning that tells reviewers where to look, not an error.
import type { Finding } from '../../findings/findings.js'
import type { RuleId } from '../../findings/rules.js'
import { CODE_LANGUAGES, findingAt, matches, snippet, type Language, type TextFile } from './file.js'
import { markdownRegions } from './markdown.js'
import { fenceRole, type FenceRole } from './fence-context.js'
import { isVendorUrl, shellHits } from './shell-code.js'
import { jsHits } from './js-code.js'
import { pythonHits } from './python-code.js'
import { MAX_JSON_DEPTH, jsonDepth } from './json.js'
import { Prefilter } from './prefilter.js'
import { objectList } from './object-list.js'

type CodeRule = Extract<RuleId, `code/${string}`>

interface Pattern {
  rule: CodeRule
  what: string
  re: RegExp
  /** Languages the pattern applies to; every code language when absent. */
  langs?: readonly Language[]
}

const SH = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:/usr)?(?:/bin/)?(?:ba|z|k|da|fi|c|tc)?sh\b`
const INTERPRETER = String.raw`(?:${SH}|(?:python[0-9.]*|node|perl|ruby|php|pwsh|powershell|bun|deno|iex|Invoke-Expression|source)\b)`
const FETCH = String.raw`(?:curl|wget|fetch|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|http|aria2c)`
const CREDENTIAL_FILE = String.raw`(?:\.ssh/id_(?:rsa|dsa|ecdsa|ed25519)(?!\.pub)\b|\.ssh/[\w-]*_key\b(?!\.pub)|\.aws/credentials|\.netrc\b|\.git-credentials|\.pgpass|\.pypirc|\.docker/config\.json|\.config/gh/hosts\.yml|\.gnupg/|\.config/gcloud/(?:credentials\.db|application_default_credentials\.json|access_tokens\.db)|\.azure/accessTokens\.json|/etc/shadow\b|Login Data\b|cookies\.sqlite|logins\.json|key4\.db|wallet\.dat|Keychains/)`
const STARTUP_FILE = String.raw`(?:\.bashrc|\.bash_profile|\.bash_login|\.zshrc|\.zprofile|\.zshenv|\.zlogin|\.profile\b|config\.fish|/etc/profile|/etc/bash\.bashrc|/etc/environment|\$PROFILE\b|PowerShell_profile\.ps1|\.ssh/authorized_keys)`

const EXFIL_HOSTS = String.raw`(?:webhook\.site|requestbin\.(?:net|com)|[\w-]+\.m\.pipedream\.net|pipedream\.net|hookbin\.com|beeceptor\.com|requestcatcher\.com|webhook\.cool|interact\.sh|[\w-]+\.oast\.(?:pro|live|site|online|fun|me)|oastify\.com|burpcollaborator\.net|canarytokens\.com|dnslog\.cn|ceye\.io|ngrok(?:-free)?\.(?:io|app|dev)|trycloudflare\.com|loca\.lt|serveo\.net|localhost\.run|lhr\.life|pinggy\.(?:io|link)|bore\.pub|transfer\.sh|file\.io|0x0\.st|pastebin\.com/api|paste\.ee|ptpb\.pw|api\.telegram\.org/bot|discord(?:app)?\.com/api/webhooks)`

const TUNNEL_HOST = /ngrok|trycloudflare|loca\.lt|serveo|localhost\.run|lhr\.life|pinggy|bore\.pub/i
const EXFIL_ANYWHERE = new RegExp(String.raw`\b${EXFIL_HOSTS}`, 'gi')
// Searched in every file, prose included; the hosts' names are found in one pass first.
export const EXFIL_PREFILTER = new Prefilter([{ re: EXFIL_ANYWHERE }])

// Ordered: the first rule whose match covers a spot claims it, so `iex (iwr …)` is one
// download-and-execute finding, not also dynamic code.
const PATTERNS: readonly Pattern[] = [
  {
    rule: 'code/reverse-shell',
    what: 'a reverse shell (a shell whose input and output go to a remote host)',
    re: new RegExp(
      String.raw`/dev/(?:tcp|udp)/[^\s/]{1,255}/\d+|\b(?:nc|ncat|netcat)\b[^\n|;]{0,300}\s-(?:[a-z]*e|c)\s+(?:/bin/)?(?:ba|z)?sh\b|\bmkfifo\b[^\n]{0,300}\b(?:nc|ncat|netcat|telnet)\b|\bsocat\b[^\n]{0,300}\b(?:exec|system):|\bpty\.spawn\(\s*["'](?:/bin/)?(?:ba|z)?sh|socket\.socket\([\s\S]{0,300}?\.connect\([\s\S]{0,300}?(?:os\.dup2|pty\.spawn)|\bnet\.(?:connect|Socket|createConnection)\b[\s\S]{0,400}?\b(?:spawn|exec)\s*\(\s*["'](?:/bin/)?(?:ba|z)?sh\b|New-Object\s+(?:System\.)?Net\.Sockets\.TCPClient|\bfsockopen\s*\([\s\S]{0,200}?\b(?:exec|shell_exec|system|passthru|proc_open)\s*\(|TCPSocket\.(?:new|open)[\s\S]{0,200}?\b(?:exec|spawn|system)\b`,
      'gi'
    )
  },
  {
    rule: 'code/download-exec',
    what: 'code downloaded and run in one step',
    re: new RegExp(
      String.raw`\b(?:ba|z|k)?sh\s+(?:-s\s+)?<\(\s*${FETCH}\b|\b(?:source|\.)\s+<\(\s*${FETCH}\b|\b(?:ba|z)?sh\s+-c\s+["']?\$\(\s*${FETCH}\b|\beval\s+["']?\$\(\s*${FETCH}\b|\b(?:curl|wget)\b[^\n]{0,300}&&\s*chmod\s+[+0-7ugoa]*x?\S*\s[^\n]{0,300}&&\s*(?:\./|sh\s|bash\s|/)|\bexec\s*\(\s*(?:requests\.get|urllib\.request\.urlopen|urlopen|httpx\.get)\s*\(|\b(?:eval|Function)\s*\(\s*(?:await\s+)?\(?\s*(?:await\s+)?(?:fetch|axios\.get|got)\s*\(|\b(?:iex|Invoke-Expression)\b[^\n]{0,60}(?:DownloadString|DownloadData|\biwr\b|\birm\b|Invoke-WebRequest|Invoke-RestMethod|Net\.WebClient)|(?:DownloadString|\biwr\b|\birm\b|Invoke-WebRequest|Invoke-RestMethod)[^\n|]{0,300}\|\s*(?:iex|Invoke-Expression)\b`,
      'gi'
    )
  },
  {
    // In shell, the tokenizer judges pipes (shell-code.ts): `curl … | python3 parse.py` is data.
    rule: 'code/download-exec',
    what: 'code downloaded and run in one step',
    langs: ['python', 'javascript', 'powershell', 'ruby', 'perl', 'php', 'batch'],
    re: new RegExp(
      String.raw`\b${FETCH}\b[^\n|;&]{0,500}\|\s*${INTERPRETER}(?![ \t]+(?:-m\b|-c\b|[\w./-]+\.(?:py|js|mjs|ts|rb|pl|php)\b))`,
      'gi'
    )
  },
  {
    rule: 'code/obfuscation',
    what: 'obfuscated code (decoded and run, or written to be unreadable)',
    re: new RegExp(
      String.raw`\bbase64\s+(?:-d|--decode|-D|-di)\b[^\n]{0,300}\|\s*${INTERPRETER}|\b(?:eval|exec|Function|Invoke-Expression|iex)\s*\(\s*(?:atob|unescape|decodeURIComponent|String\.fromCharCode|Buffer\.from|base64\.b64decode|b64decode|codecs\.decode|zlib\.decompress|bytes\.fromhex|marshal\.loads|bytearray|\[(?:System\.)?Text\.Encoding\])|\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]{0,300}\s-(?:e|ec|en|enc|encodedcommand)\s+[A-Za-z0-9+/=]{16,}|FromBase64String[^\n]{0,300}\|\s*(?:iex|Invoke-Expression)|(?:iex|Invoke-Expression)\b[^\n]{0,300}FromBase64String|(?:\\x[0-9a-fA-F]{2}){24,}|String\.fromCharCode\s*\((?:\s*\d+\s*,){10,}`,
      'gi'
    )
  },
  {
    rule: 'code/exfiltration',
    what: 'data sent to a collection endpoint or the environment sent out',
    re: new RegExp(
      String.raw`\b${EXFIL_HOSTS}|JSON\.stringify\(\s*process\.env\s*\)|\b(?:env|printenv|set)\s*\|\s*(?:curl|wget|nc|ncat|base64)\b|\bcurl\b[^\n]{0,300}(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file)\s+["']?@?[^\s"']{0,200}${CREDENTIAL_FILE}`,
      'gi'
    )
  },
  {
    rule: 'code/credential-access',
    what: 'code that reads credential files',
    re: new RegExp(String.raw`${CREDENTIAL_FILE}|\bsecurity\s+(?:find-generic-password|find-internet-password|dump-keychain)\b`, 'g')
  },
  {
    rule: 'code/persistence',
    what: 'a write to a shell start-up file or a scheduled task (it runs again later, outside the skill)',
    re: new RegExp(
      String.raw`(?:>>?|\btee\s+(?:-a\s+)?|\bappendFile(?:Sync)?\s*\(|\bwriteFile(?:Sync)?\s*\(|\bAdd-Content\b|\bOut-File\b|\bSet-Content\b)[^\n]{0,80}?${STARTUP_FILE}|${STARTUP_FILE}[^\n]{0,80}?(?:["']a\+?["']|\bwrite_text\(|\bappendFile|>>|\.write\()|\|\s*crontab\s+-(?:\s|$)|\bcrontab\s+(?!-[lre]\b)[^\s|;&]+|/etc/cron\.(?:d|daily|hourly|weekly)/|/var/spool/cron|Library/Launch(?:Agents|Daemons)|\blaunchctl\s+(?:load|bootstrap)|\bsystemctl\s+(?:--user\s+)?enable\b|\.config/autostart|\.config/systemd/user|\bschtasks(?:\.exe)?\s+/create|CurrentVersion\\+Run\b|(?:>>?|\btee\s+(?:-a\s+)?|\b(?:cp|mv|ln\s+-s\w*|install)\s+[^\n;|&]{0,200}?\s|writeFile(?:Sync)?\s*\(|\bopen\s*\()\s*["']?[^\s"']{0,200}\.git/hooks/`,
      'gim'
    )
  },
  {
    rule: 'code/dynamic-code',
    what: 'code built from a string at run time',
    langs: ['javascript'],
    re: /(?<![\w$.])eval\s*\(|\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*['"`]|\bvm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction)\s*\(|\bnew\s+vm\.Script\s*\(|\bset(?:Timeout|Interval)\s*\(\s*['"`]/g
  },
  {
    rule: 'code/dynamic-code',
    what: 'code built from a string at run time',
    langs: ['python'],
    re: /(?<![\w.])(?:eval|exec)\s*\((?!\s*\))/g
  },
  {
    rule: 'code/dynamic-code',
    what: 'code built from a string at run time',
    langs: ['shell'],
    re: /(?:^|[;&|(]\s*|\bthen\s+|\bdo\s+)eval\s+["']?\$(?!\()/gm
  },
  {
    rule: 'code/dynamic-code',
    what: 'code built from a string at run time',
    langs: ['powershell'],
    re: /\b(?:Invoke-Expression|iex)\b|\[ScriptBlock\]::Create\s*\(/gi
  },
  {
    rule: 'code/dynamic-code',
    what: 'code built from a string at run time',
    langs: ['ruby', 'php'],
    re: /(?<![\w.>$])(?:eval|instance_eval|class_eval|create_function)\s*\(|\bassert\s*\(\s*\$/g
  },
  {
    rule: 'code/dynamic-code',
    what: 'code built from a string at run time',
    langs: ['perl'],
    re: /\beval\s+(?!\{)["'$]/g
  }
]
// One pass over a span for the words every pattern needs; only the patterns whose words are there run.
export const CODE_PREFILTER = new Prefilter(PATTERNS)

const SPAWN: Partial<Record<Language, RegExp>> = {
  javascript:
    /\bchild_process\b|\bBun\.spawn(?:Sync)?\b|\bDeno\.(?:Command|run)\b|\bfrom\s+['"]execa['"]|require\(\s*['"]execa['"]\s*\)|\bfrom\s+['"]zx['"]/g,
  python:
    /\bsubprocess\.\w+\s*\(|\bos\.(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\s*\(|\bcommands\.getoutput|\basyncio\.create_subprocess_(?:exec|shell)\b/g,
  ruby: /`[^`\n]+`|\b(?:system|spawn|IO\.popen|Open3\.\w+)\s*[(\s]/g,
  perl: /\bsystem\s*\(|`[^`\n]+`|\bqx[{(/]/g,
  php: /\b(?:exec|shell_exec|system|passthru|proc_open|popen)\s*\(/g,
  powershell: /\bStart-Process\b/gi
}

/** Base64 or hex of 200+ characters in one string literal (images as data: URIs excepted). */
const ENCODED_BLOB = /(["'`])(data:[a-z]+\/[a-z0-9.+-]+;base64,)?([A-Za-z0-9+/_-]{200,}={0,2})\1/g

interface Span {
  start: number
  end: number
  language: Language
  /**
   * Markdown blocks: code the text tells the agent to run, or an example for readers. A block's is
   * read from the text before it only when asked (roleOf): only a hit or a process-spawn pattern
   * asks, and most blocks have neither.
   */
  role: FenceRole | undefined
  /** Where the block's fence starts (roleOf reads the text before it), or -1 for code that is run. */
  fence: number
  /** The whole file is this script (not a block of a document). */
  whole: boolean
}

/** SKILL.md at the package root: the agent's instructions. */
const isInstructions = (file: TextFile) => /^skill\.md$/i.test(file.rel)

/**
 * Where code is: a script's whole text, the RUN lines of a Dockerfile, or the code blocks of Markdown.
 * One kind of list for all of them, empty or not (object-list.ts): codeFindings loops over it.
 */
function codeSpans(file: TextFile): Span[] {
  const out = objectList<Span>()
  if (CODE_LANGUAGES.has(file.language))
    out.push({ start: 0, end: file.text.length, language: file.language, role: 'run', fence: -1, whole: true })
  else if (isDockerfile(file.rel)) dockerRunSpans(file.text, out)
  else if (file.language === 'markdown') {
    for (const r of markdownRegions(file.text))
      if (r.kind === 'fence' && r.language !== undefined)
        out.push({ start: r.contentStart ?? r.start, end: r.end, language: r.language, role: undefined, fence: r.start, whole: false })
  }
  return out
}

/** A span's role, read from the text before a Markdown block the first time it is asked. */
function roleOf(file: TextFile, span: Span): FenceRole {
  return (span.role ??= fenceRole(file.text, span.fence, isInstructions(file)))
}

const isDockerfile = (rel: string) => /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.(?:dockerfile|containerfile)$/i.test(rel)

/** The shell commands of a Dockerfile's RUN instructions (shell form, continuation lines included). */
function dockerRunSpans(text: string, out: Span[]): void {
  for (const m of text.matchAll(/^[ \t]*RUN[ \t]+(?!\[)((?:[^\n]*\\\r?\n)*[^\n]*)/gim)) {
    const body = m[1] ?? ''
    const start = m.index + m[0].length - body.length
    out.push({ start, end: start + body.length, language: 'shell', role: 'run', fence: -1, whole: false })
  }
}

interface Hit {
  rule: CodeRule | 'injection/mode-switch'
  start: number
  end: number
  what: string
}

/**
 * What the parsers find in a span: shell commands, the JavaScript syntax tree, Python calls. One kind
 * of list from every parser, empty or not (object-list.ts): codeFindings loops over it.
 */
function parsedHits(file: TextFile, span: Span, code: string, prefilter: boolean): Hit[] {
  if (span.language === 'shell') return shellHits(code, span.start, { prefilter })
  if (span.language === 'python') return pythonHits(code, span.start)
  const out = objectList<Hit>()
  if (span.language === 'javascript')
    for (const h of jsHits(code, /\.(?:ts|mts|cts|tsx)$/i.test(file.rel) || !span.whole))
      out.push({ ...h, start: h.start + span.start, end: h.end + span.start })
  return out
}

/** Whether [start, end) overlaps no claimed range. */
function isFree(claimed: readonly [number, number][], start: number, end: number): boolean {
  return !claimed.some(([a, b]) => start < b && a < end)
}

/** In a block the text presents as an example, every code rule becomes code/example (a warning). */
function reportCode(out: Finding[], file: TextFile, span: Span, rule: Hit['rule'], start: number, end: number, message: string): void {
  if (rule.startsWith('code/') && roleOf(file, span) === 'example') {
    out.push(
      findingAt(
        'code/example',
        file,
        start,
        end,
        `${message}, in a code block the text presents as an example, not as something to run (${rule} if it were run)`,
        HINTS['code/example']
      )
    )
  } else out.push(findingAt(rule, file, start, end, message, rule.startsWith('code/') ? HINTS[rule as CodeRule] : MODE_SWITCH_HINT))
}

/** `prefilter: false` runs every pattern (tests compare the two). */
export function codeFindings(file: TextFile, options: { prefilter?: boolean } = {}): Finding[] {
  const out: Finding[] = []
  const claimed: [number, number][] = []
  // Asked before the spans: the shared anchor scan keeps one text's answer, and the file's text
  // was read for it by the detectors before this one; a code block read in between would make
  // this a second pass over the whole file.
  const exfil = options.prefilter === false || EXFIL_PREFILTER.mayMatch(file.text)[0] === 1
  for (const span of codeSpans(file)) {
    const code = file.text.slice(span.start, span.end)
    // The parsers first: they see through aliases, pipes and assembled names.
    for (const h of parsedHits(file, span, code, options.prefilter !== false)) {
      if (!isFree(claimed, h.start, h.end)) continue
      claimed.push([h.start, h.end])
      reportCode(out, file, span, h.rule, h.start, h.end, `${h.what}: ${snippet(file.text.slice(h.start, h.end))}`)
    }
    // may[k]: PATTERNS[k] may match in this span (flags, not a list made per span).
    const may = options.prefilter === false ? undefined : CODE_PREFILTER.mayMatch(code)
    for (let k = 0; k < PATTERNS.length; k++) {
      if (may && may[k] !== 1) continue
      const p = PATTERNS[k] as Pattern
      if (p.langs && !p.langs.includes(span.language)) continue
      for (const m of matches(p.re, code)) {
        const start = span.start + m.index
        const end = start + m[0].length
        if (!isFree(claimed, start, end)) continue
        claimed.push([start, end])
        const vendor = p.rule === 'code/download-exec' && isVendorUrl(/https?:\/\/[^\s'"`)|]+/.exec(m[0])?.[0])
        reportCode(
          out,
          file,
          span,
          vendor ? 'code/vendor-installer' : p.rule,
          start,
          end,
          `${vendor ? 'an official installer downloaded and run in one step' : p.what}: ${snippet(m[0])}`
        )
      }
    }
    for (const m of matches(ENCODED_BLOB, code)) {
      if (m[2] && /^data:(?:image|font|audio|video)\//.test(m[2])) continue
      const blob = m[3] ?? ''
      // Base64 and hex mix character classes; a run of capitals alone is a protein or DNA sequence.
      if (!isEncodedLooking(blob)) continue
      const start = span.start + m.index + m[0].indexOf(blob)
      if (!isFree(claimed, start, start + blob.length)) continue
      reportCode(
        out,
        file,
        span,
        'code/encoded-blob',
        start,
        start + blob.length,
        `a ${blob.length}-character encoded string (${/^[0-9a-fA-F]+$/.test(blob) ? 'hex' : 'base64'}) that a reviewer cannot read: ${snippet(blob, 40)}`
      )
    }
    const spawn = SPAWN[span.language]
    if (spawn && roleOf(file, span) === 'run') {
      const all = [...matches(spawn, code)].filter((m) => isFree(claimed, span.start + m.index, span.start + m.index + m[0].length))
      const first = all[0]
      if (first) {
        const start = span.start + first.index
        const shell =
          span.language === 'python' && /shell\s*=\s*True/.test(code) ? ' (with `shell=True`, so a command line is parsed by a shell)' : ''
        const more = all.length > 1 ? ` (and ${all.length - 1} more place${all.length > 2 ? 's' : ''} in this file)` : ''
        out.push(
          findingAt(
            'code/process-spawn',
            file,
            start,
            start + first[0].length,
            `starts other programs${shell}: ${snippet(first[0])}${more}`,
            HINTS['code/process-spawn']
          )
        )
      }
    }
  }
  // A collection endpoint is suspect wherever it is written, prose included: agents follow prose.
  if (exfil)
    for (const m of matches(EXFIL_ANYWHERE, file.text)) {
      if (!isFree(claimed, m.index, m.index + m[0].length)) continue
      // In an MCP config a tunnel host is the server's address: mcp/remote-host reports it.
      if (file.language === 'json' && TUNNEL_HOST.test(m[0])) continue
      claimed.push([m.index, m.index + m[0].length])
      out.push(
        findingAt(
          'code/exfiltration',
          file,
          m.index,
          m.index + m[0].length,
          `a data collection endpoint (used to receive stolen data): ${snippet(m[0])}`,
          HINTS['code/exfiltration']
        )
      )
    }
  // javascript-obfuscator's signature: many `_0x1a2b` names.
  if (file.language === 'javascript') {
    const names = [...matches(/\b_0x[0-9a-f]{4,6}\b/g, file.text)]
    const first = names[0]
    if (names.length >= 5 && first && isFree(claimed, first.index, first.index + first[0].length)) {
      out.push(
        findingAt(
          'code/obfuscation',
          file,
          first.index,
          first.index + first[0].length,
          `obfuscated code: ${names.length} generated names like \`${first[0]}\` (the output of a JavaScript obfuscator)`,
          HINTS['code/obfuscation']
        )
      )
    }
  }
  return out
}

/** Base64 mixes lower case, upper case and digits; hex mixes digits and a-f. Sequences of one case are not encodings. */
function isEncodedLooking(blob: string): boolean {
  if (/^[0-9a-fA-F]+$/.test(blob)) return /[0-9]/.test(blob) && /[a-fA-F]/.test(blob) && !/^[ACGTUN]+$/i.test(blob)
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(blob)).length
  return classes >= 3 || (classes === 2 && /[+/_-]/.test(blob))
}

const MODE_SWITCH_HINT =
  "Remove it. A skill works within the agent's normal permissions; it never runs another agent with its approval prompts turned off."

const LIFECYCLE = [
  'preinstall',
  'install',
  'postinstall',
  'preprepare',
  'prepare',
  'postprepare',
  'prepublish',
  'preuninstall',
  'uninstall',
  'postuninstall'
]

/** npm lifecycle scripts and setup.py install commands run on install, before anyone looks. */
export function installHookFindings(file: TextFile): Finding[] {
  const name = file.rel.slice(file.rel.lastIndexOf('/') + 1)
  const out: Finding[] = []
  if (name === 'package.json') {
    let value: unknown
    try {
      if (jsonDepth(file.text) > MAX_JSON_DEPTH) return out
      value = JSON.parse(file.text)
    } catch {
      return out
    }
    const scripts = (value as { scripts?: unknown } | null)?.scripts
    if (!scripts || typeof scripts !== 'object') return out
    for (const hook of LIFECYCLE) {
      const command = (scripts as Record<string, unknown>)[hook]
      if (typeof command !== 'string') continue
      const m = new RegExp(`"${hook}"\\s*:`).exec(file.text)
      const start = m?.index ?? 0
      out.push(
        findingAt(
          'code/install-hook',
          file,
          start,
          start + (m?.[0].length ?? 1),
          `package.json runs \`${hook}\` on install: ${snippet(command)}`,
          HINTS['code/install-hook']
        )
      )
    }
  } else if (name === 'setup.py') {
    for (const m of matches(/\bcmdclass\s*=|\bclass\s+\w+\s*\(\s*(?:install|develop|egg_info|build_py|build_ext|sdist)\s*\)/g, file.text)) {
      out.push(
        findingAt(
          'code/install-hook',
          file,
          m.index,
          m.index + m[0].length,
          `setup.py overrides an install command, which runs code when the package is installed: ${snippet(m[0])}`,
          HINTS['code/install-hook']
        )
      )
    }
  }
  return out
}

const HINTS: Record<CodeRule, string> = {
  'code/example':
    'Nothing to fix if this is an example for readers: keep the sentence before the block saying so. If the agent is meant to run it, rewrite it without the dangerous part.',
  'code/vendor-installer':
    'Ask the user before installing, or name the package-manager command (`brew install uv`). A marketplace that wants no installers piped to a shell sets `code/vendor-installer: error`.',
  'code/git-exec-config':
    'Do not change git settings that run commands. To use hooks kept in the project, set `git config core.hooksPath .githooks` (relative, in the project only).',
  'code/destructive': 'Delete only what the skill created, by its full path inside the project or a named cache folder.',
  'code/process-spawn':
    'Fine when the script needs another program (git, gh, npx): pass arguments as a list, never a shell string with user input in it. Reviewers check what runs.',
  'code/dynamic-code':
    'Write the code out instead of building it from strings at run time; to read data, use a parser (JSON.parse, json.loads, ast.literal_eval).',
  'code/download-exec':
    'Do not run code fetched at run time: it can change after review. Ask the user to install the tool from a package manager, or pin a version and verify its checksum before running it.',
  'code/obfuscation': 'Ship readable source. Nothing in a marketplace package needs to be encoded or minified to run.',
  'code/encoded-blob':
    'Ship the data as a readable file, or explain in a comment what the string is; if it is an image, commit the image file.',
  'code/exfiltration': 'Remove the endpoint. A skill sends data only to the service it is for, and only what the user asked for.',
  'code/credential-access':
    'Do not read credential files; let the tool the skill calls (git, gh, aws) use its own configuration, or read a token from an environment variable the user sets.',
  'code/reverse-shell': 'Remove it. Nothing in a marketplace package opens a shell to a remote host.',
  'code/persistence':
    "Do not change the user's shell start-up files, cron, launch agents or git hooks; print the line for the user to add themselves if they want it.",
  'code/install-hook':
    'Remove the install hook: clients install packages without running their code. Put set-up steps in SKILL.md for the user to run.'
}
