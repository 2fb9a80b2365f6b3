// Runs one client update in its own process and kills that process (SIGKILL, no cleanup, no
// finally blocks) at a named point of the install transaction: what a crash or a power cut does.
//
//   node --import tsx test/helpers/client-child.ts <workspace> <fault point> [name...]
import { MarketplaceClient } from '../../src/core/client/client.js'
import type { FaultPoint } from '../../src/core/client/transaction.js'

const [workspace, point, ...names] = process.argv.slice(2)
const client = new MarketplaceClient({
  workspace: workspace as string,
  fetch: globalThis.fetch,
  fault: (at: FaultPoint) => {
    if (at === point) process.kill(process.pid, 'SIGKILL')
  }
})
const result = await client.update(names)
process.stdout.write(`${JSON.stringify(result)}\n`)
