// One package as the registry build reads it from a commit: its manifest (checked with the same
// checkManifest the review uses), every file's bytes, the content digest (digest.ts, the one
// definition) and the review record. Everything comes from git objects; nothing is run.
import type { Manifest } from '../../../generated/schema-types.js'
import type { ResolvedConfig } from '../../config/config.js'
import type { Finding } from '../../findings/findings.js'
import { FileTooLargeError, type Snapshot, type TreeEntry } from '../../snapshot/types.js'
import { checkManifest } from '../../checks/validate/manifest.js'
import { digestedFiles, digestOfLines, fileSha256 } from '../../marketplace/digest.js'
import { LOGIN_PATTERN } from '../../marketplace/layout.js'
import type { PackageFile } from './skills-index.js'
import { type PackageRef, REVIEW_RECORD_FILE } from '../../marketplace/paths.js'

export interface PackageRead {
  ref: PackageRef
  manifest: Manifest
  digest: string
  /** The digested files (all regular files but the review record), paths relative to the package. */
  files: PackageFile[]
  /** review.json at the package root, when there is one. */
  reviewRecord?: Uint8Array
}

export type ReadProblem = 'publisher' | 'manifest' | 'unreadable'

export type ReadOutcome =
  { ok: true; pkg: PackageRead; findings: Finding[] } | { ok: false; problem: ReadProblem; detail: string; findings: Finding[] }

/** `listed`: the package's entries when the caller already listed them (a full build lists all at once). */
export async function readPackage(snapshot: Snapshot, ref: PackageRef, config: ResolvedConfig, listed?: TreeEntry[]): Promise<ReadOutcome> {
  if (!LOGIN_PATTERN.test(ref.publisher)) {
    return { ok: false, problem: 'publisher', detail: `\`${ref.publisher}\` is not a GitHub login`, findings: [] }
  }
  const entries = listed ?? (await snapshot.walk(ref.dir))
  const memo = new MemoSnapshot(snapshot)
  const checked = await checkManifest(memo, ref, entries, config)
  if (!checked.valid || !checked.manifest) {
    const count = checked.findings.length
    return {
      ok: false,
      problem: 'manifest',
      detail: `its manifest.yaml has ${count} problem${count === 1 ? '' : 's'}`,
      findings: checked.findings
    }
  }
  // A file larger than a whole package may be cannot belong to a publishable package.
  const cap = config.limits.package_bytes
  let digest: string
  const files: (PackageFile & { sha256: string })[] = []
  try {
    // Every file asked for at once: one request to git for the package, not a round trip per file.
    const record = reviewRecordEntry(ref, entries)
    await memo.readAtOnce(record ? [...digestedFiles(ref, entries), record] : digestedFiles(ref, entries), cap)
    // Each file hashed once: its SHA-256 is a line of the digest and, kept with it, of the release record.
    for (const e of digestedFiles(ref, entries)) {
      const bytes = await memo.read(e, cap)
      files.push({ path: e.path.slice(ref.dir.length + 1), mode: e.mode, bytes, sha256: fileSha256(bytes) })
    }
    digest = digestOfLines(files)
  } catch (e) {
    if (e instanceof FileTooLargeError) {
      return {
        ok: false,
        problem: 'unreadable',
        detail: `${e.path} is ${e.size} bytes, more than the package limit of ${cap}`,
        findings: []
      }
    }
    throw e
  }
  const pkg: PackageRead = { ref, manifest: checked.manifest as Manifest, digest, files }
  const record = reviewRecordEntry(ref, entries)
  if (record) {
    try {
      pkg.reviewRecord = await memo.read(record, cap)
    } catch (e) {
      if (!(e instanceof FileTooLargeError)) throw e
      pkg.reviewRecord = new Uint8Array()
    }
  }
  return { ok: true, pkg, findings: checked.findings }
}

function reviewRecordEntry(ref: PackageRef, entries: readonly TreeEntry[]): TreeEntry | undefined {
  return entries.find((e) => e.path === `${ref.dir}/${REVIEW_RECORD_FILE}` && e.kind === 'file')
}

/** Reads each blob once: the digest and the artifact need the same bytes. */
class MemoSnapshot implements Snapshot {
  readonly kind: Snapshot['kind']
  readonly description: string
  private readonly cache = new Map<string, Uint8Array>()

  constructor(private readonly inner: Snapshot) {
    this.kind = inner.kind
    this.description = inner.description
  }

  list(dir: string): Promise<TreeEntry[]> {
    return this.inner.list(dir)
  }

  walk(dir: string): Promise<TreeEntry[]> {
    return this.inner.walk(dir)
  }

  stat(path: string): Promise<TreeEntry | undefined> {
    return this.inner.stat(path)
  }

  async read(entry: TreeEntry, maxBytes: number): Promise<Uint8Array> {
    const key = `${entry.oid ?? ''}\0${entry.path}`
    const hit = this.cache.get(key)
    if (hit && hit.length <= maxBytes) return hit
    const bytes = await this.inner.read(entry, maxBytes)
    this.cache.set(key, bytes)
    return bytes
  }

  /** Reads the entries at once into the memo; a failed read is left for the next read() to report in its turn. */
  async readAtOnce(entries: readonly TreeEntry[], maxBytes: number): Promise<void> {
    await Promise.all(entries.map((e) => this.read(e, maxBytes).catch(() => undefined)))
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
