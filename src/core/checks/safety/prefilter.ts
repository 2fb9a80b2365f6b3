// One cheap pass over a file that tells which of many regexes can match in it at all. Most
// detectors are sets of dozens of regexes, each scanning the whole text even though honest prose
// holds none of the words they start from. Every regex is read once, at load time, for its
// anchors: literal strings one of which every match must contain (a required literal run, or a
// required group of literal alternatives, such as `ghp_`, `-----BEGIN ` or
// `ignore|disregard|forget`). A file is then scanned once for all anchors of a set together, and
// only the regexes whose anchors occur in it run. A regex whose anchors cannot be proved (an
// optional start, a character class) always runs: the prefilter may skip work, never a match.
// Anchors are matched with the regex's own case flags (i, u), so case folding is the same.

/** Literal strings, one of which occurs in every match of the regex; undefined when none can be proved. */
export function regexAnchors(re: RegExp): string[] | undefined {
  try {
    const parser = new Parser(re.source, re.flags.includes('u') || re.flags.includes('v'))
    const anchors = parser.alternation()
    if (parser.i !== re.source.length || !anchors || anchors.some((a) => a === '')) return undefined
    return [...new Set(anchors)]
  } catch {
    return undefined // a construct this reader does not know: the regex always runs
  }
}

/** The best required anchor set of one alternative, or a reason none exists. */
type Anchors = string[] | undefined

