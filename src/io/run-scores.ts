// One scores run as the CLI and the action perform it: read registry.json (and the previous
// scores.json), fetch the stats, aggregate, and write the three files atomically, each only when
// its bytes change. When the stats cannot be had, nothing is written: the previous scores stay.
import { readFileSync, statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Registry, Scores } from '../generated/schema-types.js'
import { ConfigError } from '../core/errors.js'
import validateScores from '../generated/validators/scores.js'
import { aggregate, renderScores, scoreFieldProblems, type AggregateResult } from '../core/scores/aggregate.js'
import { spliceAt, spliceScores } from '../core/scores/registry-splice.js'
import { encodeFeaturesInto, encodeScoresInto } from '../core/scores/encode-into.js'
import { vouchedRegistry } from '../core/scores/registry-trust.js'
import { parseHistoryCache, renderHistoryCache, restampHistoryCache } from '../core/scores/history-cache.js'
import { previousScoresIn, type PreviousScores } from '../core/scores/previous-scores.js'
import { reviewHistorySince, type HistoryRead } from '../core/git/review-history.js'
import type { ScoringRegistry } from '../core/scores/signals.js'
import { canonicalJson } from '../core/registry/json.js'
import { fetchStats, describeSource, type FetchStatsOptions } from './fetch-stats.js'
import { writeFileAtomic } from './write-atomic.js'
import { readWholeInBackground, touchedInBackground, type WholeRead } from './read-whole.js'
import { SmallFileReader } from './small-files.js'
import { REGISTRY_FILE } from '../core/marketplace/paths.js'
import {
  PUBLISHED_INDEX_FILE,
  PUBLISHED_INDEX_FORMAT,
  gitBlobId,
  shardHash,
  objectFormatOf,
  shardPath,
  type PublishedIndex
} from '../core/registry/published-index.js'
import { canonicalBytes } from '../core/registry/json.js'
import { keepYoungGenerationSmall } from './young-generation.js'
import { LineBlocks } from '../core/scores/line-blocks.js'

const utf8 = new TextEncoder()

/**
 * The run's stages as performance marks (`scores:<stage>`, each at the end of its stage): free
 * unless something observes them. scripts/bench-scores.ts (`BENCH_TIMELINE`) records the main
 * thread's CPU at each one, which splits a run's time into named stages.
 */
const stage = (name: string): void => {
  performance.mark(`scores:${name}`)
}

/**
 * The whole-file reader of registry.json (its schema's validator and the located JSON parser):
 * loaded only by a run that reads the file whole, not by one that scans vouched bytes.
 */
const wholeRegistry = () => import('../core/registry/build/registry-json.js')

/**
 * The room read-whole leaves after registry.json for the splice, as a fraction of its size: a
 * canonical entry is about 1.3 KB and its two values grow by a few bytes at most (a fuller
 * registry is spliced into a new buffer, as before).
 */
const REGISTRY_ROOM = 1 / 64

export const SCORES_FILE = 'scores.json'
export const FEATURES_FILE = 'features.jsonl'

export interface ScoresRunOptions extends FetchStatsOptions {
  /** The marketplace root holding registry.json. */
  root: string
  /** Where scores.json and features.jsonl go (default: the root). */
  out?: string
  /** A file path, `file://` URL or HTTP(S) URL. */
  stats: string
  /**
   * A file the run keeps between runs (core/scores/history-cache.ts): read when it is there and
   * intact, written after the outputs. Undefined: the whole review history is read every run.
   */
  historyCache?: string
}

export interface ScoresRun {
  /** `stats-error`: the stats could not be used; nothing was written. */
  status: 'ok' | 'stats-error'
  error?: string
  /** What the maintainer should hear about (also in `error` for a stats error). */
  warnings: string[]
  /** What the log says once and nobody needs to act on (the stats service answered the older form). */
  notes: string[]
  /** Files whose bytes changed (absolute paths; the history cache is not listed). */
  written: string[]
  registryFile: string
  scoresFile: string
  featuresFile: string
  /** Its registry holds what the formula reads of each entry (all of it when the file was checked whole). */
  result?: AggregateResult<ScoringRegistry>
  attempts: number
  /**
   * How registry.json was read: `vouched` (its bytes are those the published-versions head names,
   * which only a checked build or scores run writes: the formula's fields scanned, nothing parsed
   * whole) or `checked` (parsed and checked against the schema whole).
   */
  registryRead: 'vouched' | 'checked'
  /** How the review history was read (git/review-history.ts); undefined after a stats error. */
  historyRead?: HistoryRead['read']
  /** How the previous scores.json was read: `vouched` (the bytes the cache names), `checked` (whole), or `none`. */
  previousRead: 'vouched' | 'checked' | 'none'
}

