// What a bundle is built from, and a digest of it: the entry's closure of relative imports (code
// and the JSON schemas it embeds) plus what decides how esbuild bundles it. `npm run bundle` stamps
// each dist/<name>/ with this digest, and the test suite rebuilds a bundle whose stamp no longer
// matches its sources, so tests never run a stale bundle.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Files every bundle depends on besides its own sources. */
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/bundle.ts', 'scripts/bundle-inputs.ts']

export const STAMP_FILE = 'inputs.sha256'

const SPECIFIER = /(?:from\s+|import\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm

/** Repository-relative paths of the files `entry` imports, directly or not, sorted. */
export function bundleSources(root: string, entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    if (!file.endsWith('.ts')) return
    const text = readFileSync(path.join(root, file), 'utf8')
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] as string
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec))
      const ts = resolved.replace(/\.js$/, '.ts')
      visit(spec.endsWith('.js') && existsSync(path.join(root, ts)) ? ts : resolved)
    }
  }
  visit(entry)
  return [...seen].sort()
}

export function inputsDigest(root: string, entry: string): string {
  const hash = createHash('sha256')
  for (const file of [...SHARED_INPUTS, ...bundleSources(root, entry)]) {
    hash.update(`${file}\0`)
    hash.update(readFileSync(path.join(root, file)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** The recorded digest of a built bundle, or undefined when it was never stamped. */
export function recordedDigest(root: string, name: string): string | undefined {
  const file = path.join(root, 'dist', name, STAMP_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}
