// `npm run generate`: writes every file derived from schemas/ (types and reference docs).
// `--check` writes nothing and exits 1 when a derived file is stale.
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderTypes, TYPES_FILE } from './schema-types.mjs'
import { renderFormatDocs } from './format-docs.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Every derived file: relative path -> expected contents. */
export async function derivedFiles(dir = root) {
  return { [TYPES_FILE]: await renderTypes(dir), ...(await renderFormatDocs(dir)) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check')
  let stale = 0
  for (const [rel, text] of Object.entries(await derivedFiles())) {
    const file = path.join(root, rel)
    const current = await readFile(file, 'utf8').catch(() => null)
    if (current === text) continue
    stale++
    if (check) console.error(`stale: ${rel} (run npm run generate)`)
    else {
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, text)
      console.log(`wrote ${rel}`)
    }
  }
  if (check && stale) process.exit(1)
}
