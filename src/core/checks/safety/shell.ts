// A shell tokenizer for the safety detectors: POSIX-shell words (quotes removed, positions kept),
// the operators that separate commands (`|`, `&&`, `||`, `;`, `&`, newlines), redirections, and
// the text of command substitutions (`$(…)`, backticks), which are tokenized in turn. Heredoc
// bodies and comments are skipped. It never expands or runs anything; it is what a reader needs to
// tell `curl … | python script.py` (data into a script) from `curl … | python` (code into Python).
//
// Not shell-quote: it has no newline separator, no heredocs and no nested `$(…)`, all of which
// scripts and Markdown code blocks are full of.

export interface Word {
  /** The word with quotes and escapes removed (`$VAR` kept as written). */
  value: string
  start: number
  end: number
  /** Contents of `$(…)` and backtick substitutions in the word. */
  substitutions: { text: string; start: number }[]
  /** Whether any part of the word was quoted. */
  quoted: boolean
}

export interface Redirect {
  op: string
  target: Word
}

export interface Command {
  words: Word[]
  redirects: Redirect[]
  /** Environment assignments before the command name (`FOO=1 cmd`). */
  assignments: Word[]
  start: number
  end: number
  /** The operator that joins this command to the next one ('|', '&&', '||', ';', '&', '\n', ''). */
  next: string
}

/** A pipeline: commands joined by `|`. */
export type Pipeline = Command[]

const OPERATORS = ['&&', '||', ';;', '|&', '|', ';', '&', '\n']
const REDIRECTS = /^(?:\d*>>|\d*>&|\d*<&|&>>|&>|\d*>\|?|\d*<<<|\d*<<-?|\d*<>|\d*<)/

/** The commands of a shell text, in order; each knows the operator that follows it. */
export function tokenizeShell(text: string, offset = 0, depth = 0): Command[] {
  const commands: Command[] = []
  let words: Word[] = []
  let redirects: Redirect[] = []
  let assignments: Word[] = []
  let cmdStart = -1
  let pendingRedirect: string | undefined
  const heredocs: { tag: string; strip: boolean }[] = []
  let i = 0

  const finish = (op: string, at: number) => {
    if (words.length || redirects.length || assignments.length) {
      commands.push({ words, redirects, assignments, start: offset + (cmdStart < 0 ? at : cmdStart), end: offset + at, next: op })
    }
    words = []
    redirects = []
    assignments = []
    cmdStart = -1
  }

  while (i < text.length) {
    const c = text[i] as string
    // Line continuation.
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
      continue
    }
    if (c === '#') {
      // A comment runs to the end of the line (a `#` inside a word was consumed by readWord).
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    if (c === '\n' && heredocs.length) {
      finish('\n', i)
      i = skipHeredocs(text, i + 1, heredocs)
      heredocs.length = 0
      continue
    }
    const processSubstitution = (c === '<' || c === '>') && text[i + 1] === '('
    // Every redirection starts with a digit, `<`, `>` or `&`: other characters are not cut out and tried.
    const redirect = processSubstitution || !mayRedirect(c) ? null : REDIRECTS.exec(text.slice(i, i + 5))
    if (redirect && !(c >= '0' && c <= '9' && words.length === 0 && !/^\d+[<>]/.test(text.slice(i, i + 4)))) {
      if (cmdStart < 0) cmdStart = i
      pendingRedirect = redirect[0]
      i += redirect[0].length
      if (/<<-?$/.test(pendingRedirect) && !pendingRedirect.endsWith('<<<')) {
        // Heredoc: the delimiter word follows; the body starts on the next line.
        while (text[i] === ' ' || text[i] === '\t') i++
        const w = readWord(text, i, offset, depth)
        heredocs.push({ tag: w.word.value, strip: pendingRedirect.endsWith('-') })
        redirects.push({ op: pendingRedirect, target: w.word })
        pendingRedirect = undefined
        i = w.next
      }
      continue
    }
    const op = operatorAt(text, i)
    if (op) {
      finish(op === '|&' ? '|' : op, i)
      i += op.length
      continue
    }
    if (c === '(' || c === ')' || c === '{' || c === '}') {
      // Subshells and groups: their commands are tokenized like any other.
      if ((c === '{' || c === '}') && words.length) {
        // `{` inside a command is a word (brace expansion, awk programs): read it as one.
      } else {
        finish(';', i)
        i++
        continue
      }
    }
    if (cmdStart < 0) cmdStart = i
    const w = readWord(text, i, offset, depth)
    i = w.next
    if (pendingRedirect !== undefined) {
      redirects.push({ op: pendingRedirect, target: w.word })
      pendingRedirect = undefined
    } else if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.word.value)) {
      assignments.push(w.word)
    } else {
      words.push(w.word)
    }
  }
  finish('', text.length)
  return commands
}

