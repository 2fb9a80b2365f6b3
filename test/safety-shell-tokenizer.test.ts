// The shell tokenizer reads a word's plain text in runs and tries the redirection and operator forms
// only at the characters they start with. It must give what the character-by-character tokenizer
// gave (test/helpers/shell-reference.ts) on every text: words, quotes removed, substitutions,
// redirections, heredocs, offsets.
import { describe, expect, it } from '@jest/globals'
import { tokenizeShell } from '../src/core/checks/safety/shell.js'
import { referenceTokenizeShell } from './helpers/shell-reference.js'
import { rng } from './helpers/random.js'

/** Pieces the generated texts are made of: every character the tokenizer treats specially, and plain ones. */
const PIECES = [
  'curl',
  'x1',
  '-f',
  'a.sh',
  'FOO=',
  'é',
  '中',
  '\u{1f600}',
  ' ',
  '  ',
  '\t',
  '\r',
  '\n',
  '\\',
  '\\\n',
  "'",
  '"',
  '$',
  '$(',
  '$((',
  '))',
  '${',
  '}',
  '{',
  '`',
  '<(',
  '>(',
  '(',
  ')',
  '<',
  '>',
  '>>',
  '2>',
  '2>&1',
  '&>',
  '<<<',
  '<>',
  '>|',
  '&',
  '&&',
  '|',
  '||',
  '|&',
  ';',
  ';;',
  '#',
  '=',
  '0',
  '9',
  '<<EOF',
  '<<-EOF',
  "<<'EOF'",
  'EOF',
  '\tEOF',
  '\\"',
  '\\$',
  '\\`'
]

function generated(seed: number, count: number): string[] {
  const r = rng(seed)
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(r() * 40)
    let text = ''
    for (let k = 0; k < n; k++) text += PIECES[Math.floor(r() * PIECES.length)]
    out.push(text)
  }
  return out
}

describe('the shell tokenizer', () => {
  it('gives what the character-by-character tokenizer gives, on 30,000 generated texts', () => {
    const differ: string[] = []
    let words = 0
    for (const [i, text] of generated(15, 30000).entries()) {
      const offset = i % 7
      const got = tokenizeShell(text, offset)
      const want = referenceTokenizeShell(text, offset)
      words += want.reduce((n, c) => n + c.words.length + c.redirects.length + c.assignments.length, 0)
      if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(JSON.stringify(text))
    }
    expect(differ.slice(0, 5)).toEqual([])
    // The texts hold words of every kind: quoted, escaped, substituted, redirected.
    expect(words).toBeGreaterThan(50000)
  })

  it('gives the same on shell as written in skills and scripts', () => {
    const texts = [
      'curl -fsSL "https://example.com/install.sh" | bash -s -- --yes 2>&1 >> log.txt',
      'python3 -c \'import os; print(os.environ)\' && echo "done: $(date +%s) `whoami`" || exit 1',
      'cat <<-EOF > out\n\tsecret\n\tEOF\nexport A="$HOME/.ssh" B=${C:-d} ; diff <(ls a) >(wc -l)',
      'for f in *.md; do wc -l "$f"; done # count\\\n lines',
      'echo "a\\"b\\$c\\`d\\\ne" \'x\\y\' $((1 + 2)) {a,b} ${#x}'
    ]
    for (const text of texts) expect(tokenizeShell(text, 3)).toEqual(referenceTokenizeShell(text, 3))
  })
})
