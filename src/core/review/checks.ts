// The checks a pull-request review runs, in one place: the `review` command (and any adapter
// that reviews a whole change) takes this list, so adding a check here adds it everywhere.
import type { Check } from '../checks/check.js'
import { validateCheck } from '../checks/validate/index.js'
import { safetyCheck } from '../checks/safety/index.js'
import { versionBumpCheck } from '../checks/release/version-bump.js'
import { namespaceCheck } from '../checks/release/namespace.js'

export const REVIEW_CHECKS: readonly Check[] = [validateCheck, safetyCheck, versionBumpCheck, namespaceCheck]

/**
 * What a re-audit runs over packages at rest (every package at a commit, `--all` or a shard):
 * the version and namespace rules judge a change, so only the checks of a package's own content.
 */
export const RE_AUDIT_CHECKS: readonly Check[] = [validateCheck, safetyCheck]
