// Every JSON file the toolkit hands to a person or a later step (reports, SARIF, review records,
// `--json` summaries): two-space indented with one trailing newline, written atomically.
import { writeFileAtomic } from './write-atomic.js'

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`)
}
