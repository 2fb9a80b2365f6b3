// One cheap pass over a file that tells which of many regexes can match in it at all. Most
// detectors are sets of dozens of regexes, each scanning the whole text even though honest prose
// holds none of the words they start from. Every regex is read once, at load time, for its
// anchors: literal strings one of which every match must contain (a required literal run, or a
// required group of literal alternatives, such as `ghp_`, `-----BEGIN ` or
// `ignore|disregard|forget`). A file is then scanned once for all anchors of a set together, and
// only the regexes whose anchors occur in it run. A regex whose anchors cannot be proved (an
// optional start, a character class) always runs: the prefilter may skip work, never a match.
// Anchors are matched with the regex's own case flags (i, u), so case folding is the same.
import { NO_MATCHES, allMatches } from './file.js'
import { objectList } from './object-list.js'
import { SAFETY_PREFILTER_TABLES as GENERATED, type GeneratedTables } from '../../../generated/safety-prefilter.js'

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

/** ASCII punctuation, rarest in prose first: the characters a gate (regexGate) may name. */
const GATE_CHARS = '<[{|`\\^~@#$%&=>]}*+;!?"/(:)\'_.,-'

/**
 * Characters one of which every match of the regex contains, or undefined when none can be proved:
 * for each alternative at the regex's top level, an ASCII punctuation character that every string
 * of one of its required anchor sets holds (the rarest such). A text without any of them holds no
 * match. For the few regexes no first literals are proved for (searched whole): the anchors read
 * from the same syntax are often common words ("user", "system"), where one of these characters
 * (`<`, `[`) is rare in prose.
 */
export function regexGate(re: RegExp): string[] | undefined {
  try {
    const parser = new Parser(re.source, re.flags.includes('u') || re.flags.includes('v'))
    parser.required = []
    const anchors = parser.alternation()
    if (parser.i !== re.source.length || !anchors || anchors.some((a) => a === '')) return undefined
    const gate = new Set<string>()
    for (const sets of parser.required) {
      let best = -1
      for (const set of sets)
        for (let k = 0; k < GATE_CHARS.length; k++)
          if ((best < 0 || k < best) && set.every((x) => x.includes(GATE_CHARS[k] as string))) best = k
      if (best < 0) return undefined // an alternative with no such character: no gate
      gate.add(GATE_CHARS[best] as string)
    }
    return gate.size ? [...gate] : undefined
  } catch {
    return undefined
  }
}

/** A literal a match may start with; `wordStart`: a `\b` stands right before it in the regex. */
export interface Start {
  text: string
  wordStart: boolean
}

/**
 * The literals one of which every match of the regex starts with (zero-width assertions such as
 * `\b` or a lookbehind aside); undefined when none can be proved. A search for the regex then
 * needs to start only where one of them occurs (Prefilter.matchesOf).
 */
