// Reading a file a check must parse: capped, strictly UTF-8, and never through a link.
import { FileTooLargeError, type ListedEntry, type Snapshot, type TreeEntry } from '../snapshot/types.js'
import { decodeText } from '../parse/text.js'
import { finding, type Finding } from '../findings/findings.js'
import { readBytes, type Steps } from './steps.js'

export type TextRead = { text: string; findings: [] } | { text?: undefined; findings: Finding[] }

export async function readText(snapshot: Snapshot, entry: TreeEntry, maxBytes: number, pkg?: string): Promise<TextRead> {
  let bytes: Uint8Array
  try {
    bytes = await snapshot.read(entry, maxBytes)
  } catch (e) {
    return tooLarge(e, entry, maxBytes, pkg)
  }
  return asText(bytes, entry, pkg)
}

/** readText as steps (checks/steps.ts): the same rules, read synchronously from a directory. */
export function* readTextSteps<E extends ListedEntry>(entry: E, maxBytes: number, pkg?: string): Steps<TextRead, E> {
  let bytes: Uint8Array
  try {
    bytes = yield* readBytes(entry, maxBytes)
  } catch (e) {
    return tooLarge(e, entry, maxBytes, pkg)
  }
  return asText(bytes, entry, pkg)
}

/** A file over the limit is a finding; any other failure to read is thrown on. */
function tooLarge(e: unknown, entry: ListedEntry, maxBytes: number, pkg: string | undefined): TextRead {
  if (!(e instanceof FileTooLargeError)) throw e
  const at = { package: pkg, file: entry.path }
  return {
    findings: [
      finding('file/too-large-to-parse', at, `${entry.path} is ${e.size} bytes; files larger than ${maxBytes} bytes are not parsed`)
    ]
  }
}

function asText(bytes: Uint8Array, entry: ListedEntry, pkg: string | undefined): TextRead {
  const decoded = decodeText(bytes)
  if (!decoded.ok) {
    return {
      findings: [finding('file/encoding', { package: pkg, file: entry.path }, `${entry.path} cannot be read as text: ${decoded.reason}`)]
    }
  }
  return { text: decoded.text, findings: [] }
}
