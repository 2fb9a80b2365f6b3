// marketplace-actions feedback <name> --rating 1..5 [--agent ID]
import { EXIT, UsageError, parse, required, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, printWarnings, runClient } from '../client-shared.js'

export const FEEDBACK_HELP = `Usage: marketplace-actions feedback <name> --rating 1..5 [--agent ID]

Rates an installed package. The rating is always recorded locally
(<workspace>/.marketplace/feedback.jsonl); it is sent to the marketplace's stats endpoint only
when telemetry is on (\`telemetry on\`) and the marketplace has one. Without opt-in nothing
leaves the machine.

  --rating N    1 (poor) to 5 (excellent)
  --agent ID    the agent giving the rating
${WORKSPACE_HELP}
`

const OPTIONS = { ...WORKSPACE_OPTIONS, rating: { type: 'string' }, agent: { type: 'string' } } as const

export async function feedback(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) {
    io.stdout.write(FEEDBACK_HELP)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError('feedback takes one installed name')
  const rating = Number(required(values.rating, '--rating'))
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    throw new UsageError(`--rating must be a whole number from 1 to 5 (got ${values.rating})`)
  const client = clientFor(values, io)
  return runClient(io, async () => {
    const result = await client.feedback(positionals[0] as string, rating, values.agent ? { agent: values.agent } : {})
    printWarnings(result.warnings, io)
    if (values.json) printJson(result, io)
    else
      io.stdout.write(
        `Recorded rating ${rating} for ${positionals[0]}${result.sent ? ' and sent it to the marketplace' : ' (kept on this machine)'}.\n`
      )
    return EXIT.ok
  })
}
