// Trust by digest (core/scores/registry-trust.ts): a scores run skips the whole-file parse and
// schema check of registry.json only when the published-versions head names the blob id of the
// very bytes read. Then it writes the same bytes as the full path; anything else (an edited
// registry.json, valid or not, of the same size or not; a stale, malformed or foreign head; bytes
// that are not the canonical file) takes the full path, and an invalid file is refused with the
// reader's located error.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Registry } from '../src/generated/schema-types.js'
import { runScores } from '../src/io/run-scores.js'
import { publishedIndexFiles } from '../src/core/registry/build/published-index.js'
import { canonicalJson } from '../src/core/registry/json.js'
import { builtRegistry, fullStats, marketplaceRoot, removeRoots, writeStats } from './helpers/scores.js'

let registry: Registry

beforeAll(async () => {
  registry = await builtRegistry()
})
afterAll(() => removeRoots())

const OUTPUTS = ['registry.json', 'scores.json', 'features.jsonl', '.registry/index.json'] as const
const HEAD = '.registry/index.json'

/** A root with `text` as registry.json and the index the build writes for `vouchFor` (default: the same bytes). */
function rootWith(text: string, vouchFor: string = text): string {
  const root = marketplaceRoot(registry)
  writeFileSync(path.join(root, 'registry.json'), text)
  const bytes = Buffer.from(vouchFor)
  for (const f of publishedIndexFiles(JSON.parse(vouchFor) as Registry, bytes, 'sha1')) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true })
    writeFileSync(path.join(root, f.path), f.bytes ?? new Uint8Array())
  }
  return root
}

const outputs = (root: string) =>
  OUTPUTS.map((f) => (existsSync(path.join(root, f)) ? readFileSync(path.join(root, f), 'utf8') : undefined))

/** What the full path writes for `text`: the same files with the head naming nothing (so the whole file is checked). */
async function fullPath(text: string): Promise<(string | undefined)[]> {
  const root = rootWith(text)
  const head = path.join(root, HEAD)
  const stale = readFileSync(head, 'utf8').replace(/"object_id": "[0-9a-f]+"/, `"object_id": "${'0'.repeat(40)}"`)
  writeFileSync(head, stale)
  const run = await runScores({ root, stats: writeStats(root, fullStats()) })
  expect(run.registryRead).toBe('checked')
  return outputs(root).slice(0, 3)
}

describe('registry.json vouched for by the published-versions head', () => {
  it('scans a registry.json the head names and writes the same bytes as the whole-file check', async () => {
    const text = canonicalJson(registry)
    const root = rootWith(text)
    const run = await runScores({ root, stats: writeStats(root, fullStats()) })
    expect(run.registryRead).toBe('vouched')
    expect(outputs(root).slice(0, 3)).toEqual(await fullPath(text))
    // The head now names the bytes this run wrote: the next run is vouched for too, and changes nothing.
    const again = await runScores({ root, stats: writeStats(root, fullStats()) })
    expect(again.registryRead).toBe('vouched')
    expect(again.written).toEqual([])
    // The index the run left is the one the build would derive from the registry it wrote.
    const written = readFileSync(path.join(root, 'registry.json'))
    for (const f of publishedIndexFiles(JSON.parse(written.toString('utf8')) as Registry, written, 'sha1'))
      expect(readFileSync(path.join(root, f.path), 'utf8')).toBe(Buffer.from(f.bytes ?? new Uint8Array()).toString('utf8'))
  })

  it('checks whole an edited registry.json, valid or not, same size or not, and refuses an invalid one with its located error', async () => {
    const text = canonicalJson(registry)
    const demo = registry.packages.find((p) => p.name === 'demo') as Registry['packages'][number]
    const description = demo.description as string
    const edits: { text: string; valid: boolean }[] = [
      // Valid, same size: one letter of a description.
      {
        text: text.replace(
          description,
          description.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'))
        ),
        valid: true
      },
      // Valid, another size.
      { text: text.replace(description, `${description} Edited by hand.`), valid: true },
      // Invalid, same size: a date that does not exist.
      { text: text.replace(`"updated_at": "${demo.updated_at as string}"`, '"updated_at": "2026-02-30T25:00:00Z"'), valid: false },
      // Invalid, another size: a verdict the schema does not know.
      { text: text.replace('"verdict": "pass"', '"verdict": "maybe"'), valid: false }
    ]
    for (const edit of edits) {
      expect(edit.text).not.toBe(text)
      // The head still names the bytes before the edit.
      const root = rootWith(edit.text, text)
      const before = outputs(root)
      if (edit.valid) {
        const run = await runScores({ root, stats: writeStats(root, fullStats()) })
        expect(run.registryRead).toBe('checked')
        expect(outputs(root).slice(0, 3)).toEqual(await fullPath(edit.text))
      } else {
        await expect(runScores({ root, stats: writeStats(root, fullStats()) })).rejects.toThrow(
          /the existing registry\.json does not match the registry schema\. It holds the download counts[\s\S]*registry\.json:\d+:\d+/
        )
        expect(outputs(root)).toEqual(before)
      }
    }
  })

  it('checks whole when the head is stale, malformed, of another format or names non-canonical bytes', async () => {
    const text = canonicalJson(registry)
    const heads: ((head: string) => string)[] = [
      (h) => h.replace(/"object_id": "[0-9a-f]+"/, `"object_id": "${'1'.repeat(40)}"`),
      (h) => h.replace('"format": 1', '"format": 2'),
      (h) => h.replace('"packages": 3', '"packages": 4'),
      (h) => h.replace('{', '{\n  "extra": true,'),
      (h) => h.slice(0, -3),
      () => 'null'
    ]
    for (const change of heads) {
      const root = rootWith(text)
      const head = path.join(root, HEAD)
      writeFileSync(head, change(readFileSync(head, 'utf8')))
      const run = await runScores({ root, stats: writeStats(root, fullStats()) })
      expect(run.registryRead).toBe('checked')
      expect(outputs(root).slice(0, 3)).toEqual(await fullPath(text))
    }
    // A head naming bytes that are valid but not the canonical file (another indentation): the
    // scan does not recognise them, and the whole file is checked.
    const loose = `${JSON.stringify(registry, null, 4)}\n`
    const root = rootWith(loose)
    const run = await runScores({ root, stats: writeStats(root, fullStats()) })
    expect(run.registryRead).toBe('checked')
    expect(outputs(root).slice(0, 3)).toEqual(await fullPath(loose))
    // No head at all.
    const bare = marketplaceRoot(registry)
    rmSync(path.join(bare, '.registry'), { recursive: true, force: true })
    expect((await runScores({ root: bare, stats: writeStats(bare, fullStats()) })).registryRead).toBe('checked')
  })
})