export function regexStarts(re: RegExp): Start[] | undefined {
  try {
    const parser = new Parser(re.source, re.flags.includes('u') || re.flags.includes('v'))
    const starts = parser.startAlternation(false)
    if (parser.i !== re.source.length || !starts || starts.some((a) => a.text === '')) return undefined
    const seen = new Map<string, Start>()
    // The same literal with and without a `\b` before it: kept once, without.
    for (const a of starts) seen.set(a.text, { text: a.text, wordStart: a.wordStart && (seen.get(a.text)?.wordStart ?? true) })
    return [...seen.values()]
  } catch {
    return undefined
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
  /** Groups and lookarounds the reader is inside (0: the regex's own top level). */
  private depth = 0
  /** When set: per alternative of the top level, every required anchor set proved in it. */
  required: string[][][] | undefined
  constructor(
    private readonly s: string,
    private readonly unicode: boolean
  ) {}

  /** alternative ('|' alternative)*, up to ')' or the end: the union of each alternative's anchors. */
  alternation(): Anchors {
    const out: string[] = []
    let ok = true
    for (;;) {
      if (this.depth === 0) this.required?.push([])
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
      if (this.depth === 0) this.required?.at(-1)?.push(set)
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

  /** alternative ('|' alternative)*: the union of each alternative's first literals, or undefined when one has none. */
  startAlternation(wordStart: boolean): Start[] | undefined {
    const out: Start[] = []
    let ok = true
    for (;;) {
      const starts = this.startSequence(wordStart)
      if (starts === undefined) ok = false
      else out.push(...starts)
      if (this.s[this.i] !== '|') break
      this.i++
    }
    return ok ? out : undefined
  }

  /**
   * The literals one of which a concatenation starts with: those of its first atom that consumes
   * text, when that atom is a literal or a group whose alternatives each start with one; when that
   * atom is optional, those of the atoms after it too. `wordStart`: a `\b` precedes the
   * concatenation with nothing consumed in between. The rest of the concatenation is read (for its
   * syntax) but does not matter.
   */
  startSequence(wordStart: boolean): Start[] | undefined {
    const out: Start[] = []
    let proved = false
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const s = this.s
      const lookaround =
        s.startsWith('(?=', this.i) || s.startsWith('(?!', this.i) || s.startsWith('(?<=', this.i) || s.startsWith('(?<!', this.i)
      let starts: Start[] | undefined
      let q: { min: number; max: number }
      if (s[this.i] === '(' && !lookaround) {
        if (s.startsWith('(?:', this.i)) this.i += 3
        else if (s.startsWith('(?<', this.i)) this.i = s.indexOf('>', this.i) + 1
        else if (s.startsWith('(?', this.i)) throw new Error('unknown group')
        else this.i++
        starts = this.startAlternation(wordStart)
        this.expect(')')
        q = this.quantifier()
      } else {
        const isB = s.startsWith('\\b', this.i)
        const atom = this.atom()
        q = this.quantifier()
        if (atom.kind === 'zero-width') {
          // A \b holds at the match's start (nothing before it consumes text); other assertions prove nothing here.
          if (isB && q.min > 0) wordStart = true
          continue
        }
        starts = atom.kind === 'literal' ? [{ text: atom.text, wordStart }] : undefined
      }
      if (!starts) break
      out.push(...starts)
      // A required atom: every match starts here. An optional one (`(?:the\s+)?user`): here or at what follows.
      if (q.min > 0) {
        proved = true
        break
      }
    }
    this.sequence() // the rest, read for its syntax only
    return proved ? out : undefined
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
        this.depth++
        this.alternation()
        this.depth--
        this.expect(')')
        return { kind: 'zero-width' }
      }
      if (s.startsWith('(?:', this.i)) this.i += 3
      else if (s.startsWith('(?<', this.i)) this.i = s.indexOf('>', this.i) + 1
      else if (s.startsWith('(?', this.i)) throw new Error('unknown group')
      else this.i++
      const start = this.i
      this.depth++
      const anchors = this.alternation()
      this.depth--
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
 * Code units that case-insensitive matching may equate with another code unit but that neither
 * one's upper nor lower case reaches (simple case folding maps them onto a letter whose case
 * mappings do not lead back): long s, the Kelvin and Ångström signs, the ohm sign, Greek symbol
 * variants, capital sharp s, the Greek prosgegrammeni, Cyrillic Extended-C. test/safety-prefilter.test.ts
 * checks, for every character of every case-insensitive anchor, that each code unit the regex
 * engine equates with it (under /i and /iu) falls in its class.
 */
const FOLD_ONLY =
  '\u017f\u212a\u212b\u2126\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u1e9b\u1e9e\u1fbe\u0345\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88'

/** The case relatives of one code unit: itself, its upper and lower case, and theirs (single code units only). */
function caseRelatives(c: string): string[] {
  const out = new Set([c])
  for (let grew = true; grew;) {
    grew = false
    for (const x of [...out])
      for (const y of [x.toLowerCase(), x.toUpperCase()])
        if (y.length === 1 && !out.has(y)) {
          out.add(y)
          grew = true
        }
  }
  return [...out]
}

/** An anchor as the scan looks for it. */
export interface Anchor {
  /** A start scan's first literal read in the shared scan's pass (its places kept, not a flag). */
  start?: boolean
  text: string
  /** Found in any case (the regex has /i); else only as written. */
  caseless: boolean
}

/**
 * Every anchor of every prefilter in one automaton (Aho–Corasick over code units, case folded): a
 * text is read once for all of them, however many anchors and sets there are, and the detectors
 * that share a file's text (secrets, injection, references, collection endpoints) share its one
 * reading. A hit on a case-sensitive anchor is confirmed against the text as written; a hit on a
 * case-insensitive one is kept (a class holds every code unit the regex engine could equate with
 * a letter, and perhaps a few more: a superset, so a regex may run for nothing, never be skipped).
 */
class LiteralScan {
  private readonly anchors: Anchor[] = []
  private readonly ids = new Map<string, number>()
  private automaton: Automaton | undefined
  private lastText: string | undefined
  private lastFound = new Uint8Array(0)
  /**
   * The start scan whose first literals this scan's automaton holds too (anchor ids from
   * anchors.length on): one pass over a text records their places as well, where the injection
   * family's start scan read every text a second time (≈ as long as this pass). undefined: none.
   */
  private starts: StartScan | undefined
  /** How many of the start scan's literals the automaton was built with. */
  private startsBuilt = 0

  /** Reads `starts`' first literals in this scan's pass (one start scan only: the others read their own). */
  attach(starts: StartScan): boolean {
    if (this.starts) return false
    this.starts = starts
    this.automaton = undefined
    this.lastText = undefined
    return true
  }

  /** The id of an anchor, added to the automaton (rebuilt at its next use). */
  register(text: string, caseless: boolean): number {
    const key = `${caseless ? 'i' : 'c'}${text}`
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.anchors.length
      this.anchors.push({ text, caseless })
      this.ids.set(key, id)
      this.automaton = undefined
      this.lastText = undefined
    }
    return id
  }

  /** The anchors the automaton is built from: this scan's own, then the attached start scan's first literals. */
  anchorList(): readonly Anchor[] {
    const starts = this.starts?.anchorList() ?? []
    return starts.length ? [...this.anchors, ...starts.map(({ text, caseless }) => ({ start: true, text, caseless }))] : this.anchors
  }

  /**
   * found[id] is 1 when anchor `id` occurs in `text`. The array is reused by the next call. The
   * attached start scan is given the text's places of its first literals in the same pass.
   */
  found(text: string): Uint8Array {
    if (text === this.lastText) return this.lastFound
    const starts = this.starts
    if (starts && this.startsBuilt !== starts.literals()) this.automaton = undefined
    if (!this.automaton) {
      this.automaton = buildAutomaton(this.anchorList())
      this.startsBuilt = starts?.literals() ?? 0
    }
    const a = this.automaton
    const own = this.anchors.length
    const found = this.lastFound.length === own ? this.lastFound.fill(0) : new Uint8Array(own)
    const { classOf, classes, outStart, outList, done } = a
    const step = (a.step ??= stepTable(a))
    // A state whose anchors are all found is not looked at again in this text (one where a first
    // literal ends always is: each of its places is kept).
    const generation = ++a.generation
    const anchors = this.anchors
    starts?.begin()
    let row = 0
    for (let i = 0; i < text.length; i++) {
      const v = step[row + (classOf[text.charCodeAt(i)] as number)] as number
      if (v >= 0) {
        row = v
        continue
      }
      row = ~v
      const state = (row / classes) | 0
      if (done[state] === generation) continue
      const first = outStart[state] as number
      const end = outStart[state + 1] as number
      let all = true
      for (let k = first; k < end; k++) {
        const id = outList[k] as number
        if (id >= own) {
          ;(starts as StartScan).place(text, id - own, i)
          all = false
          continue
        }
        if (found[id]) continue
        const anchor = anchors[id] as Anchor
        if (anchor.caseless || text.startsWith(anchor.text, i + 1 - anchor.text.length)) found[id] = 1
        else all = false
      }
      if (all) done[state] = generation
    }
    starts?.end(text)
    this.lastText = text
    this.lastFound = found
    return found
  }
}

export interface Automaton {
  /** state × classes + class -> next state. */
  delta: Int32Array
  /** Code unit -> class (0: in no anchor). */
  classOf: Uint16Array
  classes: number
  /** Anchors ending at a state: outList[outStart[s] .. outStart[s + 1]). */
  outStart: Int32Array
  outList: Int32Array
  /** done[state] === generation: every anchor ending there is found in the text being read. */
  done: Int32Array
  generation: number
  /** delta as the scans read it (stepTable): filled with delta when loaded, else made at the first scan. */
  step?: Int32Array
}

/**
 * delta with each next state as the offset of its row (state × classes), bitwise negated when
 * anchors end at that state: a scan then moves with one add and one load per code unit, and looks
 * at the anchors only where the value is negative, instead of multiplying and reading outStart
 * twice at every code unit.
 */
export function stepTable(a: Automaton): Int32Array {
  const step = new Int32Array(a.delta.length)
  for (let i = 0; i < step.length; i++) {
    const next = a.delta[i] as number
    const row = next * a.classes
    step[i] = a.outStart[next] === a.outStart[next + 1] ? row : ~row
  }
  return step
}

/** What a set of anchors is, as a key of the generated tables: each anchor with its case flag. */
function anchorsKey(anchors: readonly Anchor[]): string {
  return anchors.map((a) => `${a.start ? 's' : ''}${a.caseless ? 'i' : 'c'}${a.text}`).join('\u0000')
}

/**
 * Every code unit of an anchor in a class with its case relatives (those of a case-sensitive
 * anchor too: its hits are confirmed as written), as [code unit, class] pairs.
 */
function anchorClasses(anchors: readonly Anchor[]): number[] {
  const classOf = new Uint16Array(0x10000)
  let classes = 1
  // Each fold-only character's relatives once, not once per anchor character (a third of the build).
  const foldOnly = [...FOLD_ONLY].map((f) => ({ f, relatives: caseRelatives(f) }))
  for (const { text } of anchors)
    for (const c of text) {
      for (const unit of c.length === 1 ? [c] : c.split('')) {
        if (classOf[unit.charCodeAt(0)]) continue
        const relatives = new Set(caseRelatives(unit))
        for (const { f, relatives: theirs } of foldOnly) if (theirs.some((r) => relatives.has(r))) relatives.add(f)
        const existing = [...relatives].map((r) => classOf[r.charCodeAt(0)] as number).find((k) => k !== 0)
        const k = existing ?? classes++
        for (const r of relatives) classOf[r.charCodeAt(0)] = k
      }
    }
  const pairs: number[] = []
  classOf.forEach((k, unit) => {
    if (k) pairs.push(unit, k)
  })
  return pairs
}

/**
 * The automaton of a set of anchors: from src/generated/safety-prefilter.ts when it was generated
 * for these anchors (filling the table state by state costs tens of milliseconds at every start
 * and in every worker thread), else built here.
 */
function buildAutomaton(anchors: readonly Anchor[]): Automaton {
  const stored = GENERATED.automata[anchorsKey(anchors)]
  return stored ? loadAutomaton(stored) : (storedInAnotherOrder(anchors) ?? computeAutomaton(anchors))
}

/**
 * The stored automaton of the same anchors registered in another order, its anchor numbers
 * translated to this order; undefined when the tables have none. The detectors register their
 * anchors as their modules load, and the scan loads them in another order than `npm run generate`
 * does (references before secrets): looked up by its exact key only, the shared automaton was
 * built afresh at every start and in every worker thread.
 */
export function storedInAnotherOrder(anchors: readonly Anchor[]): Automaton | undefined {
  const names = anchors.map((a) => anchorsKey([a]))
  const sorted = [...names].sort().join('\u0000')
  for (const [key, stored] of Object.entries(GENERATED.automata)) {
    const storedNames = key.split('\u0000')
    if (storedNames.length !== names.length || [...storedNames].sort().join('\u0000') !== sorted) continue
    const id = new Map(names.map((n, i) => [n, i]))
    const a = loadAutomaton(stored)
    a.outList = a.outList.map((k) => id.get(storedNames[k] as string) as number)
    return a
  }
  return undefined
}

type StoredAutomaton = GeneratedTables['automata'][string]

/** Numbers below 65,536 as little-endian 16-bit units in base64: a string literal loads faster than an array literal. */
function packUint16(values: readonly number[]): string {
  const out = Buffer.alloc(values.length * 2)
  values.forEach((v, i) => {
    if (!(v >= 0 && v < 0x10000)) throw new Error(`cannot pack ${v} in 16 bits`)
    out.writeUInt16LE(v, i * 2)
  })
  return out.toString('base64')
}

function unpackUint16(base64: string): Uint16Array {
  const bytes = Buffer.from(base64, 'base64')
  const out = new Uint16Array(bytes.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = (bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8)
  return out
}

export function loadAutomaton(stored: StoredAutomaton): Automaton {
  const { classes } = stored
  const rows = unpackUint16(stored.rows)
  const pairs = unpackUint16(stored.classOf)
  const classOf = new Uint16Array(0x10000)
  for (let i = 0; i < pairs.length; i += 2) classOf[pairs[i] as number] = pairs[i + 1] as number
  const outStart = Int32Array.from(unpackUint16(stored.outStart))
  const states = outStart.length - 1
  // Every row is the root's row where it does not say otherwise: the root row repeated by doubling
  // (a dozen copies, not one per state), then each row's own entries.
  // The step table (see stepTable) is filled the same way, from the same entries: computed from
  // delta afterwards it was a loop over every entry (462,000 for the shared automaton), run cold
  // in every thread before its first file.
  const delta = new Int32Array(states * classes)
  const step = new Int32Array(states * classes)
  const stepTo = (next: number) => (outStart[next] === outStart[next + 1] ? next * classes : ~(next * classes))
  const root = unpackUint16(stored.root)
  delta.set(root)
  for (let k = 0; k < classes; k++) step[k] = stepTo(root[k] as number)
  for (let filled = classes; filled < delta.length; filled *= 2) {
    delta.copyWithin(filled, 0, Math.min(filled, delta.length - filled))
    step.copyWithin(filled, 0, Math.min(filled, step.length - filled))
  }
  for (let i = 0, s = 0; i < rows.length; s++) {
    const n = rows[i++] as number
    for (let end = i + 2 * n; i < end; i += 2) {
      const at = s * classes + (rows[i] as number)
      const next = rows[i + 1] as number
      delta[at] = next
      step[at] = stepTo(next)
    }
  }
  return {
    delta,
    classOf,
    classes,
    outStart,
    outList: Int32Array.from(unpackUint16(stored.outList)),
    done: new Int32Array(states),
    generation: 0,
    step
  }
}

/** An automaton as plain numbers: the root's row, and each state's row where it differs from it. */
export function storeAutomaton(a: Automaton): StoredAutomaton {
  const classOf: number[] = []
  a.classOf.forEach((k, unit) => {
    if (k) classOf.push(unit, k)
  })
  const root = [...a.delta.subarray(0, a.classes)]
  const rows: number[] = []
  const states = a.outStart.length - 1
  for (let s = 0; s < states; s++) {
    const own: number[] = []
    for (let k = 0; k < a.classes; k++) if (a.delta[s * a.classes + k] !== root[k]) own.push(k, a.delta[s * a.classes + k] as number)
    rows.push(own.length / 2, ...own)
  }
  return {
    classes: a.classes,
    classOf: packUint16(classOf),
    root: packUint16(root),
    rows: packUint16(rows),
    outStart: packUint16([...a.outStart]),
    outList: packUint16([...a.outList])
  }
}

export function computeAutomaton(anchors: readonly Anchor[]): Automaton {
  const classOf = new Uint16Array(0x10000)
  const pairs = anchorClasses(anchors)
  let classes = 1
  for (let i = 0; i < pairs.length; i += 2) {
    classOf[pairs[i] as number] = pairs[i + 1] as number
    classes = Math.max(classes, (pairs[i + 1] as number) + 1)
  }
  // The trie of the anchors' class sequences, then failure links breadth first.
  const next: Map<number, number>[] = [new Map()]
  const ends: number[][] = [[]]
  anchors.forEach((anchor, id) => {
    let s = 0
    for (let i = 0; i < anchor.text.length; i++) {
      const k = classOf[anchor.text.charCodeAt(i)] as number
      let t = next[s]?.get(k)
      if (t === undefined) {
        t = next.length
        next.push(new Map())
        ends.push([])
        next[s]?.set(k, t)
      }
      s = t
    }
    ends[s]?.push(id)
  })
  const states = next.length
  const delta = new Int32Array(states * classes)
  const fail = new Int32Array(states)
  const out: number[][] = ends.map((e) => [...e])
  const queue: number[] = []
  for (const [k, t] of next[0] as Map<number, number>) {
    delta[k] = t
    queue.push(t)
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q] as number
    const f = fail[s] as number
    ;(out[s] as number[]).push(...(out[f] as number[]))
    // The failure state's row (complete: it is nearer the root), then this state's own edges.
    delta.copyWithin(s * classes, f * classes, f * classes + classes)
    for (const [k, t] of next[s] as Map<number, number>) {
      fail[t] = delta[f * classes + k] as number
      delta[s * classes + k] = t
      queue.push(t)
    }
  }
  const outStart = new Int32Array(states + 1)
  for (let s = 0; s < states; s++) outStart[s + 1] = (outStart[s] as number) + (out[s] as number[]).length
  const outList = new Int32Array(outStart[states] as number)
  out.forEach((list, s) => outList.set(list, outStart[s]))
  return { delta, classOf, classes, outStart, outList, done: new Int32Array(states), generation: 0 }
}

/** [A-Za-z0-9_] as a code unit. */
function asciiWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95
}

