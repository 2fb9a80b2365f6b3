// Writes land whole or not at all: a crash mid-write never leaves half a report for a later step.
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

let counter = 0

/** `dirExists`: the caller has made the folder (a build writing thousands of files skips a mkdir each). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { dirExists?: boolean } = {}): Promise<void> {
  if (!options.dirExists) await mkdir(path.dirname(file), { recursive: true })
  // pid and a counter: concurrent writes of one process never share a temporary name.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++counter}.tmp`)
  await writeFile(tmp, data)
  await rename(tmp, file)
}
