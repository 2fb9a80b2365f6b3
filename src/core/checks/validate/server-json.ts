// server.json of an MCP server package: strict JSON, the MCP server.json rules as
// schemas/server-json.schema.json writes them, and what a schema cannot say: a version must be one
// exact version (not `latest` or a range) and should equal the manifest's.
import semver from 'semver'
import schema from '../../../../schemas/server-json.schema.json' with { type: 'json' }
import { finding, type Finding } from '../../findings/findings.js'
import { parseJson } from '../../parse/located-json.js'
import type { JsonPath, LocatedDocument } from '../../parse/located-base.js'
import { formatPath, showValue } from '../../parse/schema-check.js'
import { schemaFindings } from '../../parse/schema-findings.js'
import { suggest } from '../../parse/suggest.js'
import validateServerJson from '../../../generated/validators/server-json.js'
import { problemsToFindings } from '../parse-problems.js'

export interface ServerJsonContext {
  package: string
  /** Path of server.json in the marketplace repo, as findings show it. */
  file: string
  /** The manifest's `version`, when known: server.json should carry the same one. */
  manifestVersion?: string
}

export function checkServerJson(text: string, ctx: ServerJsonContext): Finding[] {
  const at = { package: ctx.package, file: ctx.file }
  const parsed = parseJson(text)
  if (!parsed.doc) return problemsToFindings(parsed.problems, at)
  const doc = parsed.doc

  const findings = schemaFindings(validateServerJson, { rule: 'server-json/schema', doc, at, noun: 'server.json', syntax: 'json' })
  if (!isRecord(doc.value)) return findings

  const version = doc.value.version
  const range = typeof version === 'string' ? versionRangeProblem(version) : undefined
  if (range !== undefined) {
    findings.push(rangeFinding(doc, ['version'], version as string, range, ctx))
  } else if (typeof version === 'string' && version !== '' && ctx.manifestVersion !== undefined && version !== ctx.manifestVersion) {
    findings.push(
      finding(
        'server-json/version-mismatch',
        { ...at, ...doc.locate(['version']) },
        `server.json \`version\` is ${showValue(version)}, but manifest.yaml says version ${showValue(ctx.manifestVersion)}`,
        `Set "version": ${JSON.stringify(ctx.manifestVersion)} in server.json, and change both together from now on, so users and update checks see one version.`
      )
    )
  }

  const packages = doc.value.packages
  if (Array.isArray(packages)) {
    packages.forEach((pkg: unknown, i) => {
      const v = isRecord(pkg) ? pkg.version : undefined
      const problem = typeof v === 'string' ? versionRangeProblem(v) : undefined
      if (problem !== undefined)
        findings.push(rangeFinding(doc, ['packages', i, 'version'], v as string, problem, { ...ctx, manifestVersion: undefined }))
    })
  }

  findings.push(...unknownFields(doc, doc.value, schema as SchemaNode, [], at))
  findings.push(...templateFindings(doc, doc.value, at))
  const name = doc.value.name
  const login = ctx.package.split('/')[0] ?? ''
  const owner = typeof name === 'string' ? /^io\.github\.([^/]+)\//i.exec(name)?.[1] : undefined
  if (owner !== undefined && login !== '' && owner.toLowerCase() !== login.toLowerCase()) {
    findings.push(
      finding(
        'server-json/name-not-owned',
        { ...at, ...doc.locate(['name']) },
        `server.json \`name\` is ${showValue(name)}, in the namespace of the GitHub account \`${owner}\`, but this package is published by \`${login}\``,
        `Name the server \`io.github.${login}/${typeof name === 'string' ? name.slice(name.indexOf('/') + 1) : '<server>'}\`, or use a domain you own (\`com.example/<server>\`).`
      )
    )
  }
  return findings
}

/** Unfilled release templates (`${VERSION}`, `{{version}}`, `<version>`, `__VERSION__`, `$VERSION`). */
const UNFILLED_TEMPLATE = /\$\{[A-Za-z_][\w.-]*\}|\{\{\s*[\w.-]+\s*\}\}|^<[\w -]+>$|__[A-Z][A-Z0-9_]*__|\$[A-Z][A-Z0-9_]{2,}\b/

