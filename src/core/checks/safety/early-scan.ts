// A whole-directory scan starts before the marketplace is listed. Listing 15,000 packages, reading
// the config and loading the source pipeline take the calling thread a good part of a second, and
// a worker that waited for the list sat idle that long. So the workers get the publisher folders
// (one listing of publishers/) and the config's limits at once, list their own publishers and scan
// them (threads.ts, StartedWorkers.scanGroups); the calling thread lists the whole marketplace as
// before, then claims the publishers still left (check.ts). The report is built from the caller's
// listing in its order, whichever thread scanned a package, so it does not depend on timing.
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import { PUBLISHERS_DIR } from '../../marketplace/paths.js'
import { baseName } from '../../marketplace/layout.js'
import { startScanWorkers, type StartedWorkers } from './threads.js'

/** A marketplace with fewer publisher folders than this is scanned before a worker would be ready. */
export const EARLY_WORKERS_FROM_PUBLISHERS = 20

export interface EarlyScanOptions {
  /** Threads in all (default: one per core, at most 8). */
  threads?: number
  /** The config file the run reads (relative to the root). */
  configFile?: string
  /**
   * Only start the workers, without a job (a shard of the marketplace: the caller's selection is
   * a part of it, which only the caller knows).
   */
  startOnly?: boolean
}

/**
 * Workers for the scan of every package of the directory marketplace at `root`, started now and,
 * unless `startOnly`, already scanning; undefined for a small marketplace. Pass them to
 * createSafetyCheck (`started`) and release them when the run ends.
 */
export async function startDirectoryScan(root: string, options: EarlyScanOptions = {}): Promise<StartedWorkers | undefined> {
  const snapshot = new DirectorySnapshot(root)
  // Only real folders count, as in the layout: nothing a publisher wrote is followed, even here.
  const publishers = (await snapshot.list(PUBLISHERS_DIR)).filter((e) => e.kind === 'directory').map((e) => baseName(e.path))
  if (publishers.length < EARLY_WORKERS_FROM_PUBLISHERS) return undefined
  const started = startScanWorkers(options.threads)
  if (options.startOnly || started.count === 0) return started
  let limits
  try {
    // Loaded after the workers are started, so that they start sooner.
    const { loadConfig } = await import('../../config/config.js')
    limits = (await loadConfig(snapshot, options.configFile)).limits
  } catch {
    return started // the run reads the config again and reports what is wrong; the workers wait for a job or are ended
  }
  started.scanGroups(snapshot.root, publishers, limits)
  return started
}
