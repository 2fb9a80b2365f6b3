// The old generation of a long build's heap kept within half again of what is live. After each
// full collection V8 lets the heap grow to a multiple of what survived, up to four times when
// collecting is cheap beside the work: a first build of 100,000 packages keeps some 250-275 MB
// live, and its heap reached a gigabyte before a full collection brought it back to 213 MB (peak
// RSS 0.9-1.3 GB in four runs, by where the collections fell). Bounded at 1.5 times, two of three
// such builds peaked at 640-800 MB and one at 1.1 GB (V8 does not always start a collection at the
// limit), for a few more full collections, each mostly concurrent (docs/benchmarks.md, Registry
// build: peak memory, tenth round).
//
// The growing factor is read at every full collection, so setting it when the command starts
// holds for the run (a bundle cannot pass node flags: an action's runner starts `node` itself).
import { setFlagsFromString } from 'node:v8'

/** The heap may grow to (1 + this / 100) times what survived the last full collection. */
export const HEAP_GROWING_PERCENT = 50

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
