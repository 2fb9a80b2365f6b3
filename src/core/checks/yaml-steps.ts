// YAML for the checks, as steps (steps.ts): the flat path, located without the full parser
// (parse/flat-yaml-locate.ts), and the positional parser (parse/located-yaml.ts, the `yaml`
// library) loaded by the first text that leaves the flat path. A validate of manifests that are all
// flat never loads it; the same function serves the review and the build's checks (runOn).
import type * as LocatedYaml from '../parse/located-yaml.js'
import type { YamlOptions } from '../parse/located-yaml.js'
import type { ParseResult } from '../parse/located-base.js'
import type { ListedEntry } from '../snapshot/types.js'
import { flatDocument } from '../parse/flat-yaml-locate.js'
import { awaited, type Steps } from './steps.js'

let full: typeof LocatedYaml | undefined

/** What parse/located.ts's parseYaml gives for the text, loading the full parser only when it is needed. */
export function* parseYamlSteps<E extends ListedEntry>(text: string, options: YamlOptions): Steps<ParseResult, E> {
  const flat = flatDocument(text, options)
  if (flat) return flat
  full ??= yield* awaited(import('../parse/located-yaml.js'))
  return full.parseYamlDocument(text, options)
}
