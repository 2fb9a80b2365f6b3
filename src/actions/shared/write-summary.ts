// Writes the job summary an action built (report/job-summary.ts), once, from its `finally`. The
// summary is a courtesy: when it cannot be written (a full disk, a summary file the runner did
// not provide as expected) the step warns and its verdict, outputs and exit code stay as they were.
import * as core from '@actions/core'

export async function writeJobSummary(markdown: string | undefined): Promise<void> {
  if (markdown === undefined || !process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(markdown).write()
  } catch (e) {
    core.summary.emptyBuffer()
    core.warning(`Could not write the job summary: ${(e as Error).message}. The step's result does not depend on it.`)
  }
}
