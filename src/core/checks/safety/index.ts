// The safety check (check.ts) and the scan of one package or text (package-scan.ts). Commands
// that only run the check import check.ts, which loads the detectors when it first needs them.
export { createSafetyCheck, safetyCheck, type SafetyCheckOptions } from './check.js'
export { scanPackage, scanText, MAX_FINDINGS_PER_RULE_AND_FILE, READ_BUDGET_FACTOR } from './package-scan.js'
export { PACKAGES_IN_FLIGHT } from './threads.js'