/** A character a redirection can start with (REDIRECTS): a digit, `<`, `>` or `&`. */
function mayRedirect(c: string): boolean {
  return (c >= '0' && c <= '9') || c === '<' || c === '>' || c === '&'
}

/**
 * The operator at `i`, the first of OPERATORS that the text has there. Module level and behind a test
 * of the character (every operator starts with `&`, `|`, `;` or a newline): a closure per position
 * read was made for OPERATORS.find, and a name set on it (the bundle's keepNames).
 */
function operatorAt(text: string, i: number): string | undefined {
  const c = text[i]
  if (c !== '&' && c !== '|' && c !== ';' && c !== '\n') return undefined
  for (const o of OPERATORS) if (text.startsWith(o, i)) return o
  return undefined
}

function skipHeredocs(text: string, from: number, docs: { tag: string; strip: boolean }[]): number {
  let i = from
  for (const doc of docs) {
    while (i < text.length) {
      const eol = text.indexOf('\n', i)
      const line = text.slice(i, eol < 0 ? text.length : eol)
      i = eol < 0 ? text.length : eol + 1
      if ((doc.strip ? line.replace(/^\t+/, '') : line).replace(/\r$/, '') === doc.tag) break
    }
  }
  return i
}

/**
 * Whether a character ends an unquoted word. Module level rather than a closure in readWord: the
 * bundle names every closure it creates (esbuild's keepNames), a property write per word read.
 */
function stop(ch: string): boolean {
  return (
    ch === ' ' ||
    ch === '\t' ||
    ch === '\n' ||
    ch === '\r' ||
    ch === ';' ||
    ch === '&' ||
    ch === '|' ||
    ch === '<' ||
    ch === '>' ||
    ch === ')' ||
    ch === '('
  )
}

/**
 * Reads one word starting at `i`: quotes, escapes and substitutions included. Text that stays as
 * written (plain characters, `$(…)`, `${…}`, backticks) is taken as one slice per run, not a
 * character at a time: a string per character read was the largest allocation of the scan.
 */
