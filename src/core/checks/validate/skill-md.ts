// SKILL.md: the YAML frontmatter the Agent Skills specification defines (parsed safely, checked by
// schemas/skill-md-frontmatter.schema.json), the name-equals-directory rule, and the recommended
// body length. Positions are lines of SKILL.md itself, not of the frontmatter block.
import schema from '../../../../schemas/skill-md-frontmatter.schema.json' with { type: 'json' }
import { finding, type Finding } from '../../findings/findings.js'
import { showValue } from '../../parse/schema-check.js'
import { schemaFindings } from '../../parse/schema-findings.js'
import validateSkillMdFrontmatter from '../../../generated/validators/skill-md-frontmatter.js'
import { problemsToFindings } from '../parse-problems.js'
import { allowedToolEntries, isUnrestrictedShell } from './skill-frontmatter.js'
import { suggest } from '../../parse/suggest.js'
import type { ListedEntry } from '../../snapshot/types.js'
import { runAlone, type Steps } from '../steps.js'
import { parseYamlSteps } from '../yaml-steps.js'

export interface SkillMdContext {
  package: string
  /** Path of SKILL.md in the marketplace repo, as findings show it. */
  file: string
  /** The skill's directory name, which `name` must equal. */
  dirName: string
  maxAliases: number
  maxFrontmatterBytes: number
}

/** The Agent Skills specification recommends keeping the body under this many lines. */
export const SKILL_BODY_MAX_LINES = 500

const FRONTMATTER_KEYS = Object.keys(schema.properties)

/** skillMdSteps on its own (tests, a text already read). */
export function checkSkillMd(text: string, ctx: SkillMdContext): Promise<Finding[]> {
  return runAlone(skillMdSteps(text, ctx))
}

/** A SKILL.md's findings, as steps: only a frontmatter that is not flat YAML waits (for the full parser, once). */
export function* skillMdSteps<E extends ListedEntry>(text: string, ctx: SkillMdContext): Steps<Finding[], E> {
  const at = { package: ctx.package, file: ctx.file }
  // The decoder normally drops the BOM; a caller that did not must not get "no frontmatter".
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  // Most files open and close their frontmatter: only its lines are split, the body's are counted.
  const head = frontmatterHead(src)
  const lines = head ?? src.split('\n')
  const split = head ? { close: head.length - 1 } : splitFrontmatter(lines, ctx.dirName)
  if ('problem' in split) {
    return [finding('skill-md/frontmatter', { ...at, line: split.line, column: 1 }, split.problem, split.hint), ...bodyLength(lines, 1, at)]
  }

  const findings: Finding[] = []
  const block = lines
    .slice(1, split.close)
    .map((l) => `${l}\n`)
    .join('')
  const bytes = Buffer.byteLength(block, 'utf8')
  if (bytes > ctx.maxFrontmatterBytes) {
    findings.push(
      finding(
        'file/too-large-to-parse',
        { ...at, line: 2, column: 1 },
        `the SKILL.md frontmatter (lines 2-${split.close}) is ${bytes} bytes, more than the ${ctx.maxFrontmatterBytes} bytes the marketplace parses, so it was not checked`,
        'Keep the frontmatter to `name`, a `description` of at most 1024 characters and a few short fields; instructions belong in the Markdown body below the closing `---`.'
      )
    )
  } else {
    findings.push(...(yield* frontmatterSteps<E>(block, ctx, split.close)))
  }
  findings.push(...(head ? bodyLengthOf(src, split.close, at) : bodyLength(lines.slice(split.close + 1), split.close + 2, at)))
  return findings
}

/**
 * The lines of a frontmatter that opens on the first line, up to its closing delimiter (the last
 * of them), or undefined when the file does not start that way or never closes it (then
 * splitFrontmatter says what is wrong, from every line).
 */
