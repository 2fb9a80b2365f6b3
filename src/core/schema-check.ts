// Turns JSON Schema errors into findings a publisher can act on: located at the offending value,
// worded in plain terms, with the field's own description and example as the fix hint.
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { LocatedDocument, JsonPath } from './located.js'
import { finding, type Finding, type Location } from './findings.js'
import type { RuleId } from './rules.js'

export interface SchemaCheckTarget {
  rule: RuleId
  doc: LocatedDocument
  at: Pick<Location, 'package' | 'file'>
  /** How the file's fields are written in the message, e.g. "manifest" -> "manifest field `version`". */
  noun: string
}

export function schemaFindings(validate: ValidateFunction, target: SchemaCheckTarget): Finding[] {
  if (validate(target.doc.value)) return []
  const errors = pruneErrors(validate.errors ?? [])
  return errors.map((e) => {
    const path = pointerToPath(e.instancePath)
    const { message, hint, keyPath } = describe(e, path, target.noun)
    const pos = target.doc.locate(keyPath ?? path, keyPath ? 'key' : 'value')
    return finding(target.rule, { ...target.at, ...pos }, message, hint)
  })
}

/** One finding per value and keyword; `format` is dropped where `pattern` already failed. */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>()
  const patternFailed = new Set(errors.filter((e) => e.keyword === 'pattern').map((e) => e.instancePath))
  return errors.filter((e) => {
    if (e.keyword === 'format' && patternFailed.has(e.instancePath)) return false
    if (e.keyword === 'if') return false
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
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
  let s: string
  try {
    s = JSON.stringify(value) ?? String(value)
  } catch {
    s = String(value)
  }
  // JSON.stringify leaves most invisible and bidi characters alone; escape them so they show.
  s = s.replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
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
  enum?: unknown[]
}

function hintFrom(schema: SchemaLike | undefined, field?: string): string | undefined {
  if (!schema) return undefined
  const parts: string[] = []
  if (schema.description) parts.push(schema.description)
  const example = schema.examples?.[0]
  if (example !== undefined) parts.push(field ? `Example: \`${field}: ${showValue(example)}\`` : `Example: ${showValue(example)}`)
  return parts.length ? parts.join(' ') : undefined
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDist) {
      best = c
      bestDist = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length] as number
}

interface Described {
  message: string
  hint?: string
  /** Locate the key at this path instead of the value. */
  keyPath?: JsonPath
}

function describe(e: ErrorObject, path: JsonPath, noun: string): Described {
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
        hint: `Add \`${missing}\`. ${hintFrom(sub, missing) ?? ''}`.trim()
      }
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty)
      const allowed = Object.keys(schema?.properties ?? {}).filter((k) => k !== '$schema')
      const guess = closest(extra, allowed)
      return {
        message: `${path.length ? where : `the ${noun}`} has an unknown field \`${extra}\``,
        hint: guess
          ? `Did you mean \`${guess}\`? Allowed fields: ${allowed.join(', ')}.`
          : `Remove it${allowed.length ? `; allowed fields: ${allowed.join(', ')}` : ''}. Fields of your own tools may start with \`x-\`.`,
        keyPath: [...path, extra]
      }
    }
    case 'type': {
      const expected = String(p.type)
      const quote = expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')
      return {
        message: `${where} must be ${expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : `a ${expected}`}, not ${typeName(value)}${quote ? ` (${showValue(value)})` : ''}`,
        hint: quote
          ? `Quote the value so it stays text: \`${field ?? 'value'}: "${String(value)}"\`. ${schema?.description ?? ''}`.trim()
          : hintFrom(schema, field)
      }
    }
    case 'enum':
      return {
        message: `${where} is ${showValue(value)}, which is not one of ${(p.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')}`,
        hint: hintFrom(schema, field)
      }
    case 'const':
      return { message: `${where} must be ${showValue(p.allowedValue)}, not ${showValue(value)}`, hint: hintFrom(schema, field) }
    case 'minLength':
      return {
        message: p.limit === 1 ? `${where} is empty` : `${where} is too short (${String(value).length} characters, at least ${p.limit})`,
        hint: hintFrom(schema, field)
      }
    case 'maxLength':
      return {
        message: `${where} is too long (${[...String(value)].length} characters, at most ${p.limit})`,
        hint: hintFrom(schema, field)
      }
    case 'pattern':
    case 'format':
      return { message: `${where} has an invalid value ${showValue(value)}`, hint: hintFrom(schema, field) }
    case 'maxItems':
      return { message: `${where} has too many entries (${(value as unknown[]).length}, at most ${p.limit})`, hint: hintFrom(schema, field) }
    case 'minItems':
      return { message: `${where} has too few entries (at least ${p.limit})`, hint: hintFrom(schema, field) }
    case 'uniqueItems':
      return {
        message: `${where} lists ${showValue((value as unknown[])[p.j as number])} twice (entries ${p.j} and ${p.i})`,
        hint: 'Remove the repeated entry.'
      }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { message: `${where} is ${showValue(value)}, but must be ${e.message ?? ''}`, hint: hintFrom(schema, field) }
    case 'propertyNames':
      return { message: `${where} has a key that is not allowed: ${showValue(p.propertyName)}`, hint: hintFrom(schema, field) }
    default:
      return { message: `${where} ${e.message ?? 'is invalid'}`, hint: hintFrom(schema, field) }
  }
}
