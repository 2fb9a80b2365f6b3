// What the registry writer knows of the folders below one output folder (registry-output.ts): each
// folder looked at once per build, and whether this build made it. A build of 100,000 packages
// looks at about 245,000 folders; keyed by absolute path (a ~100-character string each, in a Map
// and again in a Set for the ones made) that was ~40 MB held to the end of the build. Here a folder
// is a number, and its key is its parent's number and its own name (`1234/package-5355`).

import { ownString } from '../core/own-string.js'

/** A real folder, one this build made (so holding only what it wrote), nothing, or a link or non-folder. */
export type FolderState = 'dir' | 'made' | 'absent' | 'link'

const STATES: readonly FolderState[] = ['dir', 'made', 'absent', 'link']

/** A real folder, whoever made it. */
export const isFolder = (state: FolderState): boolean => state === 'dir' || state === 'made'

/** The base folder itself (its parent, for the key). */
export const BASE = -1

export class FolderStates {
  /** `<parent id>/<name>` (`` for the base) -> id << 2 | state. */
  private readonly known = new Map<string, number>()
  private count = 0
  /** How many times a folder was recorded: an answer worked out from the records holds while this stays. */
  changes = 0

  /** The folder `name` in the folder `parent`, or undefined when it was never looked at. */
  get(parent: number, name: string): { id: number; state: FolderState } | undefined {
    const value = this.known.get(keyOf(parent, name))
    return value === undefined ? undefined : { id: value >> 2, state: STATES[value & 3] as FolderState }
  }

  /** Records what the folder is (its number stays when it was known); returns its number. */
  set(parent: number, name: string, state: FolderState): number {
    this.changes++
    const key = keyOf(parent, name)
    const value = this.known.get(key)
    const id = value === undefined ? this.count++ : value >> 2
    // A key of its own: a concatenation held in the Map keeps its parts (and the path they were cut from) alive.
    this.known.set(value === undefined ? ownString(key) : key, (id << 2) | STATES.indexOf(state))
    return id
  }
}

function keyOf(parent: number, name: string): string {
  return parent === BASE ? '' : `${parent}/${name}`
}
