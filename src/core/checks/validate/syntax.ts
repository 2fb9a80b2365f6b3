// .ts/.js tools: parsed with @babel/parser to report every syntax error with its position. The code
// is never run, imported or type-checked; a publisher's file is data here.
import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser'
import { finding, type Finding } from '../../findings/findings.js'
import { LineIndex } from '../../parse/text.js'
import { extensionOf, type Extension } from './source-files.js'

export { SOURCE_EXTENSIONS, isSourceFile } from './source-files.js'

export interface SourceContext {
  package: string
  /** Path of the file in the marketplace repo; its extension picks the parser settings. */
  file: string
}

/** Error recovery can turn one broken file into thousands of errors; past this many, one summary. */
export const MAX_SYNTAX_FINDINGS = 25

const TS = new Set<Extension>(['.ts', '.mts', '.cts', '.tsx'])

interface BabelError {
  message: string
  pos?: number
  loc?: { line: number; column: number; index?: number }
  reasonCode?: string
}

export function checkSource(text: string, ctx: SourceContext): Finding[] {
  const ext = extensionOf(ctx.file)
  if (!ext) return []
  // Editors do not show a BOM, so columns on line 1 are counted without it.
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  const jsx = ext === '.tsx' || ext === '.jsx'
  const errors = syntaxErrors(src, ext, { typescript: TS.has(ext), jsx }, ctx.file)
  if (errors.length === 0) return []

  const lines = new LineIndex(src)
  const at = { package: ctx.package, file: ctx.file }
  const language = TS.has(ext) ? (jsx ? 'TypeScript with JSX' : 'TypeScript') : jsx ? 'JavaScript with JSX' : 'JavaScript'
  const hint =
    renameHint(src, ext, ctx.file) ??
    `The file is parsed as ${language} (by its \`${ext}\` extension), never run. Fix the code at this position; an editor with TypeScript support shows the same error in place.`

  const seen = new Set<string>()
  const located = errors
    .map((e) => ({ e, pos: positionOf(e, lines) }))
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column)
    .filter(({ e, pos }) => {
      const key = `${pos.line}:${pos.column}:${e.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })

  const findings = located
    .slice(0, MAX_SYNTAX_FINDINGS)
    .map(({ e, pos }) => finding('source/syntax', { ...at, ...pos }, `syntax error in ${baseName(ctx.file)}: ${describe(e)}`, hint))
  const rest = located.length - MAX_SYNTAX_FINDINGS
  const next = located[MAX_SYNTAX_FINDINGS]
  if (rest > 0 && next) {
    findings.push(
      finding(
        'source/syntax',
        { ...at, ...next.pos },
        `${rest} more syntax error${rest === 1 ? '' : 's'} in ${baseName(ctx.file)} from here on are not listed`,
        'Fix the errors above first: one early mistake (an unclosed bracket or string) often causes many of the later ones.'
      )
    )
  }
  return findings
}

interface Dialect {
  typescript: boolean
  jsx: boolean
}

function options(ext: Extension, dialect: Dialect, file: string): ParserOptions {
  const plugins: ParserPlugin[] = []
  if (dialect.typescript) {
    plugins.push(['typescript', { dts: /\.d\.[cm]?ts$/i.test(file) }])
    // TypeScript 5 accepts standard decorators; JavaScript runtimes do not yet.
    plugins.push('decorators')
  }
  if (dialect.jsx) plugins.push('jsx')
  return {
    // .mjs/.mts are always modules, .cjs always CommonJS; elsewhere import/export decides, as in Node.
    sourceType: ext === '.mjs' || ext === '.mts' ? 'module' : ext === '.cjs' ? 'script' : 'unambiguous',
    allowReturnOutsideFunction: ext === '.cjs',
    errorRecovery: true,
    attachComment: false,
    plugins
  }
}

function syntaxErrors(src: string, ext: Extension, dialect: Dialect, file: string): BabelError[] {
  try {
    const ast = parse(src, options(ext, dialect, file))
    return ast.errors as BabelError[]
  } catch (e) {
    // What error recovery cannot get past is thrown; it is still one syntax error with a position.
    return [e instanceof Error ? e : { message: String(e) }]
  }
}

/**
 * The most common cause of a file that does not parse is the wrong extension: JSX in a `.ts`/`.js`
 * file, or TypeScript in a `.js` file. When the file parses cleanly as the other dialect, say so.
 */
function renameHint(src: string, ext: Extension, file: string): string | undefined {
  if (ext === '.tsx' || ext === '.jsx') return undefined
  const ts = TS.has(ext)
  const tries: { dialect: Dialect; to: string; what: string }[] = ts
    ? [{ dialect: { typescript: true, jsx: true }, to: '.tsx', what: 'JSX' }]
    : [
        { dialect: { typescript: true, jsx: false }, to: ext.replace('j', 't'), what: 'TypeScript' },
        { dialect: { typescript: false, jsx: true }, to: '.jsx', what: 'JSX' },
        { dialect: { typescript: true, jsx: true }, to: '.tsx', what: 'TypeScript with JSX' }
      ]
  for (const t of tries) {
    if (syntaxErrors(src, ext, t.dialect, file).length === 0) {
      return `The file parses as ${t.what}, which a \`${ext}\` file may not contain: rename it to \`${baseName(file).replace(/\.[^.]+$/, t.to)}\` and update the manifest's \`entrypoint\`.`
    }
  }
  return undefined
}

function positionOf(e: BabelError, lines: LineIndex): { line: number; column: number } {
  // Babel also counts U+2028, U+2029 and a lone CR as line breaks; editors and GitHub annotations
  // count only LF, so positions are recomputed from the offset.
  const offset = e.pos ?? e.loc?.index
  if (offset !== undefined) {
    const p = lines.position(offset)
    return { line: p.line, column: p.column }
  }
  if (e.loc) return { line: e.loc.line, column: e.loc.column + 1 }
  return { line: 1, column: 1 }
}

function describe(e: BabelError): string {
  // Babel appends "(line:column)" with a 0-based column; the finding carries the position instead.
  return e.message.replace(/\s*\(\d+:\d+\)$/, '')
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}
