// The namespace check: a pull request changes only what its author owns.
//
// Every path the change touches (both sides of a rename) is judged on its own, so the publisher
// sees one finding per path it must take back:
// - a file the marketplace generates (registry.json, .claude-plugin/marketplace.json,
//   .well-known/, a package's review.json): nobody's to edit, even in the author's own namespace;
// - anything outside `publishers/<login>/` (workflows, the config, READMEs): maintainers only;
// - `publishers/<login>/...`: the author owns it (see ownership.ts), or, for a directory the base
//   does not have, it is named after the author.
// Marketplace maintainers (the base config's `maintainers`) may change anything; what they
// changed outside their own namespaces is listed in one notice. Deleting a package is allowed to
// its owner and reported as a removal.
import type { Check, CheckContext, CheckResult } from '../check.js'
import type { ChangedPath, ChangeSet } from '../../git/changes.js'
import { ConfigError } from '../../errors.js'
import { finding, type Finding } from '../../findings/findings.js'
import type { RuleId } from '../../findings/rules.js'
import { showName } from '../../marketplace/layout.js'
import { requireRange } from './range.js'
import { generatedFileKind } from '../../marketplace/generated.js'
import { BaseNamespaces, ownsNamespace, sameLogin, type Namespace } from './ownership.js'
import { packageRefOf, PUBLISHERS_DIR, PROFILE_FILE } from '../../marketplace/paths.js'

export const namespaceCheck: Check = {
  id: 'namespace',
  // Looks up the touched namespaces on the base (and lists publishers/ for a new one).
  waitsOnGit: true,
  async run(ctx: CheckContext): Promise<CheckResult> {
    const { base, changes } = requireRange(ctx, 'namespace')
    const author = ctx.author?.trim()
    if (!author) {
      throw new ConfigError(
        "the namespace check needs the pull request author: run it on a pull_request event, set the action's `author` input, or pass --author LOGIN"
      )
    }
    const isMaintainer = ctx.config.maintainers.some((m) => sameLogin(m, author))
    const namespaces = await BaseNamespaces.read(base, ctx.config)
    const restore = restoreCommand(changes.base)
    const findings: Finding[] = []
    const overridden: string[] = []
    const newDirs = new Map<string, Namespace>()
    const deletedPackages = new Set(changes.packages.filter((p) => p.status === 'deleted').map((p) => p.ref.id))

    for (const touch of touches(changes)) {
      const ns = namespaceOf(touch.path)
      const nsInfo = ns === undefined ? undefined : await namespaces.get(ns)
      if (nsInfo && !nsInfo.existed) newDirs.set(nsInfo.dir, nsInfo)
      // A package's review record goes with the package: deleting both is a removal, judged as one.
      const pkg = packageRefOf(touch.path)?.id
      const generated = touch.verb === 'delete' && pkg !== undefined && deletedPackages.has(pkg) ? undefined : generatedFileKind(touch.path)
      const problem = judge(touch, generated, nsInfo, author, restore)
      if (!problem) continue
      if (isMaintainer) overridden.push(touch.path)
      else findings.push(problem)
    }

    onePerPackage(findings, changes.base)

    // Whoever adds it, a second spelling of an existing namespace splits one account in two.
    for (const ns of newDirs.values()) {
      if (ns.caseTwin === undefined) continue
      findings.push(
        finding(
          'namespace/case-conflict',
          { file: `${PUBLISHERS_DIR}/${ns.dir}` },
          `${PUBLISHERS_DIR}/${showName(ns.dir)}/ differs only in case from the existing ${PUBLISHERS_DIR}/${showName(ns.caseTwin)}/: GitHub logins ignore case, so both would be one account's namespace`,
          `Move the files into ${PUBLISHERS_DIR}/${showName(ns.caseTwin)}/, spelled exactly so: git mv ${PUBLISHERS_DIR}/${showName(ns.dir)}/<package> ${PUBLISHERS_DIR}/${showName(ns.caseTwin)}/`
        )
      )
    }

    for (const change of changes.packages) {
      if (change.status !== 'deleted') continue
      const ns = await namespaces.get(change.ref.publisher)
      if (!isMaintainer && !ownsNamespace(ns, author)) continue // the paths above already say no
      const id = showName(change.ref.id)
      const moved = change.renamedTo
        ? ` Its files move to ${showName(change.renamedTo.id)}, a new package: installs of ${id} will not update to it.`
        : ''
      findings.push(
        finding(
          'namespace/removed',
          { package: change.ref.id, file: change.ref.dir },
          `${id} is deleted by this pull request: after the merge it leaves the registry, installed copies keep working but receive no updates, and new installs fail.${moved}`,
          `Nothing to fix if the removal is intended. Otherwise restore it: ${restore(change.ref.dir)}`
        )
      )
    }

    if (overridden.length) {
      findings.push(
        finding(
          'namespace/maintainer-override',
          {},
          `${showName(author)} is a marketplace maintainer (marketplace.config.yaml \`maintainers\`), so ${overridden.length} change(s) outside their own namespaces are allowed: ${listPaths(overridden)}`
        )
      )
    }
    return { findings }
  }
}

