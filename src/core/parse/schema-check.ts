// Turns JSON Schema errors into findings a publisher can act on: located at the offending value,
// worded in plain terms, with the field's own description and example as the fix hint.
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { LocatedDocument, JsonPath } from './located.js'
import type { Location } from '../findings/findings.js'
import type { RuleId } from '../findings/rules.js'
import { escapeHidden, quoteVisible, type Position } from './text.js'
import { suggest } from './suggest.js'

export interface SchemaCheckTarget {
  rule: RuleId
  doc: LocatedDocument
  at: Pick<Location, 'package' | 'file'>
  /** How the file's fields are written in the message, e.g. "manifest" -> "manifest field `version`". */
  noun: string
  /** How examples in hints are written; YAML unless the file is JSON. */
  syntax?: 'yaml' | 'json'
  /** A file-specific hint for an unknown field that is not a likely typo. */
  unknownFieldHint?: (field: string, allowed: string[]) => string
}

/** One schema error, located and worded; a check turns it into a finding under its own rule. */
export interface SchemaProblem extends Position {
  message: string
  hint?: string
}

export type SchemaProblemTarget = Omit<SchemaCheckTarget, 'rule' | 'at'>

/**
 * The schema errors of a document as located problems. Files that are not a publisher's (the
 * config, registry.json) report these as configuration errors; no rule id is involved.
 */
export function schemaProblems(validate: ValidateFunction, target: SchemaProblemTarget): SchemaProblem[] {
  if (validate(target.doc.value)) return []
  const errors = pruneErrors(validate.errors ?? [])
  return errors.map((e) => {
    const path = pointerToPath(e.instancePath)
    const { message, hint, keyPath } = describe(e, path, target)
    const pos = target.doc.locate(keyPath ?? path, keyPath ? 'key' : 'value')
    return { ...pos, message, ...(hint === undefined ? {} : { hint }) }
  })
}

/** `file:line:column: message`, how a configuration error lists a schema problem. */
export function formatSchemaProblem(file: string, p: SchemaProblem, withHint = false): string {
  return `${file}:${p.line}:${p.column}: ${p.message}${withHint && p.hint ? ` (${p.hint})` : ''}`
}

/** Which error about one value says the most; the others about the same value are dropped. */
const VALUE_KEYWORDS = ['type', 'const', 'enum', 'minLength', 'maxLength', 'pattern', 'format']

/**
 * One finding per value: an empty string fails both `minLength` and `pattern`, and the publisher
 * needs to hear it once. Errors about a missing or unknown field are kept per field.
 */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const rank = (e: ErrorObject) => {
    const i = VALUE_KEYWORDS.indexOf(e.keyword)
    return i === -1 ? VALUE_KEYWORDS.length : i
  }
  const best = new Map<string, ErrorObject>()
  for (const e of errors) {
    if (e.keyword === 'if') continue
    const p = e.params as Record<string, unknown>
    const key =
      e.keyword === 'required' || e.keyword === 'additionalProperties'
        ? `${e.instancePath}\u0000${e.keyword}\u0000${String(p.missingProperty ?? p.additionalProperty)}`
        : e.instancePath
    const seen = best.get(key)
    if (!seen || rank(e) < rank(seen)) best.set(key, e)
  }
  return [...best.values()]
}

export function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s))
}

/** `tags[2]`, `packages[0].transport.type`; the document root is "the file". */
export function formatPath(path: JsonPath): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${JSON.stringify(seg)}]`
  }
  return out
}

/** A short, escaped rendering of a value a publisher wrote. */
export function showValue(value: unknown): string {
  const s = typeof value === 'string' ? quoteVisible(value) : escapeHidden(safeStringify(value))
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number'
  if (typeof value === 'boolean') return 'a boolean'
  return `a ${typeof value}`
}

interface SchemaLike {
  description?: string
  examples?: unknown[]
  properties?: Record<string, SchemaLike>
  patternProperties?: Record<string, unknown>
  enum?: unknown[]
}

function hintFrom(schema: SchemaLike | undefined, field: string | undefined, syntax: 'yaml' | 'json'): string | undefined {
  if (!schema) return undefined
  const parts: string[] = []
  if (schema.description) parts.push(schema.description)
  const example = schema.examples?.[0]
  if (example !== undefined) parts.push(`Example: \`${field ? writeField(field, example, syntax) : showValue(example)}\``)
  return parts.length ? parts.join(' ') : undefined
}

