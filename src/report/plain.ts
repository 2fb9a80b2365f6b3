// Text from a pull request (a file name, a package id, a message quoting either) printed to a
// terminal or a workflow log. The Actions runner reads `::command::` at the start of any line
// (after leading spaces) and the legacy `##[command]` anywhere in one, so a file named
// "a\n::add-mask::x" or "##[error]x" printed as it is would run a workflow command in the job
// that prints it (the CLI in a workflow). Hence every control character is escaped, newlines
// included, and `::` and `##[` are broken with an escape; ESC can no longer recolour a terminal.
import { escapeHidden } from '../core/parse/text.js'

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`

/** Printable ASCII, which none of the escapes below touches (DEL and the controls are outside it). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

export function plain(s: string): string {
  // Most text (every package id of a large report) needs no escape: one test instead of four passes.
  if (PRINTABLE_ASCII.test(s) && !s.includes('::') && !s.includes('##[')) return s
  // escapeHidden takes DEL, C1 and the invisible and bidi characters; this takes C0.
  return (
    escapeHidden(s)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f]/g, hex)
      .replace(/::/g, ':\\x3a')
      .replace(/##\[/g, '#\\x23[')
  )
}

/** Text that may hold line breaks (a fix with an example): each line through plain(), the rest indented. */
export function plainLines(s: string, indent: string): string {
  return s
    .split(/\r\n|\n|\r/)
    .map(plain)
    .join(`\n${indent}`)
}
