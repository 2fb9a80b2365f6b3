/**
 * Small marketplaces on disk for tests of the validate checks.
 *
 *   const review = await validateFiles({ ...validSkill('alice', 'demo'), 'publishers/alice/demo/manifest.yaml': 'name: x' })
 *
 * `validSkill` / `validServer` return the files of a package that passes every check, so a test
 * changes exactly the file its rule is about.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { validateSource } from '../../src/core/review/source.js'
import type { Review } from '../../src/core/review/review.js'

export type Files = Record<string, string | Uint8Array>

export function profile(login: string): Files {
  return { [`publishers/${login}/profile.json`]: JSON.stringify({ name: `${login} example`, login }, null, 2) }
}

export function manifestYaml(name: string, fields: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    name,
    type: 'skill',
    version: '"1.0.0"',
    description: 'A test package that does one thing well.',
    entrypoint: 'SKILL.md',
    ...fields
  }
  return Object.entries(all)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('')
}

export function skillMd(name: string): string {
  return `---\nname: ${name}\ndescription: Does one thing well. Use it when that thing is needed.\n---\n\n# ${name}\n\nInstructions.\n`
}

export function validSkill(login: string, name: string): Files {
  const dir = `publishers/${login}/${name}`
  return { ...profile(login), [`${dir}/manifest.yaml`]: manifestYaml(name), [`${dir}/SKILL.md`]: skillMd(name) }
}

export function validServer(login: string, name: string): Files {
  const dir = `publishers/${login}/${name}`
  const server = {
    name: `io.github.${login}/${name}`,
    description: 'A test MCP server.',
    version: '1.0.0',
    packages: [{ registryType: 'npm', identifier: `@${login}/${name}`, version: '1.0.0', transport: { type: 'stdio' } }]
  }
  return {
    ...profile(login),
    [`${dir}/manifest.yaml`]: manifestYaml(name, { type: 'mcp-server', entrypoint: 'server.json' }),
    [`${dir}/server.json`]: JSON.stringify(server, null, 2)
  }
}

export function writeFiles(root: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
}

export function tempMarketplace(files: Files): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'mpa-market-'))
  writeFiles(root, files)
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

export async function validateFiles(files: Files, paths?: string[]): Promise<Review> {
  const { root, cleanup } = tempMarketplace(files)
  try {
    return await validateSource({ kind: 'directory', root, paths }, { toolVersion: 'test' })
  } finally {
    cleanup()
  }
}

export function rulesOf(review: Review): string[] {
  return [...new Set(review.findings.filter((f) => f.allowed === undefined).map((f) => f.rule))].sort()
}
