// The build record: what the last build wrote, kept in the site folder beside what it describes
// (docs/registry-build.md, "The build record"). It makes two decisions cheap:
//   - a rebuild of the same commit (or of a later one that changed no package, profile or config,
//     such as the commit of the built registry.json itself) with the same toolkit, config file and
//     options, whose aggregate outputs and inputs are still the files the record names, has
//     nothing to do: it is answered from the record alone, without reading registry.json or any
//     package (O(1) in the size of the marketplace);
//   - a site folder without a record was not written by a completed build (a CI cache miss, an
//     emptied or half-restored folder): the build is a full one, never a slower incremental one
//     that rebuilds every artifact one package at a time.
// The record lives in the site folder, not beside registry.json, because it describes the site: a
// cached or deployed site carries its own record, and a site restored without it (or none at all)
// is a cache miss whatever registry.json says. The writer removes it before writing anything and
// writes it after everything else, so a build that dies half-way leaves no record and the next one
// verifies everything again.
//
// Each file the record names carries its size and SHA-256, and two stamps from the writer:
//   - the whole stamp (size, inode, modification and change times): equal, and older than the
//     record's own clock tick, the file was not touched since the record was written;
//   - the kept stamp (size and modification time), what a copy that keeps times keeps: a site
//     folder restored by actions/cache (tar) has new inodes and change times, but each file's
//     size and modification time to the nanosecond. Equal, and older than the record itself, the
//     file is taken as the one the record names without reading it (docs/registry-build.md, "What
//     the record trusts": any edit moves the modification time unless it is set back on purpose,
//     and whoever does that can as well rewrite the record).
// A file with neither (a fresh git checkout writes registry.json anew) costs one read and hash,
// not a rebuild. Only the aggregate files are named (registry.json,
// marketplace.json, the skills index, the catalog's home page, the scores the catalog reads): an
// artifact of an unchanged package edited in place is repaired by the next build that reads or
// verifies it (any change to the marketplace, or `--full`), not by an unchanged rebuild.
import type { Area } from './site-layout.js'
import type { FileStamp, OutputFile, OutputReader } from './types.js'
import { canonicalJson, parseJsonBytes } from '../json.js'
import { CLAUDE_MARKETPLACE_FILE, CONFIG_FILE, REGISTRY_FILE } from '../../marketplace/paths.js'
import { GENERATOR_NAME, type Registry } from './registry-json.js'
import { ROOT_INDEX } from './site-layout.js'
import { HOME_PAGE } from './catalog/layout.js'
import { SCORES_FILE } from './catalog/stage.js'
import { BUILD_LEDGER_FILE, sha256Hex } from './ledger.js'
import { digestOf } from './spliced.js'

/** In the site folder; a dot file, so it is no page of the site, yet deployed and cached with it. */
export const BUILD_STATE_FILE = '.marketplace-actions-build.json'
const FORMAT = 1

export interface RecordedFile {
  area: Area
  path: string
  /** null: the file was absent (an input such as scores.json may be). */
  sha256: string | null
  size: number
}

/** What the build knows of the files it stands behind; the writer adds each file's stamp. */
export interface BuildStateDraft {
  format: typeof FORMAT
  generator: { name: string; version: string }
  commit: string
  /** The `commit` registry.json names (it moves only with its content): plan.ts diffs from `commit` while it matches. */
  registry_commit: string
  options: { config: string; catalog: boolean }
  packages: number
  files: RecordedFile[]
}

export interface BuildState extends BuildStateDraft {
  /** `stamp`: the whole stamp; `kept`: size and modification time (FileStamp); null when the file was absent. */
  files: (RecordedFile & { stamp: string | null; kept?: string | null })[]
  /** SHA-256 of the rest of the record: a truncated or edited record counts as none. */
  check: string
}

