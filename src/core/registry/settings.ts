// The `registry` key of the marketplace config (schemas/config.schema.json), with the schema's
// defaults. loadConfig validates the whole file first; this reads the one key the build needs
// from the same file, so the config loader stays the single place that judges the file.
import type { MarketplaceConfig } from '../../generated/schema-types.js'
import type { Snapshot } from '../snapshot/types.js'
import configSchema from '../../../schemas/config.schema.json' with { type: 'json' }
import { parseYaml } from '../located.js'
import { decodeText } from '../text.js'
import { CONFIG_FILE } from '../marketplace/paths.js'

export type RegistrySettings = Required<NonNullable<MarketplaceConfig['registry']>>

export const DEFAULT_REGISTRY_SETTINGS: RegistrySettings = Object.fromEntries(
  Object.entries(configSchema.properties.registry.properties).map(([k, v]) => [k, v.default])
) as RegistrySettings

/** Call after loadConfig(snapshot, file) succeeded: the file is then known to be valid. */
export async function readRegistrySettings(snapshot: Snapshot, file?: string): Promise<RegistrySettings> {
  const entry = await snapshot.stat(file ?? CONFIG_FILE)
  if (!entry || entry.kind !== 'file') return { ...DEFAULT_REGISTRY_SETTINGS }
  const decoded = decodeText(await snapshot.read(entry, 1024 * 1024))
  const value = decoded.ok ? (parseYaml(decoded.text, { maxAliases: 0 }).doc?.value as MarketplaceConfig | null | undefined) : undefined
  return { ...DEFAULT_REGISTRY_SETTINGS, ...value?.registry }
}