/** Values with release templates nobody filled in: the client would take them literally. */
function templateFindings(doc: LocatedDocument, value: Record<string, unknown>, at: { package: string; file: string }): Finding[] {
  const out: Finding[] = []
  const visit = (v: unknown, path: JsonPath, depth: number) => {
    if (depth > 8) return
    if (typeof v === 'string') {
      const field = path[path.length - 1]
      // Only the fields that say what is installed or contacted; descriptions may show templates.
      if ((field === 'version' || field === 'identifier' || field === 'url' || field === 'fileSha256') && UNFILLED_TEMPLATE.test(v)) {
        out.push(
          finding(
            'server-json/unfilled-template',
            { ...at, ...doc.locate(path) },
            `server.json \`${formatPath(path)}\` is ${showValue(v)}, a template that was never filled in: clients would take it literally`,
            'Write the real value here; if a release script fills it in, run it before opening the pull request.'
          )
        )
      }
      return
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i], depth + 1))
    else if (isRecord(v))
      for (const [k, x] of Object.entries(v)) if (k !== '_meta' && k !== 'description') visit(x, [...path, k], depth + 1)
  }
  visit(value, [], 0)
  return out
}

/**
 * Why `version` names no single version, or undefined when it does. Ranges are what npm's semver
 * reads as a range but not as a version; bare numbers such as `1.0` or `20240115` are left alone,
 * because the MCP registry accepts versions that are not semantic versions.
 */
export function versionRangeProblem(version: string): string | undefined {
  const v = version.trim()
  if (v === '') return undefined
  if (v.toLowerCase() === 'latest') return '`latest` names no version'
  if (v === '*' || v.toLowerCase() === 'x') return 'that wildcard matches every version'
  if (semver.valid(v) !== null || /^v?\d+(\.\d+)?$/.test(v)) return undefined
  return semver.validRange(v) !== null ? 'that is a version range, not a version' : undefined
}

function rangeFinding(doc: LocatedDocument, path: JsonPath, version: string, problem: string, ctx: ServerJsonContext): Finding {
  const exact = ctx.manifestVersion ?? lowestVersion(version)
  const field = formatPath(path)
  return finding(
    'server-json/version-range',
    { package: ctx.package, file: ctx.file, ...doc.locate(path) },
    `server.json \`${field}\` is ${showValue(version)}; ${problem}, and it must be one exact version`,
    `Published MCP server metadata is immutable per version, and the MCP registry rejects ranges and \`latest\`. Write the exact version, e.g. "${field.split('.').pop()}": ${JSON.stringify(exact)}${ctx.manifestVersion !== undefined ? " (the manifest's version)" : ''}.`
  )
}

/** The range's lowest version, which is usually the one the publisher meant. */
function lowestVersion(range: string): string {
  try {
    const min = semver.minVersion(range.trim())?.version
    if (min !== undefined && min !== '0.0.0') return min
  } catch {
    // `latest` and other non-ranges have no lowest version.
  }
  return '1.0.0'
}

interface SchemaNode {
  $ref?: string
  properties?: Record<string, SchemaNode>
  additionalProperties?: boolean | SchemaNode
  items?: SchemaNode
}

const DEFS = (schema as { $defs: Record<string, SchemaNode> }).$defs

/**
 * The MCP schema lets any key through, so a misspelt `websiteURL` or `enviromentVariables` would
 * be silently ignored by clients. These are warnings, never errors, so that what the MCP schema
 * accepts still passes; `_meta` (`additionalProperties: true`) is the place for free-form data.
 */
function unknownFields(
  doc: LocatedDocument,
  value: unknown,
  node: SchemaNode,
  path: JsonPath,
  at: { package: string; file: string }
): Finding[] {
  while (node.$ref !== undefined) {
    const next = DEFS[node.$ref.replace('#/$defs/', '')]
    if (!next) return []
    node = next
  }
  if (Array.isArray(value)) {
    const items = node.items
    return items ? value.flatMap((v: unknown, i) => unknownFields(doc, v, items, [...path, i], at)) : []
  }
  if (!isRecord(value) || node.additionalProperties === true) return []
  const known = node.properties ?? {}
  const out: Finding[] = []
  for (const key of Object.keys(value)) {
    const sub = Object.hasOwn(known, key)
      ? known[key]
      : typeof node.additionalProperties === 'object'
        ? node.additionalProperties
        : undefined
    if (sub) {
      out.push(...unknownFields(doc, value[key], sub, [...path, key], at))
    } else if (node.properties) {
      const names = Object.keys(known)
      const guess = suggest(key, names)
      const where = path.length ? `\`${formatPath(path)}\`` : 'server.json'
      out.push(
        finding(
          'server-json/unknown-field',
          { ...at, ...doc.locate([...path, key], 'key') },
          `${where} has a field \`${key}\` that the MCP server.json format does not define; clients ignore it`,
          guess
            ? `Did you mean \`${guess}\`? Field names are case-sensitive.`
            : `Known fields here: ${names.map((n) => `\`${n}\``).join(', ')}. Remove it, or keep data of your own in the top-level \`_meta\` object under a reverse-DNS key.`
        )
      )
    }
  }
  return out
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
