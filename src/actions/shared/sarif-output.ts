// The `sarif` input and output of the actions that write SARIF (safety-scan and the root review),
// for github/codeql-action/upload-sarif.
import * as core from '@actions/core'
import type { Review } from '../../core/review/review.js'
import { toSarif } from '../../report/sarif.js'
import { writeJsonAtomic } from '../../io/write-json.js'
import { stringInput } from './inputs.js'
import { pathOrScratch, type Env } from './runner-paths.js'

export async function writeSarifOutput(env: Env, review: Review, defaultName: string): Promise<void> {
  const file = pathOrScratch(env, stringInput('sarif'), defaultName)
  await writeJsonAtomic(file, toSarif(review))
  core.setOutput('sarif', file)
}
