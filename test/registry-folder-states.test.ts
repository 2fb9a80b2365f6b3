// The registry writer's folder states (src/io/folder-states.ts): a folder is a number, keyed by its
// parent's number and its name. The writer's behaviour with them (folders made, links refused,
// stale files) is test/registry-output.test.ts.
import { describe, it, expect } from '@jest/globals'
import { BASE, FolderStates } from '../src/io/folder-states.js'

describe('FolderStates', () => {
  it('numbers each folder once, by its parent and name, and keeps its number when its state changes', () => {
    const folders = new FolderStates()
    expect(folders.get(BASE, '')).toBeUndefined()
    const base = folders.set(BASE, '', 'dir')
    const a = folders.set(base, 'publishers', 'absent')
    expect(folders.get(base, 'publishers')).toEqual({ id: a, state: 'absent' })
    expect(folders.set(base, 'publishers', 'made')).toBe(a)
    expect(folders.get(base, 'publishers')).toEqual({ id: a, state: 'made' })
    const b = folders.set(a, 'alice', 'link')
    expect(b).not.toBe(a)
    expect(folders.get(a, 'alice')).toEqual({ id: b, state: 'link' })
    // The same name below another folder is another folder.
    expect(folders.get(b, 'alice')).toBeUndefined()
  })
})
