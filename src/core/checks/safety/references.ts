// References that could lead an agent out of the package: Markdown links and images, HTML src/href,
// JavaScript imports, shell `source`, path-like JSON values and manifest fields. A reference is
// resolved the way a lenient client might (`\` as `/`, percent-decoding, `.` and `..`) and must
// stay inside the package; absolute, drive-letter, UNC, `~` and `file://` paths never do.
import path from 'node:path'
import type { Node as JsonNode } from 'jsonc-parser'
import type { Finding, Location } from '../../findings/findings.js'
import { finding } from '../../findings/findings.js'
import { matches, snippet, type TextFile } from './file.js'
import { markdownRegions, regionAt } from './markdown.js'
import { Prefilter } from './prefilter.js'
import { parseJsonTree } from './json.js'
import { PUBLISHERS_DIR } from '../../marketplace/paths.js'
import type { PackageRef } from '../../marketplace/paths.js'

export type Resolution =
  | { kind: 'inside'; resolved: string }
  | { kind: 'outside'; resolved: string }
  | { kind: 'absolute'; form: string }
  /** A URL with a scheme (https:, mailto:), an anchor, or a package name: not a path. */
  | { kind: 'not-a-path' }

const SCHEME = /^([a-z][a-z0-9+.-]*):/i

/**
 * Resolves `raw`, written in `fromDir` (relative to the marketplace root), against the package.
 * `bareIsPath`: whether a name without `./` is a path (Markdown links) or a module (imports).
 */
