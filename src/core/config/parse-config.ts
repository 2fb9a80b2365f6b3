// Reading a marketplace config file: parsed safely, checked by its schema, unknown rule ids
// refused, the schema's defaults filled in (config.ts). Loaded by loadConfig only when the file
// exists, so that a marketplace without one does not load the YAML parser and the validator.
import type { MarketplaceConfig } from '../../generated/schema-types.js'
import { parseYaml } from '../parse/located.js'
import { decodeText } from '../parse/text.js'
import { formatSchemaProblem, schemaProblems } from '../parse/schema-check.js'
import validateConfig from '../../generated/validators/config.js'
import { isRuleId } from '../findings/rules.js'
import { ConfigError } from '../errors.js'
import { DEFAULT_LIMITS, DEFAULT_REGISTRY_SETTINGS, type ResolvedConfig } from './config.js'

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
