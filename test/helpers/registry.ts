/**
 * Registry builds over real git repositories, as the CLI and the action run them: the core build,
 * then the outputs written to a root folder and a site folder on disk.
 *
 *   const repo = await makeRepo()
 *   writeAll(repo, validSkill('alice', 'demo'))
 *   const c1 = commitAt(repo, 'add demo', '2026-01-01T10:00:00Z')
 *   const out = outputDirs()                       // a root and a site folder of its own
 *   const { result, applied } = await build(repo, out)
 *   readRegistry(out).packages
 *   filesOf(out)                                    // every output file -> bytes, for comparisons
 */
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsImport from 'ajv-formats'
import { buildRegistry, type BuildOptions, type BuildResult } from '../../src/core/registry/build/build.js'
import { RegistryOutputs, type AppliedOutputs, type RegistryOutputsOptions } from '../../src/io/registry-output.js'
import { BUILD_STATE_FILE, parseBuildState, type BuildState } from '../../src/core/registry/build/state.js'
import { BUILD_LEDGER_FILE, ledgerContent } from '../../src/core/registry/build/ledger.js'
import type { Registry } from '../../src/generated/schema-types.js'
import { GIT_ENV, makeRepo, type TestRepo } from './git-repo.js'
import type { Files } from './marketplace.js'
import { REPO_ROOT } from './run-node.js'

export interface OutputDirs {
  root: string
  site: string
}

const created: string[] = []

/** A fresh pair of output folders (registry.json and marketplace.json go to `root`). */
export function outputDirs(): OutputDirs {
  const base = mkdtempSync(path.join(tmpdir(), 'mpa-registry-out-'))
  created.push(base)
  return { root: path.join(base, 'root'), site: path.join(base, 'site') }
}

/** A fresh empty folder of the suite's own, removed with the output folders. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mpa-registry-tmp-'))
  created.push(dir)
  return dir
}

/** Deletes every folder outputDirs and tempDir made (call it in afterAll). */
export function removeOutputDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export function writeAll(repo: TestRepo, files: Files): void {
  for (const [file, content] of Object.entries(files)) repo.write(file, typeof content === 'string' ? content : Buffer.from(content))
}

/** A new repository whose first commit ('first', 2026-03-01) holds `files`; added to `repos`, which the suite cleans up. */
export async function committedRepo(repos: TestRepo[], files: Files): Promise<TestRepo> {
  const repo = await makeRepo()
  repos.push(repo)
  writeAll(repo, files)
  commitAt(repo, 'first', '2026-03-01T10:00:00Z')
  return repo
}

/** Stages everything and commits with the given author and committer date; returns the sha. */
export function commitAt(repo: TestRepo, message: string, date: string): string {
  const env = { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  execFileSync('git', ['add', '-A'], { cwd: repo.dir, env })
  execFileSync('git', ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { cwd: repo.dir, env })
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo.dir, env, encoding: 'utf8' }).trim()
}

export async function build(
  repo: TestRepo,
  out: OutputDirs,
  options: Partial<Omit<BuildOptions, 'repo' | 'outputs'>> = {},
  writer: RegistryOutputsOptions = {}
): Promise<{ result: BuildResult; applied?: AppliedOutputs }> {
  const outputs = new RegistryOutputs(out.root, out.site, writer)
  const result = await buildRegistry({ repo: repo.dir, toolVersion: 'test', outputs, ...options })
  return { result, applied: result.refused ? undefined : await outputs.apply(result) }
}

export function readRegistry(out: OutputDirs): Registry {
  return JSON.parse(readFileSync(path.join(out.root, 'registry.json'), 'utf8')) as Registry
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

/**
 * Every file in both output folders: `root/<path>` or `site/<path>` -> bytes. The build record
 * (site/.marketplace-actions-build.json) is left out: it is bookkeeping that names the commit built
 * and each recorded file's inode and times, not an output clients read (buildRecordOf reads it).
 * The ledger (site/.marketplace-actions-ledger.json) is compared by its content: a spliced ledger
 * keeps lines no longer referenced until the next full build (ledger.ts).
 */
export function filesOf(out: OutputDirs): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (base: string, label: string, rel = '') => {
    let names: string[]
    try {
      names = readdirSync(path.join(base, rel)).sort()
    } catch {
      return
    }
    for (const name of names) {
      const child = rel ? `${rel}/${name}` : name
      if (label === 'site' && child === BUILD_STATE_FILE) continue
      if (lstatSync(path.join(base, child)).isDirectory()) walk(base, label, child)
      else {
        const bytes = readFileSync(path.join(base, child))
        const ledger = label === 'site' && child === BUILD_LEDGER_FILE ? ledgerContent(bytes) : undefined
        files.set(`${label}/${child}`, ledger === undefined ? bytes : Buffer.from(JSON.stringify(ledger, null, 1)))
      }
    }
  }
  walk(out.root, 'root')
  walk(out.site, 'site')
  return files
}

/** The build record the last build left in the site folder, or undefined. */
export function buildRecordOf(out: OutputDirs): BuildState | undefined {
  try {
    return parseBuildState(readFileSync(path.join(out.site, BUILD_STATE_FILE)))
  } catch {
    return undefined
  }
}

/** The files a build wrote and its record's list (path, size, digest, in the order written; its stamps name inodes and times). */
export function outputsWithRecord(out: OutputDirs): { files: Map<string, Buffer>; record: string[] | undefined } {
  const record = buildRecordOf(out)
  return { files: filesOf(out), record: record?.files.map((f) => `${f.area}:${f.path}:${f.size}:${f.sha256}`) }
}

/** The same files with the same bytes (a readable diff on failure). */
export function describeDifferences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const out: string[] = []
  for (const [k, v] of a)
    if (!b.has(k)) out.push(`only in first: ${k}`)
    else if (!v.equals(b.get(k) as Buffer)) out.push(`differs: ${k}`)
  for (const k of b.keys()) if (!a.has(k)) out.push(`only in second: ${k}`)
  return out
}

// ajv-formats is CommonJS; depending on the loader its function is the default export or its `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020
let validateRegistry: ValidateFunction | undefined

/** registry.json checked against schemas/registry.schema.json by an independent ajv, as a client would. */
export function registrySchemaErrors(doc: unknown): string[] {
  if (!validateRegistry) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
    addFormats(ajv)
    validateRegistry = ajv.compile(readJson<object>(path.join(REPO_ROOT, 'schemas', 'registry.schema.json')))
  }
  if (validateRegistry(doc)) return []
  return (validateRegistry.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
}
