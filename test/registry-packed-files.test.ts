// The publish stage's packed file lists (src/core/registry/build/packed-files.ts, KeptReleases in
// releases.ts): what is read back is what was put, in order, across pages, and the release record
// made from a packed list has the bytes the list of objects gave.
import { describe, it, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { PackedFileLists, type ListedFile } from '../src/core/registry/build/packed-files.js'
import { KeptReleases, releaseContent } from '../src/core/registry/build/releases.js'
import { canonicalBytes } from '../src/core/registry/json.js'

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

function list(n: number, tag: string): ListedFile[] {
  return Array.from({ length: n }, (_, i) => ({
    mode: i % 3 === 0 ? '100755' : '100644',
    path: i % 4 === 0 ? `docs/é-文書-${tag}-${i}.md` : `scripts/${tag}/${i}.sh`,
    sha256: sha(`${tag}:${i}`),
    size: i * 977
  }))
}

describe('PackedFileLists', () => {
  it('gives back every list as it was put, keys in canonical order, across many pages', () => {
    const packed = new PackedFileLists()
    const put = Array.from({ length: 1000 }, (_, i) => list(i % 17, `p${i}`))
    const handles = put.map((files) => packed.put(files))
    expect(new Set(handles.map((h) => h.page)).size).toBeGreaterThan(1)
    handles.forEach((h, i) => {
      const got = packed.get(h)
      expect(got).toEqual(put[i])
      for (const f of got) expect(Object.keys(f)).toEqual(['mode', 'path', 'sha256', 'size'])
    })
  })

  it('packs a list larger than a page on a page of its own', () => {
    const packed = new PackedFileLists()
    const small = packed.put(list(2, 'a'))
    const large = list(6000, 'large')
    const handle = packed.put(large)
    expect(handle.page).not.toBe(small.page)
    expect(packed.get(handle)).toEqual(large)
    expect(packed.get(small)).toEqual(list(2, 'a'))
  })

  it('packs what a marketplace may allow: more than 65,535 files in a list, a path longer than 65,535 bytes', () => {
    const packed = new PackedFileLists()
    const many = list(70_000, 'many')
    const long: ListedFile[] = [{ mode: '100644', path: `${'deep/'.repeat(14_000)}end.md`, sha256: sha('long'), size: 7 }]
    const handles = [packed.put(many), packed.put(long)]
    expect(packed.get(handles[0] as (typeof handles)[0])).toEqual(many)
    expect(packed.get(handles[1] as (typeof handles)[0])).toEqual(long)
  })

  it('refuses what it cannot pack rather than change it', () => {
    const packed = new PackedFileLists()
    expect(() => packed.put([{ mode: '120000', path: 'a', sha256: sha('a'), size: 1 }])).toThrow(/mode 120000/)
    expect(() => packed.put([{ mode: '100644', path: 'a', sha256: 'not hex', size: 1 }])).toThrow(/SHA-256/)
  })
})

describe('KeptReleases', () => {
  it('gives the content releaseContent made, so the release record has the same bytes', () => {
    const files = [
      { path: 'SKILL.md', mode: '100644', bytes: new TextEncoder().encode('# skill\n') },
      { path: 'tool.sh', mode: '100755', bytes: new TextEncoder().encode('echo hi\n') },
      { path: 'server.json', mode: '100644', bytes: new TextEncoder().encode('{}') }
    ]
    const content = releaseContent('mcp-server', undefined, files)
    const kept = new KeptReleases()
    kept.set('alice/tool', content)
    const back = kept.get('alice/tool')
    expect(back).toEqual(content)
    expect(back?.entrypoint?.bytes).toBe(content.entrypoint?.bytes)
    const record = (c: typeof content) => canonicalBytes({ digest: 'sha256:x', files: c.files, package: 'alice/tool', version: '1.0.0' })
    expect(Buffer.from(record(back as typeof content)).equals(Buffer.from(record(content)))).toBe(true)
    expect(kept.get('bob/other')).toBeUndefined()
    kept.clear()
    expect(kept.get('alice/tool')).toBeUndefined()
  })
})