function frontmatterHead(src: string): string[] | undefined {
  const lines: string[] = []
  let start = 0
  for (;;) {
    const end = src.indexOf('\n', start)
    const line = end < 0 ? src.slice(start) : src.slice(start, end)
    lines.push(line)
    if (lines.length === 1 ? !DELIMITER.test(line) : DELIMITER.test(line)) return lines.length === 1 ? undefined : lines
    if (end < 0) return undefined
    start = end + 1
  }
}

/** bodyLength of the lines after line `close`, counted rather than split (split only to report them). */
function bodyLengthOf(src: string, close: number, at: { package: string; file: string }): Finding[] {
  let total = 1
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) total++
  const body = total - close - 1
  const count = body > 0 && src.endsWith('\n') ? body - 1 : body
  return count <= SKILL_BODY_MAX_LINES ? [] : bodyLength(src.split('\n').slice(close + 1), close + 2, at)
}

type Split = { close: number } | { problem: string; hint: string; line: number }

// `---` alone on a line; trailing blanks and a CR (CRLF files) are tolerated, as YAML does.
const DELIMITER = /^---[ \t]*\r?$/
const BLANK = /^[ \t]*\r?$/

function splitFrontmatter(lines: string[], dirName: string): Split {
  const skeleton = `---\nname: ${dirName}\ndescription: <what the skill does and when to use it>\n---`
  if (lines.every((l) => BLANK.test(l))) {
    return {
      problem: 'SKILL.md is empty',
      hint: `Start it with the frontmatter\n${skeleton}\nfollowed by the instructions for the agent.`,
      line: 1
    }
  }
  if (!DELIMITER.test(lines[0] ?? '')) {
    const first = lines.findIndex((l) => !BLANK.test(l))
    if (first > 0 && DELIMITER.test(lines[first] ?? '')) {
      return {
        problem: `SKILL.md has ${first} blank line${first === 1 ? '' : 's'} before the opening \`---\`, so clients do not see a frontmatter`,
        hint: 'Delete the blank lines: the `---` that opens the frontmatter must be the very first line of the file.',
        line: 1
      }
    }
    if (/^[ \t]*(name|description)[ \t]*:/.test(lines[first] ?? '')) {
      return {
        problem: 'the SKILL.md frontmatter has no opening `---` line',
        hint: 'Insert a line with only `---` above line 1, and another after the last frontmatter key.',
        line: 1
      }
    }
    return {
      problem: 'SKILL.md does not start with a YAML frontmatter block (the first line must be `---`)',
      hint: `Agent Skills clients read the skill's name and description from it. Start the file with\n${skeleton}`,
      line: 1
    }
  }
  const close = lines.findIndex((l, i) => i > 0 && DELIMITER.test(l))
  if (close < 0) {
    // A Markdown heading is the usual sign of where the closing line was forgotten.
    const heading = lines.findIndex((l, i) => i > 0 && /^#{1,6}\s/.test(l))
    return {
      problem: 'the SKILL.md frontmatter opened by `---` on line 1 is never closed',
      hint:
        heading > 0
          ? `Add a line with only \`---\` after the last frontmatter key, probably just before line ${heading + 1}.`
          : 'Add a line with only `---` after the last frontmatter key, before the Markdown body.',
      line: 1
    }
  }
  return { close }
}

function* frontmatterSteps<E extends ListedEntry>(block: string, ctx: SkillMdContext, close: number): Steps<Finding[], E> {
  const at = { package: ctx.package, file: ctx.file }
  const parsed = yield* parseYamlSteps<E>(block, { maxAliases: ctx.maxAliases, lineOffset: 1 })
  if (!parsed.doc) return problemsToFindings(parsed.problems, at)
  const value = parsed.doc.value
  if (value === null) {
    return [
      finding(
        'skill-md/frontmatter',
        { ...at, line: 1, column: 1 },
        `the SKILL.md frontmatter (lines 1-${close + 1}) is empty`,
        `Add at least \`name: ${ctx.dirName}\` and \`description: <what the skill does and when to use it>\` between the \`---\` lines.`
      )
    ]
  }

  // Keys no client reads are their own rule (a warning by default), apart from invalid values.
  const unknown = isRecord(value) ? Object.keys(value).filter((k) => !FRONTMATTER_KEYS.includes(k)) : []
  const known =
    isRecord(value) && unknown.length ? Object.fromEntries(Object.entries(value).filter(([k]) => FRONTMATTER_KEYS.includes(k))) : value
  const findings = schemaFindings(validateSkillMdFrontmatter, {
    rule: 'skill-md/schema',
    doc: { ...parsed.doc, value: known },
    at,
    noun: 'SKILL.md frontmatter',
    unknownFieldHint
  })
  for (const key of unknown) {
    findings.push(
      finding(
        'skill-md/unknown-key',
        { ...at, ...parsed.doc.locate([key], 'key') },
        `the SKILL.md frontmatter has the key \`${key}\`, which neither the Agent Skills specification nor Claude Code defines: clients ignore it`,
        unknownFieldHint(key)
      )
    )
  }
  if (isRecord(value)) {
    const shell = allowedToolEntries(value['allowed-tools']).find(isUnrestrictedShell)
    if (shell !== undefined) {
      findings.push(
        finding(
          'skill-md/unrestricted-shell',
          { ...at, ...parsed.doc.locate(['allowed-tools']) },
          `\`allowed-tools\` pre-approves \`${shell}\` without a command pattern: while the skill is active the agent may run any shell command without asking the user`,
          'List the commands the skill needs, each with its own pattern: `Bash(git status:*) Bash(npm test:*)`.'
        )
      )
    }
  }

  const name = isRecord(value) ? value.name : undefined
  if (typeof name === 'string' && name !== '' && name !== ctx.dirName) {
    findings.push(
      finding(
        'skill-md/name-mismatch',
        { ...at, ...parsed.doc.locate(['name']) },
        `SKILL.md \`name\` is ${showValue(name)}, but the skill's directory is \`${ctx.dirName}\`; they must be the same`,
        `Set \`name: ${ctx.dirName}\`. Clients install the skill under its directory name, and the Agent Skills specification requires the two to match.`
      )
    )
  }
  return findings
}

/** The Agent Skills specification's place for extra data is `metadata`; `x-` keys are rejected too. */
function unknownFieldHint(key: string): string {
  const guess = suggest(key, FRONTMATTER_KEYS)
  if (guess) return `Did you mean \`${guess}\`? Clients ignore \`${key}\`.`
  if (key.startsWith('__')) return `Remove \`${key}\`: it is not a frontmatter key, and keys like it are a known way to attack parsers.`
  return `Clients read ${FRONTMATTER_KEYS.map((k) => `\`${k}\``).join(', ')}. If \`${key}\` is data for your own tools, move it under \`metadata:\` as a string value (for example \`metadata: {${key}: "..."}\`); otherwise remove it.`
}

function bodyLength(body: string[], firstLine: number, at: { package: string; file: string }): Finding[] {
  // A final newline ends the last line; it does not start another.
  const count = body.length > 0 && body[body.length - 1] === '' ? body.length - 1 : body.length
  if (count <= SKILL_BODY_MAX_LINES) return []
  return [
    finding(
      'skill-md/body-length',
      { ...at, line: firstLine + SKILL_BODY_MAX_LINES, column: 1 },
      `the SKILL.md body is ${count} lines long (lines ${firstLine}-${firstLine + count - 1}); the Agent Skills specification recommends under ${SKILL_BODY_MAX_LINES}, and this is the first line past that`,
      "The whole body enters the agent's context whenever the skill is used. Move reference material (API details, long examples) into files beside SKILL.md, such as `references/api.md`, and link to them; agents open those only when needed."
    )
  ]
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
