// The stats protocol's requests (the client's install pings and ratings) as untrusted input:
// each body is checked against its schema in schemas/ before the service reads anything from it.
// The constraints come from the schema files themselves, so the schema stays the one source of
// truth; test/stats-protocol.test.ts checks that this code and ajv agree on every case. (ajv
// itself cannot run here: it compiles with `new Function`, which Workers forbid.)
import type { StatsInstallRequest, StatsRatingRequest } from '../../generated/schema-types.js'
import installSchema from '../../../schemas/stats-install-request.schema.json' with { type: 'json' }
import ratingSchema from '../../../schemas/stats-rating-request.schema.json' with { type: 'json' }

/** The most bytes a request body may have: both bodies fit in a fraction of this. */
export const MAX_BODY_BYTES = 2048

export type InstallRequest = StatsInstallRequest
export type RatingRequest = StatsRatingRequest

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

interface StringRule {
  maxLength?: number
  pattern: string
}

const install = installSchema.properties
const rating = ratingSchema.properties

const pattern = (rule: StringRule): RegExp => new RegExp(rule.pattern, 'u')
const PACKAGE = pattern(install.package)
const VERSION = pattern(install.version)
const INSTALLATION = pattern(install.installation)
const RECEIPT = pattern(rating.receipt)

/** The JSON text of a request body, parsed; the error says what is wrong for the sender. */
export function parseBody(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, error: 'the body is not valid JSON; send a JSON object with Content-Type: application/json' }
  }
}

function objectWith(value: unknown, keys: readonly string[], what: string): Parsed<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `the body must be a JSON object: ${what}` }
  const record = value as Record<string, unknown>
  const unknown = Object.keys(record).filter((k) => !keys.includes(k))
  if (unknown.length)
    return { ok: false, error: `unknown field ${quote(unknown[0] as string)}: ${what} has only ${keys.map((k) => `\`${k}\``).join(', ')}` }
  const missing = keys.filter((k) => !Object.hasOwn(record, k))
  if (missing.length) return { ok: false, error: `\`${missing[0]}\` is missing: ${what} needs ${keys.map((k) => `\`${k}\``).join(', ')}` }
  return { ok: true, value: record }
}

// An unknown key is the sender's text: shown JSON-quoted and cut short, never raw.
const quote = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)

function checkString(record: Record<string, unknown>, key: string, rule: StringRule, re: RegExp, hint: string): string | undefined {
  const v = record[key]
  if (typeof v !== 'string') return `\`${key}\` must be a string: ${hint}`
  // maxLength counts code points, as JSON Schema does.
  if ((rule.maxLength !== undefined && [...v].length > rule.maxLength) || !re.test(v)) return `\`${key}\` is not valid: ${hint}`
  return undefined
}

const PACKAGE_HINT = 'the package id `<publisher>/<name>` as registry.json lists it'

export function parseInstallRequest(value: unknown): Parsed<InstallRequest> {
  const o = objectWith(value, installSchema.required, 'an install ping')
  if (!o.ok) return o
  const r = o.value
  const error =
    checkString(r, 'package', install.package, PACKAGE, PACKAGE_HINT) ??
    checkString(r, 'version', install.version, VERSION, 'a semantic version such as 1.2.0') ??
    checkString(
      r,
      'installation',
      install.installation,
      INSTALLATION,
      '64 lowercase hex digits (32 random bytes the client creates once per workspace)'
    )
  if (error) return { ok: false, error }
  return { ok: true, value: { package: r.package as string, version: r.version as string, installation: r.installation as string } }
}

export function parseRatingRequest(value: unknown): Parsed<RatingRequest> {
  const o = objectWith(value, ratingSchema.required, 'a rating')
  if (!o.ok) return o
  const r = o.value
  const error =
    checkString(r, 'package', rating.package, PACKAGE, PACKAGE_HINT) ??
    (Number.isInteger(r.rating) && (r.rating as number) >= rating.rating.minimum && (r.rating as number) <= rating.rating.maximum
      ? undefined
      : `\`rating\` must be an integer from ${rating.rating.minimum} to ${rating.rating.maximum}`) ??
    checkString(r, 'receipt', rating.receipt, RECEIPT, 'the `receipt` the install ping of this package answered')
  if (error) return { ok: false, error }
  return { ok: true, value: { package: r.package as string, rating: r.rating as number, receipt: r.receipt as string } }
}
