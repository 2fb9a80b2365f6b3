// The old generation of a long build's heap kept within half again of what is live. After each
// full collection V8 lets the heap grow to a multiple of what survived, up to four times when
// collecting is cheap beside the work: a first build of 100,000 packages keeps some 250-275 MB
// live, and its heap reached a gigabyte before a full collection brought it back to 213 MB (peak
// RSS 0.9-1.3 GB in four runs, by where the collections fell). Bounded at 1.5 times, two of three
// such builds peaked at 640-800 MB and one at 1.1 GB (docs/benchmarks.md, Registry build: peak
// memory, tenth round).
//
// That limit only says when V8 starts a collection, not where the heap stops: by default it marks
// incrementally, while the build goes on allocating, and until the marking is done the heap grows
// past the limit unchecked. On a loaded machine, where the marking threads wait for a core, one
// marking took long enough for a 213 MB limit to become 564 MB of heap (tenth round). Without
// incremental marking a collection runs whole when the limit is reached, so the heap never holds
// more than the limit, and the peak follows from the live set alone: at most 1.5 times the
// largest live set, plus the young generation. The full collections are atomic (their marking
// still parallel) and fewer; at 100,000 packages they cost about 5 s more of the main thread than the
// incremental marking, which ran partly on the other core (eleventh round): the price of a ceiling
// that no longer depends on how loaded the machine is.
//
// Both settings are read when V8 decides on a collection, so setting them when the command starts
// holds for the run (a bundle cannot pass node flags: an action's runner starts `node` itself).
import { setFlagsFromString } from 'node:v8'

/** The heap may grow to (1 + this / 100) times what survived the last full collection. */
export const HEAP_GROWING_PERCENT = 50

export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  setFlagsFromString('--no-incremental-marking')
}