/**
 * One read of the whole file into a buffer of its size: the promise API reads 13 MB in 512 KB
 * pieces on the thread pool and joins them, a copy and a wait for nothing while git runs apart.
 */
async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return readFileSync(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}

/** The size of `file`, 0 when it is not there or not readable. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** The bytes read, undefined for a file that is not there; any other failure is thrown. */
function present(read: WholeRead, file: string): Buffer | undefined {
  if (read.ok) return read.bytes
  if (read.code === 'ENOENT') return undefined
  throw Object.assign(new Error(`${read.code}: cannot read ${file}`), { code: read.code })
}

/**
 * Whether `file` holds `bytes`: `before` when the run read it already, else the file, read only
 * when its size matches (features.jsonl is read just for this, and most runs change its size).
 */
function sameBytes(file: string, bytes: Uint8Array, before: Buffer | undefined): boolean {
  if (before) return before.equals(bytes)
  try {
    return statSync(file).size === bytes.byteLength && readFileSync(file).equals(bytes)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}

export async function runScores(options: ScoresRunOptions): Promise<ScoresRun> {
  // Before the run allocates what lives to its end (io/young-generation.ts).
  keepYoungGenerationSmall()
  // The stats request is sent early (below); a run that ends before it reads the answer (an
  // error elsewhere) drops it, so no socket, retry or backoff keeps the process alive after.
  const dropStats = new AbortController()
  try {
    return await scoresRun(options, dropStats.signal)
  } finally {
    dropStats.abort()
  }
}

async function scoresRun(options: ScoresRunOptions, dropStats: AbortSignal): Promise<ScoresRun> {
  stage('loaded')
  const registryFile = path.join(options.root, REGISTRY_FILE)
  const out = options.out ?? options.root
  const scoresFile = path.join(out, SCORES_FILE)
  const featuresFile = path.join(out, FEATURES_FILE)
  const base = { registryFile, scoresFile, featuresFile, written: [] as string[] }

  // git first: spawning a process forks this one, and every page it holds then is write-protected
  // in both until its first write, which costs a fault (some 17 µs here): spawned before
  // registry.json's 13 MB are read, the splice that writes over them pays none. git reads the
  // review history (only the commits after the cached one, when it can) while this thread works.
  const cacheBytes = options.historyCache === undefined ? undefined : await readOptional(options.historyCache)
  const cache = cacheBytes ? parseHistoryCache(cacheBytes) : undefined
  stage('history cache parsed')
  const history = reviewHistorySince(options.root, cache)
  history.catch(() => {}) // awaited below; a stats error returns before that
  // An endpoint is asked now: its answer arrives, and is scanned, while this thread would only
  // wait for the thread pool to read registry.json. Its timeout counts only the time this thread
  // waits (io/idle-timeout.ts), so the work below cannot time it out. A file is read later, once
  // registry.json is in: both are read on the pool, and registry.json is wanted first.
  const askStats = () => fetchStats(options.stats, { ...options, cwd: options.cwd ?? process.cwd(), signal: dropStats })
  let fetching = /^https?:\/\//i.test(options.stats) ? askStats() : undefined
  fetching?.catch(() => {})
  // registry.json and the previous scores.json are read on the thread pool while this thread
  // waits for neither (io/read-whole.ts). With room after it: the new scores are written over
  // the bytes read (registry-splice.ts).
  // Each read into pages the pool has touched already: this thread reads every byte of them.
  const registryReading = readWholeInBackground(registryFile, Infinity, REGISTRY_ROOM, true)
  const previousReading = readWholeInBackground(scoresFile, Infinity, 0, true) // never rejects: a failure is its result
  // Where scores.json and features.jsonl will be encoded (core/scores/encode-into.ts): a buffer
  // the size of the previous ones and a sixteenth more, its pages touched on the pool meanwhile.
  // (It was the stats document's buffer, dead once scanned; the columns form is too small.)
  const outputsSize = sizeOf(scoresFile) + sizeOf(featuresFile)
  const arenaReady = outputsSize > 0 ? touchedInBackground(Math.ceil(outputsSize * (1 + 1 / 16))) : undefined
  arenaReady?.catch(() => {})
  const headBytes = await readOptional(path.join(options.root, PUBLISHED_INDEX_FILE))
  // Whether the index's shards are as its head lists them (only a run that moves the head asks):
  // read and hashed now, while the pool reads registry.json (this thread would only wait for it).
  const shardsChecked = headBytes ? shardsAsListed(options.root, headBytes) : undefined
  shardsChecked?.catch(() => {})
  const registryBytes = present(await registryReading, registryFile)
  if (!registryBytes) throw new ConfigError(`there is no ${REGISTRY_FILE} in ${options.root}; run build-registry first`)
  stage('registry read')
  // A file is asked for now, read on the thread pool while this thread scans registry.json.
  fetching ??= askStats()
  fetching.catch(() => {})
  stage('stats started')
  // Bytes a checked build or scores run wrote and vouched for (registry-trust.ts): the formula's
  // fields are scanned from them. Anything else is parsed and checked whole, as it always was.
  const vouched = headBytes ? vouchedRegistry(registryBytes, headBytes) : undefined
  const registry: ScoringRegistry = vouched
    ? { packages: vouched.scan.entries }
    : (await wholeRegistry()).parsePreviousRegistry(registryBytes)
  const full = vouched ? undefined : (registry as Registry)
  stage('registry scanned')

  const warnings: string[] = []
  const previousBytes = present(await previousReading, scoresFile)
  const previousRead = readPrevious(previousBytes, cache?.scores, warnings)
  stage('previous scores read')

  const fetched = await fetching
  stage('stats read and scanned')
  if (!fetched.ok) {
    const error = `Stats unavailable, previous scores kept (nothing written): ${fetched.error}`
    return {
      ...base,
      status: 'stats-error',
      error,
      warnings: [...warnings, error],
      notes: [],
      attempts: fetched.attempts,
      registryRead: vouched ? 'vouched' : 'checked',
      previousRead: previousRead.read
    }
  }

  const historyRead = await history
  stage('review history read')
  const result = aggregate({
    registry,
    stats: fetched.stats,
    reviewHistory: historyRead.history,
    ...(previousRead.previous ? { previous: previousRead.previous } : {})
  })
  stage('aggregated')
  // registry.json was checked as read, or is bytes a checked run wrote; unless more than the
  // scores changed, only they are checked. aggregate changes nothing else, so a scanned registry
  // (whose whole entries this process does not hold) never needs more.
  const scoreProblems = scoreFieldProblems(registry, result.registry)
  const problems = scoreProblems ?? (full ? (await wholeRegistry()).registryProblems(result.registry as Registry) : undefined)
  if (!problems) throw new Error(`a scores run changed more than downloads and scores in the scanned ${REGISTRY_FILE}`)
  if (problems.length) throw new Error(`the updated ${REGISTRY_FILE} would not match its schema: ${problems.join('; ')}`)
  if (!validateScores(result.scores)) throw new Error(`the ${SCORES_FILE} about to be written does not match its schema`)
  stage('checked')

  // Only the scores changed: the registry's canonical bytes are the ones read with those values
  // replaced (registry-splice.ts), when the file read was canonical; else it is serialised again.
  const spliced = vouched
    ? spliceAt(registryBytes, vouched.scan.spans, result.registry.packages, true)
    : full && scoreProblems
      ? spliceScores(registryBytes, full, result.registry as Registry)
      : undefined
  const registryOut = spliced ? spliced.bytes : full ? utf8.encode(canonicalJson(result.registry)) : undefined
  if (!registryOut) throw new Error(`the scanned ${REGISTRY_FILE} could not be rewritten`)
  stage('registry spliced')
  // Both encoded into the buffer touched for them, or the stats answer's (nothing reads it any
  // more) when that is larger (core/scores/encode-into.ts); where they do not fit, into new ones.
  const touched = await arenaReady?.catch(() => undefined)
  const arena = touched && touched.length > fetched.bytes.length ? touched : fetched.bytes
  const scoresEnd = encodeScoresInto(result.scores, arena, 0)
  const scoresOut = scoresEnd >= 0 ? arena.subarray(0, scoresEnd) : utf8.encode(renderScores(result))
  stage('scores.json encoded')
  const featuresEnd = scoresEnd >= 0 ? encodeFeaturesInto(result.featureLines(), arena, scoresEnd) : -1
  const featuresOut = featuresEnd >= 0 ? arena.subarray(scoresEnd, featuresEnd) : utf8.encode([...result.featureLines()].join(''))
  stage('features.jsonl encoded')

  const where = describeSource(options.stats)
  if (result.unknown.length)
    warnings.push(`${where} lists ${result.unknown.length} package(s) the registry does not have (ignored): ${result.unknown.join(', ')}`)
  if (result.missing.length)
    warnings.push(
      `${where} leaves out ${result.missing.length} scored package(s); their previous downloads and scores are kept: ${result.missing.join(', ')}`
    )

  // Each file whose bytes change, written at once: the thread pool writes them side by side.
  const changed = (
    [
      [registryFile, registryOut, registryBytes],
      [scoresFile, scoresOut, previousBytes],
      [featuresFile, featuresOut, undefined]
    ] as const
  ).filter(([file, bytes, before]) =>
    // A splice knows whether it changed a value (and may have written over the bytes read).
    file === registryFile && spliced ? spliced.changed : !sameBytes(file, bytes, before)
  )
  stage('outputs compared')
  await Promise.all(changed.map(([file, bytes]) => writeFileAtomic(file, bytes)))
  stage('outputs written')
  const written: string[] = changed.map(([file]) => file)
  if (written.includes(registryFile))
    written.push(
      ...(await refreshPublishedIndex(
        options.root,
        headBytes,
        shardsChecked,
        // The whole registry only where the index is derived again: the bytes just written, read back.
        async () => (full ? (result.registry as Registry) : (await wholeRegistry()).parsePreviousRegistry(registryOut)),
        result.registry.packages.length,
        registryOut,
        spliced ? registryBytes : undefined,
        // The blob id of the bytes read, when the head was just found naming them (always so when
        // the splice wrote over them: then only this id is read, never those bytes).
        vouched?.head.registry.object_id
      ))
    )
  stage('index head written')
  // Last, after the outputs: a run that fails before here leaves the previous cache, still true of its commit.
  if (options.historyCache !== undefined && historyRead.commit !== undefined) {
    const at = { commit: historyRead.commit, scores: gitBlobId(scoresOut, 'sha1') }
    // No review recorded since the cache (most days): its lines are kept, only its head is new.
    const text =
      historyRead.unchanged && cacheBytes
        ? restampHistoryCache(cacheBytes, at)
        : renderHistoryCache({ ...at, history: historyRead.history })
    // A history a cache line cannot hold (a tab or newline in an id) is read whole next time.
    const next = text === undefined ? undefined : utf8.encode(text)
    if (next && (!cacheBytes || !cacheBytes.equals(next))) {
      await mkdir(path.dirname(options.historyCache), { recursive: true })
      await writeFileAtomic(options.historyCache, next)
    }
  }
  stage('history cache written')
  return {
    ...base,
    status: 'ok',
    warnings,
    notes: fetched.notes,
    written,
    result,
    attempts: fetched.attempts,
    registryRead: vouched ? 'vouched' : 'checked',
    historyRead: historyRead.read,
    previousRead: previousRead.read
  }
}

/**
 * The previous scores.json as the run needs it: when its bytes are those the history cache says
 * the last run wrote (a file this run's own checks passed), only the entries asked for are parsed
 * (previous-scores.ts); anything else is parsed and checked whole, and a broken file is replaced
 * with a warning, as before.
 */
function readPrevious(
  bytes: Buffer | undefined,
  vouchedId: string | undefined,
  warnings: string[]
): { previous?: Scores | PreviousScores; read: ScoresRun['previousRead'] } {
  if (!bytes) return { read: 'none' }
  if (vouchedId !== undefined && gitBlobId(bytes, 'sha1') === vouchedId) {
    const lookup = previousScoresIn(bytes)
    if (lookup) return { previous: lookup, read: 'vouched' }
  }
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as unknown
    if (validateScores(doc)) return { previous: doc as Scores, read: 'checked' }
    warnings.push(
      `the existing ${SCORES_FILE} does not match the scores schema; it is replaced, and packages the stats leave out lose their score explanation`
    )
  } catch {
    warnings.push(`the existing ${SCORES_FILE} is not valid JSON; it is replaced`)
  }
  return { read: 'checked' }
}

