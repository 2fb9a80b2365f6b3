// The stats service's pure parts: the request checks agree with the JSON Schemas in schemas/ (the
// service cannot run ajv, so this is what keeps the schema the one source of truth), receipts are
// bound to their package and signer, and the stats document is a deterministic function of the
// aggregates that matches schemas/stats.schema.json.
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { newAjv, type SchemaNode } from '../scripts/schema-files.js'
import { parseInstallRequest, parseRatingRequest } from '../src/core/stats/protocol.js'
import {
  deriveKeys,
  raterOf,
  ratingRowKey,
  sameSecret,
  signReceipt,
  verifyReceipt,
  dedupeHash,
  newSalt,
  toHex
} from '../src/core/stats/crypto.js'
import { statsDocument } from '../src/core/stats/document.js'
import { addDays, utcDay } from '../src/core/stats/day.js'

const ROOT = path.resolve(import.meta.dirname, '..')
const schema = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')) as SchemaNode
const ajv = newAjv()
const validInstall = ajv.compile(schema('stats-install-request'))
const validRating = ajv.compile(schema('stats-rating-request'))
const validStats = ajv.compile(schema('stats'))

const INST = 'ab'.repeat(32)
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const RECEIPT_SHAPE = `v1.${'A'.repeat(80)}.${'B'.repeat(43)}`

const installCases: [string, unknown][] = [
  ['valid', { package: 'alice/demo', version: '1.0.0', installation: INST }],
  ['valid prerelease and build', { package: 'Alice-2/a-b-c', version: '1.0.0-rc.1+sha.5', installation: INST }],
  ['not an object', ['alice/demo']],
  ['null', null],
  ['a string', 'alice/demo'],
  ['missing installation', { package: 'alice/demo', version: '1.0.0' }],
  ['extra field', { package: 'alice/demo', version: '1.0.0', installation: INST, ip: '10.0.0.1' }],
  ['__proto__ key', JSON.parse(`{"package":"alice/demo","version":"1.0.0","installation":"${INST}","__proto__":{}}`)],
  ['uppercase package name', { package: 'alice/Demo', version: '1.0.0', installation: INST }],
  ['path trick', { package: '../alice/demo', version: '1.0.0', installation: INST }],
  ['no slash', { package: 'alice-demo', version: '1.0.0', installation: INST }],
  ['publisher too long', { package: `${'a'.repeat(40)}/demo`, version: '1.0.0', installation: INST }],
  ['package too long', { package: `alice/${'a'.repeat(99)}`, version: '1.0.0', installation: INST }],
  ['hidden character', { package: 'alice/de\u200bmo', version: '1.0.0', installation: INST }],
  ['trailing newline', { package: 'alice/demo\n', version: '1.0.0', installation: INST }],
  ['version not semver', { package: 'alice/demo', version: 'v1', installation: INST }],
  ['version a number', { package: 'alice/demo', version: 1, installation: INST }],
  ['installation short', { package: 'alice/demo', version: '1.0.0', installation: 'ab'.repeat(31) }],
  ['installation uppercase', { package: 'alice/demo', version: '1.0.0', installation: 'AB'.repeat(32) }],
  ['installation a UUID', { package: 'alice/demo', version: '1.0.0', installation: '123e4567-e89b-12d3-a456-426614174000' }]
]

const ratingCases: [string, unknown][] = [
  ['valid', { package: 'alice/demo', rating: 5, receipt: RECEIPT_SHAPE }],
  ['valid 1 as 1.0', { package: 'alice/demo', rating: 1.0, receipt: RECEIPT_SHAPE }],
  ['rating 0', { package: 'alice/demo', rating: 0, receipt: RECEIPT_SHAPE }],
  ['rating 6', { package: 'alice/demo', rating: 6, receipt: RECEIPT_SHAPE }],
  ['rating 4.5', { package: 'alice/demo', rating: 4.5, receipt: RECEIPT_SHAPE }],
  ['rating as a string', { package: 'alice/demo', rating: '5', receipt: RECEIPT_SHAPE }],
  ['rating true', { package: 'alice/demo', rating: true, receipt: RECEIPT_SHAPE }],
  ['no receipt', { package: 'alice/demo', rating: 5 }],
  ['receipt of another version', { package: 'alice/demo', rating: 5, receipt: RECEIPT_SHAPE.replace('v1.', 'v2.') }],
  ['receipt with a short mac', { package: 'alice/demo', rating: 5, receipt: RECEIPT_SHAPE.slice(0, -1) }],
  ['receipt too long', { package: 'alice/demo', rating: 5, receipt: `v1.${'A'.repeat(500)}.${'B'.repeat(43)}` }],
  ['extra field', { package: 'alice/demo', rating: 5, receipt: RECEIPT_SHAPE, comment: 'great' }]
]

