// io/small-files.ts: many small files read one after another into one buffer the reader keeps
// (the scores run's check of the published-versions index's shards): each file's bytes exactly,
// whatever its size, a missing file or a link told apart from any other failure, and a FIFO refused without blocking.
import { describe, it, expect, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SmallFileReader } from '../src/io/small-files.js'
import { rng as seeded } from './helpers/random.js'

const dir = mkdtempSync(path.join(tmpdir(), 'mpa-small-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, size: number): { path: string; bytes: Buffer } {
  const rng = seeded(size + 7)
  const bytes = Buffer.alloc(size)
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(rng() * 256)
  const p = path.join(dir, name)
  writeFileSync(p, bytes)
  return { path: p, bytes }
}

describe('SmallFileReader', () => {
  it('reads each file whole, one after another, into one buffer grown for a file that does not fit', () => {
    const files = [0, 1, 13_000, 65_535, 65_536, 65_537, 300_001, 5, 200_000].map((size, i) => file(`f-${i}`, size))
    const reader = new SmallFileReader()
    const views: Buffer[] = []
    for (const f of files) {
      const bytes = reader.read(f.path)
      expect(bytes?.length).toBe(f.bytes.length)
      expect(bytes?.equals(f.bytes)).toBe(true)
      views.push(bytes as Buffer)
    }
    // One buffer: a small file read after a large one is in the same memory (the view is valid until the next read).
    expect(views[7]?.buffer).toBe(views[8]?.buffer)
    // Read again in another order: still every byte.
    for (const f of [...files].reverse()) expect(reader.read(f.path)?.equals(f.bytes)).toBe(true)
  })

  it('says undefined for a file that is not there and throws any other failure', () => {
    const reader = new SmallFileReader()
    expect(reader.read(path.join(dir, 'none'))).toBeUndefined()
    const folder = path.join(dir, 'a-folder')
    mkdirSync(folder, { recursive: true })
    expect(() => reader.read(folder)).toThrow(/EISDIR/)
    // Not-a-folder in the middle of the path is not "not there".
    const plain = file('plain', 10)
    expect(() => reader.read(path.join(plain.path, 'x'))).toThrow(/ENOTDIR/)
    // A link is not followed (a link to /dev/zero would never end): not there, as for a missing file.
    const link = path.join(dir, 'to-zero')
    symlinkSync('/dev/zero', link)
    expect(reader.read(link)).toBeUndefined()
    symlinkSync(plain.path, path.join(dir, 'to-plain'))
    expect(reader.read(path.join(dir, 'to-plain'))).toBeUndefined()
    // A FIFO does not block the open: it is refused at once (it cannot be read at an offset).
    const fifo = path.join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    expect(() => reader.read(fifo)).toThrow(/ESPIPE/)
    // The reader still reads after a failure.
    expect(reader.read(plain.path)?.equals(plain.bytes)).toBe(true)
  })
})
