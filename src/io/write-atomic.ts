// Writes land whole or not at all: a crash mid-write never leaves half a report for a later step.
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`)
  await writeFile(tmp, data)
  await rename(tmp, file)
}
