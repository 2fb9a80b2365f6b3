// One package's safety scan: its tree listing first (links, submodules, names, sizes: nothing is
// read for these), then each regular file under the file limit, at most `files_per_package` of
// them. A 100 MB file is a finding, never read; 100,000 files end with a finding after the first
// 500. Nothing is executed, imported or followed. The same function runs on the main thread and
// in the scan's worker threads (threads.ts).
import type { Limits } from '../../config/config.js'
import type { RuleId } from '../../findings/rules.js'
import type { Snapshot, TreeEntry } from '../../snapshot/types.js'
import { FileTooLargeError } from '../../snapshot/types.js'
import { DirectorySnapshot } from '../../snapshot/directory-snapshot.js'
import { finding, type Finding } from '../../findings/findings.js'
import { parseYaml } from '../../parse/located.js'
import { makeTextFile, type TextFile } from './file.js'
import { entryKindFindings, nameFindings } from './entries.js'
import { gitMetadataFindings } from './git-metadata.js'
import { classifyContent, contentFinding, fileSizeFinding, packageSizeFindings } from './content-type.js'
import { manifestReferenceFindings, referenceFindings } from './references.js'
import { mixedScriptFindings, unicodeFindings } from './unicode.js'
import { findSecrets, secretFindings } from './secrets.js'
import { redactFinding } from '../../findings/redact.js'
import { injectionFindings } from './injection.js'
import { codeFindings, installHookFindings } from './code.js'
import { mcpFindings } from './mcp.js'
import { type PackageRef, MANIFEST_FILE } from '../../marketplace/paths.js'
import { PrefetchedSnapshot, READ_BUDGET_FACTOR, readBudgetEnd } from './prefetch.js'

export { READ_BUDGET_FACTOR }

/** A file full of one problem reports this many, then one line saying how many more. */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 20

/** What one package's scan found: its findings (secrets masked) and the secret values. */
export interface PackageScan {
  findings: Finding[]
  secrets: string[]
}

/** Every safety finding of one package, secrets masked. */
export async function scanPackage(snapshot: Snapshot, pkg: PackageRef, limits: Limits): Promise<Finding[]> {
  return (await scanPackageSecrets(snapshot, pkg, limits)).findings
}

/** The safety findings of one package (secrets masked) and the secret values found in it. */
export async function scanPackageSecrets(snapshot: Snapshot, pkg: PackageRef, limits: Limits): Promise<PackageScan> {
  const entries = await snapshot.walk(pkg.dir)
  const scanned = entries.slice(0, limits.files_per_package)
  const findings: Finding[] = [
    ...packageSizeFindings(pkg, entries, limits),
    ...entryKindFindings(pkg, scanned),
    ...nameFindings(pkg, scanned),
    ...gitMetadataFindings(pkg, scanned)
  ]
  const secrets: string[] = []
  // A package over its size limit already fails; past four times the limit the rest is not read,
  // so a package of 500 files of 100 KB each costs a bounded scan, not 50 MB of regexes.
  const { end, read } = readBudgetEnd(scanned, limits)
  // What SKILL.md's links may point at: every path the package has (files and their folders).
  let present: Set<string> | undefined
  for (const entry of scanned.slice(0, end)) {
    if (entry.kind !== 'file') continue
    const text = await readText(snapshot, pkg, entry, limits, findings)
    if (text === undefined) continue
    const skill = /^skill\.md$/i.test(entry.path.slice(pkg.dir.length + 1))
    scanFile(pkg, entry.path, text, skill ? (present ??= packagePaths(pkg.dir, entries)) : undefined, findings, secrets)
  }
  // After the files read, where the scan stopped.
  if (end < scanned.length) {
    const stop = scanned[end] as TreeEntry
    const rest = scanned.slice(end).filter((e) => e.kind === 'file').length
    findings.push(
      finding(
        'size/package',
        { package: pkg.id, file: stop.path },
        `the scan stopped here after reading ${read.toLocaleString('en-US')} bytes (four times the package limit); ${rest} file${rest === 1 ? '' : 's'} from this one on were not scanned`,
        'Bring the package under its size limit; the next scan then reads every file.'
      )
    )
  }
  // No output may carry a secret, whichever detector quoted the line it sits on.
  return { findings: secrets.length ? findings.map((f) => redactFinding(f, secrets)) : findings, secrets }
}

/**
 * One file's findings and secret values, added to `findings` and `secrets`. Apart from the package
 * loop: the detectors' results change shape as the first findings appear (empty arrays, then arrays
 * of findings), and each change discards the optimized code of the function they are inlined into.
 * Here that is this synchronous function, not the package scan's asynchronous one with its loop.
 */
