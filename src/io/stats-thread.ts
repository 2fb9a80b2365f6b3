// The stats scan (core/scores/stats-summary.ts) on the second core, when a run asks for it
// (MARKETPLACE_STATS_THREAD=1; off by default: docs/scoring.md says why). A scores run's two big reads
// are independent: the stats document (21 MB at 10,000 packages, scanned byte by byte) and
// registry.json, the review-history cache and the previous scores.json. A worker thread started
// first reads and scans the stats file while the calling thread reads the rest; it answers with
// typed columns whose buffers are transferred, not copied, and a few small arrays per package.
//
// The worker is this module's own file, so only bundled JavaScript can start it (a TypeScript
// source needs a loader): under ts-jest or tsx `startStatsThread` gives undefined and the caller
// scans on its own thread, with the same summary. The worker decides nothing the caller would not:
// a document its scan gives up on comes back as bytes for the full path (JSON.parse and the whole
// schema) on the calling thread, and a worker that fails or exits leaves the caller to do it all.
import { readFileSync, statSync } from 'node:fs'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { scanStats, type PackageCounts, type StatsSummary } from '../core/scores/stats-summary.js'

const TASK = 'marketplace-actions/stats-scan'

/** What the calling thread asks: scan this file (no larger than maxBytes), or these bytes. */
type Request = { file: string; maxBytes: number } | { bytes: Uint8Array }

/** A summary as columns: package i's total, daily span and ratings at index i (NaN or -1: absent). */
interface Columns {
  generatedAt: string
  count: number
  /** The ids in the document's order, joined by newlines (a scanned id is printable ASCII). */
  ids: string
  totals: Float64Array
  /** [start, end) of each package's rows in days/counts; -1 when the document has no `daily`. */
  spans: Int32Array
  /** Five counts a package (ratings 1..5), NaN for a rating the document does not list. */
  ratings: Float64Array
  /** 1 when the package has a `ratings` object. */
  rated: Uint8Array
  days: Int32Array
  counts: Float64Array
}

export type StatsFileScan =
  | { kind: 'scanned'; summary: StatsSummary }
  /** The scan could not tell: the caller parses and validates the bytes in full. */
  | { kind: 'gave-up'; bytes: Uint8Array }
  | { kind: 'too-large'; size: number }
  | { kind: 'unreadable'; code: string }

type Reply = { kind: 'scanned'; columns: Columns } | Exclude<StatsFileScan, { kind: 'scanned' }>

export interface StatsThread {
  /** Reads and scans `file` on the worker; undefined when the worker failed (then do it on this thread). */
  scanFile(file: string, maxBytes: number): Promise<StatsFileScan | undefined>
  /** Scans a copy of `bytes` on the worker: the summary, null when the scan gave up, undefined when the worker failed. */
  scanBytes(bytes: Uint8Array): Promise<StatsSummary | null | undefined>
  /** Ends the worker (it is unreferenced: a run that returns early does not wait for it). */
  close(): void
}

/** Whether this module is JavaScript node can load as a worker, and not a bundle's entry file. */
function canStartWorker(): boolean {
  const file = new URL(import.meta.url).pathname
  return file.endsWith('.js') && !file.endsWith('/index.js')
}

/**
 * A worker thread for one scan, started now so that its start-up overlaps the caller's reads;
 * undefined where no worker can start (then scan on the calling thread).
 */
export function startStatsThread(): StatsThread | undefined {
  if (!canStartWorker()) return undefined
  let worker: Worker
  try {
    worker = new Worker(new URL(import.meta.url), { workerData: { task: TASK } })
  } catch {
    return undefined
  }
  worker.unref()
  // One request per thread: the answer, or undefined once the worker fails or exits without one.
  const answer = new Promise<Reply | undefined>((resolve) => {
    worker.once('message', (m: Reply) => resolve(m))
    worker.once('error', () => resolve(undefined))
    worker.once('exit', () => resolve(undefined))
  })
  let asked = false
  const ask = (request: Request): Promise<Reply | undefined> => {
    if (asked) throw new Error('a stats thread scans one document')
    asked = true
    // Referenced while the caller waits for it: an unreferenced worker would let the process end first.
    worker.ref()
    worker.postMessage(request)
    return answer.finally(() => void worker.terminate())
  }
  return {
    async scanFile(file, maxBytes) {
      const reply = await ask({ file, maxBytes })
      if (reply === undefined) return undefined
      return reply.kind === 'scanned' ? { kind: 'scanned', summary: fromColumns(reply.columns) } : reply
    },
    async scanBytes(bytes) {
      const reply = await ask({ bytes })
      if (reply === undefined) return undefined
      if (reply.kind === 'scanned') return fromColumns(reply.columns)
      return reply.kind === 'gave-up' ? null : undefined
    },
    close: () => void worker.terminate()
  }
}

