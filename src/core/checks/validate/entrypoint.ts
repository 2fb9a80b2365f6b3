// The entrypoint and the files clients read: the entrypoint exists inside the package and fits
// its type; SKILL.md, server.json and .ts/.js tools parse (they are never run).
import path from 'node:path'
import type { Manifest } from '../../../generated/schema-types.js'
import type { ListedEntry, Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { ResolvedConfig } from '../../config/config.js'
import { finding, type Finding, type Location } from '../../findings/findings.js'
import { baseName, showName } from '../../marketplace/layout.js'
import { readTextSteps } from '../read-text.js'
import { awaited, runOn, type Steps } from '../steps.js'
import { skillMdSteps } from './skill-md.js'
import { isSourceFile } from './source-files.js'
import type * as SyntaxModule from './syntax.js'
import type * as ServerJsonModule from './server-json.js'
import { SERVER_FILE, SKILL_FILE, type PackageRef } from '../../marketplace/paths.js'

export function checkEntrypoint(
  snapshot: Snapshot,
  ref: PackageRef,
  files: TreeEntry[],
  manifest: Partial<Manifest>,
  fieldAt: (field: string) => Location,
  config: ResolvedConfig
): Promise<Finding[]> {
  return runOn(snapshot, entrypointSteps(ref, files, manifest, fieldAt, config))
}

/** checkEntrypoint as steps (checks/steps.ts), for any listing of the package's files. */
export function* entrypointSteps<E extends ListedEntry>(
  ref: PackageRef,
  files: readonly E[],
  manifest: Partial<Manifest>,
  fieldAt: (field: string) => Location,
  config: ResolvedConfig
): Steps<Finding[], E> {
  const findings: Finding[] = []
  // Located only when there is something to report: locating a manifest that took the flat YAML
  // path parses it again in full (parse/located.ts).
  const at = () => fieldAt('entrypoint')

  if (manifest.type === 'skill') findings.push(...(yield* skillFileSteps(ref, files, () => fieldAt('type'), config)))

  const entrypoint = manifest.entrypoint
  if (typeof entrypoint !== 'string' || entrypoint === '') return findings
  // Resolve `\`, `.` and `..` the way a client joining paths might, then insist on staying inside.
  const resolved = path.posix.normalize(`${ref.dir}/${entrypoint.replaceAll('\\', '/')}`)
  if (!resolved.startsWith(`${ref.dir}/`)) {
    findings.push(
      finding(
        'entrypoint/outside-package',
        at(),
        `entrypoint \`${showName(entrypoint)}\` points outside the package directory ${ref.dir}`,
        'Give a path relative to the package directory, such as `SKILL.md` or `src/tool.ts`, without `..`.'
      )
    )
    return findings
  }
  const rel = resolved.slice(ref.dir.length + 1)
  const entry = files.find((f) => f.path === resolved)
  if (!entry) {
    const sameButCase = files.find((f) => f.path.toLowerCase() === resolved.toLowerCase())
    findings.push(
      finding(
        'entrypoint/missing',
        at(),
        `entrypoint \`${showName(entrypoint)}\` does not exist in ${ref.dir}`,
        sameButCase
          ? `Paths are case-sensitive: the package has \`${sameButCase.path.slice(ref.dir.length + 1)}\`. Use that exact name.`
          : `Add ${rel} to the package or set \`entrypoint\` to one of: ${listCandidates(ref, files)}.`
      )
    )
    return findings
  }
  if (entry.kind !== 'file') {
    findings.push(
      finding('entrypoint/not-a-file', { package: ref.id, file: entry.path }, `entrypoint ${rel} is a ${entry.kind}, not a regular file`)
    )
    return findings
  }

  const mismatch = typeMismatch(manifest.type, rel)
  if (mismatch) {
    findings.push(finding('entrypoint/type-mismatch', fieldAt('type'), mismatch.message, mismatch.hint))
    return findings
  }

  if (baseName(rel) === SERVER_FILE) {
    const read = yield* readTextSteps(entry, config.limits.file_bytes, ref.id)
    if (read.text === undefined) return [...findings, ...read.findings]
    const { checkServerJson } = yield* serverJsonModule<E>()
    findings.push(...checkServerJson(read.text, { package: ref.id, file: entry.path, manifestVersion: manifest.version }))
  } else if (isSourceFile(rel)) {
    const read = yield* readTextSteps(entry, config.limits.file_bytes, ref.id)
    if (read.text === undefined) return [...findings, ...read.findings]
    const { checkSource } = yield* syntaxModule<E>()
    findings.push(...checkSource(read.text, { package: ref.id, file: entry.path }))
  }
  return findings
}

type Syntax = typeof SyntaxModule
let syntax: Syntax | undefined

/** @babel/parser is loaded by the first tool checked, not by every run; only that package waits for it. */
function* syntaxModule<E extends ListedEntry>(): Steps<Syntax, E> {
  return (syntax ??= yield* awaited(import('./syntax.js')))
}

type ServerJson = typeof ServerJsonModule
let serverJson: ServerJson | undefined

/** server.json's check (its schema's validator and semver are 150 KB) is loaded by the first MCP server met. */
function* serverJsonModule<E extends ListedEntry>(): Steps<ServerJson, E> {
  return (serverJson ??= yield* awaited(import('./server-json.js')))
}

/** A skill needs SKILL.md at its root: Agent Skills clients find skills by it. */
function* skillFileSteps<E extends ListedEntry>(
  ref: PackageRef,
  files: readonly E[],
  typeAt: () => Location,
  config: ResolvedConfig
): Steps<Finding[], E> {
  const atRoot = files.filter((f) => f.path.startsWith(`${ref.dir}/`) && !f.path.slice(ref.dir.length + 1).includes('/'))
  const exact = atRoot.find((f) => baseName(f.path) === SKILL_FILE)
  const other = exact ? undefined : atRoot.find((f) => baseName(f.path).toLowerCase() === SKILL_FILE.toLowerCase())
  const entry = exact ?? other
  if (!entry) {
    // Pointed at the manifest's `type: skill`: an annotation on a file that does not exist is lost.
    return [finding('skill/skill-md-missing', typeAt(), `skill ${ref.id} has no ${SKILL_FILE} in its directory`)]
  }
  const findings: Finding[] = []
  if (other) {
    findings.push(
      finding(
        'skill/skill-md-case',
        { package: ref.id, file: other.path },
        `the skill file is named \`${showName(baseName(other.path))}\`; Agent Skills clients look for \`${SKILL_FILE}\``,
        `Rename it to ${SKILL_FILE} (with \`git mv\`), and the entrypoint with it.`
      )
    )
  }
  if (entry.kind !== 'file') {
    findings.push(
      finding(
        'entrypoint/not-a-file',
        { package: ref.id, file: entry.path },
        `${baseName(entry.path)} is a ${entry.kind}, not a regular file`
      )
    )
    return findings
  }
  const read = yield* readTextSteps(entry, config.limits.file_bytes, ref.id)
  if (read.text === undefined) return [...findings, ...read.findings]
  findings.push(
    ...(yield* skillMdSteps<E>(read.text, {
      package: ref.id,
      file: entry.path,
      dirName: ref.name,
      maxAliases: config.limits.yaml_aliases,
      maxFrontmatterBytes: config.limits.manifest_bytes
    }))
  )
  return findings
}

const SKILL_ENTRY = /\.(md|ts|mts|cts|tsx|js|mjs|cjs|jsx)$/i

function typeMismatch(type: Manifest['type'] | undefined, rel: string): { message: string; hint: string } | undefined {
  const name = baseName(rel)
  if (type === 'mcp-server' && name !== SERVER_FILE) {
    return {
      message: `an mcp-server package's entrypoint must be ${SERVER_FILE}, not \`${showName(rel)}\``,
      hint: `Describe the server in ${SERVER_FILE} and set \`entrypoint: ${SERVER_FILE}\`, or set \`type: skill\` if this is a skill.`
    }
  }
  if (type === 'skill' && (name === SERVER_FILE || !SKILL_ENTRY.test(name))) {
    return {
      message: `a skill's entrypoint must be SKILL.md or a .ts/.js tool, not \`${showName(rel)}\``,
      hint: name === SERVER_FILE ? 'Set `type: mcp-server` for an MCP server.' : 'Point `entrypoint` at SKILL.md or the tool script.'
    }
  }
  return undefined
}

function listCandidates(ref: PackageRef, files: readonly ListedEntry[]): string {
  const names = files
    .filter((f) => f.kind === 'file' && /\.(md|ts|js|mjs|json)$/i.test(f.path) && !f.path.endsWith('/manifest.yaml'))
    .map((f) => f.path.slice(ref.dir.length + 1))
    .slice(0, 5)
  return names.length ? names.join(', ') : 'a file you add'
}