/** Characters that stand for themselves outside a class (surrogates aside: astral characters are one unit under /u). */
const PLAIN = /[^\\^$.|?*+()[\]{}\ud800-\udfff]/
const QUANTIFIER = /[?*+{]/

/** At most this many strings in a set built from consecutive literal groups. */
const MAX_PRODUCT = 64

/**
 * A reader for the subset of regex syntax the detectors use. It never decides that something is
 * literal when it is not: anything it does not know ends the literal run it is in, and an
 * alternative with no provable literal makes its whole group unprovable.
 */
class Parser {
  i = 0
  constructor(
    private readonly s: string,
    private readonly unicode: boolean
  ) {}

  /** alternative ('|' alternative)*, up to ')' or the end: the union of each alternative's anchors. */
  alternation(): Anchors {
    const out: string[] = []
    let ok = true
    for (;;) {
      const a = this.sequence()
      if (a === undefined) ok = false
      else out.push(...a.anchors)
      if (this.s[this.i] !== '|') break
      this.i++
    }
    return ok ? out : undefined
  }

  /** A concatenation: its most selective required anchor set (the one whose shortest string is longest). */
  sequence(): { anchors: string[] } | undefined {
    let best: string[] | undefined
    let run: string[] = [''] // the literal strings the current run of required literals may be
    const consider = (set: string[] | undefined) => {
      if (!set || set.length === 0 || set.some((x) => x === '')) return
      if (!best || score(set) > score(best)) best = set
    }
    const endRun = () => {
      consider(run)
      run = ['']
    }
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const atom = this.atom()
      const q = this.quantifier()
      // Zero-width (\b, ^, lookarounds) and optional atoms break the run: its two sides need not touch.
      if (atom.kind === 'zero-width' || q.min === 0) {
        endRun()
        continue
      }
      if (atom.kind === 'literal' || (atom.kind === 'group' && atom.literal)) {
        const parts = atom.kind === 'literal' ? [atom.text] : (atom.literal as string[])
        const joined = run.flatMap((r) => parts.map((p) => r + p))
        if (joined.length > MAX_PRODUCT) {
          endRun()
          run = parts
        } else run = joined
        // `ab+` or `(?:x|y){2,}`: the atom is there, but what follows it is not contiguous with it.
        if (q.min !== 1 || q.max !== 1) endRun()
        continue
      }
      endRun()
      if (atom.kind === 'group') consider(atom.anchors)
    }
    endRun()
    return best ? { anchors: best } : undefined
  }

  atom():
    | { kind: 'literal'; text: string }
    | { kind: 'zero-width' }
    | { kind: 'group'; anchors: string[] | undefined; literal?: string[] }
    | { kind: 'other' } {
    const s = this.s
    const c = s[this.i] as string
    if (c === '^' || c === '$') {
      this.i++
      return { kind: 'zero-width' }
    }
    if (c === '(') {
      if (s.startsWith('(?=', this.i) || s.startsWith('(?!', this.i) || s.startsWith('(?<=', this.i) || s.startsWith('(?<!', this.i)) {
        this.i += s[this.i + 2] === '<' ? 4 : 3
        this.alternation()
        this.expect(')')
        return { kind: 'zero-width' }
      }
      if (s.startsWith('(?:', this.i)) this.i += 3
      else if (s.startsWith('(?<', this.i)) this.i = s.indexOf('>', this.i) + 1
      else if (s.startsWith('(?', this.i)) throw new Error('unknown group')
      else this.i++
      const start = this.i
      const anchors = this.alternation()
      this.expect(')')
      // A group of plain literal alternatives (`(?:ghp|gho)`) can join the literals beside it.
      const literal = literalAlternatives(s.slice(start, this.i - 1))
      return literal ? { kind: 'group', anchors, literal } : { kind: 'group', anchors }
    }
    if (c === '[') {
      this.skipClass()
      return { kind: 'other' }
    }
    if (c === '.') {
      this.i++
      return { kind: 'other' }
    }
    if (c === '\\') {
      const n = s[this.i + 1] as string
      if (n === 'b' || n === 'B') {
        this.i += 2
        return { kind: 'zero-width' }
      }
      if (/[A-Za-z0-9]/.test(n)) {
        // \d \w \s \n \x41 \u{…} \1 \k<name> \p{…}: classes, escapes and references, not literals.
        // Read conservatively as "some character": each escape is skipped whole, so no part of it
        // is taken for a literal.
        this.i += 2
        if (n === 'k' && s[this.i] === '<') this.i = s.indexOf('>', this.i) + 1
        else if ((n === 'u' || n === 'p' || n === 'P') && s[this.i] === '{') this.i = s.indexOf('}', this.i) + 1
        else if (n === 'u') this.i += 4
        else if (n === 'x') this.i += 2
        else if (n === 'c') this.i += 1
        else if (/[0-9]/.test(n)) while (/[0-9]/.test(s[this.i] ?? '')) this.i++
        if (this.i <= 0 || this.i > s.length) throw new Error('a cut escape')
        return { kind: 'other' }
      }
      this.i += 2
      return { kind: 'literal', text: n }
    }
    if ('*+?{}|)]'.includes(c)) throw new Error(`unexpected ${c}`)
    // A run of plain characters at once (a word costs one step, not one per letter); a quantifier
    // applies to the last character only, so that one is left for the next step.
    let j = this.i
    while (j < s.length && PLAIN.test(s[j] as string)) j++
    if (j > this.i + 1 && QUANTIFIER.test(s[j] ?? '')) j--
    if (j > this.i) {
      const text = s.slice(this.i, j)
      this.i = j
      return { kind: 'literal', text }
    }
    // One code point: a quantifier after an astral character repeats all of it in a /u regex.
    const cp = String.fromCodePoint(s.codePointAt(this.i) as number)
    this.i += this.unicode ? cp.length : 1
    return { kind: 'literal', text: this.unicode ? cp : c }
  }

  quantifier(): { min: number; max: number } {
    const s = this.s
    const c = s[this.i]
    let q = { min: 1, max: 1 }
    if (c === '?') q = { min: 0, max: 1 }
    else if (c === '*') q = { min: 0, max: Infinity }
    else if (c === '+') q = { min: 1, max: Infinity }
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i))
      if (!m) throw new Error('a literal brace')
      this.i += m[0].length - 1
      q = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]) }
    } else return q
    this.i++
    if (s[this.i] === '?') this.i++ // lazy: the same text may be matched
    return q
  }

  skipClass(): void {
    this.i++ // [
    if (this.s[this.i] === '^') this.i++
    if (this.s[this.i] === ']') this.i++ // a leading ] is a literal member
    while (this.i < this.s.length && this.s[this.i] !== ']') this.i += this.s[this.i] === '\\' ? 2 : 1
    this.expect(']')
  }

  expect(c: string): void {
    if (this.s[this.i] !== c) throw new Error(`expected ${c}`)
    this.i++
  }
}

/** `ghp|gho|ghu`: the alternatives when every one is a plain literal (escaped punctuation allowed). */
function literalAlternatives(body: string): string[] | undefined {
  const out: string[] = []
  for (const alt of body.split('|')) {
    if (!/^(?:[^\\^$.|?*+()[\]{}]|\\[^A-Za-z0-9])+$/.test(alt)) return undefined
    out.push(alt.replace(/\\(.)/g, '$1'))
  }
  return out
}