/** The files whose bytes decide whether a rebuild of the same commit can be skipped. */
export function watchedFiles(catalog: boolean): { area: Area; path: string }[] {
  return [
    { area: 'root', path: REGISTRY_FILE },
    { area: 'root', path: CLAUDE_MARKETPLACE_FILE },
    // An input, not an output: the catalog shows the scores the scores job writes here.
    ...(catalog ? [{ area: 'root' as const, path: SCORES_FILE }] : []),
    { area: 'site', path: ROOT_INDEX },
    ...(catalog ? [{ area: 'site' as const, path: HOME_PAGE }] : []),
    // Where each package's entries are in the files above (ledger.ts), for a one-package rebuild.
    { area: 'site', path: BUILD_LEDGER_FILE }
  ]
}

export interface StateOptions {
  commit: string
  toolVersion: string
  configFile?: string
  catalog?: boolean
}

function optionsOf(o: StateOptions): BuildStateDraft['options'] {
  return { config: o.configFile ?? CONFIG_FILE, catalog: o.catalog !== false }
}

function recorded(area: Area, path: string, bytes: Uint8Array | undefined): RecordedFile {
  return { area, path, sha256: bytes ? sha256Hex(bytes) : null, size: bytes?.byteLength ?? 0 }
}

/**
 * The record of a build about to be written: the watched outputs from their bytes (every one of
 * them is written with bytes), the watched inputs as they were read.
 */
export function stateDraft(
  o: StateOptions,
  registry: Pick<Registry, 'commit'> & { packages: { length: number } },
  files: readonly OutputFile[],
  inputs: ReadonlyMap<string, Uint8Array | undefined>
): BuildStateDraft {
  const byKey = new Map(files.map((f) => [`${f.area}:${f.path}`, f]))
  const options = optionsOf(o)
  const watched = watchedFiles(options.catalog).map((w) => {
    const key = `${w.area}:${w.path}`
    const out = byKey.get(key)
    const known = out?.inPlace ?? out?.recorded
    if (known) return { area: w.area, path: w.path, sha256: known.sha256, size: known.size }
    if (out && !out.bytes) throw new Error(`the build record needs the bytes of ${w.path}`)
    return recorded(w.area, w.path, out ? out.bytes : inputs.get(key))
  })
  return {
    format: FORMAT,
    generator: { name: GENERATOR_NAME, version: o.toolVersion },
    commit: o.commit,
    registry_commit: registry.commit ?? '',
    options,
    packages: registry.packages.length,
    files: watched
  }
}

/** The record as the writer stores it, each file with the stamps it has after the writes. */
export function serializeBuildState(draft: BuildStateDraft, stamps: readonly (FileStamp | undefined)[]): Uint8Array {
  const body = { ...draft, files: draft.files.map((f, i) => ({ ...f, stamp: stamps[i]?.whole ?? null, kept: stamps[i]?.kept ?? null })) }
  const check = sha256Hex(Buffer.from(canonicalJson(body), 'utf8'))
  return Buffer.from(canonicalJson({ ...body, check }), 'utf8')
}

/** The record, or undefined when it is absent, truncated, edited or of another format. */
export function parseBuildState(bytes: Uint8Array | undefined): BuildState | undefined {
  const doc = parseJsonBytes(bytes) as Partial<BuildState> | undefined
  if (!doc || typeof doc !== 'object' || doc.format !== FORMAT || typeof doc.check !== 'string') return undefined
  const { check, ...body } = doc
  if (sha256Hex(Buffer.from(canonicalJson(body), 'utf8')) !== check) return undefined
  if (
    typeof doc.commit !== 'string' ||
    typeof doc.registry_commit !== 'string' ||
    !Array.isArray(doc.files) ||
    typeof doc.packages !== 'number'
  )
    return undefined
  return doc as BuildState
}

/** Why a rebuild cannot be skipped, or the number of packages published when nothing changed. */
export type Unchanged = { unchanged: true; packages: number } | { unchanged: false; reason: string }

/** The site folder's record of the last completed build, if it holds a sound one. */
export async function readBuildState(outputs: OutputReader): Promise<BuildState | undefined> {
  return parseBuildState(await outputs.read('site', BUILD_STATE_FILE))
}

