// When a scores run may skip the whole-file parse and schema check of registry.json (13 MB at
// 10,000 packages, most of a run's time): when its bytes are exactly the bytes a previous build
// or scores run wrote and vouched for. Both write registry.json only after checking it (the build
// derives and validates it; a scores run reads a checked or vouched file and changes only
// `downloads` and `score`, which it checks), and then write the published-versions head
// `.registry/index.json` naming those bytes by their git blob id. So when the head is well formed
// (its own schema), of the format this toolkit writes, and names the blob id of the bytes read,
// those bytes passed the check when they were written. A hand edit or a botched merge of
// registry.json changes its blob id, so it is always checked whole; only someone who edits both
// files on purpose gets past, and such a person (with push access) can commit any registry.json
// anyway. docs/scoring.md says the same for maintainers.
import validatePublishedIndex from '../../generated/validators/published-index.js'
import { PUBLISHED_INDEX_FORMAT, gitBlobId, objectFormatOf, type PublishedIndex } from '../registry/published-index.js'
import { scanRegistry, type RegistryScan } from './registry-splice.js'
import { scanVouchedRegistry } from './registry-lines.js'

export interface VouchedRegistry {
  /** The formula's fields of each entry and where its `downloads` and `score` are. */
  scan: RegistryScan
  head: PublishedIndex
}

/**
 * The scan of `registryBytes` when the head in `headBytes` vouches for them; undefined for
 * anything else (no head, a malformed or stale one, bytes the scan does not recognise as the
 * canonical file), and the caller parses and checks the file whole.
 */
export function vouchedRegistry(registryBytes: Uint8Array, headBytes: Uint8Array): VouchedRegistry | undefined {
  let head: unknown
  try {
    head = JSON.parse(Buffer.from(headBytes.buffer, headBytes.byteOffset, headBytes.byteLength).toString('utf8'))
  } catch {
    return undefined
  }
  if (!validatePublishedIndex(head)) return undefined
  const index = head as PublishedIndex
  if (index.format !== PUBLISHED_INDEX_FORMAT) return undefined
  const id = index.registry.object_id
  if (gitBlobId(registryBytes, objectFormatOf(id)) !== id) return undefined
  // The vouched bytes are the canonical file: its lines say where each field is (registry-lines.ts);
  // a layout that reader does not explain is walked byte by byte (registry-splice.ts).
  const scan = scanVouchedRegistry(registryBytes) ?? scanRegistry(registryBytes)
  if (!scan || scan.entries.length !== index.registry.packages) return undefined
  return { scan, head: index }
}
