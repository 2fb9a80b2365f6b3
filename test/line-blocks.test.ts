// core/scores/line-blocks.ts: lines joined a block at a time give the plain join's text.
import { describe, it, expect } from '@jest/globals'
import { LineBlocks } from '../src/core/scores/line-blocks.js'

describe('LineBlocks', () => {
  it.each([0, 1, 2, 499, 500, 501, 1000, 1234])('joins %i lines as lines.join does', (count) => {
    // Lines of every kind: empty, long, with other separators inside.
    const lines = Array.from({ length: count }, (_, i) => (i % 97 === 0 ? '' : `line ${i}\t${'x'.repeat(i % 50)} é`))
    const blocks = new LineBlocks()
    for (const line of lines) blocks.add(line)
    expect(blocks.text()).toBe(lines.join('\n'))
    // Asked again, and after more lines: the text of everything added.
    expect(blocks.text()).toBe(lines.join('\n'))
    blocks.add('last')
    expect(blocks.text()).toBe([...lines, 'last'].join('\n'))
  })
})