/**
 * Room for this many places a text before the arrays of a prefilter with first literals grow: more
 * than a prose file under the default file limit holds (≈ 90 places in 2.5 KB of this repository's
 * benchmark prose, so ≈ 3,600 in 100 KB). Growing replaces an array held by the module's prefilter,
 * and the injection family's optimized code, which read it as a constant, is thrown away and compiled
 * again in each thread (`--trace-deopt`); 96 KB of arrays per thread is cheaper than that.
 */
const PLACES = 1 << 13
/** The same for a prefilter without first literals, whose start scan is never read. */
const NO_PLACES = 256

/**
 * Where the first literals of a set of regexes occur in a text, for Prefilter.matchesOf: its own
 * automaton (the same construction as LiteralScan's), read only for a text where one of those
 * regexes is a candidate. Each place is kept with a mask of the regexes it can start. A literal
 * that every regex it starts has a `\b` before, and that starts with [A-Za-z0-9_], is kept only
 * where no such character is right before it (at a \b, a word character follows a non-word one;
 * under /iu the Kelvin sign and long s are word characters too, and they are not in [A-Za-z0-9_],
 * so that place is kept: a superset again).
 */
class StartScan {
  private readonly anchors: (Anchor & { mask: number; wordOnly: boolean })[] = []
  private readonly ids = new Map<string, number>()
  private automaton: Automaton | undefined
  private lastText: string | undefined
  /** The places found in the last text: start offset and mask, in the order their ends were read. */
  at: Int32Array
  masks: Uint32Array
  count = 0
  /**
   * The last text's places filed by regex bit (built on the first ask): bit b's places, ascending, are
   * byBit[bitStart[b] .. bitStart[b + 1]). Typed arrays kept from text to text: a list per bit per
   * text was most of what the injection family allocated.
   */
  byBit: Int32Array
  readonly bitStart = new Int32Array(33)
  private readonly cursor = new Int32Array(32)
  private filed = false