/**
 * The published-versions index names registry.json by its exact bytes: rewriting downloads and
 * scores would leave it stale, and every review would read the whole registry again. Where the
 * build wrote an index, it is derived again from the new registry (only changed files written).
 * `previousBytes` (the registry read) is given when only downloads and scores changed: then the
 * shards, which hold ids and versions, are those of the registry read, and only the head moves.
 */
async function refreshPublishedIndex(
  root: string,
  headBytes: Buffer | undefined,
  shardsChecked: Promise<boolean> | undefined,
  registry: () => Promise<Registry>,
  packageCount: number,
  registryBytes: Uint8Array,
  previousBytes?: Uint8Array,
  vouchedId?: string
): Promise<string[]> {
  // The head as read at the start of the run: nothing else writes it meanwhile.
  const headFile = path.join(root, PUBLISHED_INDEX_FILE)
  if (!headBytes) return []
  const previousId = /"object_id": "([0-9a-f]+)"/.exec(headBytes.toString('utf8'))?.[1] ?? ''
  const format = objectFormatOf(previousId)
  const head =
    previousBytes && (await shardsChecked) ? currentHead(headBytes, vouchedId ?? gitBlobId(previousBytes, format), packageCount) : undefined
  if (head) {
    const next = canonicalBytes({ ...head, registry: { ...head.registry, object_id: gitBlobId(registryBytes, format) } })
    if (headBytes.equals(next)) return []
    await writeFileAtomic(headFile, next)
    return [headFile]
  }
  // The index's builder is loaded only here: most runs move the head alone.
  const { publishedIndexFiles } = await import('../core/registry/build/published-index.js')
  const written: string[] = []
  for (const f of publishedIndexFiles(await registry(), registryBytes, format)) {
    const file = path.join(root, f.path)
    const bytes = Buffer.from(f.bytes ?? new Uint8Array())
    const before = await readOptional(file)
    if (before && before.equals(bytes)) continue
    await writeFileAtomic(file, bytes)
    written.push(file)
  }
  return written
}

