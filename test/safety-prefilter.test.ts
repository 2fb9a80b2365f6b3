// The safety prefilter (src/core/checks/safety/prefilter.ts) may skip a regex only when it cannot
// match. Checked three ways: the anchors read from regex syntax, case by case; for every regex of
// every detector set, generated matches (alone and inside prose) always keep their regex among the
// candidates; and every detector with a prefilter finds the same things with it as without it, on
// planted secrets of every token format and on every file of the test fixtures and safety corpus.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import {
  Prefilter,
  computeAutomaton,
  loadAutomaton,
  regexAnchors,
  regexGate,
  regexStarts,
  scanClassOf,
  storeAutomaton,
  stepTable,
  storedInAnotherOrder,
  type Automaton
} from '../src/core/checks/safety/prefilter.js'
import { SAFETY_PREFILTER_TABLES } from '../src/generated/safety-prefilter.js'
import { SECRET_PREFILTER, TOKEN_PATTERNS, findSecrets, isPlaceholder } from '../src/core/checks/safety/secrets.js'
import { INJECTION_PREFILTER, injectionFindings } from '../src/core/checks/safety/injection.js'
import { CODE_PREFILTER, EXFIL_PREFILTER, codeFindings } from '../src/core/checks/safety/code.js'
import { MARKDOWN_REFERENCES } from '../src/core/checks/safety/references.js'
import { connectionStringSecrets } from '../src/core/checks/safety/secret-context.js'
import { mixedScriptFindings } from '../src/core/checks/safety/unicode.js'
import { makeTextFile, matches } from '../src/core/checks/safety/file.js'
import { PKG } from './helpers/safety.js'
import { prose, sampleOf } from './helpers/regex-sample.js'
import { rng } from './helpers/random.js'

