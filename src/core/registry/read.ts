// The one reader of registry.json, for every part that needs the published state: the registry
// build (which carries history over), the version checks (which judge a PR against it) and the
// scores job (which rewrites downloads and scores). Each caller words its own advice when the
// file is broken; what counts as broken, and how an old entry is read, is decided here once.
import type { PublishedVersion, Registry, RegistryPackage } from '../../generated/schema-types.js'
import { parseJson } from '../parse/located-json.js'
import { formatSchemaProblem, schemaProblems } from '../parse/schema-check.js'
import validateRegistry from '../../generated/validators/registry.js'
import { decodeText } from '../parse/text.js'
import { REGISTRY_FILE } from '../marketplace/paths.js'
import { ConfigError } from '../errors.js'

export type { PublishedVersion, Registry, RegistryPackage }

export type RegistryRead = { ok: true; registry: Registry } | { ok: false; reason: string; details: string[] }

/**
 * Parses and validates registry.json. An entry written before `versions` existed records only
 * its current version's digest and commit; it is read as a one-version history (dated by the
 * entry's update, else its first publication, else the registry's own date), so no consumer has
 * to know the old shape.
 */
export function parseRegistry(bytes: Uint8Array): RegistryRead {
  const decoded = decodeText(bytes)
  if (!decoded.ok) return { ok: false, reason: `cannot be read: ${decoded.reason}`, details: [] }
  // The fast path for the usual, valid file; the located parse only to explain a broken one.
  try {
    const value = JSON.parse(decoded.text) as unknown
    if (validateRegistry(value)) return { ok: true, registry: withVersionHistory(value as Registry) }
  } catch {
    // explained below, with the line and column
  }
  const parsed = parseJson(decoded.text)
  if (!parsed.doc) {
    return {
      ok: false,
      reason: 'is not valid JSON',
      details: parsed.problems.map((p) => `${REGISTRY_FILE}:${p.position.line}:${p.position.column}: ${p.message}`)
    }
  }
  const problems = schemaProblems(validateRegistry, { doc: parsed.doc, noun: 'registry', syntax: 'json' })
  if (problems.length)
    return { ok: false, reason: 'does not match the registry schema', details: problems.map((p) => formatSchemaProblem(REGISTRY_FILE, p)) }
  return { ok: true, registry: withVersionHistory(parsed.doc.value as Registry) }
}

/** The registry with every entry's `versions` complete (an old entry's current version added). */
export function withVersionHistory(registry: Registry): Registry {
  if (registry.packages.every((p) => p.digest === undefined || p.commit === undefined || p.versions?.some((v) => v.version === p.version)))
    return registry
  return { ...registry, packages: registry.packages.map((p) => ({ ...p, ...versionsField(p, registry.updated_at) })) }
}

function versionsField(p: RegistryPackage, registryDate: string): Pick<RegistryPackage, 'versions'> {
  const versions = [...(p.versions ?? [])]
  if (p.digest !== undefined && p.commit !== undefined && !versions.some((v) => v.version === p.version)) {
    versions.unshift({
      version: p.version,
      digest: p.digest,
      commit: p.commit,
      published_at: p.updated_at ?? p.published_at ?? registryDate
    })
  }
  return p.versions === undefined && !versions.length ? {} : { versions }
}

/** A package's id in the registry: `<publisher>/<name>`. */
export function idOf(p: Pick<RegistryPackage, 'publisher' | 'name'>): string {
  return `${p.publisher}/${p.name}`
}

/** Published versions by package id, newest first as the registry lists them. */
export function publishedVersionsById(registry: Registry): Map<string, PublishedVersion[]> {
  const out = new Map<string, PublishedVersion[]>()
  for (const p of registry.packages) out.set(idOf(p), [...(out.get(idOf(p)) ?? []), ...(p.versions ?? [])])
  return out
}

/**
 * The registry, or a configuration error naming the file (`what`, e.g. "the existing
 * registry.json") and what the maintainer should do about it (`advice`). registry.json is
 * generated, so a broken one is never a publisher's finding.
 */
export function registryOrThrow(bytes: Uint8Array, what: string, advice: string): Registry {
  const read = parseRegistry(bytes)
  if (read.ok) return read.registry
  throw registryError(what, read.reason, advice, read.details)
}

export function registryError(what: string, reason: string, advice: string, details: string[] = []): ConfigError {
  return new ConfigError(`${what} ${reason}. ${advice}${details.map((d) => `\n${d}`).join('')}`)
}
