// A snapshot is one state of a marketplace: a git commit or a directory. Checks see only this
// interface, so they cannot tell (or care) where the files came from, and cannot follow a link.

export type EntryKind = 'file' | 'symlink' | 'submodule' | 'directory' | 'other'

export interface TreeEntry {
  /** Path relative to the marketplace root, `/`-separated, no leading or trailing slash. */
  path: string
  kind: EntryKind
  /** git mode as written by git: 100644, 100755, 120000, 160000, 040000 (directories derive it from lstat). */
  mode: string
  /** Bytes for a file (a symlink: its target's length); 0 for directories and submodules. */
  size: number
  /** Hard-link count of a regular file (directory source only; git has no hard links). */
  links?: number
  /** Blob or tree id (git source only). */
  oid?: string
}

/** What a listing says of an entry without asking the file system more: its path and kind (and id, in git). */
export type ListedEntry = Pick<TreeEntry, 'path' | 'kind' | 'oid'>

export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly limit: number
  ) {
    super(`${path} is ${size} bytes, more than the ${limit} that may be read`)
  }
}

export interface Snapshot {
  readonly kind: 'git' | 'directory'
  /** For messages: `commit 1a2b3c4d5e6f` or `directory /path`. */
  readonly description: string
  /** Direct children of a directory (`''` is the root), sorted by name; empty when it is absent. */
  list(dir: string): Promise<TreeEntry[]>
  /** Every entry below a directory, recursively, except directories themselves; sorted by path. */
  walk(dir: string): Promise<TreeEntry[]>
  /** The entry at a path, or undefined. A path through a symlink is never resolved. */
  stat(path: string): Promise<TreeEntry | undefined>
  /** A regular file's bytes. Throws FileTooLargeError above maxBytes without reading them. */
  read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array>
  /**
   * Lists these folders now, in one go, so that later walks at or below them ask nothing more.
   * Only a source whose every listing is a round trip (git) has it; a work tree lists as cheaply
   * one folder at a time.
   */
  prefetch?(dirs: readonly string[]): Promise<void>
  /** Frees what the snapshot holds (a git cat-file process). */
  close(): Promise<void>
}

/**
 * Checks a snapshot path and returns it without a trailing slash. Both sources share it so that a
 * path means the same thing in each and cannot climb out of the marketplace.
 */
export function normalizePath(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  if (trimmed === '') return ''
  // Most paths have no empty, `.` or `..` part: a part is empty only at a leading, trailing or
  // doubled slash, and `.`/`..` start with a dot at the start or after a slash. Such a path is
  // returned after a few searches instead of an array of its parts (a scan asks once per file).
  if (
    trimmed.charCodeAt(0) !== 47 &&
    trimmed.charCodeAt(0) !== 46 &&
    trimmed.charCodeAt(trimmed.length - 1) !== 47 &&
    !trimmed.includes('//') &&
    !trimmed.includes('/.') &&
    !trimmed.includes('\0')
  )
    return trimmed
  if (trimmed.includes('\0') || trimmed.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`${JSON.stringify(path)} is not a path inside the marketplace (relative, \`/\`-separated, without \`.\` or \`..\`)`)
  }
  return trimmed
}

/** The one order of entries, by UTF-16 code units: the same for every source and every locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
