// Reading what the build needs from git, efficiently: every package folder of a commit with one
// `ls-tree -r` (a full build), a publisher's profile as the plugin author, and one GitSnapshot
// (one `cat-file` process) per commit read.
import type { Profile } from '../../../generated/schema-types.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { PluginAuthor } from './claude-marketplace.js'
import { GitSnapshot } from '../../git/git-snapshot.js'
import { resolveCommit } from '../../git/git.js'
import validateProfile from '../../../generated/validators/profile.js'
import { decodeText } from '../../parse/text.js'
import { PUBLISHERS_DIR, PROFILE_FILE, profilePath } from '../../marketplace/paths.js'

/**
 * Every package folder's entries and every profile, from one `ls-tree -r` of publishers/. The
 * snapshot does not keep this listing: the caller holds it, and may drop a package's entries.
 */
export async function listPublishers(
  snapshot: Snapshot
): Promise<{ packages: Map<string, TreeEntry[]>; profiles: Map<string, TreeEntry> }> {
  const packages = new Map<string, TreeEntry[]>()
  const profiles = new Map<string, TreeEntry>()
  const entries = snapshot instanceof GitSnapshot ? await snapshot.walkOnce(PUBLISHERS_DIR) : await snapshot.walk(PUBLISHERS_DIR)
  for (const e of entries) {
    const parts = e.path.split('/')
    if (parts.length === 3 && parts[2] === PROFILE_FILE) profiles.set(parts[1] as string, e)
    if (parts.length < 4) continue
    const dir = parts.slice(0, 3).join('/')
    const list = packages.get(dir)
    if (list) list.push(e)
    else packages.set(dir, [e])
  }
  return { packages, profiles }
}

export async function readAuthor(
  snapshot: Snapshot,
  login: string,
  maxBytes: number,
  listed?: Map<string, TreeEntry>
): Promise<PluginAuthor | undefined> {
  const entry = listed ? listed.get(login) : await snapshot.stat(profilePath(login))
  if (entry?.kind !== 'file' || entry.size > maxBytes) return undefined
  const decoded = decodeText(await snapshot.read(entry, maxBytes))
  if (!decoded.ok) return undefined
  let profile: unknown
  try {
    profile = JSON.parse(decoded.text)
  } catch {
    return undefined
  }
  if (!validateProfile(profile)) return undefined
  const p = profile as Profile
  const author: PluginAuthor = { name: p.name }
  if (p.email !== undefined) author.email = p.email
  if (p.url !== undefined) author.url = p.url
  return author
}

/** One GitSnapshot (one cat-file process) per commit the build reads from. */
export class SnapshotPool {
  private readonly open = new Map<string, GitSnapshot>()

  constructor(private readonly repo: string) {}

  at(commit: string): GitSnapshot {
    let s = this.open.get(commit)
    if (!s) {
      // The build reads each file once: what was read ahead is let go as it is used, not held to the end.
      s = new GitSnapshot(this.repo, commit, { readOnce: true })
      this.open.set(commit, s)
    }
    return s
  }

  /** The snapshot of a commit the clone has, or undefined (a shallow clone, a rewritten history). */
  async existing(commit: string): Promise<GitSnapshot | undefined> {
    if (this.open.has(commit)) return this.open.get(commit)
    try {
      return this.at(await resolveCommit(this.repo, commit))
    } catch {
      return undefined
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((s) => s.close()))
  }
}
