// docs/rules.md: the rule catalog in src/core/findings/rules.ts, with how a marketplace changes a rule's
// severity or accepts a finding (taken from schemas/config.schema.json).
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Rule } from '../src/core/findings/rules.js'
import { isNode, newAjv, validationErrors, type SchemaFile, type SchemaNode } from './schema-files.js'
import { anchor, code, codeBlock, generatedComment, table, toYaml } from './markdown.js'
import { resolve } from './format-docs.js'

export const RULES_DOC = 'docs/rules.md'
export const RULES_SOURCE = 'src/core/findings/rules.ts'

/** Groups in the order a publisher meets them, each with a heading. */
const GROUPS: Record<string, string> = {
  layout: 'Repository layout',
  manifest: 'manifest.yaml',
  profile: 'profile.json',
  entrypoint: 'The manifest entrypoint',
  skill: 'Skill packages',
  'skill-md': 'SKILL.md',
  'server-json': 'MCP server.json',
  source: 'Tool source files',
  yaml: 'YAML files',
  json: 'JSON files',
  file: 'Any file',
  escape: 'Safety: paths and links that leave the package',
  name: 'Safety: file names',
  size: 'Safety: sizes and file counts',
  type: 'Safety: file types',
  unicode: 'Safety: hidden Unicode',
  secret: 'Safety: secrets',
  injection: 'Safety: prompt injection',
  code: 'Safety: dangerous code',
  mcp: 'Safety: MCP server configurations',
  version: 'Releases: versions',
  namespace: 'Releases: publisher namespaces',
  registry: 'Registry build'
}

// Shown in the "allow" section; validated against the config schema and the catalog on every run,
// so it cannot go stale silently.
const ALLOW_EXAMPLE = {
  rule: 'skill-md/body-length',
  package: 'alice/api-reference',
  file: 'SKILL.md',
  reason: 'The body is an API reference the agent needs in full; splitting it would cost more tool calls.'
}

export async function loadRules(root: string): Promise<Record<string, Rule>> {
  // Imported from `root` (not statically) so that `--root` checks another tree's catalog; tsx
  // compiles the TypeScript on the fly.
  const mod = (await import(pathToFileURL(path.join(root, RULES_SOURCE)).href)) as { RULES?: unknown }
  if (!isNode(mod.RULES)) throw new Error(`${RULES_SOURCE} must export RULES`)
  const rules = mod.RULES as Record<string, Partial<Rule>>
  for (const [id, rule] of Object.entries(rules)) {
    if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(id)) throw new Error(`${RULES_SOURCE}: rule id ${id} is not <group>/<name>`)
    for (const key of ['severity', 'summary', 'why', 'example', 'fix'] as const) {
      if (typeof rule[key] !== 'string' || !rule[key]) throw new Error(`${RULES_SOURCE}: rule ${id} has no ${key}`)
    }
  }
  return rules as Record<string, Rule>
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function groupOf(id: string): string {
  return id.slice(0, id.indexOf('/'))
}

function groupHeading(group: string): string {
  const title = GROUPS[group]
  return title ? `${group}: ${title}` : group
}

function str(node: SchemaNode | undefined, key: string): string {
  const v = node?.[key]
  return typeof v === 'string' ? v : ''
}

/** Rules that are policy rather than safety, with why an open marketplace keeps them below error. */
const POLICY_RULES: readonly [string, string][] = [
  ['skill-md/unknown-key', 'Clients ignore keys they do not know; publishers use keys of tools this marketplace has not heard of.'],
  ['code/vendor-installer', 'Official installers (rustup, uv, Homebrew...) are piped to a shell by their own documentation.'],
  ['code/example', 'Security references quote attacks so readers recognise them; the block is not run.'],
  ['escape/other-package', 'Skills of one publisher link to each other; the linked package is reviewed on its own.'],
  ['code/process-spawn', 'Most tools start git, gh or npx; the warning shows reviewers where.'],
  ['injection/quoted-example', 'A document about injection has to quote some.']
]