  /** `places`: room for this many places a text before the arrays grow. */
  constructor(places: number) {
    this.at = new Int32Array(places)
    this.masks = new Uint32Array(places)
    this.byBit = new Int32Array(places)
  }

  add(start: Start, caseless: boolean, bit: number): void {
    const key = `${caseless ? 'i' : 'c'}${start.text}`
    const wordOnly = start.wordStart && asciiWord(start.text.charCodeAt(0))
    const id = this.ids.get(key)
    if (id === undefined) {
      this.ids.set(key, this.anchors.length)
      this.anchors.push({ text: start.text, caseless, mask: bit, wordOnly })
    } else {
      const a = this.anchors[id] as StartScan['anchors'][number]
      a.mask |= bit
      a.wordOnly &&= wordOnly
    }
    this.automaton = undefined
    this.lastText = undefined
  }

  anchorList(): readonly Anchor[] {
    return this.anchors.map(({ text, caseless }) => ({ text, caseless }))
  }

  /** How many first literals there are (the shared scan rebuilds its automaton when this changes). */
  literals(): number {
    return this.anchors.length
  }

  /** A pass over a text starts (scan()'s own, or the shared scan's, LiteralScan): its places replace the last text's. */
  begin(): void {
    this.count = 0
    this.lastText = undefined
  }