/** The worker's side: one request, one reply. */
function serve(request: Request): void {
  const port = parentPort
  if (!port) return
  let bytes: Uint8Array
  if ('file' in request) {
    try {
      const size = statSync(request.file).size
      if (size > request.maxBytes) return port.postMessage({ kind: 'too-large', size } satisfies Reply)
      bytes = readFileSync(request.file)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message
      return port.postMessage({ kind: 'unreadable', code } satisfies Reply)
    }
  } else bytes = request.bytes
  const summary = scanStats(bytes)
  if (!summary) {
    const reply: Reply = { kind: 'gave-up', bytes }
    return port.postMessage(reply, isOwnBuffer(bytes) ? [bytes.buffer as ArrayBuffer] : [])
  }
  const columns = toColumns(summary)
  port.postMessage({ kind: 'scanned', columns } satisfies Reply, [
    columns.days.buffer as ArrayBuffer,
    columns.counts.buffer as ArrayBuffer,
    columns.totals.buffer as ArrayBuffer,
    columns.spans.buffer as ArrayBuffer,
    columns.ratings.buffer as ArrayBuffer,
    columns.rated.buffer as ArrayBuffer
  ])
}

/** Whether the bytes are their buffer, whole (a pooled Buffer shares its buffer and is copied instead). */
const isOwnBuffer = (b: Uint8Array): boolean =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer

function toColumns(summary: StatsSummary): Columns {
  const n = summary.packages.size
  const totals = new Float64Array(n).fill(NaN)
  const spans = new Int32Array(2 * n).fill(-1)
  const ratings = new Float64Array(5 * n).fill(NaN)
  const rated = new Uint8Array(n)
  // The scan's series are views of one pair of columns: sent as they are (else joined into one).
  let days: Int32Array | undefined
  let counts: Float64Array | undefined
  let shared = true
  let rows = 0
  for (const c of summary.packages.values())
    if (c.series) {
      rows += c.series.days.length
      if (days === undefined) {
        days = new Int32Array(c.series.days.buffer)
        counts = new Float64Array(c.series.counts.buffer)
      } else if (c.series.days.buffer !== days.buffer || c.series.counts.buffer !== counts?.buffer) shared = false
    }
  if (!shared || days === undefined || counts === undefined) {
    days = new Int32Array(rows)
    counts = new Float64Array(rows)
    shared = false
  }
  let i = 0
  let at = 0
  for (const c of summary.packages.values()) {
    if (c.total !== undefined) totals[i] = c.total
    if (c.series) {
      const start = shared ? c.series.days.byteOffset / Int32Array.BYTES_PER_ELEMENT : at
      if (!shared) {
        days.set(c.series.days, at)
        counts.set(c.series.counts, at)
        at += c.series.days.length
      }
      spans[2 * i] = start
      spans[2 * i + 1] = start + c.series.days.length
    }
    if (c.ratings) {
      rated[i] = 1
      for (let v = 1; v <= 5; v++) {
        const count = c.ratings[String(v) as '1']
        if (count !== undefined) ratings[5 * i + v - 1] = count
      }
    }
    i++
  }
  return {
    generatedAt: summary.generatedAt,
    count: n,
    ids: [...summary.packages.keys()].join('\n'),
    totals,
    spans,
    ratings,
    rated,
    days,
    counts
  }
}

/** The summary the scan gave, from its columns (the same numbers, and each series a view as the scan's are). */
export function fromColumns(c: Columns): StatsSummary {
  const packages = new Map<string, PackageCounts>()
  const ids = c.count === 0 ? [] : c.ids.split('\n')
  for (let i = 0; i < ids.length; i++) {
    const counts: PackageCounts = {}
    const total = c.totals[i] as number
    if (!Number.isNaN(total)) counts.total = total
    const start = c.spans[2 * i] as number
    if (start >= 0) {
      const end = c.spans[2 * i + 1] as number
      counts.series = { days: c.days.subarray(start, end), counts: c.counts.subarray(start, end) }
    }
    if (c.rated[i]) {
      const ratings: Record<string, number> = {}
      for (let v = 1; v <= 5; v++) {
        const count = c.ratings[5 * i + v - 1] as number
        if (!Number.isNaN(count)) ratings[String(v)] = count
      }
      counts.ratings = ratings
    }
    packages.set(ids[i] as string, counts)
  }
  return { generatedAt: c.generatedAt, packages }
}

/** Exported for the test of the column round trip (the worker itself runs only from a bundle). */
export { toColumns }

if (!isMainThread && (workerData as { task?: string } | null)?.task === TASK)
  parentPort?.once('message', (request: Request) => serve(request))
