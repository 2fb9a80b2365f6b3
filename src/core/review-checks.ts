// The checks a pull-request review runs, in one place: the `review` command (and any adapter
// that reviews a whole change) takes this list, so adding a check here adds it everywhere.
import type { Check } from './pipeline.js'
import { validateCheck } from './validate.js'
import { safetyCheck } from './safety/index.js'
import { versionBumpCheck } from './release/version-bump.js'
import { namespaceCheck } from './release/namespace.js'

export const REVIEW_CHECKS: readonly Check[] = [validateCheck, safetyCheck, versionBumpCheck, namespaceCheck]
