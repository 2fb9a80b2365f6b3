// A regex searched only where a short infix of its matches occurs. Some secret patterns start
// with a character class (`[MNO]…` for a Discord bot token, `\b[a-z]…://` for a URL with a
// password): irregexp tries them at every letter of every file, and on a marketplace of prose
// those two were the costliest regexes of the secrets family. Every match of theirs holds a
// literal (`.` with another dot 7 further on, `://`) a bounded distance from its start, with only a few
// kinds of characters in between, so the places a match can start are few and easy to find.
import { NO_MATCHES } from './file.js'
import { objectList } from './object-list.js'

export interface Infix {
  /** A literal every match of the searched regex holds (found with indexOf, which irregexp's scan is not as fast as). */
  literal: string
  /** A test every place of the literal that is a match's must pass (a cheap necessary condition), or none. */
  confirm?: (text: string, at: number) => boolean
  /** A match of the searched regex starts `min` to `max` code units before its infix. */
  min: number
  max: number
  /**
   * Every code unit between a match's start and its infix is one of these (ASCII only: a test
   * checks every code unit against the searched regex's classes).
   */
  run: RegExp
}

/** An Infix ready to search: a sticky copy of the regex and the run's characters as a table. */
export interface InfixSearch extends Infix {
  /** The regex searched (global). */
  re: RegExp
  sticky: RegExp
  runChar: Uint8Array
}

export function infixSearch(re: RegExp, infix: Infix): InfixSearch {
  if (!re.global) throw new Error(`regex ${re} must be global`)
  const runChar = new Uint8Array(128)
  for (let c = 0; c < 128; c++) runChar[c] = infix.run.test(String.fromCharCode(c)) ? 1 : 0
  return { ...infix, re, sticky: new RegExp(re.source, re.flags.replace('g', '') + 'y'), runChar }
}

/**
 * Every match of the regex in `text`, the same as a global search gives (matches() in file.ts):
 * the regex is tried (sticky) only at the places a match can start, in ascending order, each
 * search from where the last match ended. Those places lie min..max code units before an
 * occurrence of the infix, within the run of `run` characters that ends at it; the windows of
 * ascending occurrences ascend, so each place is tried once and the first that matches is the one
 * a global search from the same point finds, with the same text and groups.
 */
export function infixMatches(search: InfixSearch, text: string): readonly RegExpExecArray[] {
  const { literal, confirm, min, max, sticky, runChar } = search
  let found: RegExpExecArray[] | undefined
  let next = 0 // places below this are tried already, or inside a match
  // Every occurrence, overlapping ones too (`.abcdef.ghijkl.` holds two).
  for (let q = text.indexOf(literal); q >= 0; q = text.indexOf(literal, q + 1)) {
    if (confirm && !confirm(text, q)) continue
    let p = q
    while (p > 0 && q - p < max) {
      const c = text.charCodeAt(p - 1)
      if (c >= 128 || runChar[c] === 0) break
      p--
    }
    for (let s = Math.max(p, q - max, next); s <= q - min; s++) {
      sticky.lastIndex = s
      const m = sticky.exec(text)
      if (!m) continue
      ;(found ??= objectList()).push(m)
      next = m.index + Math.max(1, m[0].length)
      s = next - 1
    }
    next = Math.max(next, q - min + 1)
  }
  return found ?? NO_MATCHES
}