describe('regexAnchors', () => {
  it.each([
    [/ghp_[A-Za-z0-9]{36}/g, ['ghp_']],
    [/(?<![A-Za-z0-9_])(?:ghp|gho)_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, ['ghp_', 'gho_']],
    [/\b(?:ignore|disregard)\s+(?:all\s+)?previous\s+instructions/gi, ['instructions']],
    [/(?:ab)?cd/, ['cd']],
    [/ab?c/, ['a']], // the quantified b is not part of a required run
    [/ab+c/, ['ab']],
    [/a\x41b/, ['a']], // an escape is never read as its letters
    [/\cJab/, ['ab']],
    [/ab\bcd/, ['ab']], // \b splits runs: the two sides are both required, neither is joined
    [/-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----/g, ['PRIVATE KEY-----']],
    [/\.ssh\/id_(?:rsa|ed25519)/, ['.ssh/id_rsa', '.ssh/id_ed25519']],
    [/x|y/, ['x', 'y']]
  ])('%s has anchors %j', (re, anchors) => {
    expect(regexAnchors(re)).toEqual(anchors)
  })

  it.each([[/[a-z]+[0-9]+/], [/(?:ab)?/], [/ab|[0-9]+/], [/.*/], [/\d{3}\s\d{4}/], [/a{/]])('%s has none: it always runs', (re) => {
    expect(regexAnchors(re)).toBeUndefined()
  })

  it('matches anchors with the regex case flags, and finds every anchor at a position, not only the first', () => {
    const pf = new Prefilter([{ re: /sk-[a-z]{4}/g }, { re: /sk-ant-[a-z]{4}/g }, { re: /SECRET_[0-9]/gi }, { re: /[0-9]+[a-z]/g }])
    expect(pf.candidates('sk-ant-abcd').map((p) => p.re.source)).toEqual(['sk-[a-z]{4}', 'sk-ant-[a-z]{4}', '[0-9]+[a-z]'])
    expect(pf.candidates('the secret_7 is').map((p) => p.re.source)).toEqual(['SECRET_[0-9]', '[0-9]+[a-z]'])
    expect(pf.candidates('plain words').map((p) => p.re.source)).toEqual(['[0-9]+[a-z]'])
  })
})

describe('regexStarts', () => {
  const w = (text: string) => ({ text, wordStart: true })
  const a = (text: string) => ({ text, wordStart: false })
  it.each([
    [/\b(?:ignore|disregard)\s+previous/gi, [w('ignore'), w('disregard')]],
    [/(?<![A-Za-z0-9_])(?:ghp|gho)_[A-Za-z0-9]{36}/g, [a('ghp'), a('gho')]],
    [/\b(?:the\s+)?(?:user|human)\s+must/gi, [w('the'), w('user'), w('human')]], // an optional start: what follows starts too
    [/a?b/, [a('a'), a('b')]],
    [/ab+c/, [a('a')]],
    [/x+y/, [a('x')]],
    [/^(?:foo|bar)/m, [a('foo'), a('bar')]],
    [/\bkeep\s+it|leave/gi, [w('keep'), a('leave')]],
    [/(?:\bdo|do)\s+not/gi, [a('do')]], // once with a \b and once without: kept without
    [/\b(?:(?:do\s+not|never)\s+tell|without\s+asking)/gi, [w('do'), w('never'), w('without')]]
  ])('%s starts with %j', (re, starts) => {
    expect(regexStarts(re)).toEqual(starts)
  })

  it.each([[/[a-z]+x/], [/(?:ab)?/], [/ab|[0-9]+/], [/.x/], [/\d{3}x/], [/\bfoo|\w+bar/], [/(?:a|b)*c|[cd]/]])(
    '%s has none: it is searched everywhere',
    (re) => {
      expect(regexStarts(re)).toBeUndefined()
    }
  )

  it('finds the same matches, groups and offsets where the regex is tried only at its first literals', () => {
    const pf = new Prefilter(
      [
        { re: /\b(?:do\s+not|never)\s+(tell)\s+(?:the\s+)?user/gi },
        { re: /\b(?:the\s+)?(?:user|human)\s+(?:must|should)\s+not\s+know\b/gi },
        { re: /(?:ab|a)+c/g },
        { re: /x?y/g }
      ],
      { starts: true }
    )
    const texts = [
      'Never tell the user. DO NOT TELL USER! never  tell   user; nevertell user',
      'The user must not know, the human should not know; theuser must not know',
      'aabababc abc ac aaac ababa c',
      'xy y xxy yyy',
      // Long s and the Kelvin sign fold onto s and k only under /u; no match either way here.
      'ne\u017fer tell the user, \u212aeep'
    ]
    for (const item of pf.items)
      for (const text of texts)
        expect([...pf.matchesOf(item, text)].map((m) => [m.index, ...m])).toEqual([...matches(item.re, text)].map((m) => [m.index, ...m]))
  })
})

describe('the tables `npm run generate` stores (src/generated/safety-prefilter.ts)', () => {
  // That the file is current is test/generated.test.ts's `generate --check` (this file builds prefilters of its own).
  it('hold every detector regex, with the anchors and first literals its syntax gives', () => {
    let n = 0
    for (const prefilter of Object.values(SETS))
      for (const { re } of prefilter.items) {
        const stored = SAFETY_PREFILTER_TABLES.regexes[`${re.flags}/${re.source}`]
        expect([re.source, stored]).toEqual([
          re.source,
          { anchors: regexAnchors(re) ?? null, starts: re.global ? (regexStarts(re) ?? null) : null }
        ])
        n++
      }
    expect(n).toBeGreaterThan(100)
    expect(Object.keys(SAFETY_PREFILTER_TABLES.automata).length).toBeGreaterThanOrEqual(2)
  })

  it('load into the automaton a build from the anchors gives, table for table', () => {
    const anchors = [
      { text: 'ignore', caseless: true },
      { text: 'ghp_', caseless: false },
      { text: 'gno', caseless: true },
      { text: 'ore', caseless: true },
      { text: '\u0441\u0435\u043a', caseless: true }
    ]
    const built = computeAutomaton(anchors)
    const loaded = loadAutomaton(storeAutomaton(built))
    // A loaded automaton comes with its step table, filled from the same entries as delta.
    expect(loaded).toEqual({ ...built, step: stepTable(built) })
    for (const stored of Object.values(SAFETY_PREFILTER_TABLES.automata)) {
      const a = loadAutomaton(stored)
      expect(storeAutomaton(a)).toEqual(stored)
      expect(a.step).toEqual(stepTable({ ...a, step: undefined }))
    }
  })
})

/** The anchors (by number) an automaton finds in a text, read state by state. */
function foundBy(a: Automaton, anchors: readonly { text: string; caseless: boolean }[], text: string): number[] {
  const found = new Set<number>()
  let state = 0
  for (let i = 0; i < text.length; i++) {
    state = a.delta[state * a.classes + (a.classOf[text.charCodeAt(i)] as number)] as number
    for (let k = a.outStart[state] as number; k < (a.outStart[state + 1] as number); k++) {
      const id = a.outList[k] as number
      const anchor = anchors[id] as { text: string; caseless: boolean }
      if (anchor.caseless || text.startsWith(anchor.text, i + 1 - anchor.text.length)) found.add(id)
    }
  }
  return [...found].sort((x, y) => x - y)
}

describe('a stored automaton for the same anchors registered in another order', () => {
  it('is used, with its anchor numbers translated, and finds what a fresh build finds', () => {
    let compared = 0
    for (const key of Object.keys(SAFETY_PREFILTER_TABLES.automata)) {
      // A name is `i` or `c` (the case flag) and the text, after `s` for a start scan's first literal.
      const stored = key.split('\u0000').map((n) => {
        const start = n.startsWith('s')
        const flagged = start ? n.slice(1) : n
        return { ...(start ? { start } : {}), text: flagged.slice(1), caseless: flagged.startsWith('i') }
      })
      for (const order of [[...stored].reverse(), [...stored.slice(1), stored[0] as (typeof stored)[number]]]) {
        const reordered = storedInAnotherOrder(order)
        expect(reordered).toBeDefined()
        const fresh = computeAutomaton(order)
        const texts = [
          order.map((a) => a.text).join(' '),
          order
            .filter((_, i) => i % 3 === 0)
            .map((a) => a.text.toUpperCase())
            .join(' x '),
          prose(7) +
            order
              .filter((_, i) => i % 7 === 1)
              .map((a) => a.text)
              .join(''),
          prose(8)
        ]
        for (const text of texts) {
          expect(foundBy(reordered as Automaton, order, text)).toEqual(foundBy(fresh, order, text))
          compared++
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8)
    expect(storedInAnotherOrder([{ text: 'not-a-stored-set', caseless: true }])).toBeUndefined()
  })
})

describe('the one literal scan behind every prefilter', () => {
  it('puts every code unit the regex engine equates with a case-insensitive anchor character in that character’s class', () => {
    // Every code unit of the Basic Multilingual Plane, surrogates aside, in one string.
    let all = ''
    for (let u = 0; u < 0x10000; u++) if (u < 0xd800 || u > 0xdfff) all += String.fromCharCode(u)
    const chars = new Set(Prefilter.caselessAnchors().flatMap((a) => [...a]))
    const wrong: string[] = []
    for (const c of chars) {
      const own = scanClassOf(c.charCodeAt(0))
      for (const flags of ['gi', 'giu']) {
        const re = new RegExp(c.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&'), flags)
        for (const m of all.matchAll(re)) {
          const unit = m[0].charCodeAt(0)
          if (scanClassOf(unit) !== own) wrong.push(`${c} ~ U+${unit.toString(16)} (/${flags})`)
        }
      }
    }
    expect(wrong).toEqual([])
    expect(chars.size).toBeGreaterThan(50)
  })

  it('finds anchors in any case for a case-insensitive regex, and only as written for a case-sensitive one', () => {
    const pf = new Prefilter([{ re: /ignore\s+previous/gi }, { re: /ghp_[A-Za-z0-9]{36}/g }, { re: /забудь\s+все/giu }])
    const sources = (text: string) => pf.candidates(text).map((p) => p.re.source)
    expect(sources('IGNORE Previous')).toEqual(['ignore\\s+previous'])
    expect(sources('ſome ignoſe')).toEqual([]) // long s folds onto s, not onto r
    expect(sources('token GHP_abc')).toEqual([])
    expect(sources('token ghp_abc')).toEqual(['ghp_[A-Za-z0-9]{36}'])
    expect(sources('ЗАБУДЬ ВСЕ')).toEqual(['забудь\\s+все'])
    // The same text twice, and a new text after it: each answer is about its own text.
    expect(sources('ghp_ x')).toEqual(['ghp_[A-Za-z0-9]{36}'])
    expect(sources('ghp_ x')).toEqual(['ghp_[A-Za-z0-9]{36}'])
    expect(sources('nothing')).toEqual([])
  })
})

const SETS = {
  secrets: SECRET_PREFILTER,
  injection: INJECTION_PREFILTER,
  code: CODE_PREFILTER,
  'collection endpoints': EXFIL_PREFILTER,
  'Markdown references': MARKDOWN_REFERENCES
}

describe.each(Object.entries(SETS))('the %s prefilter', (_name, prefilter) => {
  it('keeps every regex among the candidates of text it matches (generated matches, alone and in prose)', () => {
    const missed: string[] = []
    let checked = 0
    prefilter.items.forEach((item, k) => {
      for (let seed = 1; seed <= 25; seed++) {
        const sample = sampleOf(item.re, seed * 97 + k)
        for (const text of [sample, `${prose(seed)} ${sample}\n${prose(seed + 1)}`]) {
          const re = new RegExp(item.re.source, item.re.flags.replace('g', ''))
          if (!re.test(text)) continue
          checked++
          if (!prefilter.candidates(text).includes(item))
            missed.push(`${item.re.source.slice(0, 60)} on ${JSON.stringify(text.slice(0, 80))}`)
        }
      }
    })
    expect(missed).toEqual([])
    // The generator reaches most regexes (the check is not vacuous).
    expect(checked).toBeGreaterThan(prefilter.items.length * 10)
  })
})

describe('the injection prefilter, searching from first literals', () => {
  const prefilter = INJECTION_PREFILTER
  it('finds every match a search of the whole text finds (generated matches of every pattern, repeated, alone and in prose)', () => {
    const differ: string[] = []
    let found = 0
    prefilter.items.forEach((item, k) => {
      for (let seed = 1; seed <= 25; seed++) {
        const sample = sampleOf(item.re, seed * 89 + k)
        for (const text of [sample, `${prose(seed)} ${sample}\n${prose(seed + 1)} ${sample}${sample} (${sample})`]) {
          const all = [...matches(item.re, text)].map((m) => [m.index, ...m])
          found += all.length
          const some = [...prefilter.matchesOf(item, text)].map((m) => [m.index, ...m])
          if (JSON.stringify(some) !== JSON.stringify(all))
            differ.push(`${item.re.source.slice(0, 60)} on ${JSON.stringify(text.slice(0, 80))}`)
        }
      }
    })
    expect(differ).toEqual([])
    expect(found).toBeGreaterThan(prefilter.items.length * 10)
  })
})

/**
 * The two ways the injection start scan gets a text's places: from the shared literal scan's pass,
 * which reads its first literals too when a detector asks mayMatch of the same text first (as
 * injectionFindings does), or from a pass of its own when that scan last read another text.
 */
const PASSES = [
  { name: 'shared pass', read: (text: string) => INJECTION_PREFILTER.mayMatch(text) },
  { name: 'own pass', read: (text: string) => INJECTION_PREFILTER.mayMatch(`${text}\u0000another text`) }
]

describe('the injection prefilter on near misses', () => {
  it('finds what a search of the whole text finds where first literals crowd, overlap and end out of order', () => {
    // Texts made of the patterns' first literals (several per place, one inside another, in any
    // case), their samples cut short, and separators: many places per text, filed under many bits.
    const r = rng(41)
    const firsts = [
      ...new Set(
        INJECTION_PREFILTER.items
          .flatMap(({ re }) => SAFETY_PREFILTER_TABLES.regexes[`${re.flags}/${re.source}`]?.starts ?? [])
          .map((st) => st.text)
      )
    ]
    const cuts = INJECTION_PREFILTER.items.map(({ re }, k) => sampleOf(re, 7 + k))
    const pieces = [' ', '  ', '\n', '_', '*', '. ', 'x', ...firsts, ...firsts.map((f) => f.toUpperCase())]
    const differ: string[] = []
    let found = 0
    for (let t = 0; t < 1500; t++) {
      let text = ''
      for (let n = 5 + Math.floor(r() * 40); n > 0; n--) {
        const cut = cuts[Math.floor(r() * cuts.length)] as string
        text += r() < 0.15 ? cut.slice(0, Math.floor(r() * (cut.length + 1))) : (pieces[Math.floor(r() * pieces.length)] as string)
      }
      for (const pass of PASSES) {
        pass.read(text)
        for (const item of INJECTION_PREFILTER.items) {
          const all = [...matches(item.re, text)].map((m) => [m.index, ...m])
          found += all.length
          if (JSON.stringify([...INJECTION_PREFILTER.matchesOf(item, text)].map((m) => [m.index, ...m])) !== JSON.stringify(all))
            differ.push(`${pass.name}: ${item.re.source.slice(0, 40)} on ${JSON.stringify(text.slice(0, 80))}`)
        }
      }
    }
    expect(differ.slice(0, 5)).toEqual([])
    expect(found).toBeGreaterThan(100)
  })

  it('finds the same where a text has more places than the start scan has room for at first (its arrays grow)', () => {
    // prefilter.ts keeps room for 8,192 places a text; these texts hold 20,000 and more, then a
    // short text is read with the grown arrays.
    const firsts = [
      ...new Set(
        INJECTION_PREFILTER.items
          .flatMap(({ re }) => SAFETY_PREFILTER_TABLES.regexes[`${re.flags}/${re.source}`]?.starts ?? [])
          .map((st) => st.text)
      )
    ]
    const r = rng(97)
    const cuts = INJECTION_PREFILTER.items.map(({ re }, k) => sampleOf(re, 11 + k))
    const pieces: string[] = []
    for (let n = 0; n < 20000; n++)
      pieces.push(r() < 0.02 ? (cuts[Math.floor(r() * cuts.length)] as string) : (firsts[Math.floor(r() * firsts.length)] as string))
    const texts = [pieces.join(' '), pieces.join('\n').toUpperCase(), `${prose(3)} ${cuts[0]} ${prose(4)}`]
    const differ: string[] = []
    let found = 0
    for (const pass of PASSES)
      for (const text of texts) {
        pass.read(text)
        for (const item of INJECTION_PREFILTER.items) {
          const all = [...matches(item.re, text)].map((m) => [m.index, ...m])
          found += all.length
          if (JSON.stringify([...INJECTION_PREFILTER.matchesOf(item, text)].map((m) => [m.index, ...m])) !== JSON.stringify(all))
            differ.push(`${pass.name}: ${item.re.source.slice(0, 40)} on text ${texts.indexOf(text)}`)
        }
      }
    expect(differ).toEqual([])
    expect(found).toBeGreaterThan(100)
  })

  it('tries the places in text order where a first literal ends inside a longer one that starts before it', () => {
    // In "xab" the place of `a` (1) is read before that of `xab` (0): filed as read, a search from 1
    // would report "ab" where the whole search finds "xab".
    const pf = new Prefilter([{ re: /(?:xab|a)b*/g }, { re: /(?:b|xa)x?/gi }], { starts: true })
    const r = rng(5)
    const differ: string[] = []
    for (let t = 0; t < 3000; t++) {
      let text = ''
      for (let n = 1 + Math.floor(r() * 12); n > 0; n--) text += 'xXab '[Math.floor(r() * 5)]
      for (const item of pf.items)
        if (
          JSON.stringify([...pf.matchesOf(item, text)].map((m) => [m.index, ...m])) !==
          JSON.stringify([...matches(item.re, text)].map((m) => [m.index, ...m]))
        )
          differ.push(`${item.re.source} on ${text}`)
    }
    expect(differ.slice(0, 5)).toEqual([])
  })
})

describe('detectors with a prefilter find what they find without one', () => {
  it('a planted token of every format is found, the same as with every regex run', () => {
    const notFound: string[] = []
    const differ: string[] = []
    for (const [k, p] of TOKEN_PATTERNS.entries()) {
      let found = false
      for (let seed = 1; seed <= 40 && !found; seed++) {
        const token = sampleOf(p.re, seed * 31 + k)
        const text = `# settings\nexport SERVICE_${k}=${token}\n${prose(seed)}\n`
        const all = findSecrets(text, { prefilter: false })
        if (JSON.stringify(findSecrets(text)) !== JSON.stringify(all)) differ.push(`${p.kind}: ${text}`)
        // A sample the placeholder test rejects (say one holding `xxxx`) is not found either way: try another.
        found = all.some((h) => h.value.includes(token) || token.includes(h.value))
      }
      if (!found) notFound.push(p.kind)
    }
    expect(differ).toEqual([])
    // Every format, Braintree's `access_token$production$…` included (its `$production` once read
    // as a `$VARIABLE` placeholder).
    expect(notFound).toEqual([])
  })

  it('a `$name` is a variable placeholder where a name can start, not inside a token', () => {
    for (const v of ['$API_KEY', '${TOKEN}', 'Bearer $token', 'key=$api_key']) expect([v, isPlaceholder(v)]).toEqual([v, true])
    const braintree = `access_token$production$${'k7q2m9x4w1z8c3v6'}$${'4f9a1c7e2b8d3f6a0e5c9b1d7a3f8e2c'}`
    expect(isPlaceholder(braintree)).toBe(false)
  })

  it('mixed-script identifiers are still found behind the gate on Cyrillic and Greek look-alike letters', () => {
    // Cyrillic а (U+0430) in a Python name, Greek ο (U+03BF) in a name inside a Markdown code block.
    const py = makeTextFile(PKG, `${PKG.dir}/tool.py`, 'import os\np\u0430ssword = os.environ["X"]\n')
    const md = makeTextFile(PKG, `${PKG.dir}/SKILL.md`, 'Run it:\n\n```python\nt\u03bfken = load()\n```\n')
    const ascii = makeTextFile(PKG, `${PKG.dir}/tool.py`, 'import os\npassword = os.environ["X"]\n')
    expect(mixedScriptFindings(py).map((f) => f.line)).toEqual([2])
    expect(mixedScriptFindings(md).map((f) => f.line)).toEqual([4])
    expect(mixedScriptFindings(ascii)).toEqual([])
  })

  it('connection strings are searched only on lines with a `;`, with the same results', () => {
    const text = `Server=db.prod.example.net;Database=shop;User Id=app;Password=Xq9rT2vLm8;\nno pairs here = at all\nHost=a;Pwd=Zz81kLmnop;Port=1;`
    expect(connectionStringSecrets(text).map((c) => c.value)).toEqual(['Xq9rT2vLm8', 'Zz81kLmnop'])
  })

  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (statSync(p).size < 200_000) files.push(p)
    }
  }
  walk(path.join(process.cwd(), 'test', 'fixtures'))

  it(`every fixture file (${files.length}, the safety corpus included) gives the same secrets, injection and code findings`, () => {
    let findings = 0
    const differ: string[] = []
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      const file = makeTextFile(PKG, `${PKG.dir}/${path.basename(f)}`, text)
      const pairs: [unknown[], unknown[]][] = [
        [findSecrets(text), findSecrets(text, { prefilter: false })],
        [injectionFindings(file), injectionFindings(file, { prefilter: false })],
        [codeFindings(file), codeFindings(file, { prefilter: false })]
      ]
      for (const [on, off] of pairs) {
        findings += off.length
        if (JSON.stringify(on) !== JSON.stringify(off)) differ.push(f)
      }
    }
    expect(differ).toEqual([])
    expect(findings).toBeGreaterThan(50)
  })
})

describe('regexGate: characters one of which every match holds, for a regex searched whole', () => {
  it.each([
    [/<\|(?:system|user)\|>|\[INST\]/gi, ['<', '[']],
    [/\[x\]|y<z/, ['[', '<']],
    [/^[ \t]*<\|?(?:system|assistant)\|?>[ \t]*$/gim, ['<']],
    [/a<b|c>d/, ['<', '>']],
    [/<a>|[b]/, undefined], // the second alternative holds no literal: no gate
    [/(?:<a|b>)c/, undefined], // no one character is in both strings of the set
    [/x(?:<|>)/, undefined],
    [/a(?=<)/, undefined], // a lookahead's text is not part of the match
    [/a(?:<)?b/, undefined], // an optional character is not required
    [/user|assistant/i, undefined] // letters only: no punctuation to gate on
  ] as const)('%s -> %j', (re, gate) => {
    expect(regexGate(re)).toEqual(gate)
  })

  it('names a character of every generated match of every injection pattern it gates', () => {
    let gated = 0
    let samples = 0
    for (const [k, item] of INJECTION_PREFILTER.items.entries()) {
      const gate = regexGate(item.re)
      if (!gate) continue
      gated++
      for (let seed = 1; seed <= 60; seed++) {
        const sample = sampleOf(item.re, seed * 97 + k)
        for (const m of matches(item.re, sample)) {
          samples++
          expect({ re: item.re.source.slice(0, 60), match: m[0], holds: gate.some((c) => m[0].includes(c)) }).toMatchObject({ holds: true })
        }
      }
    }
    expect(gated).toBeGreaterThan(0)
    expect(samples).toBeGreaterThan(gated * 30)
  })
})