  /** First literal `id` ends at offset `i` of `text`: its place, kept unless the anchor's word or case rule says no. */
  place(text: string, id: number, i: number): void {
    const anchor = this.anchors[id] as StartScan['anchors'][number]
    const at = i + 1 - anchor.text.length
    if (anchor.wordOnly && at > 0 && asciiWord(text.charCodeAt(at - 1))) return
    if (!anchor.caseless && !text.startsWith(anchor.text, at)) return
    this.keep(at, anchor.mask)
  }

  /** The pass has read all of `text`: the places kept are that text's. */
  end(text: string): void {
    this.lastText = text
    this.filed = false
  }

  private keep(at: number, mask: number): void {
    const count = this.count
    if (count === this.at.length) {
      const grownAt = new Int32Array(count * 2)
      grownAt.set(this.at)
      this.at = grownAt
      const grownMasks = new Uint32Array(count * 2)
      grownMasks.set(this.masks)
      this.masks = grownMasks
    }
    this.at[count] = at
    this.masks[count] = mask
    this.count = count + 1
  }

  scan(text: string): void {
    if (text === this.lastText) return
    const a = (this.automaton ??= buildAutomaton(this.anchors))
    const { classOf, classes, outStart, outList } = a
    const step = (a.step ??= stepTable(a))
    this.begin()
    let row = 0
    for (let i = 0; i < text.length; i++) {
      const v = step[row + (classOf[text.charCodeAt(i)] as number)] as number
      if (v >= 0) {
        row = v
        continue
      }
      row = ~v
      const state = (row / classes) | 0
      const first = outStart[state] as number
      const end = outStart[state + 1] as number
      for (let k = first; k < end; k++) this.place(text, outList[k] as number, i)
    }
    this.end(text)
  }