/**
 * Is the last build's output still what a build of `o.commit` would write? Looks only at the
 * record and the watched files' stamps (a file whose stamp moved is read and hashed), then asks
 * `sameOutput` whether the recorded commit builds to the same output as `o.commit` (the same
 * commit, or a later one that changed no package, profile or config: plan.ts).
 */
export async function unchangedSince(
  outputs: OutputReader,
  state: BuildState | undefined,
  o: StateOptions,
  sameOutput: (recorded: string) => Promise<boolean>
): Promise<Unchanged> {
  if (!state) return { unchanged: false, reason: 'no build record' }
  if (state.generator?.name !== GENERATOR_NAME || state.generator.version !== o.toolVersion)
    return { unchanged: false, reason: 'another toolkit version' }
  if (canonicalJson(state.options) !== canonicalJson(optionsOf(o))) return { unchanged: false, reason: 'other options' }
  if (!recordsWatchedFiles(state, o)) return { unchanged: false, reason: 'other files recorded' }
  const changed = await changedFile(outputs, state)
  if (changed) return { unchanged: false, reason: `${changed} changed` }
  if (state.commit !== o.commit && !(await sameOutput(state.commit))) return { unchanged: false, reason: 'the marketplace changed' }
  return { unchanged: true, packages: state.packages }
}

/** Was the record written by this toolkit version, with these options, naming the files this version watches? */
export function recordFits(state: BuildState, o: StateOptions): boolean {
  return (
    state.generator?.name === GENERATOR_NAME &&
    state.generator.version === o.toolVersion &&
    canonicalJson(state.options) === canonicalJson(optionsOf(o)) &&
    recordsWatchedFiles(state, o)
  )
}

function recordsWatchedFiles(state: BuildState, o: StateOptions): boolean {
  const expected = watchedFiles(optionsOf(o).catalog)
  return canonicalJson(state.files.map((f) => [f.area, f.path])) === canonicalJson(expected.map((f) => [f.area, f.path]))
}

/**
 * The first file the record names that is no longer what the record says (its stamp moved and its
 * bytes differ), or undefined when all are as recorded. A moved stamp costs one pass over the file
 * in small pieces (spliced.ts), and the answer is kept for the record: the unchanged check and the
 * one-package rebuild (delta.ts) both ask, and a build must not read 93 MB twice to hear it again.
 */
export function changedFile(outputs: OutputReader, state: BuildState): Promise<string | undefined> {
  let known = checked.get(state)
  if (!known || known.outputs !== outputs) {
    known = { outputs, answer: firstChanged(outputs, state) }
    checked.set(state, known)
  }
  return known.answer
}

const checked = new WeakMap<BuildState, { outputs: OutputReader; answer: Promise<string | undefined> }>()

async function firstChanged(outputs: OutputReader, state: BuildState): Promise<string | undefined> {
  const record = outputs.stamp ? await outputs.stamp('site', BUILD_STATE_FILE) : undefined
  for (const f of state.files) {
    const stamp = outputs.stamp ? await outputs.stamp(f.area, f.path) : undefined
    if (stamp !== undefined && olderThan(stamp, record) && (stamp.whole === f.stamp || stamp.kept === f.kept)) continue
    const now = stamp === undefined && outputs.stamp ? undefined : await digestOf(outputs, f.area, f.path)
    if (f.sha256 === null ? now !== undefined : !now || now.size !== f.size || now.sha256 !== f.sha256) return f.path
  }
  return undefined
}

/**
 * A stamp vouches for a file only when the file is older than the record's own clock tick. A file
 * as new as the record may have been edited in the tick it was written in, which leaves its
 * modification and change times, its size and its inode as they were (git calls this "racily
 * clean"): it is read and hashed. The writer waits for the clock to tick before it writes the
 * record (registry-output.ts), so a finished build's files are older than its record. The kept
 * stamp (a copy that kept the times, a restored cache) is taken on the same condition.
 */
function olderThan(stamp: FileStamp, record: FileStamp | undefined): boolean {
  return record !== undefined && stamp.mtimeNs < record.mtimeNs
}