/** How selective an anchor set is: its shortest string, then fewer strings. */
function score(set: readonly string[]): number {
  return Math.min(...set.map((x) => x.length)) * 1000 - set.length
}

/**
 * The text characters an anchor's first character matches under /i or /iu, or undefined when that
 * is not simply its upper and lower case (a letter outside ASCII with case): such a regex always runs.
 */
function caseFolds(c: string): string[] | undefined {
  const cp = c.codePointAt(0) as number
  // ASCII, or a script without case (CJK and after): upper and lower case are all there is...
  if (cp >= 0x80 && cp < 0x2e80) return undefined
  const out = new Set([c, c.toLowerCase(), c.toUpperCase()])
  // ...except that /iu also folds ſ (long s) onto s and K (the Kelvin sign) onto k.
  if (out.has('s')) out.add('\u017f')
  if (out.has('k')) out.add('\u212a')
  return [...out]
}

function escapeRegex(s: string): string {
  // Only syntax characters: a /u regex refuses identity escapes of anything else.
  return s.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&')
}

interface Group {
  scan: RegExp
  /** Items by the text character an anchor of theirs may start with. */
  byFirst: Map<string, { item: number; at: RegExp }[]>
  all: { item: number; at: RegExp }[]
}

/**
 * Which of `items` can match somewhere in a text: built once from their regexes, then one pass per
 * text for each combination of case flags among them.
 */
export class Prefilter<T extends { re: RegExp }> {
  private readonly always: number[] = []
  private readonly groups: Group[] = []

  constructor(readonly items: readonly T[]) {
    const byFlags = new Map<string, { item: number; anchors: string[] }[]>()
    items.forEach((item, index) => {
      const anchors = regexAnchors(item.re)
      const ci = item.re.flags.includes('i')
      // A case-insensitive anchor starting with a letter whose case mappings are not one character
      // each cannot be looked up by its first character: that regex always runs.
      if (!anchors || (ci && anchors.some((a) => caseFolds(String.fromCodePoint(a.codePointAt(0) as number)) === undefined))) {
        this.always.push(index)
        return
      }
      const flags = `${ci ? 'i' : ''}${item.re.flags.includes('u') || item.re.flags.includes('v') ? 'u' : ''}`
      byFlags.set(flags, [...(byFlags.get(flags) ?? []), { item: index, anchors }])
    })
    for (const [flags, members] of byFlags) {
      const all = members.map((m) => ({ item: m.item, at: new RegExp(m.anchors.map(escapeRegex).join('|'), `y${flags}`) }))
      const byFirst = new Map<string, { item: number; at: RegExp }[]>()
      members.forEach((m, k) => {
        const firsts = new Set<string>()
        for (const a of m.anchors) {
          const first = String.fromCodePoint(a.codePointAt(0) as number)
          for (const f of flags.includes('i') ? (caseFolds(first) ?? []) : [first]) firsts.add(f[0] as string)
        }
        for (const f of firsts) byFirst.set(f, [...(byFirst.get(f) ?? []), all[k] as { item: number; at: RegExp }])
      })
      const anchors = [...new Set(members.flatMap((m) => m.anchors))].sort((a, b) => b.length - a.length)
      this.groups.push({ scan: new RegExp(anchors.map(escapeRegex).join('|'), `g${flags}`), byFirst, all })
    }
  }

  /** The items that may match in `text`, in their original order (a superset of those that do). */
  candidates(text: string): T[] {
    const on = new Uint8Array(this.items.length)
    for (const i of this.always) on[i] = 1
    for (const g of this.groups) {
      let left = g.all.length
      g.scan.lastIndex = 0
      let last = -1
      for (let m = g.scan.exec(text); m !== null && left > 0; m = g.scan.exec(text)) {
        const p = m.index
        if (p <= last) {
          // A /u scan restarted inside a surrogate pair lands on the pair again: step over it.
          g.scan.lastIndex = last + 2
          continue
        }
        last = p
        // Every anchor that starts here, not only the one the alternation picked.
        const bucket = g.byFirst.get(text[p] as string) ?? g.all
        for (const c of bucket) {
          if (on[c.item]) continue
          c.at.lastIndex = p
          if (c.at.test(text)) {
            on[c.item] = 1
            left--
          }
        }
        g.scan.lastIndex = p + 1
      }
    }
    return this.items.filter((_, i) => on[i])
  }
}
