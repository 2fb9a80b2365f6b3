// What each safety family costs on a tree's files, in process: every file of every package under
// publishers/ is read into memory once, then each family's functions run over all of them (a
// warm-up pass, then `runs` timed passes, the median kept). Used by scripts/bench-scan.ts.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { median } from './bench-common.js'
import { classifyContent } from '../src/core/checks/safety/content-type.js'
import { makeTextFile, type TextFile } from '../src/core/checks/safety/file.js'
import { findSecrets, secretFindings } from '../src/core/checks/safety/secrets.js'
import { mixedScriptFindings, unicodeFindings } from '../src/core/checks/safety/unicode.js'
import { manifestReferenceFindings, referenceFindings } from '../src/core/checks/safety/references.js'
import { injectionFindings } from '../src/core/checks/safety/injection.js'
import { codeFindings, installHookFindings } from '../src/core/checks/safety/code.js'
import { mcpFindings } from '../src/core/checks/safety/mcp.js'
import { parseYaml } from '../src/core/parse/located.js'
import { packageRef } from '../src/core/marketplace/paths.js'

export interface FamilyCost {
  name: string
  ms: number
  findings: number
}

interface Loaded {
  path: string
  bytes: Uint8Array
  text: string
  file: TextFile
  present: Set<string>
}

function load(root: string): Loaded[] {
  const out: Loaded[] = []
  const publishers = path.join(root, 'publishers')
  for (const login of readdirSync(publishers)) {
    for (const name of readdirSync(path.join(publishers, login))) {
      const dir = `publishers/${login}/${name}`
      let names: string[]
      try {
        names = readdirSync(path.join(root, dir))
      } catch {
        continue // profile.json
      }
      const pkg = packageRef(login, name)
      const present = new Set([dir, ...names.map((n) => `${dir}/${n}`)])
      for (const n of names) {
        const rel = `${dir}/${n}`
        const bytes = readFileSync(path.join(root, rel))
        const content = classifyContent(rel, bytes)
        if (content.kind !== 'text') continue
        out.push({ path: rel, bytes, text: content.text, file: makeTextFile(pkg, rel, content.text), present })
      }
    }
  }
  return out
}

export async function scanFamilies(root: string, runs: number): Promise<FamilyCost[]> {
  const files = load(root)
  const families: [string, (f: Loaded) => number][] = [
    ['content type and UTF-8 decoding', (f) => (classifyContent(f.path, f.bytes).kind === 'text' ? 0 : 1)],
    ['text set-up (line index, language)', (f) => (makeTextFile(f.file.pkg, f.path, f.text).lines ? 0 : 1)],
    ['secrets', (f) => secretFindings(f.file, findSecrets(f.text, { docs: f.file.language === 'markdown' })).length],
    ['hidden Unicode', (f) => unicodeFindings(f.file).length],
    ['mixed scripts (homoglyphs)', (f) => mixedScriptFindings(f.file).length],
    ['references (links and paths)', (f) => referenceFindings(f.file, /^skill\.md$/i.test(f.file.rel) ? f.present : undefined).length],
    ['prompt injection', (f) => injectionFindings(f.file).length],
    ['dangerous code', (f) => codeFindings(f.file).length],
    ['install hooks', (f) => installHookFindings(f.file).length],
    ['MCP configs', (f) => mcpFindings(f.file).length],
    [
      'manifest references',
      (f) => {
        if (!f.path.endsWith('/manifest.yaml')) return 0
        const doc = parseYaml(f.text, { maxAliases: 0 }).doc
        return doc ? manifestReferenceFindings(f.file.pkg, doc.value, () => ({ package: f.file.pkg.id, file: f.path })).length : 0
      }
    ]
  ]
  const out: FamilyCost[] = []
  for (const [name, run] of families) {
    let findings = 0
    for (const f of files) findings += run(f) // warm-up, and the count
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      // CPU time (user + system) of this process: what other processes on the shared cores take
      // from the wall clock does not count.
      const t = process.cpuUsage()
      for (const f of files) run(f)
      const d = process.cpuUsage(t)
      samples.push((d.user + d.system) / 1000)
    }
    out.push({ name, ms: median(samples), findings })
    console.log(`${name}: ${median(samples).toFixed(0)} ms, ${findings} findings`)
  }
  return out
}