export function resolveReference(pkg: PackageRef, fromDir: string, raw: string, options: { bareIsPath: boolean }): Resolution {
  let ref = raw.trim().replace(/^<(.*)>$/, '$1')
  if (ref === '' || ref.startsWith('#') || ref.startsWith('?')) return { kind: 'not-a-path' }
  if (/^file:/i.test(ref)) return { kind: 'absolute', form: 'a file: URL' }
  // A drive letter (`C:\`, `c:/`, `C:x`) looks like a one-letter URL scheme; it is a path.
  if (/^[a-z]:/i.test(ref)) return { kind: 'absolute', form: 'a Windows drive path' }
  if (SCHEME.test(ref)) return { kind: 'not-a-path' }
  ref = ref.replace(/[?#].*$/, '')
  const decoded = percentDecode(ref).replaceAll('\\', '/')
  if (/^\/\//.test(decoded)) return { kind: 'absolute', form: 'a UNC or network path' }
  if (decoded.startsWith('/')) return { kind: 'absolute', form: 'an absolute path' }
  if (/^~[^/]*(?:\/|$)/.test(decoded)) return { kind: 'absolute', form: 'a home-directory path' }
  if (
    /^(?:\$\{?(?:HOME|USERPROFILE|APPDATA|LOCALAPPDATA|XDG_[A-Z_]+)\}?|%(?:USERPROFILE|APPDATA|LOCALAPPDATA|HOMEPATH|SYSTEMROOT)%)(?:\/|$)/i.test(
      decoded
    )
  ) {
    return { kind: 'absolute', form: 'a path under the home or system directory' }
  }
  if (/^[a-z]:/i.test(decoded)) return { kind: 'absolute', form: 'a Windows drive path' }
  if (!options.bareIsPath && !/^\.{1,2}(?:\/|$)/.test(decoded)) return { kind: 'not-a-path' }
  if (decoded === '') return { kind: 'not-a-path' }
  const resolved = path.posix.normalize(`${fromDir}/${decoded}`)
  return resolved === pkg.dir || resolved.startsWith(`${pkg.dir}/`) ? { kind: 'inside', resolved } : { kind: 'outside', resolved }
}

/** Percent-decoding until stable (at most 3 rounds, so `%252e` is seen as `.`); bad escapes stay. */
function percentDecode(s: string): string {
  let out = s
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(out); i++) {
    const next = out.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
    if (next === out) break
    out = next
  }
  return out
}

/** The finding for a reference that leaves the package, or none. */
export function referenceFinding(
  pkg: PackageRef,
  fromDir: string,
  raw: string,
  what: string,
  at: Location,
  bareIsPath: boolean
): Finding | undefined {
  const r = resolveReference(pkg, fromDir, raw, { bareIsPath })
  if (r.kind === 'outside') {
    const where = r.resolved === '..' || r.resolved.startsWith('../') ? 'outside the marketplace' : `to \`${r.resolved}\``
    return finding(
      'escape/path-outside',
      at,
      `${what} ${snippet(raw)} leads out of the package ${pkg.dir}: once \`\\\`, percent-escapes and \`..\` are resolved it points ${where}`,
      'Refer only to files inside your package, with a relative path such as `references/guide.md`; copy what you need into the package.'
    )
  }
  if (r.kind === 'absolute') {
    return finding(
      'escape/absolute-path',
      at,
      `${what} ${snippet(raw)} is ${r.form}: it names a file on the user's machine, outside the package`,
      'Use a path relative to the file, inside your package (such as `scripts/run.sh`), or a https URL for a web page.'
    )
  }
  return undefined
}

// Every repetition is bounded: a line of 100 KB of `![` must not cost a scan per character.
const MD_LINK = /!?\[(?:[^\]\\\n]|\\.){0,1000}\]\(\s*(<[^>\n]{0,2000}>|[^\s)]{1,2000})/g
const MD_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm
const HTML_REF =
  /<(?:a|img|script|link|iframe|source|embed|object)\b[^>]{0,1000}?\s(?:href|src|data)\s*=\s*("[^"]{0,2000}"|'[^']{0,2000}'|[^\s>]{1,2000})/gi
const JS_IMPORT =
  /\b(?:import|export)\s[^'";]{0,1000}?\bfrom\s*(['"])([^'"\n]+)\1|\bimport\s*(['"])([^'"\n]+)\3|\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\5\s*\)/g
const SHELL_SOURCE = /(?:^|[;&|(]\s*)(?:source|\.)[ \t]+(['"]?)([^\s;'"|&)]+)\1/gm

// Most Markdown files hold no link, definition or HTML reference at all: one pass finds out.
export const MARKDOWN_REFERENCES = new Prefilter([{ re: MD_LINK }, { re: MD_DEFINITION }, { re: HTML_REF }])

/** Links, imports and `source` lines in a text file that leave the package. */
export function referenceFindings(file: TextFile, present?: ReadonlySet<string>): Finding[] {
  const fromDir = path.posix.dirname(file.path)
  const out: Finding[] = []
  if (file.language === 'markdown') {
    const isSkillMd = /^skill\.md$/i.test(file.rel)
    for (const { re } of MARKDOWN_REFERENCES.candidates(file.text)) {
      for (const m of matches(re, file.text)) {
        const raw = (m[1] ?? '').replace(/^(["'])(.*)\1$/, '$2')
        const start = m.index + m[0].lastIndexOf(m[1] ?? '')
        if (inMarkdownCode(file, m.index)) continue
        const what = m[0].startsWith('!') || /^<img/i.test(m[0]) ? 'the image' : 'the link'
        const r = resolveReference(file.pkg, fromDir, raw, { bareIsPath: true })
        // A plainly spelled link into another package of the marketplace (a sibling skill, a
        // shared doc): reviewed there, and missing when this package is installed alone.
        if (r.kind === 'outside' && r.resolved.startsWith(`${PUBLISHERS_DIR}/`) && !/[\\%]/.test(raw)) {
          out.push(
            finding(
              'escape/other-package',
              locateRaw(file, start, raw.length),
              `${what} ${snippet(raw)} points into another package (\`${r.resolved}\`): it is reviewed with that package, not this one, and it is missing when this package is installed alone`,
              "Fine if the packages are installed together; otherwise copy what the skill needs into this package, or link to the other package's https page."
            )
          )
          continue
        }
        if (r.kind === 'inside' && present && isSkillMd && !present.has(r.resolved) && !/[*{}$<>]/.test(raw)) {
          out.push(
            finding(
              'skill-md/broken-link',
              locateRaw(file, start, raw.length),
              `${what} ${snippet(raw)} points at \`${r.resolved.slice(file.pkg.dir.length + 1)}\`, which the package does not have: the agent that follows it finds nothing`,
              'Add the file, correct the path (names are case-sensitive on most systems), or remove the link.'
            )
          )
          continue
        }
        checkReference(out, file, fromDir, raw, start, what, true)
      }
    }
  } else if (file.language === 'javascript') {
    for (const m of matches(JS_IMPORT, file.text)) {
      const raw = m[2] ?? m[4] ?? m[6] ?? ''
      checkReference(out, file, fromDir, raw, m.index + m[0].indexOf(raw), 'the import', false)
    }
  } else if (file.language === 'shell') {
    for (const m of matches(SHELL_SOURCE, file.text)) {
      const raw = m[2] ?? ''
      // A script may source the user's own set-up (`source ~/.nvm/nvm.sh`); only climbing out of
      // the package with `..` into another package is an escape there.
      if (resolveReference(file.pkg, fromDir, raw, { bareIsPath: true }).kind === 'outside')
        checkReference(out, file, fromDir, raw, m.index + m[0].lastIndexOf(raw), 'the sourced file', true)
    }
  } else if (file.language === 'json') {
    out.push(...jsonPathFindings(file))
  }
  return out
}

// The helpers below are module level, not closures made in every call of referenceFindings: the
// bundle names each closure it creates (esbuild's keepNames), a property write per closure per file.

function checkReference(
  out: Finding[],
  file: TextFile,
  fromDir: string,
  raw: string,
  start: number,
  what: string,
  bareIsPath: boolean
): void {
  const f = referenceFinding(file.pkg, fromDir, raw, what, locateRaw(file, start, raw.length), bareIsPath)
  if (f) out.push(f)
}

function inMarkdownCode(file: TextFile, offset: number): boolean {
  const r = regionAt(markdownRegions(file.text), offset)
  return r?.kind === 'fence' || r?.kind === 'inline-code'
}

function locateRaw(file: TextFile, start: number, length: number): Location {
  return { package: file.pkg.id, file: file.path, ...file.lines.range(start, start + length) }
}

// A JSON string that looks like a path: relative with `./` or `../`, absolute, home, UNC, drive, file:.
const PATH_LIKE = /^(?:\.{1,2}[\\/]|\.\.$|[\\/]|~[^\s]*[\\/]|~$|[a-z]:[\\/]|file:|%2e%2e|\$\{?HOME\b|%USERPROFILE%)/i

/** Path-like string values in a JSON file (server.json arguments, package.json fields...). */
export function jsonPathFindings(file: TextFile): Finding[] {
  const root = parseJsonTree(file.text)
  if (!root) return []
  const out: Finding[] = []
  const fromDir = path.posix.dirname(file.path)
  // server.json and client configs start programs with these paths; other JSON is data or settings.
  const launches = /(?:^|\/)server\.json$/.test(file.rel) || /"(?:mcpServers|servers|command|args)"\s*:/.test(file.text)
  const visit = (node: JsonNode, key: string | undefined) => {
    if (
      node.type === 'string' &&
      typeof node.value === 'string' &&
      PATH_LIKE.test(node.value) &&
      !isRoutePath(key, node.value) &&
      !isPattern(node.value) &&
      (launches || !isHarmlessAbsolute(node.value))
    ) {
      const f = referenceFinding(
        file.pkg,
        fromDir,
        node.value,
        `the value of \`${key ?? 'an item'}\``,
        locateRaw(file, node.offset, node.length),
        true
      )
      if (f) out.push(f)
    }
    if (node.type === 'property') {
      const [k, v] = node.children ?? []
      if (v) visit(v, typeof k?.value === 'string' ? k.value : key)
      return
    }
    for (const child of node.children ?? []) visit(child, key)
  }
  visit(root, undefined)
  return out
}

/** A regular expression or glob, not a path: `^/home/[^/]+/`, `/node_modules/|/dist/`. */
function isPattern(value: string): boolean {
  return /[\^$|()[\]{}*+?]|\\[dswb.]/.test(value.replace(/\{[A-Za-z_][\w-]*\}/g, ''))
}

/**
 * Absolute paths that name no file of the user's: container and build paths (`/usr/src/app`,
 * `/workspaces/x`, `/app`), temporary files (`/tmp/…`), and system programs. Home directories,
 * `/etc`, `/root`, devices, `/proc` and the Docker socket do name the user's files.
 */
function isHarmlessAbsolute(value: string): boolean {
  const v = value.replaceAll('\\', '/')
  if (/^(?:~|\$\{?HOME\b|%USERPROFILE%|file:|[a-z]:\/|\/\/)/i.test(v)) return false
  if (!v.startsWith('/')) return true
  return !/^\/(?:etc|root|home|Users|proc|sys|dev|private|var\/run\/docker\.sock|run\/docker\.sock|Library\/Keychains|System)(?:\/|$)/i.test(
    v
  )
}

/**
 * JSON pointers and HTTP routes (`"path": "/mcp"`) are not file paths: a value with one leading
 * `/` counts only when it starts at a system directory.
 */
function isRoutePath(key: string | undefined, value: string): boolean {
  if (key !== undefined && /^(?:\$ref|\$schema|\$id|\$comment|route|endpoint|pattern|pointer|url|href)$/i.test(key)) return true
  if (!/^\/(?!\/)/.test(value)) return false
  if (/\/:[A-Za-z_]|\/\{[A-Za-z_][\w-]*\}/.test(value)) return true
  return !/^\/(?:etc|home|root|users|var|usr|bin|sbin|dev|proc|sys|private|opt|mnt|media|volumes|library|system|tmp)(?:\/|$)/i.test(value)
}

/** The resolutions referenceFinding reports. */
function leavesPackage(r: Resolution): boolean {
  return r.kind === 'absolute' || r.kind === 'outside'
}

/** Manifest fields that name files or places: entrypoint, homepage, repository. */
export function manifestReferenceFindings(pkg: PackageRef, value: unknown, locate: (field: string) => Location): Finding[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return []
  const out: Finding[] = []
  const record = value as Record<string, unknown>
  const entrypoint = record.entrypoint
  // Located only when there is a finding: a position costs the manifest's full, positional parse.
  if (typeof entrypoint === 'string' && leavesPackage(resolveReference(pkg, pkg.dir, entrypoint, { bareIsPath: true }))) {
    const f = referenceFinding(pkg, pkg.dir, entrypoint, 'the manifest `entrypoint`', locate('entrypoint'), true)
    if (f) out.push(f)
  }
  for (const field of ['homepage', 'repository'] as const) {
    const v = record[field]
    if (typeof v !== 'string') continue
    // These are URLs: only a local path or a file: URL is a problem here.
    const r = resolveReference(pkg, pkg.dir, v, { bareIsPath: false })
    if (leavesPackage(r)) {
      const f = referenceFinding(pkg, pkg.dir, v, `the manifest \`${field}\``, locate(field), true)
      if (f) out.push(f)
    }
  }
  return out
}
