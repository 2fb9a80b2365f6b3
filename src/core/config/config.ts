// The marketplace config: one optional file, validated by its schema, with the schema's defaults
// filled in. Its mistakes are the maintainers' and are reported as configuration errors, apart
// from the findings about publishers' packages.
import type { MarketplaceConfig } from '../../generated/schema-types.js'
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' }
import { parseYaml } from '../parse/located.js'
import { decodeText } from '../parse/text.js'
import { formatSchemaProblem, schemaProblems } from '../parse/schema-check.js'
import validateConfig from '../../generated/validators/config.js'
import { isRuleId, RULES } from '../findings/rules.js'
import { ConfigError } from '../errors.js'
import type { Snapshot } from '../snapshot/types.js'
import { CONFIG_FILE } from '../marketplace/paths.js'

export type Limits = Required<NonNullable<MarketplaceConfig['limits']>>
export type RegistrySettings = Required<NonNullable<MarketplaceConfig['registry']>>

export interface ResolvedConfig {
  limits: Limits
  maintainers: string[]
  rules: NonNullable<MarketplaceConfig['rules']>
  allow: NonNullable<MarketplaceConfig['allow']>
  marketplace: NonNullable<MarketplaceConfig['marketplace']>
  registry: RegistrySettings
}

export { ConfigError }

/** The defaults are the schema's `default` keywords, so they are written once. */
export const DEFAULT_LIMITS: Limits = Object.fromEntries(
  Object.entries(configSchema.properties.limits.properties).map(([k, v]) => [k, v.default])
) as Limits

export const DEFAULT_REGISTRY_SETTINGS: RegistrySettings = Object.fromEntries(
  Object.entries(configSchema.properties.registry.properties).map(([k, v]) => [k, v.default])
) as RegistrySettings

export function defaultConfig(): ResolvedConfig {
  return {
    limits: { ...DEFAULT_LIMITS },
    maintainers: [],
    rules: {},
    allow: [],
    marketplace: {},
    registry: { ...DEFAULT_REGISTRY_SETTINGS }
  }
}

/** Parses and checks a config file's bytes; `file` names it in errors. */
export function parseConfig(bytes: Uint8Array, file: string): ResolvedConfig {
  const decoded = decodeText(bytes)
  if (!decoded.ok) throw new ConfigError(`${file}: cannot be read because ${decoded.reason}`)
  const parsed = parseYaml(decoded.text, { maxAliases: 0 })
  if (!parsed.doc) {
    throw new ConfigError(parsed.problems.map((p) => `${file}:${p.position.line}:${p.position.column}: ${p.message}`).join('\n'))
  }
  const value = parsed.doc.value ?? {}
  const doc = { ...parsed.doc, value }
  const problems = schemaProblems(validateConfig, { doc, noun: 'config' })
  const raw = value as MarketplaceConfig
  const messages = problems.map((p) => formatSchemaProblem(file, p, true))
  if (!messages.length) {
    for (const id of Object.keys(raw.rules ?? {})) {
      if (!isRuleId(id)) {
        const pos = doc.locate(['rules', id], 'key')
        messages.push(`${file}:${pos.line}:${pos.column}: unknown rule id \`${id}\` (see docs/rules.md for the ids)`)
      }
    }
    for (const [i, a] of (raw.allow ?? []).entries()) {
      if (!isRuleId(a.rule)) {
        const pos = doc.locate(['allow', i, 'rule'])
        messages.push(`${file}:${pos.line}:${pos.column}: unknown rule id \`${a.rule}\` in allow (see docs/rules.md)`)
      }
    }
  }
  if (messages.length) throw new ConfigError(`invalid marketplace config:\n${messages.join('\n')}`)
  return {
    limits: { ...DEFAULT_LIMITS, ...raw.limits },
    maintainers: raw.maintainers ?? [],
    rules: raw.rules ?? {},
    allow: raw.allow ?? [],
    marketplace: raw.marketplace ?? {},
    registry: { ...DEFAULT_REGISTRY_SETTINGS, ...raw.registry }
  }
}

export const KNOWN_RULE_IDS = Object.keys(RULES)

/**
 * Reads the config from the snapshot (the base commit in a review). The default file may be
 * absent (the defaults apply); a file named explicitly must exist, so a typo cannot silently
 * change the rules.
 */
export async function loadConfig(snapshot: Snapshot, file?: string): Promise<ResolvedConfig> {
  const entry = await snapshot.stat(file ?? CONFIG_FILE)
  if (!entry && file !== undefined) throw new ConfigError(`config file ${file} does not exist in ${snapshot.description}`)
  if (!entry) return defaultConfig()
  file ??= CONFIG_FILE
  if (entry.kind !== 'file') throw new ConfigError(`${file} in ${snapshot.description} is a ${entry.kind}, not a regular file`)
  return parseConfig(await snapshot.read(entry, 1024 * 1024), file)
}
