// A fetched skill artifact turned into files, in memory, before anything touches the disk. The
// artifact's digest has already been checked; this is the second line: whatever a publisher (or
// a compromised host with a matching index) put in the archive, only plain files with plain
// relative paths come out. Refused: absolute paths (`/`, drive letters, UNC), `..` and `.`
// segments, backslashes, control characters, symlinks, hard links, devices and FIFOs, two paths
// that differ only by case or Unicode normalization (one would overwrite the other on macOS and
// Windows), more files or bytes than the caps, and an archive without SKILL.md at its root.
import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { extract, type Header } from 'tar-stream'
import { SKILL_FILE } from '../marketplace/paths.js'

export interface ExtractedFile {
  path: string
  /** 0o755 for an executable file, else 0o644 (the bit is kept; nothing is ever run). */
  mode: number
  bytes: Uint8Array
}

export interface ArtifactLimits {
  maxFiles: number
  /** Total bytes of the unpacked files. */
  maxBytes: number
}

export class ArtifactError extends Error {}

export { SKILL_FILE }

/** A path inside a package, or the reason it is refused. */
export function packagePathProblem(path: string): string | undefined {
  if (path === '') return 'it is empty'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it contains a control character'
  if (path.includes('\\')) return 'it contains a backslash'
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute'
  const parts = path.split('/')
  if (parts.some((p) => p === '..')) return 'it climbs out of the package with `..`'
  if (parts.some((p) => p === '' || p === '.')) return 'it has an empty or `.` segment'
  return undefined
}

/** The files of a gzipped tar, checked as described above. */
export async function unpackArchive(gz: Uint8Array, limits: ArtifactLimits): Promise<ExtractedFile[]> {
  let tar: Buffer
  try {
    // maxOutputLength stops a gzip bomb before it fills memory.
    tar = gunzipSync(gz, { maxOutputLength: limits.maxBytes + 1024 * 1024 })
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ArtifactError(`the archive unpacks to more than ${limits.maxBytes} bytes`)
    throw new ArtifactError(`the archive is not valid gzip (${(e as Error).message})`)
  }
  const files = await readTar(tar, limits)
  checkCollisions(files.map((f) => f.path))
  if (!files.some((f) => f.path === SKILL_FILE)) throw new ArtifactError('the archive has no SKILL.md at its root')
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function readTar(tar: Buffer, limits: ArtifactLimits): Promise<ExtractedFile[]> {
  return new Promise((resolve, reject) => {
    const ex = extract()
    const files: ExtractedFile[] = []
    let total = 0
    let failed = false
    const fail = (message: string) => {
      if (failed) return
      failed = true
      reject(new ArtifactError(message))
      ex.destroy()
    }
    ex.on('entry', (header: Header, stream, next) => {
      const name = header.name.replace(/^\.\//, '')
      const problem = entryProblem(header, name)
      if (problem) {
        fail(problem)
        stream.resume()
        return
      }
      if (header.type === 'directory') {
        stream.on('end', next)
        stream.resume()
        return
      }
      if (files.length + 1 > limits.maxFiles) {
        fail(`the archive holds more than ${limits.maxFiles} files`)
        stream.resume()
        return
      }
      const chunks: Buffer[] = []
      stream.on('data', (chunk) => {
        const c = chunk as Buffer
        total += c.length
        if (total > limits.maxBytes) fail(`the archive's files add up to more than ${limits.maxBytes} bytes`)
        else chunks.push(c)
      })
      stream.on('end', () => {
        if (!failed)
          files.push({ path: name, mode: (header.mode ?? 0o644) & 0o111 ? 0o755 : 0o644, bytes: new Uint8Array(Buffer.concat(chunks)) })
        next()
      })
    })
    ex.on('finish', () => {
      if (!failed) resolve(files)
    })
    ex.on('error', (e: Error) => fail(`the archive is not a valid tar (${e.message})`))
    ex.end(tar)
  })
}

function entryProblem(header: Header, name: string): string | undefined {
  const shown = JSON.stringify(header.name)
  if (header.type !== 'file' && header.type !== 'directory') {
    return `the archive entry ${shown} is a ${header.type ?? 'special entry'}; only plain files are installed (no links or devices)`
  }
  const problem = packagePathProblem(header.type === 'directory' ? name.replace(/\/$/, '') : name)
  return problem ? `the archive entry ${shown} is refused: ${problem}` : undefined
}

/** Refuses two paths, or a file and a folder, that one case-insensitive file system would merge. */
export function checkCollisions(paths: readonly string[]): void {
  const fold = (p: string) => p.normalize('NFC').toLowerCase()
  const files = new Map<string, string>()
  const dirs = new Map<string, string>()
  const clash = (a: string, b: string) =>
    new ArtifactError(`${JSON.stringify(a)} and ${JSON.stringify(b)} differ only by case or Unicode form; one would overwrite the other`)
  for (const path of paths) {
    const key = fold(path)
    const other = files.get(key)
    if (other === path) throw new ArtifactError(`${JSON.stringify(path)} appears twice in the archive`)
    if (other !== undefined) throw clash(path, other)
    files.set(key, path)
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      const seen = dirs.get(fold(dir))
      if (seen !== undefined && seen !== dir) throw clash(dir, seen)
      dirs.set(fold(dir), dir)
    }
  }
  for (const [key, path] of files) {
    if (dirs.has(key)) throw new ArtifactError(`${JSON.stringify(path)} is both a file and a folder in the archive`)
  }
}

/**
 * The locally computed content hash of a file set: the package digest's formula
 * (src/core/digest.ts), "<git mode> <sha256 hex> <path>\n" per file sorted by path, hashed.
 * Equal hashes mean the same files with the same executable bits.
 */
export function contentHash(files: readonly { path: string; mode: number; bytes: Uint8Array }[]): string {
  const listing = createHash('sha256')
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const sha = createHash('sha256').update(f.bytes).digest('hex')
    listing.update(`${f.mode & 0o111 ? '100755' : '100644'} ${sha} ${f.path}\n`, 'utf8')
  }
  return `sha256:${listing.digest('hex')}`
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}
