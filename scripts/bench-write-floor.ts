// `npm run bench:write-floor -- <site folder>`: what writing a build's outputs costs by itself on
// this machine, with nothing else going on. It lists the folders and files of a site a first build
// wrote (every path and size), then recreates the same tree in a fresh folder with synchronous
// calls only: one `mkdir` per folder, one `open(O_EXCL)`, `write`, `close` per file, the bytes
// coming from one buffer allocated once (so the figure is the file system's, not the allocator's).
// A second pass writes the same tree again with a fresh buffer per file, as a build that makes
// each file's bytes anew does, to show what fresh memory adds (on a VM that gives freed pages
// back to its host, touching new pages costs system time). Prints wall and CPU (user + system)
// per pass. A third pass splits the same writes between two threads (each subtree below the second
// level, a publisher's pages or its .well-known folder, dealt out in turn), as a build on both cores
// of the runner at best could: it shows whether the kernel's share of the floor shrinks with a
// second core or is serialised in the file system. Nothing is kept. The trees are removed only
// after every pass: on this machine's file system (ext4 without a journal) creating files within
// about 30 s of many deletions costs several times the system time (docs/benchmarks.md, full-build
// throughput, sixth round), so a pass right after a tree was removed measured the deletion as much
// as its own writes.
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
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

/** Some of the tree's folders and files, in the order they must be made (a folder before what it holds). */
interface Share {
  dirs: string[]
  files: { rel: string; size: number }[]
}

function writeShare(out: string, share: Share, bytesFor: (size: number) => Uint8Array): void {
  for (const d of share.dirs) mkdirSync(path.join(out, d))
  for (const f of share.files) {
    const fd = openSync(path.join(out, f.rel), FLAGS, 0o644)
    const bytes = bytesFor(f.size)
    let done = 0
    while (done < f.size) done += writeSync(fd, bytes, done, f.size - done)
    closeSync(fd)
  }
}

/** Every tree the passes made, removed at the end. */
const made: string[] = []
async function pass(label: string, write: (out: string) => void | Promise<void>): Promise<void> {
  const out = mkdtempSync(path.join(tmpdir(), 'mpa-write-floor-'))
  made.push(out)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await write(out)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  console.log(
    `${label}: ${dirs.length} folders, ${files.length} files, ${(total / 1e6).toFixed(1)} MB: ${(ms / 1000).toFixed(2)} s wall, cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (${(cpu.user / 1e6).toFixed(2)} user + ${(cpu.system / 1e6).toFixed(2)} sys)`
  )
}

/**
 * The tree split for two threads: the folders of one or two levels (catalog/, publishers/<login>/)
 * and the files beside them stay with the calling thread, made first; below them, each subtree of
 * the third level (a publisher's pages, a publisher's .well-known) goes to one thread, in turn.
 */
function split(ways: number): { top: Share; shares: Share[] } {
  const top: Share = { dirs: [], files: [] }
  const shares = Array.from({ length: ways }, (): Share => ({ dirs: [], files: [] }))
  const owner = new Map<string, Share>()
  const shareOf = (rel: string): Share => {
    const key = rel.split('/').slice(0, 3).join('/')
    let share = owner.get(key)
    if (!share) owner.set(key, (share = shares[owner.size % ways] as Share))
    return share
  }
  for (const d of dirs) (d.split('/').length <= 2 ? top : shareOf(d)).dirs.push(d)
  for (const f of files) (f.rel.split('/').length <= 2 ? top : shareOf(f.rel)).files.push(f)
  return { top, shares }
}

// The worker repeats writeShare in plain JavaScript: a worker started from a string needs no loader,
// and it is given none (no execArgv), so the pass does not time tsx starting in it.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const fs = require('node:fs')
const path = require('node:path')
const { out, share, largest } = workerData
const bytes = new Uint8Array(largest).fill(0x61)
const FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL
for (const d of share.dirs) fs.mkdirSync(path.join(out, d))
for (const f of share.files) {
  const fd = fs.openSync(path.join(out, f.rel), FLAGS, 0o644)
  let done = 0
  while (done < f.size) done += fs.writeSync(fd, bytes, done, f.size - done)
  fs.closeSync(fd)
}
parentPort.postMessage('done')
`

function inWorker(out: string, share: Share): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { out, share, largest } })
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
}

const shared = new Uint8Array(largest).fill(0x61)
const { top, shares } = split(2)
try {
  await pass('one reused buffer', (out) => writeShare(out, { dirs, files }, () => shared))
  await pass('a fresh buffer per file', (out) => writeShare(out, { dirs, files }, (size) => new Uint8Array(size).fill(0x61)))
  await pass('two threads, one reused buffer each', async (out) => {
    writeShare(out, top, () => shared)
    await Promise.all(shares.map((share) => inWorker(out, share)))
  })
} finally {
  for (const out of made) rmSync(out, { recursive: true, force: true })
}
