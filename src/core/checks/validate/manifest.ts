// manifest.yaml: parsed safely, valid by the manifest schema, named like its directory.
import type { Manifest } from '../../../generated/schema-types.js'
import type { ListedEntry, Snapshot, TreeEntry } from '../../snapshot/types.js'
import type { ResolvedConfig } from '../../config/config.js'
import { finding, type Finding, type Location } from '../../findings/findings.js'
import { schemaFindings } from '../../parse/schema-findings.js'
import validateManifest from '../../../generated/validators/manifest.js'
import { baseName, showName } from '../../marketplace/layout.js'
import { readTextSteps } from '../read-text.js'
import { runOn, type Steps } from '../steps.js'
import { parseYamlSteps } from '../yaml-steps.js'
import { problemsToFindings } from '../parse-problems.js'
import { type PackageRef, MANIFEST_FILE } from '../../marketplace/paths.js'

export interface ManifestResult {
  findings: Finding[]
  /** The parsed manifest when it parsed; its fields are only trusted where the schema passed. */
  manifest?: Partial<Manifest>
  /** True when the manifest passed its schema. */
  valid: boolean
  /** Where a manifest field stands, for findings about what the field says. */
  fieldAt?: (field: string) => Location
}

export function checkManifest(snapshot: Snapshot, ref: PackageRef, files: TreeEntry[], config: ResolvedConfig): Promise<ManifestResult> {
  return runOn(snapshot, manifestSteps(ref, files, config))
}

/** checkManifest as steps (checks/steps.ts), for any listing of the package's files. */
export function* manifestSteps<E extends ListedEntry>(
  ref: PackageRef,
  files: readonly E[],
  config: ResolvedConfig
): Steps<ManifestResult, E> {
  const file = `${ref.dir}/${MANIFEST_FILE}`
  const at = { package: ref.id, file }
  const entry = files.find((f) => f.path === file)
  if (!entry || entry.kind !== 'file') {
    const lookalike = files.find(
      (f) => /^manifest\.(ya?ml|json)$/i.test(baseName(f.path)) && f.path.split('/').length === file.split('/').length
    )
    const message = entry ? `${MANIFEST_FILE} is a ${entry.kind}; it must be a regular file` : `package ${ref.id} has no ${MANIFEST_FILE}`
    const hint = lookalike && lookalike !== entry ? `Rename ${baseName(lookalike.path)} to ${MANIFEST_FILE}.` : undefined
    return { findings: [finding('manifest/missing', at, message, hint)], valid: false }
  }

  const read = yield* readTextSteps(entry, config.limits.manifest_bytes, ref.id)
  if (read.text === undefined) return { findings: read.findings, valid: false }
  const parsed = yield* parseYamlSteps<E>(read.text, { maxAliases: config.limits.yaml_aliases })
  if (!parsed.doc) return { findings: problemsToFindings(parsed.problems, at), valid: false }

  const findings = schemaFindings(validateManifest, { rule: 'manifest/schema', doc: parsed.doc, at, noun: 'manifest' })
  const value = parsed.doc.value
  const manifest = value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<Manifest>) : undefined
  if (typeof manifest?.name === 'string' && manifest.name !== ref.name) {
    findings.push(
      finding(
        'manifest/name-mismatch',
        { ...at, ...parsed.doc.locate(['name']) },
        `manifest name \`${showName(manifest.name)}\` differs from its directory \`${showName(ref.name)}\``,
        `Set \`name: ${ref.name}\`, or rename the directory to \`${showName(manifest.name)}\` if that is the intended name.`
      )
    )
  }
  const doc = parsed.doc
  return { findings, manifest, valid: findings.length === 0, fieldAt: (field) => ({ ...at, ...doc.locate([field]) }) }
}