  /**
   * Files the last text's places under every bit of their mask (byBit, bitStart), for all the regexes
   * at once (each regex filtering every place again cost a pass per regex): a counting sort, so each
   * bit keeps its places in the order they were read, then sorted where that order was not ascending.
   */
  fileByBit(): void {
    if (this.filed) return
    this.filed = true
    const { at, masks, count, bitStart } = this
    bitStart.fill(0)
    let total = 0
    for (let i = 0; i < count; i++)
      for (let m = masks[i] as number; m !== 0; m &= m - 1) {
        const b = 32 - Math.clz32(m & -m)
        bitStart[b] = (bitStart[b] as number) + 1
        total++
      }
    for (let b = 1; b <= 32; b++) bitStart[b] = (bitStart[b] as number) + (bitStart[b - 1] as number)
    if (this.byBit.length < total) this.byBit = new Int32Array(Math.max(total, this.byBit.length * 2))
    const byBit = this.byBit
    const next = this.cursor
    for (let b = 0; b < 32; b++) next[b] = bitStart[b] as number
    for (let i = 0; i < count; i++) {
      const p = at[i] as number
      for (let m = masks[i] as number; m !== 0; m &= m - 1) {
        const b = 31 - Math.clz32(m & -m)
        const slot = next[b] as number
        byBit[slot] = p
        next[b] = slot + 1
      }
    }
    for (let b = 0; b < 32; b++) {
      const start = bitStart[b] as number
      const end = bitStart[b + 1] as number
      if (!ascending(byBit, start, end)) byBit.subarray(start, end).sort()
    }
  }
}

