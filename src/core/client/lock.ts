// One writer per workspace at a time, across processes: two `install`s in two terminals, or the
// CLI beside a running `serve`, must not interleave their transactions (transaction.ts) or have
// one recover() roll back the other's install in flight.
//
// The lock is `.marketplace/lock.json`: {pid, host, command, started_at}. It is written whole to a
// temp file and hard-linked into place, so it either does not exist or names its owner completely
// (link fails with EEXIST when another process holds it; no half-written lock can be seen).
// A waiting process polls until `waitMs` runs out, then fails with the owner's pid and command.
// A lock whose owner is gone (same host, the pid no longer runs: a kill -9, a power cut) is stale:
// it is moved aside and taken over, with a notice naming the dead owner. A lock held on another
// host (a workspace on a network drive) is never judged stale; the message says how to remove it.
import { hostname } from 'node:os'
import { link, readFile, rename, stat, unlink } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { mkdir, rm, writeAtomic, type Workspace } from './workspace.js'

export const LOCK_FILE = 'lock.json'

export interface LockOwner {
  pid: number
  host: string
  command: string
  started_at: string
}

/** Who this process is, and whether another pid on this host still runs; passed in for tests. */
export interface ProcessInfo {
  pid: number
  host: string
  isAlive(pid: number): boolean
}

export const THIS_PROCESS: ProcessInfo = {
  pid: process.pid,
  host: hostname(),
  isAlive(pid) {
    try {
      process.kill(pid, 0)
      return true
    } catch (e) {
      // EPERM: it runs, as another user.
      return (e as NodeJS.ErrnoException).code === 'EPERM'
    }
  }
}

export class LockBusyError extends Error {}

export interface LockOptions {
  info: ProcessInfo
  /** How long to wait for another process to finish (ms). */
  waitMs: number
  now: () => Date
  /** Told when a stale lock was taken over. */
  notice?: (message: string) => void
}

/** Takes the workspace lock (waiting for it), runs fn, and always releases it. */
export async function withWorkspaceLock<T>(ws: Workspace, command: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const file = ws.file(LOCK_FILE)
  const me: LockOwner = { pid: options.info.pid, host: options.info.host, command, started_at: options.now().toISOString() }
  await acquire(file, me, options)
  try {
    return await fn()
  } finally {
    await releaseIfOurs(file, me)
  }
}

async function acquire(file: string, me: LockOwner, options: LockOptions): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const deadline = Date.now() + options.waitMs
  let delay = 20
  for (;;) {
    if (await tryCreate(file, me)) return
    const held = await readOwner(file)
    if (held === 'gone') continue
    if (held === 'unreadable') {
      // Not one of ours (hand-made or truncated by a disk error): only its age can tell.
      const age = await ageMs(file)
      if (age !== undefined && age > 10_000) {
        await takeOver(file, undefined, options, `an unreadable lock file ${file}`)
        continue
      }
    } else if (held.host === options.info.host && held.pid !== options.info.pid && !options.info.isAlive(held.pid)) {
      await takeOver(file, held, options, describe(held))
      continue
    }
    if (Date.now() >= deadline) throw new LockBusyError(busyMessage(file, held, options.info))
    await sleep(delay)
    delay = Math.min(delay * 2, 200)
  }
}

async function tryCreate(file: string, me: LockOwner): Promise<boolean> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  await writeAtomic(tmp, `${JSON.stringify(me)}\n`)
  try {
    await link(tmp, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    await rm(tmp, { force: true })
  }
}

async function readOwner(file: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw e
  }
  try {
    const doc = JSON.parse(text) as Partial<LockOwner>
    if (typeof doc.pid === 'number' && typeof doc.host === 'string' && typeof doc.command === 'string')
      return { pid: doc.pid, host: doc.host, command: doc.command, started_at: String(doc.started_at ?? '?') }
  } catch {
    // fall through
  }
  return 'unreadable'
}

/**
 * Moves a stale lock aside and checks it was the one judged stale; if another process replaced it
 * in between (it took the stale lock over first), that live lock is put back.
 */
async function takeOver(file: string, stale: LockOwner | undefined, options: LockOptions, what: string): Promise<void> {
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`
  try {
    await rename(file, aside)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw e
  }
  const moved = await readOwner(aside)
  const same = stale === undefined ? moved === 'unreadable' : typeof moved === 'object' && sameOwner(moved, stale)
  if (!same) {
    // Not the stale one: give it back (if a third process locked meanwhile, both hold it; the
    // window is a rename and a read long, and needs two processes racing over a dead one's lock).
    await link(aside, file).catch(() => undefined)
    await unlink(aside).catch(() => undefined)
    return
  }
  await unlink(aside).catch(() => undefined)
  options.notice?.(
    `took over the workspace lock left by ${what}, which no longer runs (killed or crashed); its unfinished work is recovered next`
  )
}

async function releaseIfOurs(file: string, me: LockOwner): Promise<void> {
  const held = await readOwner(file)
  if (typeof held === 'object' && sameOwner(held, me)) await unlink(file).catch(() => undefined)
}

function sameOwner(a: LockOwner, b: LockOwner): boolean {
  return a.pid === b.pid && a.host === b.host && a.started_at === b.started_at && a.command === b.command
}

function describe(o: LockOwner): string {
  return `process ${o.pid} on ${o.host} (\`${o.command}\`, since ${o.started_at})`
}

function busyMessage(file: string, held: LockOwner | 'unreadable', info: ProcessInfo): string {
  if (held === 'unreadable')
    return `the workspace is locked by ${file}, which is not a lock this client wrote; if no marketplace-actions process is running, delete it`
  const where =
    held.host === info.host
      ? `if process ${held.pid} is not a marketplace-actions process, delete ${file}`
      : `it was taken on another host, so it cannot be checked from here; if nothing runs there, delete ${file}`
  return `another marketplace-actions ${describe(held)} is changing this workspace; try again when it has finished (${where})`
}

async function ageMs(file: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(file)).mtimeMs
  } catch {
    return undefined
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
