// `npm run bench:validate`: `marketplace-actions validate` of BENCH_VALIDATE_SIZE packages
// against ajv-cli on the same manifests, each a whole process (start-up included), in the same
// run. ajv-cli only checks manifest.yaml against the schema; validate also parses and checks every
// profile, SKILL.md frontmatter and entrypoint, with located findings. Measured on a directory and
// on the same files as a git commit (`--head`, read from git objects). Prints the figures and the
// ratio ajv-cli ÷ validate, and writes them to docs/benchmarks.md.
//
// Environment:
//   BENCH_VALIDATE_SIZE  packages (default 10000)
//   BENCH_RUNS           rounds (default 3); each round runs every command once, one after the
//                        other, so load that comes and goes weighs on all of them alike
//   BENCH_BASELINE       another checkout: its dist/cli/index.js gets rows of its own
//   BENCH_BASELINE_GIT=0 leaves out the baseline's git row (an old git mode can take many minutes)
//   BENCH_GIT=0          leaves out the git rows altogether
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { median, writeBenchmarkSection } from './bench-common.js'
import { currentCli, loadAverage, runProcess } from './bench-process.js'
import { gitEnv, writePackages } from './bench-packages.js'

const SIZE = Number(process.env.BENCH_VALIDATE_SIZE ?? 10000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const BASELINE = process.env.BENCH_BASELINE
const GIT = process.env.BENCH_GIT !== '0'
const BASELINE_GIT = GIT && process.env.BENCH_BASELINE_GIT !== '0'

interface Command {
  what: string
  args: string[]
}
interface Row {
  what: string
  ms: number
  cpuMs: number
  rssMb: number
  /** ajv-cli ÷ this, wall and CPU, medians of the per-round ratios. */
  wallRatio: number
  cpuRatio: number
}

function validateSection(measured: string, table: string, verdict: string): string {
  return `## Validate against ajv-cli

${measured} ajv-cli 5 checks each manifest.yaml against schemas/manifest.schema.json and nothing else; \`validate\` also
checks every profile.json, SKILL.md frontmatter and entrypoint, the layout and the names, and locates each finding.

${table}

${verdict}

${WHERE_THE_TIME_GOES}
`
}

// Kept here so that a rerun rewrites the figures and keeps the analysis (update it with the code).
const WHERE_THE_TIME_GOES = `Where the time goes, and what was done about each. **Sixth pass** (issue 15, branch \`validate-speed-5\`): the same
unminified profiling bundle and \`--cpu-prof\`; CPU per thread from /proc/self/task/*/stat at exit; \`--trace-opt
--trace-deopt\`; allocations from V8's sampling heap profiler with collected objects included (the inspector's
\`HeapProfiler.startSampling\`, 16 KiB interval, so garbage counts too); a one-package marketplace for start-up. Three helpers
shared the 2 cores (load 5-8): the figures are CPU, shares and same-run pairs against main (12e8645), not quiet wall times.
- **Module loading: only what a run needs.** A directory validate loaded 41 chunks, 576 KB of minified code (1,023 KB
  unminified), of which it used about a third: the whole \`yaml\` library (268 KB unminified: core/parse/located.ts imported it
  statically, though most manifests take the flat path), server.json's validator, schema and semver (226 KB, for packages
  this marketplace may not have), the config's validator (54 KB, with no config file), and the git modules with the
  published index's validators (≈ 150 KB, for a git source only). Now: a flat YAML text is located without the full parser
  (parse/flat-yaml-locate.ts gives the positions yaml gives; test/yaml-differential.test.ts compares both on every path of
  every flat text of its corpus, 5,000+ comparisons), the checks parse YAML as steps and load parse/located-yaml.ts when a
  text leaves the flat path (checks/yaml-steps.ts, the same function for the review and the build), server.json's check is
  loaded by the first MCP server (as a tool script's parser already was), the config's parser when there is a config file
  (config/parse-config.ts), the git modules for a git source (review/source.ts). A directory validate now loads 37 chunks,
  195 KB minified (301 KB unminified). Validate of a one-package marketplace: 0.455 → 0.366 s of CPU (eight pairs, load
  5.0-5.7; 0.367 → 0.301 s in another eight at load 7.4), where the floor script on the same package (node's own start-up
  and nothing else) costs 0.185 s. Callers that parse synchronously (the scan, the build's skills index) keep
  \`parseYaml\`, which now locates a flat text the same new way.
- **The warm-up, taken apart.** Per thread, 10,000 packages: validate's main thread 1.34-1.36 s of CPU and V8's four helper
  threads 0.49-0.59 s; the floor's main thread 0.59-0.68 s and its helpers 0.07 s (load 7). \`--trace-opt --trace-deopt\`:
  82 of our functions and 150 of Node's appear in the profile; TurboFan optimises 94 in a run and deoptimises 8 (insufficient feedback, a wrong map; none more than twice):
  no deoptimisation loop, no megamorphic site that keeps a function from being optimised. Run five times in one process,
  the first run costs 1.49 s of CPU and the third to fifth 0.84-0.88 s: the warm-up is ≈ 0.6 s, ≈ 0.5 s of it TurboFan
  compiling those 94 functions on the helper threads (the second core, on a quiet machine) and the rest interpreter and
  baseline code on the main thread before they are ready. Flags, two runs each (main thread's CPU): \`--no-opt\` 1.73-1.85 s,
  \`--single-threaded\` 1.81-1.89 s, \`--maglev\` 1.30-1.39 s, \`--always-sparkplug\` 1.41-1.43 s, \`--max-semi-space-size=16\`
  1.32-1.62 s: optimised code pays for itself and nothing beats the default, so none is set. What the warm-up costs scales
  with the hot path's code, not with packages: the fixes below make each package's work smaller instead.
- **GC: 278 → 227 MB allocated per 10,000 packages** (28 → 23 KB per package; sampled, collected objects included). The
  largest: the decoded SKILL.md text (29 MB, the floor decodes it too); the flat YAML path's match arrays (21 MB: a line
  is now matched by hand, test/flat-yaml.test.ts compares it with the pattern line by line, and each value's patterns are
  tried only where they could match); SKILL.md split into lines (12.6 MB: only the frontmatter's lines are split now, the
  body's are counted; split only to report a body too long); \`Array.prototype.sort\` on each folder listing and again on
  the walk (15 MB: a folder of up to 16 entries is sorted by insertion, and a walk of one folder is not sorted twice;
  test/directory-snapshot.test.ts checks the order for folders of few and many entries). Scavenges: 35-36 both (the young
  generation grows to fit), one mark-compact; GC 7.5-8 % of the main thread's profile, as before.
- **Where it goes now** (cold, whole process, load 7): system calls 48 % (a folder listing 21 %, open 14 %, read 9 %, close
  4 %), GC 7.5 %, our JavaScript spread thin (the largest, the flat YAML parse, 2.4 %), Node's module loading 3 %.
- **All together**, as a user runs it: this benchmark with five rounds against main (12e8645) at load 6-9: validate 1.97-2.15 s
  of CPU against main's 2.22-2.37 s, 1.04-1.17× less per round (median 1.11×), and 1.10× less than ajv-cli's CPU (was 0.97×
  at main); five more same-run triples at load 4.7-5.9: 1.98-2.32 s against 2.01-2.80 s, the floor 0.71-0.82 s. Peak RSS
  100 → 86 MB. The output is the same byte for byte: the text and --json reports of 10,000 packages, of the example
  marketplace with broken packages added (non-flat YAML, a YAML syntax error in a manifest and in a frontmatter, schema
  errors, a config file), and \`--head HEAD\` on it, compared with main's.

**Before this pass: the lead's quiet rerun of the fifth pass** (main at 12e8645, this benchmark, load 1.9-2.5): ajv-cli
1.93 s wall and 2.23 s CPU; validate, directory 2.02 s and 2.29 s (0.94× ajv-cli); \`--threads 2\` 2.17 s and 3.33 s; the floor
0.73 s and 0.79 s (2.60×); \`--head HEAD\` 3.07 s and 3.89 s; the baseline then (4a73b08) 2.22 s and 2.65 s.

**Fifth pass** (issue 15, branch \`validate-speed-4\`): \`node --cpu-prof\` on an
unminified esbuild bundle of src/cli/index.ts (splitting on, scripts/bundle.ts's banner), self time summed from the
.cpuprofile; CPU per thread from /proc/self/task/*/stat at exit (a \`--import\` hook); \`strace -c -f\`; 10,000 packages from
scripts/bench-packages.ts. Four helpers shared the 2 cores (load 4-13), so the figures below are shares, CPU and same-run
pairs, not quiet wall times.
- **Where it went at main (4a73b08), one thread, cold, whole process.** Self time in the main thread's profile: system calls
  30-33 % (a folder listing 10-12 %, open 8-12 %, read 3-5 %, close 2-5 %, lstat 1-6 %), our JavaScript 31-34 % spread thin (the
  largest: the folder listing's loop 4 %, the flat YAML parse 3 %, SKILL.md's check 2 %, the report's text 1.5 %, no function
  above 4 %), Node's own JavaScript (module loading, Buffer, fs wrappers) about 20 %, GC 7-9 %. Per thread: main 1.9-2.3 s of CPU,
  V8's helper threads (TurboFan) 0.5-0.7 s. Warm (the same run repeated in one process) validate costs 1.0-1.5 s of CPU at this load, so
  about half of a cold run is start-up, module loading and V8 warming up (interpreter and baseline code until TurboFan has compiled
  the hot functions): \`--always-sparkplug\`, \`--no-opt\`, \`--max-lazy\`, \`--interrupt-budget\` and a bigger young generation
  moved nothing beyond the noise, so none is set.
- **The system calls: 14.4 → 12.0 per package.** \`strace -c -f\` of validate on 10,000 packages (1,000 publishers), file-system
  calls: 143.8k → 120.4k (openat 32.1k, close 32.1k, getdents64 22.0k, pread64 21.0k, newfstatat 11.0k unchanged; statx 25.6k →
  2.3k). A package folder is now listed by its entries' types (\`readdir\` with d_type: a folder, a symlink, a FIFO and a file are
  told apart without a call; Node lstats an entry whose type the file system did not give), so a listed file is no longer
  lstat'ed (DirectorySnapshot.walkKinds; \`walk\`/\`list\` still lstat for the mode, size and hard-link count the scan reads, so the
  scan is unchanged). A file is opened with O_NOFOLLOW|O_NONBLOCK and read once into one reused 64 KiB buffer; fstat on the open
  descriptor only when that read does not settle it (empty, full, failed): a link, a FIFO, a folder, a huge or a binary file
  gets the same located finding as before (test/directory-snapshot.test.ts, test/validate-rules.test.ts, unchanged and green).
  What is left per package is the minimum Node's API allows with a listing: the listing 5 calls (openat, the fstat glibc's
  opendir makes, getdents64 until it returns 0, close), each file read 3 (openat, pread64, close). Left: profile.json is lstat'ed
  twice (by the layout's listing and by the profile check: 1,000 calls, 1 %).
- **The floor went down with it.** The floor script makes exactly validate's reads, so it no longer lstats the files of a
  package folder: 143.9k → 121.1k calls, 0.96-1.15 s → 0.73-0.84 s of CPU (old and new floor alternated, five each, load
  11-13). The floor row in the table is the new one: **it is lower than in earlier passes, and the gap to 3× is measured
  against it**.
- **The plumbing: a synchronous path for a work tree.** The rules (checkManifest, checkEntrypoint, SKILL.md, checkProfile,
  readText) are written once as generators that yield what they need (a file's bytes, an entry, the parser module) and are
  handed the answer (src/core/checks/steps.ts): from a git snapshot each answer is awaited (\`runOn\`, the same functions the
  review and version-bump use); from a DirectorySnapshot they are answered synchronously (\`runNow\`), so validate of a directory
  makes no promise, microtask or batch of packages in flight, adds a package's findings only when it has some, and decodes
  each file straight from the reused read buffer (no copy). Only the first tool script waits (its parser module loads), and
  only that package. test/validate-steps.test.ts checks that both drivers give identical findings and facts on a marketplace
  with every kind of broken package (YAML, schema, names, links, a FIFO, binary, huge, a missing or outside entrypoint, a tool
  with a syntax error). Measured: warm, in one process, the best of six runs 0.88-1.29 s of CPU against 0.98-1.48 s at main
  (three processes each, alternated, load 7-13: about 10 % less); cold, as a whole process, the JavaScript share did not fall beyond the noise (31-34 % both): in a cold run the
  cost is V8 warming up the same rule code, not the promises around it.
- **Where it goes now** (this branch, cold, whole process, same profile): system calls 30-33 % (fewer calls, but the kernel's
  time per listing and open dominates them), our JavaScript 34 %, Node's 20 %, GC 8 %. Left alone (not this pass's files):
  module loading, ≈ 0.2 s of CPU per run (validate of a one-package marketplace: 0.33-0.41 s of CPU against 0.13-0.15 s for
  \`node -e 0\`): a directory validate loads 574 KB of chunks, among them the whole \`yaml\` library (most manifests take the flat
  YAML path and never use it), semver and the git modules that review/source.ts imports for the git sources.
- **All together, as a user runs it:** six same-run pairs against main (two runs of this benchmark, load 6-10): 2.02-2.37 s
  against 2.22-2.51 s of CPU, per round 0.87-1.04× main's (median 0.93×: about 7 % less CPU); wall times at this load moved by
  up to 2× between rounds and are not comparable. Validate and the floor saved about the same CPU (0.15-0.2 s: the lstat calls and
  what wraps them), 20 % of the floor's cost but 7 % of validate's.
- **The benchmark itself.** Committing 10,000 packages left 30,000 loose objects, and git started a gc in the background that
  ran beside the timed rounds (and made removing the marketplace fail with ENOTEMPTY): the git rows measured loose or packed
  objects depending on when it finished (one run at load 10: 16.7 s of CPU for \`--head\` on loose objects). The script now
  commits with \`gc.auto=0\` and packs with \`git gc\` before timing anything, as a clone would be. Measured on a packed
  2,000-package repository, \`--head HEAD\` costs what it cost at main (1.57-1.79 s of CPU against 1.50-1.74 s, alternated).

Earlier passes (kept, still true):
- **Fourth pass: where it went at 2192361, one thread, 10,000 packages.** The main thread: 1.65-2.0 s of CPU; V8's four helper
  threads another 0.5-0.7 s (TurboFan compiling beside it: with \`--no-opt\` they fall to 60 ms and the main thread rises by as
  much; \`--single-threaded-gc\` changed nothing, so it is not the GC). In the main thread's profile: **system calls 44 %**
  (a folder listing 11 %, lstat 6 %, open 6 %, read 4 %, close 3 %, and their wrappers: 13.3 calls per package, 32k openat,
  26k statx, 22k getdents64, 21k pread64, 11k newfstatat for 10,000), **GC 10 %** (35 scavenges, one mark-compact: the heap stays
  near 20 MB), module loading 3-5 %, and the rest JS spread thin. Warm, in a loop over the same 10,000 texts, the checks
  themselves are small: the manifest's YAML 52 ms, its schema 13 ms, SKILL.md 49 ms, decoding 16 ms; run twice in one process,
  the second run still costs 1.1-1.2 s of CPU (0.35-0.48 s of it system time): the plumbing around them (an async chain per
  package, entries and paths, the review) and the calls.
- **The system calls to the second core: tried, measured, not merged** (branch \`validate-speed-3\`: a small worker that
  walks each package folder and reads its manifest.yaml and SKILL.md with DirectorySnapshot's own walk and read, posting them
  16 folders to a message, each folder claimed by whichever thread gets to it first). At load 11-14 the checking thread went
  from 1.95-2.07 s to 1.37-1.45 s of CPU, the helper took 0.9-1.2 s (≈ 150 µs per folder, against ≈ 90 µs per package for the
  floor script below). On a quiet machine (load 1.4-1.9, the lead's rerun of this benchmark with five rounds) it gained nothing
  that held: 2.21 s wall and 3.59 s CPU against 2.40 s and 2.83 s on one thread, where \`--threads 2\` gave 1.99 s and 3.27 s. A
  second isolate's start-up and heap cost about what it takes off the checking thread, so it stays on its branch.
- **Decoding**: a fatal TextDecoder is replaced by \`isUtf8\` (the same rule) and Buffer's decoder: 102-159 ms → 21-91 ms per
  10,000 SKILL.md in a loop (same run); a differential test (test/located.test.ts) compares it with the fatal TextDecoder on
  3,000 byte strings built from overlong forms, surrogates, truncations, BOMs and random bytes.
- **Tried, measured, not kept: libuv's thread pool** (fs callbacks, 64 packages in flight, a listing and two open-read-close
  per package): the main thread spent 0.5-1.2 s of CPU on the round trips (a request, a completion callback and a buffer each,
  seven per package), more than the synchronous calls cost it (≈ 0.5 s), whatever UV_THREADPOOL_SIZE (1, 2, 4). In a prototype
  worker, posting each file as its own Buffer cost the main thread 360-560 ms per 10,000 packages against 220-260 ms for the
  same files as strings; the branch's helper transfers one buffer per batch.
- Left as they were: GC (a bigger young generation changed nothing, third pass), the layout listing and the profiles (read by
  the checking thread before the packages, 5-8 % of it), the report (2 %), the flat YAML path (proven by
  test/yaml-differential.test.ts).

Not done: the goal, and not reachable on one thread. 3× ajv-cli is ≈ 0.64 s of wall time on a quiet machine (ajv-cli 1.93 s at
main), start-up included. The floor row, a bare node script making validate's reads on one thread and nothing else, is
0.73 s there (2.60× ajv-cli): even a validate that checked nothing would not be 3×. After the sixth pass, what stands
between validate and that floor (≈ 1.2 s of CPU at load 6-9, 2.07 against 0.87 s): not the system calls (the same calls,
\`strace -c -f\`), not module loading any more (0.18 s over node's own start-up, was 0.27 s), but V8 compiling the hot path
(≈ 0.5 s of CPU on its helper threads, a fixed cost whatever the number of packages: the second core on a quiet machine),
the main thread running that code in the interpreter until it is compiled (≈ 0.1 s), the checks themselves spread thin
over many functions (none above 2.5 % of the profile), and GC for the 23 KB each package allocates. 3× needs the reads on both cores (tried in
the fourth pass: a second isolate's start-up ate what it saved) or fewer reads per package than a listing and two files, for
example opening manifest.yaml and SKILL.md without listing the folder first and listing it only when something is missing
or odd (not done: on a case-insensitive file system an open by name cannot tell \`skill.md\` from \`SKILL.md\`, which the
rules report, so the listing stays).

To rerun (quiet machine, a detached worktree of the baseline with its committed dist/):
\`BENCH_VALIDATE_SIZE=10000 BENCH_RUNS=3 BENCH_BASELINE=/tmp/mpa-validate-base BENCH_BASELINE_GIT=0 npm run bench:validate\`.

Profiling commands (an unminified bundle: esbuild buildSync of src/cli/index.ts, bundle, splitting, platform node, format esm,
scripts/bundle.ts's banner; a marketplace from scripts/bench-packages.ts): \`node --cpu-prof --cpu-prof-dir=prof dist/index.js
validate --root M --no-color\` (each thread writes its own profile), \`strace -c -f node dist/index.js validate --root M\`.`
/**
 * The floor of reading: the system calls `validate` makes on a directory, and nothing else (no
 * parsing, no checks, no report). The layout: publishers/ and each publisher's folder listed with
 * their entries' types, a listed file that is not a folder lstat'ed (profile.json), profile.json
 * lstat'ed again and read. Each package: its folder listed by the entries' types alone (no call
 * per file), manifest.yaml and SKILL.md each opened without following a link, read once into one
 * reused buffer, closed. READS is that as JavaScript source, `run(root, part, parts)` reading every
 * `parts`-th publisher from the `part`-th: FLOOR runs it on one thread, FLOOR_TWO on two (the
 * calling thread and a worker, half the publishers each), as a validate on both cores at best
 * could. Each runs as \`node --input-type=module -e FLOOR <root>\`. The worker is given no
 * execArgv, so its code is CommonJS like the calling thread's `new Function`, not a module as that
 * flag would make it.
 */
const READS = `
const { closeSync, constants, lstatSync, openSync, readdirSync, readSync } = require('node:fs')
const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
const scratch = Buffer.alloc(65537)
const list = (dir, statFiles) => {
  const entries = readdirSync(dir, { withFileTypes: true })
  if (statFiles) for (const e of entries) if (!e.isDirectory()) lstatSync(dir + '/' + e.name)
  return entries
}
const read = (file) => {
  const fd = openSync(file, flags)
  try { return scratch.toString('utf8', 0, readSync(fd, scratch, 0, scratch.length, 0)) } finally { closeSync(fd) }
}
function run(root, part, parts) {
  let packages = 0, chars = 0, publisher = -1
  const publishers = root + '/publishers'
  for (const p of list(publishers, true)) {
    if (!p.isDirectory() || ++publisher % parts !== part) continue
    const dir = publishers + '/' + p.name
    const entries = list(dir, true)
    for (const d of entries) {
      if (d.isDirectory()) continue
      lstatSync(dir + '/' + d.name)
      chars += read(dir + '/' + d.name).length
    }
    for (const d of entries) {
      if (!d.isDirectory()) continue
      list(dir + '/' + d.name, false)
      chars += read(dir + '/' + d.name + '/manifest.yaml').length + read(dir + '/' + d.name + '/SKILL.md').length
      packages++
    }
  }
  return [packages, chars]
}
`
const FLOOR = `
import { createRequire } from 'node:module'
const run = new Function('require', ${JSON.stringify(READS)} + 'return run')(createRequire(import.meta.url))
const [packages, chars] = run(process.argv[1], 0, 1)
console.log(packages + ' packages, ' + chars + ' characters read')
`
const FLOOR_TWO = `
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
const READS = ${JSON.stringify(READS)}
const worker = new Worker(READS + 'const t = require("node:worker_threads"); t.parentPort.postMessage(run(t.workerData, 1, 2))', {
  eval: true,
  execArgv: [],
  workerData: process.argv[1]
})
const theirs = new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))
const mine = new Function('require', READS + 'return run')(createRequire(import.meta.url))(process.argv[1], 0, 2)
const [packages, chars] = await theirs
console.log(mine[0] + packages + ' packages, ' + (mine[1] + chars) + ' characters read')
`

const root = mkdtempSync(path.join(tmpdir(), 'mpa-bench-validate-'))

try {
  const bytes = writePackages(root, 0, SIZE)
  execFileSync('git', ['init', '-q', '-b', 'main', root], { env: gitEnv })
  execFileSync('git', ['-C', root, 'add', '-A'], { env: gitEnv })
  // Packed now, as a clone is, rather than by the background gc 10,000 loose objects would start: that gc competed with the
  // timed runs, and the git rows measured loose or packed objects depending on when it finished.
  execFileSync('git', ['-C', root, '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', 'commit', '-q', '-m', 'marketplace'], { env: gitEnv })
  execFileSync('git', ['-C', root, 'gc', '-q'], { env: gitEnv })
  console.log(`${SIZE} packages, ${(bytes / 1e6).toFixed(1)} MB of package files`)
  const cli = await currentCli()
  const ajv = path.join(process.cwd(), 'node_modules', 'ajv-cli', 'dist', 'index.js')
  const schema = path.join(process.cwd(), 'schemas', 'manifest.schema.json')
  const glob = 'publishers/*/*/manifest.yaml'
  const commands: Command[] = [
    {
      what: 'ajv-cli validate (manifest.yaml against the schema only)',
      args: [ajv, 'validate', '--spec=draft2020', '-c', 'ajv-formats', '--strict=false', '-s', schema, '-d', glob]
    },
    { what: 'marketplace-actions validate, directory (default: one thread)', args: [cli, 'validate', '--root', root, '--no-color'] },
    {
      what: 'marketplace-actions validate --threads 2, directory',
      args: [cli, 'validate', '--root', root, '--no-color', '--threads', '2']
    }
  ]
  commands.push({
    what: 'floor: a bare node script making the same reads on one thread, nothing checked',
    args: ['--input-type=module', '-e', FLOOR, root]
  })
  commands.push({
    what: 'floor on two threads: the same reads split between the calling thread and a worker, nothing checked',
    args: ['--input-type=module', '-e', FLOOR_TWO, root]
  })
  if (GIT) {
    commands.push({
      what: 'marketplace-actions validate --head HEAD, git objects',
      args: [cli, 'validate', '--root', root, '--head', 'HEAD', '--no-color']
    })
  }
  if (BASELINE !== undefined) {
    const base = path.join(BASELINE, 'dist', 'cli', 'index.js')
    commands.push({ what: `baseline (${BASELINE}) validate, directory`, args: [base, 'validate', '--root', root, '--no-color'] })
    if (BASELINE_GIT) {
      commands.push({
        what: `baseline (${BASELINE}) validate --head HEAD`,
        args: [base, 'validate', '--root', root, '--head', 'HEAD', '--no-color']
      })
    }
  }

  const runs = commands.map(() => [] as { ms: number; cpuMs: number; rssMb: number }[])
  const loads: string[] = [loadAverage()]
  for (let round = 0; round < RUNS; round++) {
    commands.forEach((command, k) => {
      const r = runProcess(process.execPath, command.args, { cwd: root })
      if (r.status !== 0) throw new Error(`${command.what} exited ${r.status}: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`)
      runs[k]?.push({ ms: r.ms, cpuMs: r.cpuMs, rssMb: r.maxRssMb })
      console.log(`round ${round + 1}: ${command.what}: ${(r.ms / 1000).toFixed(2)} s wall, ${(r.cpuMs / 1000).toFixed(2)} s CPU`)
    })
    loads.push(loadAverage())
  }
  const ajvRuns = runs[0] ?? []
  const rows: Row[] = commands.map((command, k) => {
    const mine = runs[k] ?? []
    return {
      what: command.what,
      ms: median(mine.map((r) => r.ms)),
      cpuMs: median(mine.map((r) => r.cpuMs)),
      rssMb: Math.max(...mine.map((r) => r.rssMb)),
      wallRatio: median(mine.map((r, i) => (ajvRuns[i]?.ms ?? NaN) / r.ms)),
      cpuRatio: median(mine.map((r, i) => (ajvRuns[i]?.cpuMs ?? NaN) / r.cpuMs))
    }
  })

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const table = [
    '| command (whole process) | wall (median) | CPU user+sys (median) | peak RSS | ajv-cli ÷ this, wall | ajv-cli ÷ this, CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.what} | ${s(r.ms)} | ${s(r.cpuMs)} | ${r.rssMb.toFixed(0)} MB | ${r.wallRatio.toFixed(2)}× | ${r.cpuRatio.toFixed(2)}× |`
    )
  ].join('\n')
  const command = [
    `BENCH_VALIDATE_SIZE=${SIZE}`,
    `BENCH_RUNS=${RUNS}`,
    ...(BASELINE === undefined ? [] : [`BENCH_BASELINE=${BASELINE}`]),
    ...(BASELINE !== undefined && !BASELINE_GIT && GIT ? ['BENCH_BASELINE_GIT=0'] : []),
    ...(GIT ? [] : ['BENCH_GIT=0']),
    'npm run bench:validate'
  ].join(' ')
  const measured = `Measured by \`${command}\` (scripts/bench-validate.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version},
${RUNS} rounds, each running every command once in turn; medians, and the ratios are medians of each round's ratio. Load
average (1, 5, 15 min) before and after each round: ${loads.join(' → ')} (2 cores). ${SIZE.toLocaleString('en')} packages from
scripts/bench-packages.ts (${(bytes / 1e6).toFixed(1)} MB of files), on disk and committed to git.`
  const x = (n: number) => `${n.toFixed(2)}×`
  const row = (start: string) => rows.find((r) => r.what.startsWith(start)) as Row
  const directory = rows[1] as Row
  const twoThreads = row('marketplace-actions validate --threads 2')
  const floor = row('floor:')
  const floorTwo = row('floor on two threads:')
  const lines = [
    `**Goal (issue 15): ajv-cli ÷ validate ≥ 3 on the directory.** Here: ${x(directory.wallRatio)} wall, ${x(directory.cpuRatio)} CPU: ` +
      (directory.wallRatio >= 3 ? 'met.' : '**not met**.'),
    `On two checking threads (\`--threads 2\`): ${x(twoThreads.wallRatio)} wall, ${x(twoThreads.cpuRatio)} CPU.`,
    `The floor (the same reads on one thread and nothing else): ${s(floor.ms)} wall, ${s(floor.cpuMs)} CPU, ` +
      `${x(floor.wallRatio)} ajv-cli's wall time.`,
    `The same reads split between two threads, nothing checked: ${s(floorTwo.ms)} wall, ${s(floorTwo.cpuMs)} CPU, ` +
      `${x(floorTwo.wallRatio)} ajv-cli's wall time. A validate ${x(3)} ajv-cli's would have ` +
      `${s(Math.max(0, (rows[0] as Row).ms / 3 - Math.min(floor.ms, floorTwo.ms)))} of wall time left for every check after its reads.`
  ]
  // Each baseline row against the row of this checkout in the same mode, round by round.
  const gitRow = commands.findIndex((c) => !c.what.startsWith('baseline') && c.args.includes('--head'))
  commands.forEach((command, k) => {
    if (!command.what.startsWith('baseline')) return
    const mode = command.args.includes('--head') ? gitRow : 1
    const ours = runs[mode] ?? []
    const base = runs[k] ?? []
    const cpu = median(base.map((r, i) => r.cpuMs / (ours[i]?.cpuMs ?? NaN)))
    const wall = median(base.map((r, i) => r.ms / (ours[i]?.ms ?? NaN)))
    lines.push(`Against the baseline, ${mode === gitRow ? 'git objects' : 'directory'}: ${x(cpu)} less CPU, ${x(wall)} less wall time.`)
  })
  const verdict = lines.join('\n')
  writeBenchmarkSection('## Validate against ajv-cli', validateSection(measured, table, verdict))
  console.log(`\n${table}\n\n${verdict}\n\nwritten to docs/benchmarks.md`)
} finally {
  // A git process started by the run (auto maintenance) may still be writing in .git: retry.
  rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
}
