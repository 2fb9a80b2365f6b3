// Where a Markdown code block stands: code the instructions tell the agent to run, or an example
// for people to read. SKILL.md is the agent's instructions, so its blocks are run unless the text
// just before them presents them as an example ("looks like this", "for example", "attackers…",
// "never run"); other Markdown (references, READMEs) is documentation, whose blocks are examples
// unless the text just before them tells the reader to run them ("Run:", "Install with:").

export type FenceRole = 'run' | 'example'

const RUN =
  /\b(?:run|execute|exec|install|paste|type|enter|invoke|launch|call|set\s+up|bootstrap|use\s+(?:this|these|the\s+following)\s+commands?|apply)\b/i
const EXAMPLE =
  /\b(?:examples?|e\.g\.|for\s+instance|looks?\s+like|such\s+as|shown?\s+(?:so|here|below)|patterns?|signatures?|indicators?|detect(?:s|ed|ion)?|recogni[sz]e|attack(?:ers?|s)?|malicious|malware|exploits?|payloads?|vulnerab\w*|insecure|unsafe|anti-?patterns?|bad|wrong|incorrect|avoid|dangerous|compromise\w*|suspicious|forensic\w*|never|don['’]t|do\s+not|must\s+not|instead\s+of|vs\.?|compare|output|result|prints?)\b/i
const STRONG_EXAMPLE =
  /\b(?:looks?\s+like|attack(?:ers?|s)?|malicious|malware|exploits?|payloads?|indicators?|signatures?|detect\w*|anti-?patterns?|insecure|vulnerab\w*|never|don['’]t|do\s+not)\b/i
const NEGATED_RUN =
  /\b(?:never|don['’]t|do\s+not|must\s+not|should\s+not|shouldn['’]t|avoid)\b[^.!?\n]{0,40}\b(?:run|execute|exec|install|paste|type|use)\b/i

/**
 * The role of the fence that starts at `fenceStart` in `text`: what the last sentence before it,
 * and the heading it sits under, say about it.
 */
export function fenceRole(text: string, fenceStart: number, instructions: boolean): FenceRole {
  const before = text.slice(Math.max(0, fenceStart - 600), fenceStart)
  // The paragraph right before the block (blank lines between are allowed).
  // trimEnd drops what /\s+$/ matched (white space and line terminators, one set in the spec) without
  // a regex tried at every position of the 600 characters.
  const paragraphs = before.trimEnd().split(/\n\s*\n/)
  const lead = (paragraphs[paragraphs.length - 1] ?? '').replace(/^```[\s\S]*$/m, '')
  const sentences = lead.split(/(?<=[.!?])\s+/)
  const last = sentences[sentences.length - 1] ?? ''
  const heading = headingBefore(text, fenceStart)
  if (NEGATED_RUN.test(last)) return 'example'
  if (RUN.test(last)) {
    // In the agent's own instructions only a clear sign makes a block it is told to run an example.
    if (instructions) return STRONG_EXAMPLE.test(last) ? 'example' : 'run'
    return EXAMPLE.test(last) ? 'example' : 'run'
  }
  if (
    EXAMPLE.test(lead) ||
    /\b(?:examples?|indicators?|detection|patterns?|attacks?|anti-?patterns?|what\s+not\s+to\s+do|bad)\b/i.test(heading)
  )
    return 'example'
  return instructions ? 'run' : 'example'
}

/** A heading line, tried (sticky) only at a line start whose first character after at most three spaces is `#`. */
const HEADING = /^ {0,3}#{1,6}[ \t]+(.+)$/my

// The blocks of one file ask one after another: its headings are found once (the last file's are kept).
let lastHeadings: { text: string; at: number[]; titles: string[] } | undefined

/**
 * The title of the last heading that starts before `offset` (the start of a fence's line), or ''.
 * A heading never reaches past the end of its line, so the headings of the whole text that start
 * before a line's start are exactly those of the text cut there.
 */
export function headingBefore(text: string, offset: number): string {
  if (lastHeadings?.text !== text) {
    const at: number[] = []
    const titles: string[] = []
    // The same matches as a global search of /^ {0,3}#{1,6}[ \t]+(.+)$/gm: a match starts at a line
    // start (after any line terminator, as `^` does under /m) followed by up to three spaces and a
    // `#`, and ends before the next terminator, so trying each such place in order finds them all.
    for (let hash = text.indexOf('#'); hash >= 0; hash = text.indexOf('#', hash + 1)) {
      let start = hash
      while (start > 0 && hash - start < 3 && text.charCodeAt(start - 1) === 0x20) start--
      if (start > 0 && !isLineTerminator(text.charCodeAt(start - 1))) continue
      HEADING.lastIndex = start
      const m = HEADING.exec(text)
      if (!m) continue
      at.push(start)
      titles.push(m[1] ?? '')
    }
    lastHeadings = { text, at, titles }
  }
  const { at, titles } = lastHeadings
  // The last heading starting before `offset`: binary search over their ascending starts.
  let lo = 0
  let hi = at.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((at[mid] as number) < offset) lo = mid + 1
    else hi = mid
  }
  return lo === 0 ? '' : (titles[lo - 1] as string)
}

function isLineTerminator(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029
}
