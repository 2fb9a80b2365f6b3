// The young generation of a scores run's heap kept at V8's starting size. Most of what a scores
// run allocates lives to its end (each package's entry, signals, score and components), so the
// young generation's collections copy nearly everything they find. Left to grow (to 16 MB a
// semi-space on Node 20, 32 MB on Node 24), it spreads that work over tens of megabytes of fresh
// pages, each costing a page fault on this machine class (some 17 µs, Scores in
// docs/benchmarks.md), and copies each survivor back and forth before promoting it; at its
// starting size (1 MB) the same pages are reused and survivors move to the old generation
// sooner. Steady-state CLI runs on 10,000 packages, alternating in one loop: main thread CPU
// 0.97 s against 1.14 s, the process 1.95 s against 2.22 s, peak RSS 138 MB against 169 MB
// (docs/benchmarks.md, Scores, ninth pass).
//
// The growth factor is the only young-generation setting V8 reads after start-up (the sizes are
// fixed when the heap is made, before any code of ours runs, and a bundle cannot pass node
// flags: an action's runner starts `node` itself). A process runs one command, so this applies
// to the scores run that asks for it; Node 20 and 24 both know the flag.
import { setFlagsFromString } from 'node:v8'

const FLAG = '--semi-space-growth-factor=1'

export function keepYoungGenerationSmall(): void {
  setFlagsFromString(FLAG)
}
