// `npm run bench:write-floor -- <site folder>`: what writing a build's outputs costs by itself on
// this machine, with nothing else going on. It lists the folders and files of a site a first build
// wrote (every path and size), then recreates the same tree in a fresh folder with synchronous
// calls only: one `mkdir` per folder, one `open(O_EXCL)`, `write`, `close` per file, the bytes
// coming from one buffer allocated once (so the figure is the file system's, not the allocator's).
// A second pass writes the same tree again with a fresh buffer per file, as a build that makes
// each file's bytes anew does, to show what fresh memory adds (on a VM that gives freed pages
// back to its host, touching new pages costs system time). Prints wall and CPU (user + system)
// per pass; nothing is kept. The trees are removed only after both passes: on this machine's file
// system (ext4 without a journal) creating files within about 30 s of many deletions costs several
// times the system time (docs/benchmarks.md, full-build throughput, sixth round), so a second pass
// right after the first pass's tree was removed measured the deletion as much as fresh memory.
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const template = process.argv[2]
if (!template) throw new Error('usage: bench-write-floor <site folder a first build wrote>')

const dirs: string[] = []
const files: { rel: string; size: number }[] = []
function walk(rel: string): void {
  for (const d of readdirSync(path.join(template as string, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name
    if (d.isDirectory()) {
      dirs.push(r)
      walk(r)
    } else if (d.isFile()) files.push({ rel: r, size: 0 })
  }
}
walk('')
// Sizes by a second pass (readdir's entries carry no size).
let total = 0
for (const f of files) {
  f.size = statSync(path.join(template, f.rel)).size
  total += f.size
}
const largest = files.reduce((m, f) => Math.max(m, f.size), 0)

const FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL
/** Every tree the passes made, removed at the end. */
const made: string[] = []
function pass(label: string, bytesFor: (size: number) => Uint8Array): void {
  const out = mkdtempSync(path.join(tmpdir(), 'mpa-write-floor-'))
  made.push(out)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  for (const d of dirs) mkdirSync(path.join(out, d))
  for (const f of files) {
    const fd = openSync(path.join(out, f.rel), FLAGS, 0o644)
    const bytes = bytesFor(f.size)
    let done = 0
    while (done < f.size) done += writeSync(fd, bytes, done, f.size - done)
    closeSync(fd)
  }
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `${label}: ${dirs.length} folders, ${files.length} files, ${(total / 1e6).toFixed(1)} MB: ${(ms / 1000).toFixed(2)} s wall, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (${(cpu.user / 1e6).toFixed(2)} user + ${(cpu.system / 1e6).toFixed(2)} sys)`
  )
}

const shared = new Uint8Array(largest).fill(0x61)
try {
  pass('one reused buffer', () => shared)
  pass('a fresh buffer per file', (size) => new Uint8Array(size).fill(0x61))
} finally {
  for (const out of made) rmSync(out, { recursive: true, force: true })
}