function scanFile(
  pkg: PackageRef,
  path: string,
  text: string,
  present: ReadonlySet<string> | undefined,
  findings: Finding[],
  secrets: string[]
): void {
  const file = makeTextFile(pkg, path, text)
  const hits = findSecrets(text, { docs: file.language === 'markdown' })
  for (const h of hits) secrets.push(h.value)
  // concat and push.apply (builtin calls), not spreads or loops over the detectors' arrays: those are
  // compiled for the shapes seen so far, and a detector's first finding (an array of objects after
  // empty ones) would discard the code (--trace-deopt; `push(...found)` inlined scanFile into the
  // package loop again). A file has a few dozen findings at most (capPerRule): well within apply's
  // argument limit.
  const found = capPerRule(NO_FINDINGS.concat(secretFindings(file, hits), scanText(file, present)))
  Array.prototype.push.apply(findings, found)
  if (path === `${pkg.dir}/${MANIFEST_FILE}`) Array.prototype.push.apply(findings, manifestFindings(file))
}

/** The receiver of the concat calls: always empty, so always one shape. */
const NO_FINDINGS: readonly Finding[] = Object.freeze([])

/** Every detector that reads a file's text (secrets aside: their values are needed for redaction). */
export function scanText(file: TextFile, present?: ReadonlySet<string>): Finding[] {
  // concat, not spreads (see scanFile).
  return NO_FINDINGS.concat(
    unicodeFindings(file),
    mixedScriptFindings(file),
    referenceFindings(file, present),
    injectionFindings(file),
    codeFindings(file),
    installHookFindings(file),
    mcpFindings(file)
  )
}

/** Paths inside the package (relative to the marketplace root), files and their folders. */
function packagePaths(dir: string, entries: readonly TreeEntry[]): Set<string> {
  const out = new Set<string>([dir])
  for (const e of entries) {
    out.add(e.path)
    for (let i = e.path.lastIndexOf('/'); i > dir.length; i = e.path.lastIndexOf('/', i - 1)) out.add(e.path.slice(0, i))
  }
  return out
}

/** A regular file's text, or undefined (with a finding when it is too large or not text). */
async function readText(
  snapshot: Snapshot,
  pkg: PackageRef,
  entry: TreeEntry,
  limits: Limits,
  findings: Finding[]
): Promise<string | undefined> {
  // The spec's limit is "under 100 KB": a file of exactly file_bytes is already too large.
  if (entry.size >= limits.file_bytes) {
    findings.push(fileSizeFinding(pkg, entry, limits))
    return undefined
  }
  let bytes: Uint8Array
  try {
    // A directory's file is decoded at once (classifyContent keeps only the text): it is read into
    // the snapshot's scratch buffer, without a copy or a promise per file; a prefetched one (read by
    // another thread, threads.ts) is already in memory.
    bytes =
      snapshot instanceof DirectorySnapshot
        ? snapshot.readNow(entry, limits.file_bytes - 1, true)
        : snapshot instanceof PrefetchedSnapshot
          ? snapshot.readNow(entry, limits.file_bytes - 1)
          : await snapshot.read(entry, limits.file_bytes - 1)
  } catch (e) {
    // Grew between listing and reading (a directory source being edited).
    if (e instanceof FileTooLargeError) {
      findings.push(fileSizeFinding(pkg, { ...entry, size: e.size }, limits))
      return undefined
    }
    throw e
  }
  const content = classifyContent(entry.path, bytes)
  const problem = contentFinding(pkg, entry, content)
  if (problem) findings.push(problem)
  return content.kind === 'text' ? content.text : undefined
}

/** Manifest fields that name files or URLs must stay inside the package (descriptions are scanned with the file's text). */
function manifestFindings(file: TextFile): Finding[] {
  const parsed = parseYaml(file.text, { maxAliases: 0 })
  if (!parsed.doc) return [] // the validate check reports why
  const doc = parsed.doc
  return manifestReferenceFindings(file.pkg, doc.value, (field) => ({ package: file.pkg.id, file: file.path, ...doc.locate([field]) }))
}

/** At most MAX_FINDINGS_PER_RULE_AND_FILE per rule, then one finding that counts the rest. */
function capPerRule(findings: Finding[]): Finding[] {
  const byRule = new Map<string, Finding[]>()
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f])
  const out: Finding[] = []
  for (const [rule, list] of byRule) {
    const sorted = list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    out.push(...sorted.slice(0, MAX_FINDINGS_PER_RULE_AND_FILE))
    const next = sorted[MAX_FINDINGS_PER_RULE_AND_FILE]
    if (next) {
      const rest = sorted.length - MAX_FINDINGS_PER_RULE_AND_FILE
      const at = { package: next.package, file: next.file, line: next.line, column: next.column }
      out.push(
        finding(
          next.rule as RuleId,
          at,
          `${rest} more ${rule} finding${rest === 1 ? '' : 's'} in this file from here on are not listed`,
          next.hint
        )
      )
    }
  }
  return out
}