const SHARD_NAME = /^(?:published|digests)\/[0-9a-f]{2}\.json$/

/**
 * Whether every shard the head lists is on disk with the hash it records (false for a head that
 * does not parse or lists a name no build writes). Called before this thread waits for the pool
 * to read registry.json, so most of the 6-7 MB of a 10,000-package index are read and hashed in
 * that wait; one after another on this thread, into one buffer (io/small-files.ts), which costs
 * it half of what handing every step of each file to the pool did.
 */
async function shardsAsListed(root: string, headBytes: Buffer): Promise<boolean> {
  let head: PublishedIndex
  try {
    head = JSON.parse(headBytes.toString('utf8')) as PublishedIndex
  } catch {
    return false
  }
  if (typeof head?.shards !== 'object' || head.shards === null) return false
  const listed = Object.entries(head.shards)
  if (listed.some(([name, hash]) => !SHARD_NAME.test(name) || typeof hash !== 'string')) return false
  const files = new SmallFileReader()
  for (const [name, hash] of listed) {
    const bytes = files.read(path.join(root, shardPath(name)))
    if (!bytes || shardHash(bytes) !== hash) return false
  }
  return true
}

/**
 * The head read when it is exactly what the build derived for the registry read: canonical,
 * naming those registry bytes and that many packages (its shards checked apart: shardsAsListed).
 * Undefined otherwise (then the whole index is derived again, repairing it).
 */
