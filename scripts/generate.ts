// `npm run generate` (tsx scripts/generate.ts): writes every file derived from schemas/ and from the
// rule catalog: the TypeScript types, the compiled schema validators, docs/formats/*.md and docs/rules.md.
//   --check     write nothing; list stale, missing and orphaned files and exit 1 if there are any
//   --root DIR  work on another checkout (tests use it to prove that --check fails)
import { readFile, readdir, writeFile, mkdir, rm, rename } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { listSchemas } from './schema-files.js'
import { renderTypes, TYPES_FILE } from './schema-types.js'
import { FORMATS_DIR, renderFormatDocs } from './format-docs.js'
import { loadRules, renderRulesDoc, RULES_DOC } from './rules-doc.js'
import { VALIDATORS_DIR, VALIDATORS_HEADER, renderValidators } from './schema-validators.js'
import { GENERATED_MARK } from './markdown.js'
import { renderSafetyTables } from './safety-tables.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Every derived file: path relative to the root -> expected contents. */
async function derivedFiles(root: string): Promise<Record<string, string>> {
  const schemas = await listSchemas(root)
  const rules = await loadRules(root)
  return {
    ...renderValidators(schemas),
    [TYPES_FILE]: await renderTypes(root, schemas),
    ...renderFormatDocs(schemas),
    [RULES_DOC]: renderRulesDoc(rules, schemas),
    ...renderSafetyTables()
  }
}

/**
 * Generated files that nothing generates any more (a schema was removed or renamed): pages in
 * docs/formats/ and compiled validators. Only files carrying the generated mark are considered,
 * so hand-written files survive.
 */
async function orphans(root: string, expected: Record<string, string>): Promise<string[]> {
  const out: string[] = []
  for (const [folder, mark] of [
    [FORMATS_DIR, GENERATED_MARK],
    [VALIDATORS_DIR, VALIDATORS_HEADER]
  ] as const) {
    const names = await readdir(path.join(root, folder)).catch(() => [] as string[])
    for (const name of names.filter((n) => /\.(md|js|d\.ts)$/.test(n)).sort()) {
      const rel = `${folder}/${name}`
      if (rel in expected) continue
      const text = await readFile(path.join(root, rel), 'utf8')
      if (text.startsWith(mark)) out.push(rel)
    }
  }
  return out
}

function firstDifference(current: string, expected: string): number {
  const a = current.split('\n')
  const b = expected.split('\n')
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i + 1
}

interface Options {
  check: boolean
  root: string
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { check: false, root: repoRoot }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--check') options.check = true
    else if (arg === '--root') {
      const dir = argv[++i]
      if (!dir) throw new Error('--root needs a directory')
      options.root = path.resolve(dir)
    } else if (arg?.startsWith('--root=')) options.root = path.resolve(arg.slice('--root='.length))
    else throw new Error(`unknown argument ${arg}; usage: generate.ts [--check] [--root DIR]`)
  }
  return options
}

async function main(): Promise<number> {
  const { check, root } = parseArgs(process.argv.slice(2))
  const expected = await derivedFiles(root)
  const problems: string[] = []
  for (const [rel, text] of Object.entries(expected)) {
    const file = path.join(root, rel)
    const current = await readFile(file, 'utf8').catch(() => null)
    if (current === text) continue
    if (check) {
      problems.push(current === null ? `missing: ${rel}` : `stale: ${rel} (differs from line ${firstDifference(current, text)})`)
      continue
    }
    await mkdir(path.dirname(file), { recursive: true })
    // Write then rename, so an interrupted run never leaves a half-written file behind.
    const tmp = `${file}.${process.pid}.tmp`
    await writeFile(tmp, text)
    await rename(tmp, file)
    console.log(`wrote ${rel}`)
  }
  for (const rel of await orphans(root, expected)) {
    if (check) problems.push(`orphaned: ${rel} (no schema generates it any more)`)
    else {
      await rm(path.join(root, rel))
      console.log(`removed ${rel}`)
    }
  }
  if (problems.length) {
    for (const p of problems) console.error(p)
    console.error(`${problems.length} generated file(s) out of date: run \`npm run generate\` and commit the result.`)
    return 1
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`generate: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(2)
  }
)
