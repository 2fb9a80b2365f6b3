// The skill archives' gzip in one place: archive.ts runs it on the calling thread and
// io/gzip-thread.ts on a second one, and both must give the same bytes (an archive's digest is
// what clients verify, and a rebuild must not move it).
//
// fflate (pure JavaScript, so zlib's version cannot change the bytes): level 9, header mtime 0,
// no file name, OS byte fixed by fflate (3, Unix).
import { gzipSync } from 'fflate'

const GZIP_LEVEL = 9

/** The .tar.gz bytes of an archive's tar bytes. */
export function gzipArchive(tar: Uint8Array): Uint8Array {
  return gzipSync(tar, { level: GZIP_LEVEL, mtime: 0 })
}

export interface GzippedArchive {
  bytes: Uint8Array
  /** Hex SHA-256 of `bytes`. */
  sha256: string
}

/**
 * Where the archives are gzipped when the adapter has a second thread for it (BuildOptions.gzip):
 * gzipArchive's bytes and their SHA-256. The tar buffer is handed over (it may be transferred to
 * another thread): the caller never reads it again.
 */
export interface ArchiveGzip {
  gzip(tar: Uint8Array): Promise<GzippedArchive>
}
