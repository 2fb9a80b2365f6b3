// Reading a file a check must parse: capped, strictly UTF-8, and never through a link.
import { FileTooLargeError, type Snapshot, type TreeEntry } from '../snapshot/types.js'
import { decodeText } from '../parse/text.js'
import { finding, type Finding } from '../findings/findings.js'

export type TextRead = { text: string; findings: [] } | { text?: undefined; findings: Finding[] }

export async function readText(snapshot: Snapshot, entry: TreeEntry, maxBytes: number, pkg?: string): Promise<TextRead> {
  const at = { package: pkg, file: entry.path }
  let bytes: Uint8Array
  try {
    bytes = await snapshot.read(entry, maxBytes)
  } catch (e) {
    if (e instanceof FileTooLargeError) {
      return {
        findings: [
          finding('file/too-large-to-parse', at, `${entry.path} is ${e.size} bytes; files larger than ${maxBytes} bytes are not parsed`)
        ]
      }
    }
    throw e
  }
  const decoded = decodeText(bytes)
  if (!decoded.ok) return { findings: [finding('file/encoding', at, `${entry.path} cannot be read as text: ${decoded.reason}`)] }
  return { text: decoded.text, findings: [] }
}