function ascending(list: Int32Array, start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) if ((list[i] as number) < (list[i - 1] as number)) return false
  return true
}

/** The start scans of every Prefilter, for prefilterTables. */
const START_SCANS: StartScan[] = []

/** The generated tables' key for a regex. */
function regexKey(re: RegExp): string {
  return `${re.flags}/${re.source}`
}

/** Every regex a Prefilter was built with (for `npm run generate`). */
const PREFILTERED = new Set<RegExp>()

/**
 * The tables src/generated/safety-prefilter.ts holds, worked out afresh from every prefilter built
 * so far (the detectors' modules loaded): each regex's anchors and first literals, and the classes
 * automaton of each set of anchors. Reading regex syntax and filling the automata at every process
 * start, and in every worker thread, cost tens of milliseconds each.
 */
export function prefilterTables(): GeneratedTables {
  const regexes: GeneratedTables['regexes'] = {}
  for (const re of [...PREFILTERED].sort((a, b) => (regexKey(a) < regexKey(b) ? -1 : 1)))
    regexes[regexKey(re)] = { anchors: regexAnchors(re) ?? null, starts: re.global ? (regexStarts(re) ?? null) : null }
  const automata: GeneratedTables['automata'] = {}
  for (const anchors of [SCAN.anchorList(), ...START_SCANS.map((s) => s.anchorList())])
    if (anchors.length) automata[anchorsKey(anchors)] = storeAutomaton(computeAutomaton(anchors))
  return { regexes, automata }
}

/** The one scan every prefilter registers its anchors with. */
const SCAN = new LiteralScan()

/** The class the scan puts a code unit in (0: none), for the test of case folding. */
export function scanClassOf(unit: number): number {
  SCAN.found('')
  return (SCAN as unknown as { automaton: Automaton }).automaton.classOf[unit] as number
}

/**
 * Which of `items` can match somewhere in a text: built once from their regexes; each text is
 * read once for the anchors of every prefilter (LiteralScan).
 */
export class Prefilter<T extends { re: RegExp }> {
  private readonly always: boolean[]
  private readonly anchorIds: number[][]
  /** Per item: its bit in the start scan's masks, and a sticky copy of its regex; undefined: no first literals proved. */
  private readonly starts: ({ index: number; sticky: RegExp } | undefined)[] = []
  /** Per item searched whole (no first literals): characters one of which every match holds (regexGate). */
  private readonly gates: (string[] | undefined)[] = []
  private readonly startScan: StartScan
  private index: Map<T, number> | undefined
  private readonly may: Uint8Array