/**
 * One namespace/not-owner finding per package (or per namespace, for files outside a package),
 * with the file count: a pull request into someone else's package of 3,000 files is one problem.
 */
function onePerPackage(findings: Finding[], baseCommit: string): void {
  const groups = new Map<string, Finding[]>()
  for (const f of findings) {
    if (f.rule !== 'namespace/not-owner' || f.file === undefined) continue
    const key = packageRefOf(f.file)?.dir ?? f.file.split('/').slice(0, 2).join('/')
    groups.set(key, [...(groups.get(key) ?? []), f])
  }
  for (const [dir, group] of groups) {
    const first = group[0]
    if (!first || group.length < 2) continue
    const files = group.map((f) => f.file ?? '')
    const owner = /, which belongs to (.*)$/.exec(first.message)?.[1] ?? 'its owner'
    const who = /^(.*?) may not /.exec(first.message)?.[1] ?? 'The author'
    const merged = finding(
      'namespace/not-owner',
      { ...(first.package === undefined ? {} : { package: first.package }), file: dir },
      `${who} may not change ${group.length} files in \`${showName(dir)}/\` (${listPaths(files)}): it belongs to ${owner}`,
      `Undo the changes under ${showName(dir)}/ on your branch: \`git checkout ${baseCommit.slice(0, 12)} -- ${shellWord(dir)}\` restores the base's files, and \`git rm\` removes the ones you added. ` +
        (first.hint?.slice(Math.max(0, first.hint.indexOf('To work on'))) ?? '')
    )
    const at = findings.indexOf(first)
    for (const f of group) findings.splice(findings.indexOf(f), 1)
    findings.splice(at, 0, merged)
  }
}

/** One path a change touches, with what it does to it. */
interface Touch {
  path: string
  /** What the change does to the path, as a verb for messages: `add`, `change`, `delete`... */
  verb: string
  /** Whether the path exists on the base commit (decides how to undo the change). */
  onBase: boolean
}

const VERBS: Record<ChangedPath['status'], string> = {
  added: 'add',
  modified: 'change',
  deleted: 'delete',
  renamed: 'add',
  'type-changed': 'change the file type of'
}

/**
 * Every path the change touches, once. A rename touches two paths (the old one is deleted, the
 * new one added); a move between groups already arrives as a deletion plus a rename.
 */