export function renderRulesDoc(rules: Record<string, Rule>, schemas: readonly SchemaFile[]): string {
  const configFile = schemas.find((s) => s.file === 'config.schema.json')
  if (!configFile) throw new Error('docs/rules.md needs schemas/config.schema.json')
  const config = configFile.schema
  const props = isNode(config.properties) ? config.properties : {}
  const rulesNode = isNode(props.rules) ? resolve(props.rules, config) : undefined
  const allowNode = isNode(props.allow) ? resolve(props.allow, config) : undefined
  const allowItem = allowNode && isNode(allowNode.items) ? resolve(allowNode.items, config) : undefined
  if (!rulesNode || !allowItem) throw new Error('schemas/config.schema.json must define `rules` and `allow` items')

  const levelsNode = isNode(rulesNode.additionalProperties) ? resolve(rulesNode.additionalProperties, config) : {}
  const levels = Array.isArray(levelsNode.enum) ? levelsNode.enum.map(String) : []
  if (!levels.length) throw new Error('schemas/config.schema.json: `rules` values must be an enum of severities')

  const ids = Object.keys(rules)
  const firstWarning = ids.find((id) => rules[id]?.severity === 'warning') ?? ids[0]
  const rulesExample = (
    Array.isArray(rulesNode.examples) && isNode(rulesNode.examples[0])
      ? rulesNode.examples[0]
      : firstWarning
        ? { [firstWarning]: 'off' }
        : {}
  ) as Record<string, unknown>
  for (const id of [...Object.keys(rulesExample), ALLOW_EXAMPLE.rule]) {
    if (!Object.hasOwn(rules, id)) {
      throw new Error(
        `docs/rules.md example uses unknown rule ${id}: update the example (scripts/rules-doc.ts or the config schema's examples)`
      )
    }
  }
  const exampleConfig = { rules: rulesExample, allow: [ALLOW_EXAMPLE] }
  const errors = validationErrors(newAjv(), config, exampleConfig)
  if (errors.length) throw new Error(`docs/rules.md: the example config does not validate: ${errors.join('; ')}`)

  const allowRequired = new Set(Array.isArray(allowItem.required) ? allowItem.required : [])
  const allowFields = Object.entries(isNode(allowItem.properties) ? allowItem.properties : {}).map(([key, sub]) => {
    const node = isNode(sub) ? resolve(sub, config) : {}
    return [code(key), allowRequired.has(key) ? 'yes' : 'no', str(node, 'description')]
  })

  // Known groups in their fixed order, then any new group so a new prefix is never dropped.
  const groups = [...new Set([...Object.keys(GROUPS), ...ids.map(groupOf).sort()])].filter((g) => ids.some((id) => groupOf(id) === g))

  const lines: string[] = [
    generatedComment(`${RULES_SOURCE} and schemas/config.schema.json`),
    '',
    '# Rules',
    '',
    'Every finding a review reports names the rule that produced it by a stable id, `<group>/<name>`, ' +
      'with the file, line and column it is about, a message and a hint on how to fix it. ' +
      'A review lists every finding at once, never only the first.',
    '',
    `Severities: ${code('error')} fails the review and blocks the pull request; ${code('warning')} and ${code('notice')} are reported but do not block.`,
    '',
    "## Changing a rule's severity",
    '',
    `A marketplace sets severities in ${code('marketplace.config.yaml')} at its repository root ([format](formats/config.md)). ` +
      `${code('rules:')} maps a rule id to one of ${levels.map((l) => code(l)).join(', ')}` +
      (levels.includes('off') ? `; ${code('off')} turns the rule off.` : '.'),
    '',
    "Reviews read the config from the pull request's base commit, so a pull request cannot loosen the rules it is judged by.",
    '',
    codeBlock('yaml', `# marketplace.config.yaml\n${toYaml({ rules: rulesExample })}`),
    '',
    '### Policy rules: open by default, tightened in the config',
    '',
    'Some rules are policy, not safety: what one marketplace accepts another may not. Their defaults are what an open ' +
      'marketplace would choose, so honest packages from public repositories pass; a curated marketplace raises them:',
    '',
    table(
      ['Rule', 'Default', 'Why it is not an error by default'],
      POLICY_RULES.map(([id, why]) => [`[${code(id)}](#${anchor(id)})`, String(rules[id]?.severity ?? ''), why])
    ),
    '',
    codeBlock(
      'yaml',
      `# marketplace.config.yaml: a strict marketplace\n${toYaml({ rules: Object.fromEntries(POLICY_RULES.map(([id]) => [id, 'error'])) })}`
    ),
    '',
    `The size limits (${code('size/file')}, ${code('size/package')}, ${code('size/file-count')}) are errors, with the limits set by ${code('limits:')} in the same file.`,
    '',
    '## Allowing one finding',
    '',
    `The ${code('allow:')} list holds ${lowerFirst(str(allowNode, 'description'))} ` +
      'An allowed finding stays in the review, marked with its reason, but does not count towards the verdict.',
    '',
    table(['Field', 'Required', 'Description'], allowFields),
    '',
    codeBlock('yaml', `# marketplace.config.yaml\n${toYaml({ allow: [ALLOW_EXAMPLE] })}`),
    '',
    '## All rules',
    '',
    table(
      ['Rule', 'Default', 'Checks that'],
      groups.flatMap((g) =>
        ids
          .filter((id) => groupOf(id) === g)
          .map((id) => [`[${code(id)}](#${anchor(id)})`, rules[id]?.severity ?? '', rules[id]?.summary ?? ''])
      )
    ),
    ''
  ]

  for (const group of groups) {
    lines.push(`## ${groupHeading(group)}`, '')
    for (const id of ids.filter((i) => groupOf(i) === group)) {
      const rule = rules[id] as Rule
      lines.push(
        `### ${id}`,
        '',
        `Default severity: ${code(rule.severity)}`,
        '',
        rule.summary,
        '',
        `- **Why:** ${rule.why}`,
        `- **Example:** ${rule.example}`,
        `- **How to fix:** ${rule.fix}`,
        ''
      )
    }
  }
  return lines.join('\n').replace(/\n+$/, '\n')
}
