// Byte-reproducible skill archives: the same files give the same .tar.gz on any machine, day,
// time zone or umask, so a client's digest check sees an update only when the content changed.
//
// tar (ustar, via tar-stream): entries sorted by path, files only (no directory entries), mtime
// 0, uid/gid 0, empty user and group names, mode 0644 or 0755 from the git mode. Every path must
// fit a plain ustar header (name <= 100 bytes, or a prefix <= 155 bytes split at a slash, ASCII):
// clients such as `npx skills` read only those fields, and tar-stream would otherwise fall back to
// a PAX header they skip, installing the file under a wrong name.
// gzip (fflate, pure JavaScript, so zlib's version cannot change the bytes): level 9, header
// mtime 0, no file name, OS byte fixed by fflate (3, Unix).
import { pack } from 'tar-stream'
import { gzipSync } from 'fflate'
import { comparePaths } from '../../snapshot/types.js'

export interface ArchiveFile {
  /** Path inside the archive, `/`-separated; SKILL.md at the root. */
  path: string
  /** git mode: 100755 is executable, anything else 100644. */
  mode: string
  bytes: Uint8Array
}

const EPOCH = new Date(0)
const GZIP_LEVEL = 9

/**
 * Why a path cannot go into a portable archive, or undefined when it can. Checked before any
 * archive is built so that a bad path is reported, never silently renamed.
 */
export function archivePathProblem(path: string): string | undefined {
  // Printable ASCII only: a PAX header would be needed for anything else.
  if (!/^[\x20-\x7e]+$/.test(path)) return 'it is not printable ASCII'
  if (path.includes('\\')) return 'it contains a backslash'
  const parts = path.split('/')
  if (path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) return 'it is not a plain relative path'
  if (!fitsUstar(path)) return 'it is longer than a tar header holds (100 bytes, or 255 split at a slash)'
  return undefined
}

/** tar-stream's own ustar rule: move leading folders into the prefix while the name is too long. */
function fitsUstar(path: string): boolean {
  let name = path
  let prefix = ''
  while (name.length > 100) {
    const i = name.indexOf('/')
    if (i === -1) return false
    prefix += prefix ? `/${name.slice(0, i)}` : name.slice(0, i)
    name = name.slice(i + 1)
  }
  return prefix.length <= 155
}

/** The .tar.gz bytes of the files; throws on a path archivePathProblem rejects. */
export async function buildArchive(files: readonly ArchiveFile[]): Promise<Uint8Array> {
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path))
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i] as ArchiveFile
    const problem = archivePathProblem(f.path)
    if (problem) throw new Error(`cannot archive ${JSON.stringify(f.path)}: ${problem}`)
    if (i > 0 && sorted[i - 1]?.path === f.path) throw new Error(`cannot archive ${f.path} twice`)
  }
  const tar = await tarBytes(sorted)
  return gzipSync(tar, { level: GZIP_LEVEL, mtime: 0 })
}

function tarBytes(files: readonly ArchiveFile[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const stream = pack()
    const chunks: Buffer[] = []
    stream.on('data', (chunk) => chunks.push(chunk as Buffer))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
    for (const f of files) {
      stream.entry(
        {
          name: f.path,
          type: 'file',
          size: f.bytes.length,
          mode: f.mode === '100755' ? 0o755 : 0o644,
          mtime: EPOCH,
          uid: 0,
          gid: 0,
          uname: '',
          gname: ''
        },
        Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength)
      )
    }
    stream.finalize()
  })
}
