// The layers of docs/architecture.md, enforced: each folder of the core imports only the folders
// listed for it (and the generated types, the schemas and core/errors.ts), so a newcomer can
// trust the map, and a cycle between folders cannot creep back in.
import { describe, it, expect } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'

/** Folder (relative to src/) -> the folders it may import from. Adapters may import any core folder. */
const ALLOWED: Record<string, string[]> = {
  'core/findings': ['core/findings/rules'],
  'core/findings/rules': [],
  'core/parse': ['core/findings'],
  'core/snapshot': [],
  'core/marketplace': ['core/findings', 'core/parse', 'core/snapshot'],
  'core/git': ['core/marketplace', 'core/snapshot'],
  'core/config': ['core/findings', 'core/parse', 'core/marketplace', 'core/snapshot'],
  'core/registry': ['core/parse', 'core/marketplace'],
  'core/checks': ['core/findings', 'core/parse', 'core/snapshot', 'core/marketplace', 'core/git', 'core/config'],
  'core/checks/validate': [
    'core/checks',
    'core/checks/safety',
    'core/findings',
    'core/parse',
    'core/snapshot',
    'core/marketplace',
    'core/config'
  ],
  'core/checks/safety': ['core/checks', 'core/findings', 'core/parse', 'core/snapshot', 'core/marketplace', 'core/config'],
  'core/checks/release': [
    'core/checks',
    'core/checks/validate',
    'core/findings',
    'core/parse',
    'core/snapshot',
    'core/marketplace',
    'core/git',
    'core/config',
    'core/registry'
  ],
  'core/review': [
    'core/checks',
    'core/checks/validate',
    'core/checks/safety',
    'core/checks/release',
    'core/findings',
    'core/snapshot',
    'core/marketplace',
    'core/git',
    'core/config'
  ],
  'core/registry/build': [
    'core/registry/build/catalog',
    'core/registry',
    'core/checks/validate',
    'core/findings',
    'core/parse',
    'core/snapshot',
    'core/marketplace',
    'core/git',
    'core/config'
  ],
  // The catalog stage: a part of the build in its own folder, using the build's context and layout.
  'core/registry/build/catalog': ['core/registry/build', 'core/registry', 'core/parse', 'core/marketplace', 'core/snapshot'],
  'core/scores': ['core/registry', 'core/git'],
  // The install side reads what the build emits: its site layout and its MCP server mapping.
  'core/client': ['core/parse', 'core/marketplace', 'core/registry', 'core/registry/build'],
  'core/stats': ['core/scores']
}
/** Importable from anywhere. */
const EVERYWHERE = ['generated', 'generated/validators', 'core']
const ADAPTERS = ['io', 'report', 'actions', 'cli', 'stats-service']

const SRC = path.resolve('src')
const SPECIFIER = /(?:from\s+|import\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm

function* sourceFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) yield* sourceFiles(p)
    else if (e.name.endsWith('.ts')) yield p
  }
}

/** Every (importing folder, imported folder, file) edge between src/ folders. */
function edges(): { from: string; to: string; file: string }[] {
  const out: { from: string; to: string; file: string }[] = []
  for (const file of sourceFiles(SRC)) {
    const from = path.relative(SRC, path.dirname(file))
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const target = path.resolve(path.dirname(file), m[1] as string)
      const to = path.relative(SRC, path.dirname(target))
      if (to.startsWith('..')) continue // schemas/*.json and package.json
      if (to !== from) out.push({ from, to, file: path.relative(SRC, file) })
    }
  }
  return out
}

const top = (folder: string) => folder.split('/')[0] as string

describe('architecture', () => {
  const all = edges()

  it('the toolkit imports each validator by its own module, never the map of all of them', () => {
    // src/generated/validators.js imports every compiled schema (hundreds of KB); a bundle that
    // imported it would load them all for one lookup. Tests and tools may use it.
    const users = [...sourceFiles(SRC)].filter((f) => /from '[^']*generated\/validators\.js'/.test(readFileSync(f, 'utf8')))
    expect(users.map((f) => path.relative(SRC, f))).toEqual([])
    expect(all.filter((e) => e.to === 'generated/validators').length).toBeGreaterThan(5)
  })

  it('reads the imports it checks', () => {
    expect(all.length).toBeGreaterThan(100)
    expect(all).toContainEqual({ from: 'core/review', to: 'core/checks', file: 'core/review/pipeline.ts' })
  })

  it('every core folder is on the map, and the map names only real folders', () => {
    const coreFolders = [...new Set([...sourceFiles(path.join(SRC, 'core'))].map((f) => path.relative(SRC, path.dirname(f))))].filter(
      (f) => f !== 'core'
    )
    expect(coreFolders.filter((f) => !(f in ALLOWED))).toEqual([])
    expect(Object.keys(ALLOWED).filter((f) => !coreFolders.includes(f))).toEqual([])
  })

  it('a core folder imports only the folders below it', () => {
    const wrong = all
      .filter((e) => e.from.startsWith('core/') && !EVERYWHERE.includes(e.to) && !(ALLOWED[e.from] ?? []).includes(e.to))
      .map((e) => `${e.file} imports from ${e.to}`)
    expect(wrong).toEqual([])
  })

  it('the core imports no adapter, and no adapter imports another action or the CLI', () => {
    const wrong = all
      .filter(
        (e) =>
          (e.from.startsWith('core') && ADAPTERS.includes(top(e.to))) ||
          (['io', 'report'].includes(top(e.from)) && ['actions', 'cli'].includes(top(e.to))) ||
          (e.from.startsWith('actions/') && e.to.startsWith('actions/') && e.to !== 'actions/shared') ||
          (top(e.from) === 'actions' && top(e.to) === 'cli')
      )
      .map((e) => `${e.file} imports from ${e.to}`)
    expect(wrong).toEqual([])
  })
})
