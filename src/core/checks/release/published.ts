// The versions the marketplace has published, from registry.json on the base commit: the record
// that makes a published version immutable. Read from the base (never the head), so a pull
// request cannot rewrite the history it is checked against.
//
// A registry.json that cannot be read or does not match its schema is a configuration error, not
// a finding: the file is generated, so no publisher can fix it, and without it the check could
// not tell a republished version from a new one. Failing closed keeps every review honest until
// a maintainer rebuilds or repairs it.
import type { PublishedVersion } from '../../../generated/schema-types.js'
import type { Snapshot } from '../../snapshot/types.js'
import { FileTooLargeError } from '../../snapshot/types.js'
import { parseRegistry, publishedVersionsById, registryError } from '../../registry/read.js'
import { REGISTRY_FILE } from '../../marketplace/paths.js'

export type { PublishedVersion }

/** Published versions by package id (`<publisher>/<name>`), newest first as the registry lists them. */
export type PublishedVersions = ReadonlyMap<string, readonly PublishedVersion[]>

/** Far above any real registry (thousands of packages); a bound on what one review reads. */
const MAX_REGISTRY_BYTES = 64 * 1024 * 1024

export async function readPublishedVersions(base: Snapshot): Promise<PublishedVersions> {
  const entry = await base.stat(REGISTRY_FILE)
  if (!entry) return new Map()
  const broken = (reason: string, details: string[] = []) =>
    registryError(
      `${REGISTRY_FILE} on the base commit (${base.description})`,
      reason,
      'The version check reads the published versions from it: a maintainer must rebuild it with the build-registry action or restore the last good one.',
      details
    )
  if (entry.kind !== 'file') throw broken(`is a ${entry.kind}, not a regular file`)
  let bytes: Uint8Array
  try {
    bytes = await base.read(entry, MAX_REGISTRY_BYTES)
  } catch (e) {
    if (e instanceof FileTooLargeError) throw broken(`is ${e.size} bytes, more than the ${MAX_REGISTRY_BYTES} read`)
    throw e
  }
  const read = parseRegistry(bytes)
  if (!read.ok) throw broken(read.reason, read.details)
  return publishedVersionsById(read.registry)
}
