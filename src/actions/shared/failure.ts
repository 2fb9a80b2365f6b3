// How an action ends when it could not do its job: a configuration mistake (bad input, broken
// config, missing commit) is said plainly, an internal error with its stack. Neither is a finding.
import * as core from '@actions/core'
import { ConfigError } from '../../core/errors.js'

export function failStep(e: unknown): void {
  if (e instanceof ConfigError) core.setFailed(`Configuration error: ${e.message}`)
  else core.setFailed(`Internal error: ${(e as Error).stack ?? String(e)}`)
}
