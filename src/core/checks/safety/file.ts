// One text file of a package as the safety detectors see it: its text, what language it is
// written in (by extension, or by shebang for an extensionless script), and how to turn offsets
// into the located findings every detector returns.
import { finding, type Finding, type Location } from '../../findings/findings.js'
import type { RuleId } from '../../findings/rules.js'
import { LineIndex } from '../../parse/text.js'
import type { PackageRef } from '../../marketplace/paths.js'
import { objectList } from './object-list.js'

export type Language =
  'markdown' | 'shell' | 'python' | 'javascript' | 'powershell' | 'ruby' | 'perl' | 'php' | 'batch' | 'json' | 'yaml' | 'toml' | 'text'

export interface TextFile {
  /** Path relative to the marketplace root. */
  path: string
  /** Path relative to the package directory. */
  rel: string
  pkg: PackageRef
  text: string
  language: Language
  /** Where each line starts (made on first use). */
  readonly lines: LineIndex
}

const BY_EXTENSION: Record<string, Language> = {
  md: 'markdown',
  mdx: 'markdown',
  markdown: 'markdown',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  ksh: 'shell',
  fish: 'shell',
  command: 'shell',
  py: 'python',
  pyw: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'javascript',
  mts: 'javascript',
  cts: 'javascript',
  tsx: 'javascript',
  ps1: 'powershell',
  psm1: 'powershell',
  psd1: 'powershell',
  rb: 'ruby',
  pl: 'perl',
  pm: 'perl',
  php: 'php',
  bat: 'batch',
  cmd: 'batch',
  json: 'json',
  jsonc: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml'
}

/** Languages whose files are programs an agent or a user may run. */
export const CODE_LANGUAGES: ReadonlySet<Language> = new Set([
  'shell',
  'python',
  'javascript',
  'powershell',
  'ruby',
  'perl',
  'php',
  'batch'
])

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
}

/** The language a file is written in: its extension, else its `#!` line, else plain text. */
export function languageOf(path: string, text: string): Language {
  const byExt = BY_EXTENSION[extensionOf(path)]
  if (byExt) return byExt
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(text)
  if (shebang) {
    const program = (shebang[1]?.endsWith('/env') ? shebang[2] : shebang[1])?.split('/').pop() ?? ''
    if (/^(?:ba|z|k|da|fi)?sh$/.test(program)) return 'shell'
    if (/^python/.test(program)) return 'python'
    if (/^(?:node|deno|bun|tsx|ts-node)$/.test(program)) return 'javascript'
    if (/^pwsh|^powershell/.test(program)) return 'powershell'
    if (program === 'ruby') return 'ruby'
    if (program === 'perl') return 'perl'
    if (program === 'php') return 'php'
  }
  return 'text'
}

/** The language of a Markdown fence's info string (```bash), when it is one we scan as code. */
export function fenceLanguage(info: string): Language | undefined {
  const word =
    info
      .trim()
      .split(/[\s{,]/)[0]
      ?.toLowerCase() ?? ''
  if (/^(?:sh|bash|zsh|shell|console|shell-session|terminal|ksh|fish)$/.test(word)) return 'shell'
  if (/^(?:py|python|python3)$/.test(word)) return 'python'
  if (/^(?:js|javascript|ts|typescript|node|mjs|cjs|jsx|tsx)$/.test(word)) return 'javascript'
  if (/^(?:ps|ps1|powershell|pwsh)$/.test(word)) return 'powershell'
  if (/^(?:rb|ruby)$/.test(word)) return 'ruby'
  if (/^(?:bat|batch|cmd)$/.test(word)) return 'batch'
  return undefined
}

export function makeTextFile(pkg: PackageRef, path: string, text: string): TextFile {
  return new ScannedText(pkg, path, text)
}

/**
 * A file's text as the detectors read it. Its line index (a pass over every character) is made
 * when a finding is first located in it: most files have none, and the index was ≈ 8 % of the
 * detectors' time on a marketplace of clean packages.
 */
class ScannedText implements TextFile {
  readonly rel: string
  readonly language: Language
  private index: LineIndex | undefined

  constructor(
    readonly pkg: PackageRef,
    readonly path: string,
    readonly text: string
  ) {
    this.rel = path.slice(pkg.dir.length + 1)
    this.language = languageOf(path, text)
  }

  get lines(): LineIndex {
    return (this.index ??= new LineIndex(this.text))
  }
}

/** The location of text[start, end) in the file. */
export function locate(file: TextFile, start: number, end = start + 1): Location {
  return { package: file.pkg.id, file: file.path, ...file.lines.range(start, Math.max(start + 1, end)) }
}

/** A finding about text[start, end) of the file. */
export function findingAt(rule: RuleId, file: TextFile, start: number, end: number, message: string, hint?: string): Finding {
  return finding(rule, locate(file, start, end), message, hint)
}

/**
 * Every character that is invisible, a control, or reorders text: more than text.ts's escapeHidden
 * covers, because safety findings quote hostile text on purpose. \t \n \f \r are not included.
 */
export const HIDDEN_CHARS =
  // Controls and combining marks on purpose: these are the characters being looked for.
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|[\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}\u{1d173}-\u{1d17a}]/gu

// Its own regex object: a global regex carries state (lastIndex) between uses.
// eslint-disable-next-line no-misleading-character-class
const REVEAL = new RegExp(HIDDEN_CHARS.source, 'gu')

/** JSON-quotes text and escapes every hidden character as `\u{...}`, so a message shows what is there. */
export function reveal(s: string): string {
  return JSON.stringify(s).replace(REVEAL, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`)
}

/** Text from a package, quoted for a message: hidden characters escaped, long text cut. */
export function snippet(text: string, max = 80): string {
  const oneLine = text.replace(/[ \t\r\n]+/g, ' ').trim()
  return reveal([...oneLine].length > max ? `${[...oneLine].slice(0, max - 1).join('')}…` : oneLine)
}

/** Offsets of every match of a global regex. */
export function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  if (!re.global) throw new Error(`regex ${re} must be global`)
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    yield m
    if (m[0] === '') re.lastIndex++
  }
}

/** No match: the same kind of list as the matches found (object-list.ts); readonly, as it is shared. */
export const NO_MATCHES: readonly RegExpExecArray[] = objectList<RegExpExecArray>()

/** Every match of a global regex, as matches() gives them, in an array (the shared empty one when none). */
export function allMatches(re: RegExp, text: string): readonly RegExpExecArray[] {
  let found: RegExpExecArray[] | undefined
  for (const m of matches(re, text)) (found ??= objectList()).push(m)
  return found ?? NO_MATCHES
}