describe('request checks agree with the schemas', () => {
  it.each(installCases)('install ping: %s', (_, body) => {
    const ours = parseInstallRequest(body)
    expect(ours.ok).toBe(validInstall(body))
    if (!ours.ok) expect(ours.error).toMatch(/`|body|field/)
  })
  it.each(ratingCases)('rating: %s', (_, body) => {
    expect(parseRatingRequest(body).ok).toBe(validRating(body))
  })
  it('names the field and the fix', () => {
    expect(parseRatingRequest({ package: 'alice/demo', rating: 9, receipt: RECEIPT_SHAPE })).toEqual({
      ok: false,
      error: '`rating` must be an integer from 1 to 5'
    })
    expect(parseInstallRequest({ package: 'alice/demo', version: '1.0.0', installation: 'x' })).toMatchObject({
      error: expect.stringMatching(/^`installation` is not valid: 64 lowercase hex digits/)
    })
    const unknown = parseInstallRequest({ package: 'alice/demo', version: '1.0.0', installation: INST, [`x${'y'.repeat(100)}`]: 1 })
    expect(unknown).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^unknown field "xy+…": an install ping has only `package`, `version`, `installation`$/)
    })
  })
})

describe('receipts', () => {
  it('verify for their package, and fail when tampered with or signed by another secret', async () => {
    const keys = await deriveKeys(SECRET)
    const rater = await raterOf(keys, 'alice/demo', INST)
    const receipt = await signReceipt(keys, 'alice/demo', rater)
    expect(validRating({ package: 'alice/demo', rating: 3, receipt })).toBe(true)
    const verified = await verifyReceipt(keys, receipt)
    expect(verified?.package).toBe('alice/demo')
    expect(toHex(verified?.rater as Uint8Array)).toBe(toHex(rater))
    // The same installation and package always get the same receipt: a second rating replaces the first.
    expect(await signReceipt(keys, 'alice/demo', await raterOf(keys, 'alice/demo', INST))).toBe(receipt)

    const [v, payload, mac] = receipt.split('.') as [string, string, string]
    const otherPayload = Buffer.from(
      JSON.stringify({ p: 'alice/tool', r: JSON.parse(Buffer.from(payload, 'base64url').toString()).r })
    ).toString('base64url')
    expect(await verifyReceipt(keys, `${v}.${otherPayload}.${mac}`)).toBeUndefined()
    const flipped = mac[0] === 'A' ? `B${mac.slice(1)}` : `A${mac.slice(1)}`
    expect(await verifyReceipt(keys, `${v}.${payload}.${flipped}`)).toBeUndefined()
    expect(await verifyReceipt(await deriveKeys(`${SECRET}-other`), receipt)).toBeUndefined()
    expect(await verifyReceipt(keys, 'v1.e30.' + 'A'.repeat(43))).toBeUndefined()
  })

  it('hold no installation id, and the stored row key is neither the rater nor computable from the receipt alone', async () => {
    const keys = await deriveKeys(SECRET)
    const rater = await raterOf(keys, 'alice/demo', INST)
    const receipt = await signReceipt(keys, 'alice/demo', rater)
    const decoded = Buffer.from(receipt.split('.')[1] as string, 'base64url').toString()
    expect(decoded).not.toContain(INST)
    const row = await ratingRowKey(keys, rater)
    expect(toHex(row)).not.toBe(toHex(rater))
    const otherKeys = await deriveKeys(`${SECRET}-other`)
    expect(toHex(await ratingRowKey(otherKeys, rater))).not.toBe(toHex(row))
    // Raters differ by package and by installation.
    expect(toHex(await raterOf(keys, 'alice/tool', INST))).not.toBe(toHex(rater))
    expect(toHex(await raterOf(keys, 'alice/demo', 'cd'.repeat(32)))).not.toBe(toHex(rater))
  })

  it('a short secret is refused', async () => {
    await expect(deriveKeys('short')).rejects.toThrow(/at least 32 bytes/)
  })

  it('de-duplication hashes change with the salt', async () => {
    const a = await dedupeHash(newSalt(), 'alice/demo', INST)
    const b = await dedupeHash(newSalt(), 'alice/demo', INST)
    expect(toHex(a)).not.toBe(toHex(b))
  })

  it('token comparison', async () => {
    expect(await sameSecret('abc', 'abc')).toBe(true)
    expect(await sameSecret('abd', 'abc')).toBe(false)
    expect(await sameSecret('', 'abc')).toBe(false)
  })
})

describe('the stats document', () => {
  const at = '2026-03-24T10:00:00Z'
  const aggregates = {
    generatedAt: at,
    totals: [
      { package: 'bob/web', total: 7 },
      { package: 'alice/demo', total: 120 }
    ],
    daily: [
      { package: 'alice/demo', day: '2026-03-24', count: 3 },
      { package: 'alice/demo', day: addDays('2026-03-24', -90), count: 2 },
      { package: 'alice/demo', day: addDays('2026-03-24', -91), count: 100 },
      { package: 'alice/demo', day: '2026-03-01', count: 15 },
      { package: 'bob/web', day: '2026-03-20', count: 7 }
    ],
    ratings: [
      { package: 'alice/demo', rating: 5, count: 2 },
      { package: 'alice/demo', rating: 2, count: 1 },
      { package: 'carol/new', rating: 4, count: 1 }
    ]
  }

  it('matches the schema: totals of every day, the 90-day window by day, rating counts', () => {
    const doc = statsDocument(aggregates)
    expect(validStats(doc)).toBe(true)
    expect(doc).toEqual({
      version: 1,
      generated_at: at,
      packages: {
        'alice/demo': {
          downloads: {
            total: 120,
            daily: [
              { date: '2025-12-24', count: 2 },
              { date: '2026-03-01', count: 15 },
              { date: '2026-03-24', count: 3 }
            ]
          },
          ratings: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 2 }
        },
        'bob/web': { downloads: { total: 7, daily: [{ date: '2026-03-20', count: 7 }] } },
        'carol/new': { downloads: { total: 0, daily: [] }, ratings: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 } }
      }
    })
  })

  it('does not depend on the order of rows', () => {
    const reversed = {
      ...aggregates,
      totals: [...aggregates.totals].reverse(),
      daily: [...aggregates.daily].reverse(),
      ratings: [...aggregates.ratings].reverse()
    }
    expect(JSON.stringify(statsDocument(reversed))).toBe(JSON.stringify(statsDocument(aggregates)))
  })

  it('days are UTC', () => {
    expect(utcDay(Date.parse('2026-03-24T23:59:59.999Z'))).toBe('2026-03-24')
    expect(utcDay(Date.parse('2026-03-25T00:30:00+01:00'))).toBe('2026-03-24')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
})
