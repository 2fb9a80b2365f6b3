// Hidden Unicode (docs: /work/shared/reference/FORMATS.md, "Hidden Unicode"): bidi controls that
// reorder what a reviewer sees (Trojan Source), tag characters and variation-selector runs that
// smuggle text an agent reads but a human does not, invisible characters judged in context, and
// identifiers that mix Latin with Cyrillic or Greek look-alikes.
import type { Finding } from '../../findings/findings.js'
import type { RuleId } from '../../findings/rules.js'
import { CODE_LANGUAGES, HIDDEN_CHARS, findingAt, matches, reveal, snippet, type TextFile } from './file.js'
import { markdownRegions, regionAt, type Region } from './markdown.js'

// Every hidden character gets a second look; ordinary text never matches.
const SUSPECT = new RegExp(HIDDEN_CHARS.source, 'gu')

const isBidiControl = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
const isBidiMark = (cp: number) => cp === 0x200e || cp === 0x200f || cp === 0x061c
const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f
const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)
const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)

const RTL_LETTER = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u
/** Scripts whose writing uses ZWJ/ZWNJ between letters (Persian, Arabic, Indic scripts, Sinhala...). */
const JOINING_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Hebrew}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Mongolian}]/u
const EMOJI_BASE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]/u
const EMOJI_CAPABLE = /\p{Emoji}/u
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

/** Code points of the text around a position, skipping a given set. */
function neighbour(text: string, from: number, step: 1 | -1, skip: (cp: number) => boolean): { cp: number; ch: string } | undefined {
  let i = from
  while (i >= 0 && i < text.length) {
    const cp = text.codePointAt(i) as number
    // Moving back onto a low surrogate: step to the start of the pair.
    if (step < 0 && cp >= 0xdc00 && cp <= 0xdfff && i > 0) {
      const full = text.codePointAt(i - 1) as number
      if (full > 0xffff) {
        if (!skip(full)) return { cp: full, ch: String.fromCodePoint(full) }
        i -= 2
        continue
      }
    }
    if (!skip(cp)) return { cp, ch: String.fromCodePoint(cp) }
    i += step * (cp > 0xffff ? 2 : 1)
  }
  return undefined
}

interface Run {
  start: number
  end: number
  cps: number[]
}

/** Consecutive suspect characters, as one run each. */
function suspectRuns(text: string): Run[] {
  const runs: Run[] = []
  for (const m of matches(SUSPECT, text)) {
    const cp = m[0].codePointAt(0) as number
    const last = runs[runs.length - 1]
    if (last && last.end === m.index) {
      last.end += m[0].length
      last.cps.push(cp)
    } else runs.push({ start: m.index, end: m.index + m[0].length, cps: [cp] })
  }
  return runs
}

/**
 * The line around an offset, at most 60 characters either side: enough to recognise it, and
 * cheap when a 100 KB line holds thousands of hidden characters.
 */
function lineAround(text: string, offset: number): string {
  // Only the 60 characters either side are looked at, so each call costs the same on any line.
  const from = Math.max(0, offset - 60)
  const before = text.slice(from, offset)
  const after = text.slice(offset, offset + 60)
  const nl = before.lastIndexOf('\n')
  const cut = after.indexOf('\n')
  const head = nl >= 0 ? before.slice(nl + 1) : `${from > 0 ? '…' : ''}${before}`
  const tail = cut >= 0 ? after.slice(0, cut) : `${after}${offset + 60 < text.length ? '…' : ''}`
  return head + tail
}

/** Decodes tag characters (U+E0020-E007E are ASCII + 0xE0000). */
function decodeTags(cps: readonly number[]): string {
  return cps.map((cp) => (cp >= 0xe0020 && cp <= 0xe007e ? String.fromCharCode(cp - 0xe0000) : '')).join('')
}

/** Decodes a variation-selector run the way smuggling tools encode bytes: FE00-FE0F = 0-15, E0100-E01EF = 16-255. */
function decodeVariationSelectors(cps: readonly number[]): string {
  const bytes = cps.map((cp) => (cp <= 0xfe0f ? cp - 0xfe00 : cp - 0xe0100 + 16))
  return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes))
}

function visible(s: string, max = 120): string {
  const chars = [...s]
  return reveal(chars.length > max ? `${chars.slice(0, max).join('')}…` : s)
}

export function unicodeFindings(file: TextFile): Finding[] {
  const runs = suspectRuns(file.text)
  // Most files have none: they return before the closures below are made (the bundle names every
  // closure it creates, esbuild's keepNames: a property write per closure per file).
  return runs.length ? runFindings(file, runs) : []
}

