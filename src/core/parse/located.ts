// Safe YAML and JSON parsing that keeps where every value came from, so that a schema error can
// point at a line and column. The positional YAML parser lives in located-yaml.ts, the flat fast
// path in flat-yaml.ts (located by flat-yaml-locate.ts), the JSON parser in located-json.ts; all
// are re-exported here for callers that parse synchronously. The checks load located-yaml.ts only
// when a text needs it (checks/yaml-steps.ts).
import { parseYamlDocument, type YamlOptions } from './located-yaml.js'
import { flatDocument } from './flat-yaml-locate.js'
import type { ParseResult } from './located-base.js'

export * from './located-base.js'
export { parseJson } from './located-json.js'
export { parseYamlDocument, type YamlOptions } from './located-yaml.js'

/** Parse fast, locate without a second parse: the flat path when the text is flat, else the positional parse. */
export function parseYaml(text: string, options: YamlOptions): ParseResult {
  return flatDocument(text, options) ?? parseYamlDocument(text, options)
}
