// publishers/<login>/profile.json: present, strict JSON, valid by the profile schema, and not
// claiming another login.
import type { ListedEntry, Snapshot } from '../../snapshot/types.js'
import type { Profile } from '../../../generated/schema-types.js'
import type { ResolvedConfig } from '../../config/config.js'
import { finding, type Finding } from '../../findings/findings.js'
import { parseJson } from '../../parse/located-json.js'
import { schemaFindings } from '../../parse/schema-findings.js'
import validateProfile from '../../../generated/validators/profile.js'
import { showName } from '../../marketplace/layout.js'
import { readTextSteps } from '../read-text.js'
import { runOn, statEntry, type Steps } from '../steps.js'
import { problemsToFindings } from '../parse-problems.js'
import { PUBLISHERS_DIR, PROFILE_FILE } from '../../marketplace/paths.js'

export function checkProfile(snapshot: Snapshot, login: string, config: ResolvedConfig): Promise<Finding[]> {
  return runOn(snapshot, profileSteps(login, config))
}

/** checkProfile as steps (checks/steps.ts). */
export function* profileSteps<E extends ListedEntry>(login: string, config: ResolvedConfig): Steps<Finding[], E> {
  const file = `${PUBLISHERS_DIR}/${login}/${PROFILE_FILE}`
  const entry = yield* statEntry<E>(file)
  if (!entry || entry.kind !== 'file') {
    const what = entry ? `is a ${entry.kind}, not a regular file` : 'is missing'
    return [
      finding(
        'profile/missing',
        { file },
        `${file} ${what}`,
        `Add ${file} with at least {"name": "Your Name"}; see docs/formats/profile.md.`
      )
    ]
  }
  const read = yield* readTextSteps(entry, config.limits.manifest_bytes)
  if (read.text === undefined) return read.findings
  const parsed = parseJson(read.text)
  if (!parsed.doc) return problemsToFindings(parsed.problems, { file })
  const findings = schemaFindings(validateProfile, {
    rule: 'profile/schema',
    doc: parsed.doc,
    at: { file },
    noun: 'profile',
    syntax: 'json'
  })
  const claimed = (parsed.doc.value as Profile | null)?.login
  if (typeof claimed === 'string' && claimed.toLowerCase() !== login.toLowerCase()) {
    findings.push(
      finding(
        'profile/login-mismatch',
        { file, ...parsed.doc.locate(['login']) },
        `profile.json says login \`${showName(claimed)}\`, but it is in the namespace \`${showName(login)}\``,
        `Set "login": "${login}" or remove the field.`
      )
    )
  }
  return findings
}
