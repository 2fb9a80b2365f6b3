// `npm run bundle`: one ncc bundle per action, plus the CLI, under dist/<name>/index.js.
// The bundles are committed (actions run them straight from the repository); `npm run check:dist`
// rebuilds them and fails on a diff.
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
const only = process.argv.slice(2)

for (const [name, entry] of Object.entries(BUNDLES)) {
  if (only.length && !only.includes(name)) continue
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
    console.error(`bundle ${name} failed`)
    process.exit(1)
  }
  const file = path.join(out, 'index.js')
  if (name === 'cli') {
    // ncc keeps the entry's shebang; make sure it is there and the file is executable for `npx`.
    const code = readFileSync(file, 'utf8')
    if (!code.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${code}`)
    chmodSync(file, 0o755)
  }
  console.log(`bundled ${entry} -> dist/${name}/index.js`)
}