function runFindings(file: TextFile, runs: readonly Run[]): Finding[] {
  const text = file.text
  const out: Finding[] = []
  const isCode = CODE_LANGUAGES.has(file.language) || file.language === 'json' || file.language === 'yaml' || file.language === 'toml'
  let regions: readonly Region[] | undefined
  const inMarkdownCode = (offset: number) => {
    if (file.language !== 'markdown') return false
    regions ??= markdownRegions(text)
    const r = regionAt(regions, offset)
    return r?.kind === 'fence' || r?.kind === 'inline-code'
  }
  const add = (rule: RuleId, run: { start: number; end: number }, message: string, hint?: string) =>
    out.push(findingAt(rule, file, run.start, run.end, message, hint))

  for (const run of runs) {
    // Split a run into its kinds: a bidi override next to a ZWSP is two problems.
    let i = 0
    while (i < run.cps.length) {
      const cp = run.cps[i] as number
      let j = i + 1
      const offset = run.start + run.cps.slice(0, i).reduce((n, c) => n + (c > 0xffff ? 2 : 1), 0)
      const same = (c: number) =>
        isTag(cp) ? isTag(c) : isVariationSelector(cp) ? isVariationSelector(c) : isBidiControl(cp) ? isBidiControl(c) : c === cp
      while (j < run.cps.length && same(run.cps[j] as number)) j++
      const cps = run.cps.slice(i, j)
      const end = offset + cps.reduce((n, c) => n + (c > 0xffff ? 2 : 1), 0)
      judge(cps, { start: offset, end })
      i = j
    }
  }
  return out

  function judge(cps: number[], at: { start: number; end: number }): void {
    const cp = cps[0] as number
    const codes = [...new Set(cps)].map(hex).join(', ')
    if (isBidiControl(cp)) {
      add(
        'unicode/bidi-control',
        at,
        `bidi control character${cps.length > 1 ? 's' : ''} ${codes}: the line displays in a different order than it is read; as stored it is ${visible(lineAround(text, at.start))}`,
        'Remove the bidi control characters (U+202A-U+202E, U+2066-U+2069). Right-to-left text displays correctly without them.'
      )
      return
    }
    if (isBidiMark(cp)) {
      if (!isCode && RTL_LETTER.test(lineAround(text, at.start))) return // natural right-to-left writing
      add(
        'unicode/bidi-mark',
        at,
        `invisible direction mark ${codes} outside right-to-left text; the line as stored is ${visible(lineAround(text, at.start))}`,
        'Remove the mark: it has no effect here except hiding how the line is ordered.'
      )
      return
    }
    if (isTag(cp)) {
      // The one legitimate use: a subdivision flag, 🏴 + tag letters + CANCEL TAG (U+E007F).
      const before = neighbour(text, at.start - 1, -1, () => false)
      const isFlag =
        before?.cp === 0x1f3f4 &&
        cps[cps.length - 1] === 0xe007f &&
        cps.slice(0, -1).every((c) => c >= 0xe0020 && c <= 0xe007e) &&
        cps.length <= 8
      if (isFlag) return
      add(
        'unicode/smuggled-text',
        at,
        `${cps.length} invisible Unicode tag character${cps.length === 1 ? '' : 's'} hide the text ${visible(decodeTags(cps))}; an agent reads it, a reviewer does not see it`,
        'Remove the tag characters (U+E0000-U+E007F). If the hidden text is an instruction, it was put there to trick agents.'
      )
      return
    }
    if (isVariationSelector(cp)) {
      // A doubled emoji presentation selector (❤️️) is a copy-and-paste slip, not a payload.
      if (cps.length >= 2 && cps.length <= 4 && cps.every((c) => c === 0xfe0f || c === 0xfe0e)) {
        add(
          'unicode/stray-invisible',
          at,
          `${cps.length} emoji variation selectors in a row (${codes}); one is enough`,
          'Delete the extra selectors.'
        )
        return
      }
      if (cps.length >= 2) {
        add(
          'unicode/smuggled-text',
          at,
          `a run of ${cps.length} variation selectors hides data (as bytes it reads ${visible(decodeVariationSelectors(cps))}); a variation selector is only ever needed once, after an emoji or ideograph`,
          'Remove the variation selectors after the character they follow.'
        )
        return
      }
      const base = neighbour(text, at.start - 1, -1, () => false)
      if (base && (cp === 0xfe0f || cp === 0xfe0e) && EMOJI_CAPABLE.test(base.ch)) return
      if (base && cp !== 0xfe0f && cp !== 0xfe0e && base.cp > 0x7f && !/\p{Script=Latin}/u.test(base.ch) && !/\s/u.test(base.ch)) return
      invisible(cps, at, codes)
      return
    }
    if (cp === 0x200d || cp === 0x200c) {
      const isPresentation = (c: number) => isVariationSelector(c) || (c >= 0x1f3fb && c <= 0x1f3ff)
      const prev = neighbour(text, at.start - 1, -1, isPresentation)
      const next = neighbour(text, at.end, 1, () => false)
      if (cp === 0x200d && prev && next && EMOJI_BASE.test(prev.ch) && EMOJI_BASE.test(next.ch)) return // 👩‍💻
      if (prev && next && (JOINING_SCRIPT.test(prev.ch) || JOINING_SCRIPT.test(next.ch))) return // Persian, Hindi...
      invisible(cps, at, codes)
      return
    }
    if (cp === 0x180e && /\p{Script=Mongolian}/u.test(neighbour(text, at.start - 1, -1, () => false)?.ch ?? '')) return
    invisible(cps, at, codes)
  }

  function invisible(cps: number[], at: { start: number; end: number }, codes: string): void {
    const prev = neighbour(text, at.start - 1, -1, () => false)
    const next = neighbour(text, at.end, 1, () => false)
    const inWord = prev !== undefined && next !== undefined && WORD_CHAR.test(prev.ch) && WORD_CHAR.test(next.ch)
    const control = cps.some(isControl)
    const what = control
      ? `control character${cps.length > 1 ? 's' : ''} ${codes}`
      : `invisible character${cps.length > 1 ? 's' : ''} ${codes}`
    const shown = visible(lineAround(text, at.start))
    // A soft hyphen inside a word of prose is a (rare) hyphenation hint; elsewhere it hides a break.
    const softHyphenInProse = cps.every((c) => c === 0xad) && !isCode && !inMarkdownCode(at.start)
    if (control || ((isCode || inMarkdownCode(at.start) || inWord) && !softHyphenInProse)) {
      const where = control ? '' : inWord ? ' inside a word' : ' in code'
      add(
        'unicode/invisible',
        at,
        `${what}${where}: the text reads differently to a program or an agent than it looks; the line as stored is ${shown}`,
        'Delete the character; retype the word or identifier if it was pasted.'
      )
      return
    }
    add(
      'unicode/stray-invisible',
      at,
      `${what} between words; the line as stored is ${shown}`,
      'Delete the character: it does nothing visible and can hide text or break a search.'
    )
  }
}