function touches(changes: ChangeSet): Touch[] {
  const all = [...changes.packages.flatMap((p) => p.paths), ...changes.publishers.flatMap((p) => p.paths), ...changes.other]
  const out = new Map<string, Touch>()
  for (const c of all) {
    if (c.status === 'renamed' && c.oldPath !== undefined && !out.has(c.oldPath))
      out.set(c.oldPath, { path: c.oldPath, verb: 'delete', onBase: true })
    if (!out.has(c.path)) out.set(c.path, { path: c.path, verb: VERBS[c.status], onBase: c.status !== 'added' && c.status !== 'renamed' })
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** The namespace directory a path lies in (`publishers/<dir>/...`), or undefined. */
function namespaceOf(path: string): string | undefined {
  const parts = path.split('/')
  return parts.length >= 3 && parts[0] === PUBLISHERS_DIR && parts[1] ? parts[1] : undefined
}

/** What is wrong with one touched path, if anything; `generated` says what generated file it is. */
function judge(
  touch: Touch,
  generated: string | undefined,
  ns: Namespace | undefined,
  author: string,
  restore: (path: string) => string
): Finding | undefined {
  const path = showName(touch.path)
  const at = { package: packageRefOf(touch.path)?.id, file: touch.path }
  const undo = touch.onBase ? restore(touch.path) : `git rm -- ${shellWord(touch.path)}`
  const who = showName(author)
  const say = (rule: RuleId, message: string, hint: string) => finding(rule, at, message, hint)

  if (generated !== undefined) {
    return say(
      'namespace/generated-file',
      `\`${path}\` is ${generated}, written by the marketplace after each merge; a pull request must not ${touch.verb} it`,
      `Undo it on your branch: ${undo}. The marketplace rebuilds the file from the packages when the pull request is merged.`
    )
  }
  if (ns === undefined) {
    return say(
      'namespace/maintainers-only',
      `${who} may not ${touch.verb} \`${path}\`: files outside ${PUBLISHERS_DIR}/<login>/ belong to the marketplace, and only its maintainers (marketplace.config.yaml \`maintainers\`) change them`,
      `Undo it on your branch: ${undo}. If the marketplace needs this change, open an issue for its maintainers.`
    )
  }
  const dir = `${PUBLISHERS_DIR}/${showName(ns.dir)}/`
  if (!ns.existed) {
    if (sameLogin(ns.dir, author)) return undefined // a new namespace of the author's own (a case twin is reported once, above)
    return say(
      'namespace/new-publisher',
      `${who} may not ${touch.verb} \`${path}\`: ${dir} is a new namespace, and a new namespace must be named after the pull request's author (${who})`,
      `Put your packages under ${PUBLISHERS_DIR}/${who}/ instead: git mv ${dir}<package> ${PUBLISHERS_DIR}/${who}/`
    )
  }
  if (ownsNamespace(ns, author)) return undefined
  const owners = [showName(ns.dir), ...ns.maintainers.map(showName)]
  const ownedBy = owners.length > 1 ? `${owners[0] ?? ''} and its maintainers ${owners.slice(1).join(', ')}` : (owners[0] ?? '')
  return say(
    'namespace/not-owner',
    `${who} may not ${touch.verb} \`${path}\`: it is in ${dir}, which belongs to ${ownedBy}`,
    `Undo it on your branch: ${undo}. To work on these packages, ask ${showName(ns.dir)} to add "${who}" to "maintainers" in ${dir}${PROFILE_FILE} first ` +
      '(ownership is read from the base branch, so adding yourself in this pull request does not count).'
  )
}

/** `git checkout <base> -- <path>`: how a publisher takes back a change to a file the base has. */
function restoreCommand(baseCommit: string): (path: string) => string {
  return (path) => `git checkout ${baseCommit.slice(0, 12)} -- ${shellWord(path)}`
}

/** A path as one shell word (quoted when it holds anything but plain path characters). */
function shellWord(path: string): string {
  const shown = showName(path)
  return /^[\w./@+-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`
}

const SHOWN_PATHS = 5

function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN_PATHS).map((p) => showName(p))
  const more = paths.length - shown.length
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ')
}
