// io/read-whole.ts: a whole file read on the thread pool, a large one in parts side by side, into
// pages written first when asked (`touched`): the file's bytes exactly, whatever the path.
import { describe, it, expect, afterAll } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readWholeInBackground, touchedInBackground } from '../src/io/read-whole.js'
import { rng as seeded } from './helpers/random.js'

const dir = mkdtempSync(path.join(tmpdir(), 'mpa-read-whole-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, size: number): { path: string; bytes: Buffer } {
  const rng = seeded(size + 1)
  const bytes = Buffer.alloc(size)
  for (let i = 0; i < size; i += 997) bytes[i] = Math.floor(rng() * 256)
  const p = path.join(dir, name)
  writeFileSync(p, bytes)
  return { path: p, bytes }
}

describe('touchedInBackground', () => {
  it('gives a buffer of the size asked for, every part of it written by the pool', async () => {
    for (const size of [0, 1, 4095, (4 << 20) + 3, (17 << 20) + 1]) {
      const bytes = await touchedInBackground(size)
      expect(bytes.length).toBe(size)
      // Random bytes in every part (in parts of 4 MB and more): no 64 KB run left as zeros.
      for (let at = 0; at + 65_536 <= size; at += 1 << 20) expect(bytes.subarray(at, at + 65_536).some((b) => b !== 0)).toBe(true)
    }
  })
})

describe('readWholeInBackground', () => {
  it('reads every byte of small and large files (in parts), touched first or not, with room after', async () => {
    for (const size of [0, 1, 4096, (4 << 20) - 1, (9 << 20) + 3, (17 << 20) + 11]) {
      const f = file(`f-${size}`, size)
      for (const touched of [false, true])
        for (const room of [0, 1 / 64]) {
          const read = await readWholeInBackground(f.path, Infinity, room, touched)
          expect(read.ok).toBe(true)
          if (!read.ok) continue
          expect(read.bytes.length).toBe(size)
          expect(read.bytes.equals(f.bytes)).toBe(true)
          expect(read.bytes.buffer.byteLength - read.bytes.byteOffset).toBeGreaterThanOrEqual(size + Math.ceil(size * room))
        }
    }
  })

  it('says what went wrong instead of throwing', async () => {
    expect(await readWholeInBackground(path.join(dir, 'none'))).toEqual({ ok: false, code: 'ENOENT' })
    const f = file('big', 5000)
    expect(await readWholeInBackground(f.path, 4999)).toEqual({ ok: false, code: 'too large', size: 5000 })
    expect(await readWholeInBackground(dir, Infinity, 0, true)).toMatchObject({ ok: false })
  })
})
