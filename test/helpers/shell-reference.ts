// The shell tokenizer as it was before it read words in runs (a string per character) and tested a
// character before trying the redirection and operator forms: the reference that
// test/safety-shell-tokenizer.test.ts holds src/core/checks/safety/shell.ts to on generated texts.
// Kept as it was, not maintained: a change of what the tokenizer means changes both.
import type { Command, Redirect, Word } from '../../src/core/checks/safety/shell.js'

const OPERATORS = ['&&', '||', ';;', '|&', '|', ';', '&', '\n']
const REDIRECTS = /^(?:\d*>>|\d*>&|\d*<&|&>>|&>|\d*>\|?|\d*<<<|\d*<<-?|\d*<>|\d*<)/

/** The commands of a shell text, in order; each knows the operator that follows it. */
export function referenceTokenizeShell(text: string, offset = 0, depth = 0): Command[] {
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
    const redirect = processSubstitution ? null : REDIRECTS.exec(text.slice(i, i + 5))
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
    const op = OPERATORS.find((o) => text.startsWith(o, i))
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

/** Reads one word starting at `i`: quotes, escapes and substitutions included. */
function readWord(text: string, start: number, offset: number, depth: number): { word: Word; next: number } {
  let i = start
  let value = ''
  let quoted = false
  const substitutions: Word['substitutions'] = []
  while (i < text.length) {
    const c = text[i] as string
    if (c === '\\') {
      if (text[i + 1] === '\n') {
        i += 2
        continue
      }
      value += text[i + 1] ?? ''
      i += 2
      continue
    }
    if (c === "'") {
      quoted = true
      const close = text.indexOf("'", i + 1)
      const end = close < 0 ? text.length : close
      value += text.slice(i + 1, end)
      i = end + 1
      continue
    }
    if (c === '"') {
      quoted = true
      i++
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1] as string)) {
          if (text[i + 1] !== '\n') value += text[i + 1]
          i += 2
          continue
        }
        if (text.startsWith('$(', i) && !text.startsWith('$((', i)) {
          const sub = balanced(text, i + 2)
          substitutions.push({ text: text.slice(i + 2, sub), start: offset + i + 2 })
          value += text.slice(i, sub + 1)
          i = sub + 1
          continue
        }
        if (text[i] === '`') {
          const close = text.indexOf('`', i + 1)
          const end = close < 0 ? text.length : close
          substitutions.push({ text: text.slice(i + 1, end), start: offset + i + 1 })
          value += text.slice(i, end + 1)
          i = end + 1
          continue
        }
        value += text[i]
        i++
      }
      i++
      continue
    }
    if (text.startsWith('$(', i) && !text.startsWith('$((', i)) {
      const sub = balanced(text, i + 2)
      substitutions.push({ text: text.slice(i + 2, sub), start: offset + i + 2 })
      value += text.slice(i, sub + 1)
      i = sub + 1
      continue
    }
    if (text.startsWith('$((', i)) {
      const close = text.indexOf('))', i)
      const end = close < 0 ? text.length : close + 2
      value += text.slice(i, end)
      i = end
      continue
    }
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i)
      const end = close < 0 ? text.length : close + 1
      value += text.slice(i, end)
      i = end
      continue
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1)
      const end = close < 0 ? text.length : close
      substitutions.push({ text: text.slice(i + 1, end), start: offset + i + 1 })
      value += text.slice(i, end + 1)
      i = end + 1
      continue
    }
    if ((c === '<' || c === '>') && text[i + 1] === '(') {
      // Process substitution <(…) / >(…): its commands run.
      const sub = balanced(text, i + 2)
      substitutions.push({ text: text.slice(i + 2, sub), start: offset + i + 2 })
      value += text.slice(i, sub + 1)
      i = sub + 1
      continue
    }
    if (stop(c)) break
    value += c
    i++
  }
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
