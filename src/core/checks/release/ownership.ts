// Who owns a namespace, as the base commit says. `publishers/<dir>/` belongs to the GitHub login
// equal to <dir> ignoring case (GitHub logins ignore case), and to the logins its profile.json
// lists in `maintainers`. Everything is read from the base, never from the head: a pull request
// must not grant itself ownership by adding its author to a profile it then uses.
import type { Snapshot } from '../../snapshot/types.js'
import type { ResolvedConfig } from '../../config/config.js'
import { LOGIN_PATTERN, baseName } from '../../marketplace/layout.js'
import { parseJson } from '../../parse/located.js'
import { readText } from '../read-text.js'
import { PROFILE_FILE, PUBLISHERS_DIR } from '../../marketplace/paths.js'

export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

export interface Namespace {
  /** The directory name under publishers/, as written. */
  dir: string
  /** Whether `publishers/<dir>/` exists on the base commit. */
  existed: boolean
  /** Logins the base commit's profile.json lists in `maintainers`. */
  maintainers: string[]
  /** For a new directory: an existing one whose name differs only in case. */
  caseTwin?: string
}

export function ownsNamespace(ns: Namespace, login: string): boolean {
  return sameLogin(ns.dir, login) || ns.maintainers.some((m) => sameLogin(m, login))
}

/**
 * The namespaces of the base commit, read as they are asked for: each one a path lookup (answered
 * from the listing the review already made of the changed publishers' profiles), so a review
 * costs the same however many publishers the marketplace has. Only a namespace the base does not
 * have lists publishers/, once, to find an existing spelling that differs only in case.
 */
export class BaseNamespaces {
  private readonly cache = new Map<string, Promise<Namespace>>()
  private all: Promise<string[]> | undefined

  private constructor(
    private readonly base: Snapshot,
    private readonly config: ResolvedConfig
  ) {}

  static read(base: Snapshot, config: ResolvedConfig): Promise<BaseNamespaces> {
    return Promise.resolve(new BaseNamespaces(base, config))
  }

  get(dir: string): Promise<Namespace> {
    let ns = this.cache.get(dir)
    if (!ns) {
      ns = this.load(dir)
      this.cache.set(dir, ns)
    }
    return ns
  }

  private async load(dir: string): Promise<Namespace> {
    // Once publishers/ is listed (a new namespace came first), it answers the others too.
    const existed = this.all ? (await this.all).includes(dir) : (await this.base.stat(`${PUBLISHERS_DIR}/${dir}`))?.kind === 'directory'
    if (existed) return { dir, existed: true, maintainers: await this.maintainers(dir) }
    const twin = (await this.directories()).find((d) => sameLogin(d, dir))
    return twin === undefined ? { dir, existed: false, maintainers: [] } : { dir, existed: false, maintainers: [], caseTwin: twin }
  }

  /** Every namespace directory of the base, listed once and only when a new namespace needs it. */
  private directories(): Promise<string[]> {
    this.all ??= this.base
      .list(PUBLISHERS_DIR)
      .then((entries) => entries.filter((e) => e.kind === 'directory').map((e) => baseName(e.path)))
    return this.all
  }

  /**
   * `maintainers` from the base profile. The profile was reviewed when it was merged; what cannot
   * be read grants nothing, and only entries shaped like logins count.
   */
  private async maintainers(dir: string): Promise<string[]> {
    const entry = await this.base.stat(`${PUBLISHERS_DIR}/${dir}/${PROFILE_FILE}`)
    if (!entry || entry.kind !== 'file') return []
    const read = await readText(this.base, entry, this.config.limits.manifest_bytes)
    if (read.text === undefined) return []
    const parsed = parseJson(read.text)
    const value = parsed.doc?.value
    if (!value || typeof value !== 'object' || Array.isArray(value)) return []
    const list = (value as { maintainers?: unknown }).maintainers
    return Array.isArray(list) ? list.filter((m): m is string => typeof m === 'string' && LOGIN_PATTERN.test(m)) : []
  }
}
