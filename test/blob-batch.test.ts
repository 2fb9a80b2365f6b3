// readSmallBlobs on a real repository: every blob asked for, once, with its exact bytes; a blob over
// the limit, a missing object, a tree and a malformed id are skipped; a folder outside git reads nothing.
import { describe, it, expect, afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readSmallBlobs } from '../src/core/git/blob-batch.js'
import { makeRepo, type TestRepo } from './helpers/git-repo.js'

const repos: TestRepo[] = []
const dirs: string[] = []
afterAll(async () => {
  for (const r of repos) await r.cleanup()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function read(dir: string, oids: string[], maxBytes: number): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  await readSmallBlobs(dir, oids, maxBytes, (oid, bytes) => {
    expect(out.has(oid)).toBe(false)
    out.set(oid, Buffer.from(bytes).toString('utf8'))
  })
  return out
}

describe('readSmallBlobs', () => {
  it('reads each blob once with its bytes and skips what it must not read', async () => {
    const repo = await makeRepo()
    repos.push(repo)
    const hash = (text: string) => repo.git(['hash-object', '-w', '--stdin'], text).trim()
    const small = ['{"verdict":"pass"}\n', '', 'line\nwith\nnewlines\n', 'é ünïcode\n'].map((t) => [hash(t), t] as const)
    const large = hash('x'.repeat(5000))
    repo.write('a/file.txt', 'in a tree\n')
    repo.commit('tree')
    const tree = repo.git(['rev-parse', 'HEAD:a']).trim()
    const missing = 'f'.repeat(40)
    const got = await read(repo.dir, [...small.map(([o]) => o), small[0]![0], large, tree, missing, 'not-an-id'], 4096)
    expect(got).toEqual(new Map(small))
    // The limit is inclusive.
    expect((await read(repo.dir, [large], 5000)).get(large)).toBe('x'.repeat(5000))
  })

  it('reads nothing outside a git repository', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mpa-blob-batch-'))
    dirs.push(dir)
    expect(await read(dir, ['a'.repeat(40)], 4096)).toEqual(new Map())
  })
})