function writeField(field: string, value: unknown, syntax: 'yaml' | 'json'): string {
  return syntax === 'json' ? `"${field}": ${showValue(value)}` : `${field}: ${showValue(value)}`
}

function allowsExtensions(schema: SchemaLike | undefined): boolean {
  return Object.keys(schema?.patternProperties ?? {}).some((p) => p.startsWith('^x-'))
}

interface Described {
  message: string
  hint?: string
  /** Locate the key at this path instead of the value. */
  keyPath?: JsonPath
}

function describe(e: ErrorObject, path: JsonPath, target: SchemaProblemTarget): Described {
  const { noun } = target
  const syntax = target.syntax ?? 'yaml'
  const where = path.length ? `${noun} field \`${formatPath(path)}\`` : `the ${noun}`
  const schema = e.parentSchema as SchemaLike | undefined
  const value = e.data
  const field = typeof path[path.length - 1] === 'string' ? (path[path.length - 1] as string) : undefined
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty)
      const sub = schema?.properties?.[missing]
      return {
        message: `${path.length ? where : `the ${noun}`} is missing the required field \`${missing}\``,
        hint: `Add \`${missing}\`. ${hintFrom(sub, missing, syntax) ?? ''}`.trim()
      }
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty)
      const allowed = Object.keys(schema?.properties ?? {}).filter((k) => k !== '$schema')
      const guess = suggest(extra, allowed)
      return {
        message: `${path.length ? where : `the ${noun}`} has an unknown field \`${extra}\``,
        hint: guess
          ? `Did you mean \`${guess}\`? Allowed fields: ${allowed.join(', ')}.`
          : (target.unknownFieldHint?.(extra, allowed) ??
            `Remove it${allowed.length ? `; allowed fields: ${allowed.join(', ')}` : ''}.${allowsExtensions(schema) ? ' Fields of your own tools may start with `x-`.' : ''}`),
        keyPath: [...path, extra]
      }
    }
    case 'type': {
      const expected = String(p.type)
      const quote = expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')
      return {
        message: `${where} must be ${expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : `a ${expected}`}, not ${typeName(value)}${quote ? ` (${showValue(value)})` : ''}`,
        hint: quote
          ? `Quote the value so it stays text, for example \`${writeField(field ?? 'value', String(schema?.examples?.[0] ?? value), syntax)}\`. ${schema?.description ?? ''}`.trim()
          : hintFrom(schema, field, syntax)
      }
    }
    case 'enum':
      return {
        message: `${where} is ${showValue(value)}, which is not one of ${(p.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')}`,
        hint: hintFrom(schema, field, syntax)
      }
    case 'const':
      return { message: `${where} must be ${showValue(p.allowedValue)}, not ${showValue(value)}`, hint: hintFrom(schema, field, syntax) }
    case 'minLength':
      return {
        message: p.limit === 1 ? `${where} is empty` : `${where} is too short (${String(value).length} characters, at least ${p.limit})`,
        hint: hintFrom(schema, field, syntax)
      }
    case 'maxLength':
      return {
        message: `${where} is too long (${[...String(value)].length} characters, at most ${p.limit})`,
        hint: hintFrom(schema, field, syntax)
      }
    case 'pattern':
    case 'format':
      return { message: `${where} has an invalid value ${showValue(value)}`, hint: hintFrom(schema, field, syntax) }
    case 'maxItems':
      return {
        message: `${where} has too many entries (${(value as unknown[]).length}, at most ${p.limit})`,
        hint: hintFrom(schema, field, syntax)
      }
    case 'minItems':
      return { message: `${where} has too few entries (at least ${p.limit})`, hint: hintFrom(schema, field, syntax) }
    case 'uniqueItems':
      return {
        message: `${where} lists ${showValue((value as unknown[])[p.j as number])} twice (entries ${p.j} and ${p.i})`,
        hint: 'Remove the repeated entry.'
      }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { message: `${where} is ${showValue(value)}, but ${e.message ?? 'is out of range'}`, hint: hintFrom(schema, field, syntax) }
    case 'propertyNames':
      return { message: `${where} has a key that is not allowed: ${showValue(p.propertyName)}`, hint: hintFrom(schema, field, syntax) }
    default:
      return { message: `${where} ${e.message ?? 'is invalid'}`, hint: hintFrom(schema, field, syntax) }
  }
}
