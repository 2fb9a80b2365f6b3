// `npm run bundle`: one ncc bundle per action, plus the CLI, under dist/<name>/index.js.
// The bundles are committed (actions run them straight from the repository); `npm run check:dist`
// rebuilds them and fails on a diff. Each dist/<name>/inputs.sha256 records the digest of the
// sources it was built from (scripts/bundle-inputs.ts).
//
//   npm run bundle                 every bundle
//   npm run bundle -- cli review   the bundles named
//   npm run bundle -- --stale      only those whose sources changed since they were built
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { STAMP_FILE, inputsDigest, recordedDigest } from './bundle-inputs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** dist folder -> entry file. Each action's action.yml points at dist/<name>/index.js. */
export const BUNDLES: Record<string, string> = {
  cli: 'src/cli/index.ts',
  review: 'src/actions/review/index.ts',
  'validate-manifest': 'src/actions/validate-manifest/index.ts',
  comment: 'src/actions/comment/index.ts',
  'version-bump-check': 'src/actions/version-bump-check/index.ts',
  'safety-scan': 'src/actions/safety-scan/index.ts',
  'build-registry': 'src/actions/build-registry/index.ts',
  'aggregate-scores': 'src/actions/aggregate-scores/index.ts'
}

const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

/** Bundles whose recorded digest does not match their sources now. */
export function staleBundles(): string[] {
  return Object.entries(BUNDLES)
    .filter(([name, entry]) => recordedDigest(root, name) !== inputsDigest(root, entry))
    .map(([name]) => name)
}

export function bundle(names: readonly string[]): void {
  for (const name of names) {
    const entry = BUNDLES[name]
    if (!entry) throw new Error(`unknown bundle ${name}; the bundles are ${Object.keys(BUNDLES).join(', ')}`)
    buildOne(name, entry)
  }
}

function buildOne(name: string, entry: string): void {
  const out = path.join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  const result = spawnSync(
    process.execPath,
    [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--target', 'es2022', '--quiet'],
    {
      cwd: root,
      stdio: 'inherit'
    }
  )
  if (result.status !== 0) {
    throw new Error(`bundle ${name} failed`)
  }
  const file = path.join(out, 'index.js')
  if (name === 'cli') {
    // ncc keeps the entry's shebang; make sure it is there and the file is executable for `npx`.
    const code = readFileSync(file, 'utf8')
    if (!code.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${code}`)
    chmodSync(file, 0o755)
  }
  writeFileSync(path.join(out, STAMP_FILE), `${inputsDigest(root, entry)}\n`)
  console.log(`bundled ${entry} -> dist/${name}/index.js`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const names = args.includes('--stale') ? staleBundles() : args.length ? args : Object.keys(BUNDLES)
  if (args.includes('--stale') && !names.length) console.log('every bundle is current')
  bundle(names)
}
