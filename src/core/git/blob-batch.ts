// Many small blobs read once, in a few `git cat-file` processes whose whole answer is parsed in one
// pass: for a job that reads tens of thousands of records at start-up (the scores job's review
// history), the long-lived reader's per-blob promise, buffer and header costs dominate. Sizes are
// asked first (`--batch-check`), so a blob over the limit is never read at all.
import { GitError, isObjectId, runGit } from './git.js'

/** Bytes of blob content asked of one `cat-file --batch` process: bounds the memory held at once. */
const BATCH_BYTES = 16 * 1024 * 1024

/**
 * Calls `each` with the content of every blob in `oids` (each once, in no particular order) that
 * exists in the repository, is a blob and is at most `maxBytes`; the rest are skipped. The
 * content is a view into a larger buffer: copy what outlives the call. A git that fails (not a
 * repository, a missing object store) reads nothing; other errors are thrown.
 */
export async function readSmallBlobs(
  repoDir: string,
  oids: readonly string[],
  maxBytes: number,
  each: (oid: string, bytes: Buffer) => void
): Promise<void> {
  const unique = [...new Set(oids)].filter(isObjectId)
  if (unique.length === 0) return
  const sizes = await catFile(repoDir, '--batch-check', unique)
  if (!sizes) return
  const wanted: string[] = []
  let batchBytes = 0
  for (const line of sizes.toString('latin1').split('\n')) {
    // `<oid> blob <size>`, or `<oid> missing` in a shallow or partial clone.
    const [oid = '', type, sizeText] = line.split(' ')
    const size = Number(sizeText)
    if (type !== 'blob' || !Number.isSafeInteger(size) || size > maxBytes) continue
    wanted.push(oid)
    batchBytes += size
    if (batchBytes >= BATCH_BYTES) {
      await readBatch(repoDir, wanted.splice(0), each)
      batchBytes = 0
    }
  }
  await readBatch(repoDir, wanted, each)
}

async function catFile(repoDir: string, mode: '--batch' | '--batch-check', oids: readonly string[]): Promise<Buffer | undefined> {
  try {
    return await runGit(repoDir, ['cat-file', mode, '--buffer'], { input: `${oids.join('\n')}\n` })
  } catch (e) {
    if (e instanceof GitError) return undefined
    throw e
  }
}

async function readBatch(repoDir: string, oids: readonly string[], each: (oid: string, bytes: Buffer) => void): Promise<void> {
  if (oids.length === 0) return
  const out = await catFile(repoDir, '--batch', oids)
  if (!out) return
  let at = 0
  for (const oid of oids) {
    const nl = out.indexOf(10, at)
    if (nl < 0) return
    const [answered, type, sizeText] = out.toString('latin1', at, nl).split(' ')
    const size = Number(sizeText)
    if (answered === oid && type === 'missing' && sizeText === undefined) {
      at = nl + 1 // pruned between the two calls
      continue
    }
    // Out of step with what was asked: nothing after this point can be trusted to belong to a request.
    if (answered !== oid || sizeText === undefined || !Number.isSafeInteger(size) || nl + 1 + size > out.length) return
    if (type === 'blob') each(oid, out.subarray(nl + 1, nl + 1 + size))
    // The content, then the LF git writes after it.
    at = nl + 1 + size + 1
  }
}