function readWord(text: string, start: number, offset: number, depth: number): { word: Word; next: number } {
  let i = start
  let value = ''
  // Where the current run of text taken as written began; value holds what came before it.
  let plain = start
  let quoted = false
  const substitutions: Word['substitutions'] = []
  while (i < text.length) {
    const c = text[i] as string
    if (c === '\\') {
      value += text.slice(plain, i)
      if (text[i + 1] !== '\n') value += text[i + 1] ?? ''
      i += 2
      plain = i
      continue
    }
    if (c === "'") {
      quoted = true
      value += text.slice(plain, i)
      const close = text.indexOf("'", i + 1)
      const end = close < 0 ? text.length : close
      value += text.slice(i + 1, end)
      i = end + 1
      plain = i
      continue
    }
    if (c === '"') {
      quoted = true
      value += text.slice(plain, i)
      i++
      let run = i
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1] as string)) {
          value += text.slice(run, i)
          if (text[i + 1] !== '\n') value += text[i + 1]
          i += 2
          run = i
          continue
        }
        if (text.startsWith('$(', i) && !text.startsWith('$((', i)) {
          const sub = balanced(text, i + 2)
          substitutions.push({ text: text.slice(i + 2, sub), start: offset + i + 2 })
          i = sub + 1
          continue
        }
        if (text[i] === '`') {
          const close = text.indexOf('`', i + 1)
          const end = close < 0 ? text.length : close
          substitutions.push({ text: text.slice(i + 1, end), start: offset + i + 1 })
          i = end + 1
          continue
        }
        i++
      }
      value += text.slice(run, i)
      i++
      plain = i
      continue
    }
    // What follows is kept as written: the run goes on.
    if (text.startsWith('$(', i) && !text.startsWith('$((', i)) {
      const sub = balanced(text, i + 2)
      substitutions.push({ text: text.slice(i + 2, sub), start: offset + i + 2 })
      i = sub + 1
      continue
    }
    if (text.startsWith('$((', i)) {
      const close = text.indexOf('))', i)
      i = close < 0 ? text.length : close + 2
      continue
    }
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i)
      i = close < 0 ? text.length : close + 1
      continue
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1)
      const end = close < 0 ? text.length : close
      substitutions.push({ text: text.slice(i + 1, end), start: offset + i + 1 })
      i = end + 1
      continue
    }
    if ((c === '<' || c === '>') && text[i + 1] === '(') {
      // Process substitution <(…) / >(…): its commands run.
      const sub = balanced(text, i + 2)
      substitutions.push({ text: text.slice(i + 2, sub), start: offset + i + 2 })
      i = sub + 1
      continue
    }
    if (stop(c)) break
    i++
  }
  value += text.slice(plain, i)
  void depth
  return { word: { value, start: offset + start, end: offset + i, substitutions, quoted }, next: i }
}

/** Index of the `)` that closes a `$(` whose content starts at `from` (quotes respected). */
function balanced(text: string, from: number): number {
  let depth = 1
  let i = from
  while (i < text.length) {
    const c = text[i]
    if (c === '\\') {
      i += 2
      continue
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1)
      i = close < 0 ? text.length : close + 1
      continue
    }
    if (c === '"') {
      i++
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
      i++
      continue
    }
    if (c === '(') depth++
    if (c === ')') {
      depth--
      if (depth === 0) return i
    }
    i++
  }
  return text.length
}

/** Commands grouped into pipelines (`a | b | c` is one pipeline of three). */
export function pipelines(commands: readonly Command[]): Pipeline[] {
  const out: Pipeline[] = []
  let current: Command[] = []
  for (const c of commands) {
    current.push(c)
    if (c.next !== '|') {
      out.push(current)
      current = []
    }
  }
  if (current.length) out.push(current)
  return out
}

/** A command's program name without its directory (`/usr/bin/env python3` -> `python3`), after `sudo`, `env`, `command`, `exec`, `nohup`, `time`. */
export function programOf(cmd: Command): { name: string; args: Word[] } {
  let words = cmd.words
  for (;;) {
    const first = words[0]
    if (!first) return { name: '', args: [] }
    const name = first.value.slice(first.value.lastIndexOf('/') + 1)
    if (/^(?:sudo|doas|env|command|exec|nohup|time|nice|xargs)$/.test(name)) {
      words = words.slice(1)
      // Options of the wrapper (`sudo -E`, `env -i`, `env FOO=1`).
      while (words[0] && (/^-/.test(words[0].value) || (name === 'env' && /^[A-Za-z_]\w*=/.test(words[0].value)))) words = words.slice(1)
      continue
    }
    return { name, args: words.slice(1) }
  }
}

/** Every command of the text, and of the command substitutions inside it, recursively (bounded). */
export function allCommands(text: string, offset = 0, depth = 0): Command[] {
  const top = tokenizeShell(text, offset, depth)
  if (depth >= 4) return top
  const out: Command[] = []
  for (const c of top) {
    out.push(c)
    for (const w of [...c.words, ...c.assignments, ...c.redirects.map((r) => r.target)]) {
      for (const s of w.substitutions) out.push(...allCommands(s.text, s.start, depth + 1))
    }
  }
  return out
}
