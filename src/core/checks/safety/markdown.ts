// Where a Markdown file quotes rather than speaks: fenced code blocks, inline code spans, block
// quotes and HTML comments. Detectors use it to tell an instruction from an example of one, and
// to scan the code an agent is told to run (a ```bash block in SKILL.md) as code.
import { fenceLanguage, type Language } from './file.js'

export type RegionKind = 'fence' | 'inline-code' | 'quote' | 'comment'

export interface Region {
  kind: RegionKind
  start: number
  end: number
  /** A fenced block's language when it is one scanned as code. */
  language?: Language
  /** Offset where a fenced block's content starts (after the opening line). */
  contentStart?: number
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/

// Four detectors ask for the regions of the same file one after another: the last answer is kept.
let last: { text: string; regions: readonly Region[] } | undefined

/** The regions of a Markdown text, in order (the same array for the same text: do not change it). */
export function markdownRegions(text: string): readonly Region[] {
  if (last?.text !== text) last = { text, regions: findRegions(text) }
  return last.regions
}

function findRegions(text: string): Region[] {
  const regions: Region[] = []
  let fence: { char: string; length: number; start: number; contentStart: number; language?: Language; close: RegExp } | undefined
  let proseStart = 0
  const prose: [number, number][] = []
  // Line by line, as text.split('\n') cuts it. Only a line whose first character after at most
  // three spaces is a backtick, a tilde or `>` can open or close a fence or be a quote: the
  // others (nearly all prose) are passed over without being cut out of the text.
  for (let offset = 0; ;) {
    let lineEnd = text.indexOf('\n', offset)
    if (lineEnd < 0) lineEnd = text.length
    let first = offset
    while (first < lineEnd && first - offset < 4 && text.charCodeAt(first) === 0x20) first++
    const c = first - offset <= 3 && first < lineEnd ? text.charCodeAt(first) : 0
    if (c === 0x60 || c === 0x7e || c === 0x3e) {
      const bare = text.slice(offset, lineEnd).replace(/\r$/, '')
      if (fence) {
        if (fence.close.test(bare)) {
          regions.push({
            kind: 'fence',
            start: fence.start,
            end: lineEnd,
            contentStart: fence.contentStart,
            ...(fence.language ? { language: fence.language } : {})
          })
          fence = undefined
          proseStart = lineEnd + 1
        }
      } else {
        const open = FENCE_OPEN.exec(bare)
        if (open && !(open[2]?.startsWith('`') && open[3]?.includes('`'))) {
          prose.push([proseStart, offset])
          const language = fenceLanguage(open[3] ?? '')
          const char = open[2]?.[0] ?? '`'
          const length = open[2]?.length ?? 3
          fence = {
            char,
            length,
            start: offset,
            contentStart: lineEnd + 1,
            ...(language ? { language } : {}),
            close: new RegExp(`^ {0,3}${char === '`' ? '`' : '~'}{${length},}\\s*$`)
          }
        } else if (/^ {0,3}>/.test(bare)) {
          regions.push({ kind: 'quote', start: offset, end: lineEnd })
        }
      }
    }
    if (lineEnd === text.length) break
    offset = lineEnd + 1
  }
  // An unclosed fence runs to the end of the file, as CommonMark says.
  if (fence)
    regions.push({
      kind: 'fence',
      start: fence.start,
      end: text.length,
      contentStart: fence.contentStart,
      ...(fence.language ? { language: fence.language } : {})
    })
  else prose.push([proseStart, text.length])

  // A comment needs `<!--` and a code span a backtick: prose with neither is not searched.
  const comments = text.includes('<!--')
  const spans = text.includes('`')
  for (const [from, to] of comments || spans ? prose : []) {
    const part = text.slice(from, to)
    // The same test for each stretch of prose: a file's backticks are often all in its fences
    // (a SKILL.md with one ```sh block), and a search finds no span where there is no backtick.
    const spansHere = spans && part.includes('`')
    if (comments)
      for (const m of part.matchAll(/<!--[\s\S]*?(?:-->|$)/g))
        regions.push({ kind: 'comment', start: from + m.index, end: from + m.index + m[0].length })
    // Bounded: an unclosed backtick must not scan to the end of the file from every backtick.
    if (spansHere)
      for (const m of part.matchAll(/(`{1,16})(?!`)([\s\S]{0,2000}?[^`])\1(?!`)/g)) {
        if (!m[0].includes('\n\n')) regions.push({ kind: 'inline-code', start: from + m.index, end: from + m.index + m[0].length })
      }
  }
  return regions.sort((a, b) => a.start - b.start)
}

/** The innermost region holding the offset, if any. */
export function regionAt(regions: readonly Region[], offset: number): Region | undefined {
  let found: Region | undefined
  for (const r of regions) {
    if (r.start > offset) break
    if (offset < r.end) found = r
  }
  return found
}
