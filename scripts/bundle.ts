// `npm run bundle`: one esbuild bundle per action, plus the CLI, under dist/<name>/ (index.js and
// the chunks it loads on demand).
// The bundles are committed (actions run them straight from the repository); `npm run check:dist`
// rebuilds them and fails on a diff. Each dist/<name>/inputs.sha256 records the digest of the
// sources it was built from (scripts/bundle-inputs.ts).
//
//   npm run bundle                 every bundle
//   npm run bundle -- cli review   the bundles named
//   npm run bundle -- --stale      only those whose sources changed since they were built
import { build, type Plugin } from 'esbuild'
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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

/**
 * Modules that only define things, though their package does not say so. @actions/core imports
 * its OIDC client at the top, and with it @actions/http-client and undici (400 KB, a third of an
 * action's start-up); no action of ours asks for an ID token, so the bundle leaves them out.
 */
const SIDE_EFFECT_FREE = [/[\\/]@actions[\\/]core[\\/]lib[\\/]oidc-utils\.js$/]

function sideEffectFree(modules: readonly RegExp[]): Plugin {
  return {
    name: 'side-effect-free',
    setup(build) {
      // Only specifiers that could name one of `modules` are resolved twice.
      build.onResolve({ filter: /oidc-utils/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined
        const resolved = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          importer: args.importer,
          pluginData: 'resolving'
        })
        if (resolved.errors.length || !modules.some((m) => m.test(resolved.path))) return undefined
        return { path: resolved.path, sideEffects: false }
      })
    }
  }
}

/**
 * Bundles whose recorded digest does not match their sources now, or whose files are incomplete (a
 * `git checkout -- dist` after a local rebuild can leave an index.js whose chunks are gone).
 */
export function staleBundles(): string[] {
  return Object.entries(BUNDLES)
    .filter(([name, entry]) => recordedDigest(root, name) !== inputsDigest(root, entry) || missingChunk(path.join(root, 'dist', name)))
    .map(([name]) => name)
}

const CHUNK_IMPORT = /(?:from\s*|import\s*\(?\s*)"(\.\.?\/[^"]+\.js)"/g

/** Whether index.js, or a chunk it loads (statically or not), is missing from the bundle folder. */
function missingChunk(dir: string): boolean {
  const seen = new Set<string>()
  const visit = (file: string): boolean => {
    if (seen.has(file)) return false
    seen.add(file)
    if (!existsSync(file)) return true
    for (const m of readFileSync(file, 'utf8').matchAll(CHUNK_IMPORT))
      if (visit(path.resolve(path.dirname(file), m[1] as string))) return true
    return false
  }
  return visit(path.join(dir, 'index.js'))
}

export async function bundle(names: readonly string[]): Promise<void> {
  for (const name of names) {
    const entry = BUNDLES[name]
    if (!entry) throw new Error(`unknown bundle ${name}; the bundles are ${Object.keys(BUNDLES).join(', ')}`)
    await buildOne(name, entry)
  }
}

async function buildOne(name: string, entry: string): Promise<void> {
  const out = path.join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: entry },
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Prefer a package's ES module build: jsonc-parser's `main` is a UMD file whose require() calls
    // esbuild cannot follow.
    mainFields: ['module', 'main'],
    // Each command and each heavy step is a dynamic import, so a run loads only the chunks it
    // needs: `--version` or a missing input answers before the checks, ajv or git code is read.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    // Stack traces and `instanceof` messages stay readable.
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [sideEffectFree(SIDE_EFFECT_FREE)],
    // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);" }
  })
  if (result.errors.length) throw new Error(`bundle ${name} failed`)
  writeFileSync(path.join(out, 'licenses.txt'), licenses(Object.keys(result.metafile.inputs)))
  const file = path.join(out, 'index.js')
  if (name === 'cli') {
    const code = readFileSync(file, 'utf8')
    if (!code.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node\n${code}`)
    chmodSync(file, 0o755)
  }
  writeFileSync(path.join(out, STAMP_FILE), `${inputsDigest(root, entry)}\n`)
  console.log(`bundled ${entry} -> dist/${name}/`)
}

/** The license of every npm package a bundle embeds, as the bundles are redistributed in git. */
function licenses(inputs: readonly string[]): string {
  const packages = new Set<string>()
  for (const input of inputs) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (m) packages.add(m[1] as string)
  }
  const sections: string[] = []
  for (const pkg of [...packages].sort()) {
    const dir = path.join(root, 'node_modules', pkg)
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { license?: string; version?: string }
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = file
      ? readFileSync(path.join(dir, file), 'utf8').trim()
      : `(no license file; package.json says ${meta.license ?? 'nothing'})`
    sections.push(`${pkg}@${meta.version ?? '?'}\n${meta.license ?? ''}\n${text}`)
  }
  return `${sections.join('\n\n' + '-'.repeat(72) + '\n\n')}\n`
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const names = args.includes('--stale') ? staleBundles() : args.length ? args : Object.keys(BUNDLES)
  if (args.includes('--stale') && !names.length) console.log('every bundle is current')
  await bundle(names)
}
