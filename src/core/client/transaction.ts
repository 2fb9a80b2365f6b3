// Installs, updates and removals are all-or-nothing, across a crash. The new content is staged
// in .marketplace/staging/ (same file system, so renames are atomic), verified, and then:
//
//   1. transaction.json is written: each target, its staged replacement, where the old one goes,
//      and the SHA-256 the lockfile will have once committed;
//   2. each old target is renamed aside (backup) and its replacement renamed in;
//   3. the lockfile is written atomically: THE commit point;
//   4. backups and the journal are deleted.
//
// Whoever opens the workspace next (any client command, the daemon at start) runs recover():
// when the lockfile has the committed hash, the transaction finished and only cleanup is left;
// otherwise every target is put back as it was. So a kill at any point leaves either the previous
// version with the previous lockfile, or the new version with the new lockfile.
import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'
import { exists, mkdir, rename, rm, writeAtomic, type Workspace } from './workspace.js'

export const JOURNAL = 'transaction.json'
const LOCKFILE = 'installed.json'

interface Swap {
  target: string
  /** The replacement, absent for a removal. */
  staged?: string
  backup: string
  hadPrevious: boolean
}

interface Journal {
  id: string
  swaps: Swap[]
  lock_sha256: string
}

/** Test seam: called between the steps, so a test can kill the process at a precise point. */
export type FaultPoint = 'staged' | 'journal-written' | 'swapped' | 'committed'
export type FaultHook = (point: FaultPoint) => void | Promise<void>

export interface Change {
  target: string
  staged?: string
}

/** Applies the changes and writes the lockfile, atomically as described above. */
export async function commit(ws: Workspace, changes: readonly Change[], lockBytes: string, fault?: FaultHook): Promise<void> {
  const id = randomBytes(8).toString('hex')
  await fault?.('staged')
  await mkdir(ws.staging, { recursive: true })
  const swaps: Swap[] = []
  for (const c of changes) {
    const swap: Swap = { target: c.target, backup: path.join(ws.staging, `${id}-old-${swaps.length}`), hadPrevious: await exists(c.target) }
    if (c.staged) swap.staged = c.staged
    swaps.push(swap)
  }
  const journal: Journal = { id, swaps, lock_sha256: sha256Hex(lockBytes) }
  await ws.writeJson(ws.file(JOURNAL), journal)
  await fault?.('journal-written')
  try {
    for (const s of swaps) {
      if (s.hadPrevious) await rename(s.target, s.backup)
      if (s.staged) {
        await mkdir(path.dirname(s.target), { recursive: true })
        await rename(s.staged, s.target)
      }
    }
    await fault?.('swapped')
    await writeAtomic(ws.file(LOCKFILE), lockBytes)
  } catch (e) {
    await recover(ws)
    throw e
  }
  await fault?.('committed')
  await finish(ws, journal)
}

/** Finishes or rolls back an interrupted transaction; returns what it did. */
export async function recover(ws: Workspace): Promise<'none' | 'finished' | 'rolled-back'> {
  const journal = await ws.readJson<Journal>(ws.file(JOURNAL))
  if (!journal) {
    await rm(ws.staging, { recursive: true, force: true })
    return 'none'
  }
  const lock = await ws.readBytes(ws.file(LOCKFILE))
  if (lock && sha256Hex(lock) === journal.lock_sha256) {
    await finish(ws, journal)
    return 'finished'
  }
  for (const s of [...journal.swaps].reverse()) {
    if (await exists(s.backup)) {
      await rm(s.target, { recursive: true, force: true })
      await rename(s.backup, s.target)
    } else if (!s.hadPrevious && s.staged && !(await exists(s.staged))) {
      // The replacement was moved in and there was nothing before it.
      await rm(s.target, { recursive: true, force: true })
    }
  }
  await rm(ws.file(JOURNAL), { force: true })
  await rm(ws.staging, { recursive: true, force: true })
  return 'rolled-back'
}

async function finish(ws: Workspace, journal: Journal): Promise<void> {
  for (const s of journal.swaps) await rm(s.backup, { recursive: true, force: true })
  await rm(ws.file(JOURNAL), { force: true })
  await rm(ws.staging, { recursive: true, force: true })
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
