// Files made of ranges of the file they replace and a few new bytes. A one-package rebuild
// (delta.ts) changes a few entries of aggregates that are about 100 MB (registry.json) and 20-50 MB
// (the ledger, marketplace.json, the skills index) at 100,000 packages, and on the machines builds
// run on, fresh memory costs more than reading and hashing: holding such a file whole to verify,
// splice and hash it was most of the rebuild. Here a file is verified and hashed in pieces through
// one small buffer, and a spliced file is described by its parts (SplicePart), which the writer
// sets aside in the same pass that hashes it (settleSpliced; registry-output.ts putSpliced).
import type { Area } from './site-layout.js'
import type { OutputFile, OutputReader, SpliceOptions, SplicePart } from './types.js'
import { sha256Hex } from './ledger.js'

/** Bytes read at once when hashing or copying in pieces. */
export const PIECE = 1 << 20

/** Bytes [start, end) of a file the last build wrote, or undefined when it has no such bytes. */
export async function readRange(
  outputs: OutputReader,
  area: Area,
  path: string,
  start: number,
  end: number,
  into?: Uint8Array
): Promise<Buffer | undefined> {
  if (start < 0 || end < start) return undefined
  const bytes = outputs.readRange
    ? await outputs.readRange(area, path, start, end, into)
    : (await outputs.read(area, path))?.subarray(start, end)
  if (!bytes || bytes.byteLength !== end - start) return undefined
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** A file's size and SHA-256, in pieces when the reader can. */
export async function digestOf(outputs: OutputReader, area: Area, path: string): Promise<{ size: number; sha256: string } | undefined> {
  if (outputs.digest) return outputs.digest(area, path)
  const bytes = await outputs.read(area, path)
  return bytes ? { size: bytes.byteLength, sha256: sha256Hex(bytes) } : undefined
}

/** The size of a spliced file. */
export function partsSize(parts: readonly SplicePart[]): number {
  let size = 0
  for (const p of parts) size += p instanceof Uint8Array ? p.byteLength : p.end - p.start
  return size
}

/**
 * A spliced file handed to the writer, which sets it aside in the one pass that reads, hashes and
 * writes it (OutputReader.putSpliced), with its size and SHA-256 (and git blob id with `blob`), or
 * patches it where it lies (`patch`, SpliceOptions).
 * Undefined when the file in place is shorter than a range.
 */
export async function settleSpliced(
  outputs: OutputReader,
  area: Area,
  path: string,
  parts: SplicePart[],
  options?: SpliceOptions
): Promise<{ file: OutputFile; size: number; sha256: string; blobId?: string } | undefined> {
  const d = await outputs.putSpliced(area, path, parts, options)
  return d && { ...d, file: { area, path, recorded: { size: d.size, sha256: d.sha256 } } }
}