function currentHead(headBytes: Buffer, previousId: string, packageCount: number): PublishedIndex | undefined {
  let head: PublishedIndex
  try {
    head = JSON.parse(headBytes.toString('utf8')) as PublishedIndex
  } catch {
    return undefined
  }
  if (
    head?.format !== PUBLISHED_INDEX_FORMAT ||
    typeof head.shards !== 'object' ||
    head.shards === null ||
    head.registry?.object_id !== previousId ||
    head.registry.packages !== packageCount ||
    Object.keys(head).length !== 3 ||
    Object.keys(head.registry).length !== 2 ||
    !headBytes.equals(canonicalBytes(head))
  )
    return undefined
  return head
}

/** A short report for a terminal or a job log. */
export function formatScoresRun(run: ScoresRun): string {
  const lines: string[] = []
  if (run.status === 'stats-error') lines.push(run.error ?? 'stats unavailable')
  else {
    const r = run.result as AggregateResult<ScoringRegistry>
    lines.push(
      `Scored ${r.scores.packages.length} package(s) with stats from ${r.scores.stats_generated_at ?? 'unknown'}; ${run.written.length ? `wrote ${run.written.map((f) => path.basename(f)).join(', ')}` : 'nothing changed'}.`
    )
    // A block at a time (core/scores/line-blocks.ts): ten thousand lines held to one join were copied by the collections on the way.
    const scored = new LineBlocks()
    for (const p of r.scores.packages)
      scored.add(`  ${p.id.padEnd(40)} ${p.score.toFixed(4)}${p.cap !== undefined ? ' (capped: latest review failed)' : ''}`)
    if (r.scores.packages.length) lines.push(scored.text())
  }
  for (const n of run.notes) lines.push(`note: ${n}`)
  for (const w of run.warnings) if (w !== run.error) lines.push(`warning: ${w}`)
  return `${lines.join('\n')}\n`
}
