// The versions the marketplace has published, from registry.json on the base commit: the record
// that makes a published version immutable. Read from the base (never the head), so a pull
// request cannot rewrite the history it is checked against.
//
// A registry.json that cannot be read or does not match its schema is a configuration error, not
// a finding: the file is generated, so no publisher can fix it, and without it the check could
// not tell a republished version from a new one. Failing closed keeps every review honest until
// a maintainer rebuilds or repairs it.
import type { PublishedVersion, Registry } from '../../generated/schema-types.js'
import type { Snapshot } from '../snapshot/types.js'
import { FileTooLargeError } from '../snapshot/types.js'
import { ConfigError } from '../errors.js'
import { decodeText } from '../text.js'
import { parseJson } from '../located.js'
import { schemaFindings } from '../schema-check.js'
import { validatorFor } from '../schemas.js'
import { REGISTRY_FILE } from '../marketplace/paths.js'

export type { PublishedVersion }

/** Published versions by package id (`<publisher>/<name>`), newest first as the registry lists them. */
export type PublishedVersions = ReadonlyMap<string, readonly PublishedVersion[]>

/** Far above any real registry (thousands of packages); a bound on what one review reads. */
const MAX_REGISTRY_BYTES = 64 * 1024 * 1024

export async function readPublishedVersions(base: Snapshot): Promise<PublishedVersions> {
  const entry = await base.stat(REGISTRY_FILE)
  if (!entry) return new Map()
  const broken = (reason: string, details: string[] = []) =>
    new ConfigError(
      `${REGISTRY_FILE} on the base commit (${base.description}) ${reason}. The version check reads the published versions from it: ` +
        `a maintainer must rebuild it with the build-registry action or restore the last good one.${details.map((d) => `\n${d}`).join('')}`
    )
  if (entry.kind !== 'file') throw broken(`is a ${entry.kind}, not a regular file`)
  let bytes: Uint8Array
  try {
    bytes = await base.read(entry, MAX_REGISTRY_BYTES)
  } catch (e) {
    if (e instanceof FileTooLargeError) throw broken(`is ${e.size} bytes, more than the ${MAX_REGISTRY_BYTES} read`)
    throw e
  }
  const decoded = decodeText(bytes)
  if (!decoded.ok) throw broken(`cannot be read: ${decoded.reason}`)
  const parsed = parseJson(decoded.text)
  if (!parsed.doc) {
    throw broken('is not valid JSON', parsed.problems.map((p) => `${REGISTRY_FILE}:${p.position.line}:${p.position.column}: ${p.message}`))
  }
  // The rule id only carries the messages here; they become the error's text, not findings.
  const problems = schemaFindings(validatorFor('registry'), { rule: 'json/syntax', doc: parsed.doc, at: { file: REGISTRY_FILE }, noun: 'registry', syntax: 'json' })
  if (problems.length) {
    throw broken('does not match the registry schema', problems.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`))
  }
  const registry = parsed.doc.value as Registry
  const out = new Map<string, PublishedVersion[]>()
  for (const p of registry.packages) {
    const id = `${p.publisher}/${p.name}`
    const versions = [...(p.versions ?? [])]
    // A registry written before `versions` existed still records the current version's digest.
    if (p.digest !== undefined && p.commit !== undefined && !versions.some((v) => v.version === p.version)) {
      versions.unshift({ version: p.version, digest: p.digest, commit: p.commit, published_at: p.updated_at ?? p.published_at ?? registry.updated_at })
    }
    out.set(id, [...(out.get(id) ?? []), ...versions])
  }
  return out
}