// Latin look-alikes only: Greek letters a physicist writes next to Latin ones (Δt, λ_max) are fine.
const GREEK_LOOKALIKE = /[ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχϳ]/u
const IDENTIFIER = /[\p{L}\p{M}\p{N}_$]+/gu
// A finding names its foreign letter, which is one of these: a span without any has none (most
// code is ASCII), and one scan for them costs less than splitting every identifier.
const FOREIGN_LETTER = new RegExp(String.raw`\p{Script=Cyrillic}|${GREEK_LOOKALIKE.source}`, 'u')

/** Identifiers in code (files, and code blocks of Markdown) that mix Latin with Cyrillic or Greek look-alikes. */
export function mixedScriptFindings(file: TextFile): Finding[] {
  const out: Finding[] = []
  const spans: [number, number][] = []
  // Every finding names a Cyrillic letter or a Greek look-alike: a file without one (nearly every
  // file) needs no Markdown regions, which cost more than this scan.
  if (!FOREIGN_LETTER.test(file.text)) return out
  if (CODE_LANGUAGES.has(file.language)) spans.push([0, file.text.length])
  else if (file.language === 'markdown') {
    for (const r of markdownRegions(file.text)) if (r.kind === 'fence' || r.kind === 'inline-code') spans.push([r.start, r.end])
  } else return out
  for (const [from, to] of spans) {
    const part = file.text.slice(from, to)
    if (!FOREIGN_LETTER.test(part)) continue
    for (const m of part.matchAll(IDENTIFIER)) {
      const id = m[0]
      if (!/\p{Script=Latin}/u.test(id)) continue
      // Only a look-alike inside a Latin word impersonates one: `z_α`, `ρ_AB` and `σA` in a
      // formula join symbols at a boundary (underscore, digit, change of case after a Greek letter).
      const mixedWord = id
        .split(/[_$\d]+/)
        .find(
          (part) =>
            /\p{Script=Latin}/u.test(part) &&
            [...part].some(
              (c) =>
                /\p{Script=Cyrillic}/u.test(c) ||
                (GREEK_LOOKALIKE.test(c) &&
                  /\p{Script=Latin}/u.test(part.replace(/^\p{Script=Greek}+/u, '').replace(/\p{Script=Greek}+$/u, '')) &&
                  !/^\p{Script=Greek}+\p{Lu}+$|^\p{Lu}+\p{Script=Greek}+$/u.test(part))
            )
        )
      if (!mixedWord) continue
      const foreign = [...mixedWord].find((c) => /\p{Script=Cyrillic}/u.test(c) || GREEK_LOOKALIKE.test(c))
      if (!foreign) continue
      const script = /\p{Script=Cyrillic}/u.test(foreign) ? 'Cyrillic' : 'Greek'
      const start = from + m.index
      out.push(
        findingAt(
          'unicode/mixed-script',
          file,
          start,
          start + id.length,
          `identifier ${snippet(id)} mixes Latin with ${script}: ${hex(foreign.codePointAt(0) as number)} looks like a Latin letter, so this name can impersonate another`,
          `Retype the identifier in one script (the ${script} letter is at column ${[...id].indexOf(foreign) + 1} of the name).`
        )
      )
    }
  }
  return out
}
