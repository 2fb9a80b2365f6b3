// Strings a regex matches, generated from its source: for testing that a prefilter never skips a
// regex on a text it matches. Covers the syntax the safety detectors use (literals, escapes,
// classes, groups, alternation, quantifiers); lookarounds and \b are left out of the sample, and
// the caller keeps only samples the regex really matches.
import { random as seeded } from './safety.js'

export function sampleOf(re: RegExp, seed: number): string {
  let a = seed >>> 0
  const rand = (n: number) => {
    // mulberry32, as in helpers/safety.ts
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
  const s = re.source
  let i = 0

  const alternation = (): string => {
    // Parse every alternative (to move past them), then keep one at random.
    const outs: string[] = []
    for (;;) {
      outs.push(sequence())
      if (s[i] !== '|') break
      i++
    }
    return outs[rand(outs.length)] as string
  }

  const sequence = (): string => {
    let out = ''
    while (i < s.length && s[i] !== '|' && s[i] !== ')') {
      const make = atom()
      const { min, max } = quantifier()
      const n = min + rand(Math.min(max, min + 3) - min + 1)
      for (let k = 0; k < n; k++) out += make()
    }
    return out
  }

  /** A function giving one instance of the atom (so `[a-z]{8}` varies per repetition). */
  const atom = (): (() => string) => {
    const c = s[i] as string
    if (c === '^' || c === '$') {
      i++
      return () => ''
    }
    if (c === '(') {
      const look = /^\(\?<?[=!]/.exec(s.slice(i))
      if (look) {
        i += look[0].length
        alternation()
        i++ // )
        return () => ''
      }
      if (s.startsWith('(?:', i)) i += 3
      else if (s.startsWith('(?<', i)) i = s.indexOf('>', i) + 1
      else i++
      const start = i
      alternation()
      i++ // )
      return () => {
        const saved = i
        i = start
        const out = alternation()
        i = saved
        return out
      }
    }
    if (c === '[') {
      const members = classMembers()
      return () => members[rand(members.length)] ?? 'a'
    }
    if (c === '.') {
      i++
      return () => 'q'
    }
    if (c === '\\') {
      const n = s[i + 1] as string
      i += 2
      const set = ESCAPES[n]
      if (set) return () => set[rand(set.length)] as string
      if (n === 'b' || n === 'B') return () => ''
      if (n === 'x') {
        const ch = String.fromCharCode(parseInt(s.slice(i, i + 2), 16))
        i += 2
        return () => ch
      }
      if (n === 'u' && s[i] === '{') {
        const close = s.indexOf('}', i)
        const ch = String.fromCodePoint(parseInt(s.slice(i + 1, close), 16))
        i = close + 1
        return () => ch
      }
      return () => n
    }
    i++
    return () => c
  }

  const classMembers = (): string[] => {
    i++ // [
    const negated = s[i] === '^'
    if (negated) i++
    const members: string[] = []
    let first = true
    while (i < s.length && (s[i] !== ']' || first)) {
      first = false
      let ch = s[i] as string
      if (ch === '\\') {
        const n = s[i + 1] as string
        i += 2
        const set = ESCAPES[n]
        if (set) {
          members.push(...set)
          continue
        }
        ch = n === 'n' ? '\n' : n === 't' ? '\t' : n
      } else i++
      if (s[i] === '-' && s[i + 1] !== ']') {
        let to = s[i + 1] as string
        i += 2
        if (to === '\\') {
          to = s[i] as string
          i++
        }
        for (let k = ch.charCodeAt(0); k <= to.charCodeAt(0) && k - ch.charCodeAt(0) < 400; k++) members.push(String.fromCharCode(k))
      } else members.push(ch)
    }
    i++ // ]
    if (!negated) return members
    return [...ALNUM, ...' .,:/'].filter((m) => !members.includes(m))
  }

  const quantifier = (): { min: number; max: number } => {
    const c = s[i]
    let q = { min: 1, max: 1 }
    if (c === '?') q = { min: 0, max: 1 }
    else if (c === '*') q = { min: 0, max: 4 }
    else if (c === '+') q = { min: 1, max: 4 }
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i))
      if (!m) return q
      i += m[0].length - 1
      q = { min: Number(m[1]), max: m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number(m[1]) + 4 : Number(m[3]) }
    } else return q
    i++
    if (s[i] === '?') i++
    return q
  }

  return alternation()
}

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789']
const ESCAPES: Record<string, string[]> = {
  d: [...'0123456789'],
  w: [...ALNUM, '_'],
  s: [' '],
  S: ALNUM,
  D: [...'abcXYZ'],
  W: [' ', '-', '.'],
  n: ['\n'],
  t: ['\t'],
  r: ['\r']
}

/** Plain words around a sample, as in a real file. */
export function prose(seed: number): string {
  return seeded(40, 'abcdefghij klmnopq rstuv wxyz ', seed)
}
