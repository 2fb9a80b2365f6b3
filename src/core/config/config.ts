// The marketplace config: one optional file, validated by its schema, with the schema's defaults
// filled in. Its mistakes are the maintainers' and are reported as configuration errors, apart
// from the findings about publishers' packages.
import type { MarketplaceConfig } from '../../generated/schema-types.js'
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' }
import { RULES } from '../findings/rules.js'
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
  const bytes = await snapshot.read(entry, 1024 * 1024)
  // Loaded only when there is a file: its parser (the `yaml` library) and validator are a large part of a run's modules.
  const { parseConfig } = await import('./parse-config.js')
  return parseConfig(bytes, file)
}
