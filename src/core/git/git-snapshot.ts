// A commit as a snapshot, read from git objects only: nothing is checked out, so nothing a
// publisher wrote is ever a path on disk, and a symlink stays a tree entry with mode 120000.
// Each call asks git about one directory or path, so cost follows what is looked at.
import { CatFile } from './cat-file.js'
import { isObjectId, resolveCommit, runGit } from './git.js'
import { comparePaths, FileTooLargeError, normalizePath, type EntryKind, type Snapshot, type TreeEntry } from '../snapshot/types.js'

const KINDS: Record<string, EntryKind> = {
  '100644': 'file',
  '100755': 'file',
  '100664': 'file', // written by very old git, still valid in history
  '120000': 'symlink',
  '160000': 'submodule',
  '040000': 'directory'
}

export class GitSnapshot implements Snapshot {
  readonly kind = 'git'
  readonly description: string
  private readonly blobs: CatFile

  constructor(
    readonly repoDir: string,
    readonly commit: string
  ) {
    if (!isObjectId(commit))
      throw new Error(`${JSON.stringify(commit)} is not a full commit id; resolve refs with resolveCommit() or GitSnapshot.open()`)
    this.description = `commit ${commit.slice(0, 12)}`
    this.blobs = new CatFile(repoDir)
  }

  static async open(repoDir: string, ref: string): Promise<GitSnapshot> {
    return new GitSnapshot(repoDir, await resolveCommit(repoDir, ref))
  }

  async list(dir: string): Promise<TreeEntry[]> {
    const path = normalizePath(dir)
    // `dir/` lists the tree's children; through a blob, symlink or gitlink it lists nothing.
    const entries = await this.lsTree([], path === '' ? [] : [`${path}/`])
    return entries.filter((e) => parentOf(e.path) === path).sort(byPath)
  }

  async walk(dir: string): Promise<TreeEntry[]> {
    const path = normalizePath(dir)
    const entries = await this.lsTree(['-r'], path === '' ? [] : [`${path}/`])
    return entries.sort(byPath)
  }

  async stat(path: string): Promise<TreeEntry | undefined> {
    const normalized = normalizePath(path)
    if (normalized === '') {
      const tree = await runGit(this.repoDir, ['rev-parse', '--verify', '--end-of-options', `${this.commit}^{tree}`])
      return { path: '', kind: 'directory', mode: '040000', size: 0, oid: tree.toString('utf8').trim() }
    }
    // git never descends into a blob or gitlink, so a path through a symlink or file matches nothing.
    const entries = await this.lsTree([], [normalized])
    return entries.find((e) => e.path === normalized)
  }

  async read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    if (entry.kind !== 'file') throw new Error(`${entry.path} is a ${entry.kind}, not a regular file, and is never read`)
    if (entry.oid === undefined) throw new Error(`${entry.path} has no object id; read entries listed by this snapshot`)
    if (entry.size > maxBytes) throw new FileTooLargeError(entry.path, entry.size, maxBytes)
    return this.blobs.read({ oid: entry.oid, path: entry.path, size: entry.size }, maxBytes)
  }

  close(): Promise<void> {
    return this.blobs.close()
  }

  private async lsTree(options: string[], paths: string[]): Promise<TreeEntry[]> {
    // Literal pathspecs: a name like `:(glob)*` is a file name, not pathspec magic. No
    // --end-of-options: ls-tree would then take `--` as a path; the commit is a checked object id.
    const args = ['--literal-pathspecs', 'ls-tree', '-z', '-l', '--full-tree', ...options, this.commit, '--', ...paths]
    const out = (await runGit(this.repoDir, args)).toString('utf8')
    return parseLsTree(out)
  }
}

/** Parses `ls-tree -z -l`: `<mode> SP <type> SP <oid> SP+ <size or -> TAB <path> NUL`. */
export function parseLsTree(out: string): TreeEntry[] {
  const entries: TreeEntry[] = []
  for (const record of out.split('\0')) {
    if (record === '') continue
    const tab = record.indexOf('\t')
    const [mode = '', , oid = '', size = '-'] = record.slice(0, tab).split(/ +/)
    const kind = KINDS[mode] ?? 'other'
    entries.push({
      path: record.slice(tab + 1),
      kind,
      mode,
      size: size === '-' || kind === 'submodule' || kind === 'directory' ? 0 : Number(size),
      oid
    })
  }
  return entries
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

function byPath(a: TreeEntry, b: TreeEntry): number {
  return comparePaths(a.path, b.path)
}