  /** `starts`: find where each regex's first literals occur, so matchesOf tries it only there. */
  constructor(
    readonly items: readonly T[],
    options: { starts?: boolean } = {}
  ) {
    this.always = []
    this.anchorIds = []
    this.may = new Uint8Array(items.length)
    this.startScan = new StartScan(options.starts ? PLACES : NO_PLACES)
    START_SCANS.push(this.startScan)
    // The first prefilter with first literals has them read in the shared scan's pass.
    if (options.starts) SCAN.attach(this.startScan)
    let bits = 0
    for (const item of items) {
      const known = GENERATED.regexes[regexKey(item.re)]
      PREFILTERED.add(item.re)
      const anchors = known ? (known.anchors ?? undefined) : regexAnchors(item.re)
      const caseless = item.re.flags.includes('i')
      // One bit per regex in a 32-bit mask: any after the 32nd searches as before.
      const starts =
        options.starts && item.re.global && bits < 32 ? (known ? (known.starts ?? undefined) : regexStarts(item.re)) : undefined
      if (starts && !(caseless && starts.some((a) => /[\ud800-\udfff]/.test(a.text)))) {
        const index = bits++
        for (const start of starts) this.startScan.add(start, caseless, 1 << index)
        this.starts.push({ index, sticky: new RegExp(item.re.source, item.re.flags.replace('g', '') + 'y') })
        this.gates.push(undefined)
      } else {
        this.starts.push(undefined)
        // Read here, not from the generated tables: only the few regexes searched whole need it.
        this.gates.push(options.starts ? regexGate(item.re) : undefined)
      }
      // An astral character's case relatives are pairs of code units, which the classes do not
      // follow: such a regex always runs (none of the detectors has one).
      if (!anchors || (caseless && anchors.some((a) => /[\ud800-\udfff]/.test(a)))) {
        this.always.push(true)
        this.anchorIds.push([])
        continue
      }
      this.always.push(false)
      this.anchorIds.push(anchors.map((a) => SCAN.register(a, caseless)))
    }
  }

  /** Anchors of every registered prefilter, for the test of case folding. */
  static caselessAnchors(): string[] {
    const scan = SCAN as unknown as { anchors: Anchor[] }
    return scan.anchors.filter((a) => a.caseless).map((a) => a.text)
  }

  /**
   * Every match of `item`'s regex in `text`, the same as matches(item.re, text) gives: when every
   * match starts with one of a few literals, the regex is tried (sticky) only where one of them
   * occurs, in order, each search from where the last match ended, instead of at every position.
   * A match starts at one of those places, so the first place that matches is the one a global
   * search from the same point finds, with the same text and groups.
   *
   * An array, not a generator: the injection family asks this of ~20 patterns per prose file, and a
   * generator object per ask (with the iterator results of its loops) was a fifth of all the scan
   * allocated. Nearly every ask finds nothing and gets the one shared empty array.
   */
  matchesOf(item: T, text: string): readonly RegExpExecArray[] {
    const k = (this.index ??= new Map(this.items.map((it, i) => [it, i]))).get(item)
    const starts = k === undefined ? undefined : this.starts[k]
    if (!starts) {
      // Searched whole, unless the text lacks every character one of which each match holds.
      const gate = k === undefined ? undefined : this.gates[k]
      if (gate && !gate.some((c) => text.includes(c))) return NO_MATCHES
      return allMatches(item.re, text)
    }
    const { index, sticky } = starts
    const scan = this.startScan
    scan.scan(text)
    scan.fileByBit()
    const places = scan.byBit
    const end = scan.bitStart[index + 1] as number
    let found: RegExpExecArray[] | undefined
    let from = 0
    for (let i = scan.bitStart[index] as number; i < end; i++) {
      const p = places[i] as number
      if (p < from) continue
      sticky.lastIndex = p
      const m = sticky.exec(text)
      if (!m) continue
      ;(found ??= objectList()).push(m)
      from = m.index + Math.max(1, m[0].length)
    }
    return found ?? NO_MATCHES
  }

  /** The items that may match in `text`, in their original order (a superset of those that do). */
  candidates(text: string): T[] {
    const may = this.mayMatch(text)
    return this.items.filter((_, i) => may[i] === 1)
  }

  /**
   * candidates() as flags: may[i] is 1 when items[i] may match in `text`. The array is this
   * prefilter's own, reused by its next call; no list or set is made per text.
   */
  mayMatch(text: string): Uint8Array {
    const found = SCAN.found(text)
    const may = this.may
    for (let i = 0; i < may.length; i++) {
      let hit = this.always[i] as boolean
      if (!hit) {
        const ids = this.anchorIds[i] as number[]
        for (let j = 0; j < ids.length && !hit; j++) hit = found[ids[j] as number] === 1
      }
      may[i] = hit ? 1 : 0
    }
    return may
  }
}
