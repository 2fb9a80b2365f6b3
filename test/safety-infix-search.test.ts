// A regex searched only around an infix of its matches (src/core/checks/safety/infix-search.ts)
// must find exactly what a whole-text search finds: the same matches, at the same offsets, with
// the same groups. Held to matches() on generated near misses of the two secret patterns that use
// it (a Discord bot token, a URL with a password): real ones with a character or a few replaced,
// inserted or deleted from an alphabet of the characters their classes, infixes and boundaries
// turn on, several in one text, overlapping, touching and at the text's edges.
import { describe, expect, it } from '@jest/globals'
import { infixMatches, infixSearch, type InfixSearch } from '../src/core/checks/safety/infix-search.js'
import { TOKEN_PATTERNS, URL_CREDENTIALS_SEARCH, findSecrets } from '../src/core/checks/safety/secrets.js'
import { matches } from '../src/core/checks/safety/file.js'
import { rng } from './helpers/random.js'

const DISCORD = TOKEN_PATTERNS.find((p) => p.kind === 'Discord bot token')?.infix as InfixSearch

/** [index, whole match, groups...] of each match. */
const shape = (found: Iterable<RegExpExecArray>) => [...found].map((m) => [m.index, ...m])

/** `count` texts made of `pieces`, each piece mutated by one to four edits from `alphabet`. */
function nearMisses(pieces: readonly string[], alphabet: string, seed: number, count: number): string[] {
  const r = rng(seed)
  const pick = <T>(list: readonly T[] | string) => list[Math.floor(r() * list.length)] as T
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    let text = ''
    for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
      let piece = [...pick<string>(pieces)]
      for (let e = Math.floor(r() * 5); e > 0; e--) {
        const at = Math.floor(r() * (piece.length + 1))
        const kind = r()
        if (kind < 0.45) piece[at] = pick<string>(alphabet)
        else if (kind < 0.8) piece.splice(at, 0, pick<string>(alphabet))
        else piece.splice(at, 1)
        piece = piece.filter((c) => c !== undefined)
      }
      // Pieces touching, or apart by a separator of either side of a boundary.
      text += piece.join('') + pick(['', '', ' ', '\n', '.', 'a', '/', '://'])
    }
    out.push(text)
  }
  return out
}

/** The regex a search was built for, global again (the search holds its sticky copy). */
const globalOf = (search: InfixSearch) => new RegExp(search.sticky.source, search.sticky.flags.replace('y', 'g'))

function compare(search: InfixSearch, texts: readonly string[]): { differ: string[]; found: number } {
  const re = globalOf(search)
  const differ: string[] = []
  let found = 0
  for (const text of texts) {
    const want = shape(matches(re, text))
    found += want.length
    if (JSON.stringify(shape(infixMatches(search, text))) !== JSON.stringify(want)) differ.push(JSON.stringify(text))
  }
  return { differ, found }
}

const TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'
const TOKEN_LONG = 'NzY1NDMyMTA5ODc2NTQzMjEwOTg3.Xy-_9a.0123456789abcdefghijABCDEFGHIJ_-xyz'

describe('infix search', () => {
  it('the searches are built for the regexes the detectors run', () => {
    expect(DISCORD).toBeDefined()
    expect(globalOf(DISCORD).source).toBe(TOKEN_PATTERNS.find((p) => p.kind === 'Discord bot token')?.re.source)
    expect(shape(infixMatches(DISCORD, `token: ${TOKEN}\n`))).toEqual(shape(matches(globalOf(DISCORD), `token: ${TOKEN}\n`)))
    expect(infixMatches(DISCORD, `token: ${TOKEN}\n`)).toHaveLength(1)
    expect(infixMatches(URL_CREDENTIALS_SEARCH, 'db: postgres://admin:s3cr3tP4ss@db.prod.acme.io/app')).toHaveLength(1)
  })

  it('a run character table is exact: no code unit past ASCII is in a run', () => {
    // The searches walk back over ASCII only; were a class of theirs to take any other code unit,
    // a match holding one would be skipped.
    for (const search of [DISCORD, URL_CREDENTIALS_SEARCH]) {
      const wrong: number[] = []
      for (let c = 128; c < 0x10000; c++) if (search.run.test(String.fromCharCode(c))) wrong.push(c)
      expect(wrong).toEqual([])
      for (let c = 0; c < 128; c++) expect(search.runChar[c]).toBe(search.run.test(String.fromCharCode(c)) ? 1 : 0)
    }
    // The classes between a match's start and its infix, under the regexes' own flags.
    const inClass: number[] = []
    for (let c = 128; c < 0x10000; c++)
      if (/^[a-z0-9+.-]$/i.test(String.fromCharCode(c)) || /^[A-Za-z0-9_-]$/.test(String.fromCharCode(c))) inClass.push(c)
    expect(inClass).toEqual([])
  })

  it('finds what a whole-text search finds: Discord bot tokens and near misses', () => {
    const texts = nearMisses(
      [TOKEN, TOKEN_LONG, `x${TOKEN}`, `${TOKEN.slice(0, 26)}${TOKEN}`, 'docs.github.com/en.latest.', TOKEN.replace('.', '..')],
      'MNOmno.._-aZ09 \n\u212aé',
      15,
      6000
    )
    const { differ, found } = compare(DISCORD, texts)
    expect(differ.slice(0, 5)).toEqual([])
    // Near misses on both sides: many texts hold a token, many do not.
    expect(found).toBeGreaterThan(500)
    expect(found).toBeLessThan(texts.length * 2)
  })

  it('finds what a whole-text search finds: URLs with a password and near misses', () => {
    const texts = nearMisses(
      [
        'postgres://admin:s3cr3tP4ss@db.prod.acme.io/app',
        'see https://user:pw@host and git+ssh://git:tok3n@github.com',
        'a.b-c+d://u:p@h',
        'x1234567890123456789012345678901://u:p@h',
        'https://github.com/owner/repo',
        ' mongodb+srv://root:Zx9Yw8Vu@cluster0.example.net'
      ],
      ':/@._-+aZ09 \n"\u212a\u017f',
      16,
      6000
    )
    const { differ, found } = compare(URL_CREDENTIALS_SEARCH, texts)
    expect(differ.slice(0, 5)).toEqual([])
    expect(found).toBeGreaterThan(1000)
  })

  it('an infix that occurs twice in one window, and matches that touch', () => {
    const search = infixSearch(/[ab][a-z]{1,3}x/g, { literal: 'x', min: 2, max: 4, run: /[a-z]/ })
    for (const text of ['abxabx', 'aaaax', 'bxx', 'ab x axbx', 'zzzzax', 'x', 'aax\u212aaax']) {
      expect(shape(infixMatches(search, text))).toEqual(shape(matches(/[ab][a-z]{1,3}x/g, text)))
    }
  })

  it('findSecrets finds the same with the searches as with whole-text searches', () => {
    const texts = nearMisses(
      [TOKEN, 'postgres://admin:s3cr3tP4ss@db.prod.acme.io/app', 'password = "Zx9Yw8Vu7Ts6Rq5P"'],
      ':/@._-aZ09 \n',
      17,
      1500
    )
    const differ = texts.filter((text) => JSON.stringify(findSecrets(text)) !== JSON.stringify(findSecrets(text, { prefilter: false })))
    expect(differ.slice(0, 5)).toEqual([])
  })
})
