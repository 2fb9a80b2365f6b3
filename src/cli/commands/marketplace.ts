// marketplace-actions marketplace add <source> [--name N] | list | update [N] | remove N
import { EXIT, UsageError, parse, type Io } from '../shared.js'
import { WORKSPACE_HELP, WORKSPACE_OPTIONS, clientFor, printJson, printWarnings, runClient } from '../client-shared.js'

export const MARKETPLACE_HELP = `Usage: marketplace-actions marketplace <add|list|update|remove> ...

  marketplace add <source> [--name N] [--allow-origin URL]
      Registers a marketplace and caches its index. A source is a GitHub repository
      (owner/repo), an https URL of a registry.json, of an Agent Skills index.json or of an
      origin serving /registry.json or /.well-known/agent-skills/index.json, or a local folder
      (a clone of a marketplace repository). --allow-origin adds an origin artifacts may come
      from (a CDN); nothing is fetched from any other origin.
  marketplace list
      The registered marketplaces, their package counts and when their cache was fetched.
  marketplace update [N]
      Refreshes the cached index of N (or of all): one conditional request each. What is
      installed never changes; run \`update\` for that.
  marketplace remove N
      Forgets a marketplace and its cache. Packages installed from it stay installed.

${WORKSPACE_HELP}

Exit codes: 0 done; 1 the marketplace could not be added, found or refreshed; 2 usage error.
`

const OPTIONS = { ...WORKSPACE_OPTIONS, name: { type: 'string' }, 'allow-origin': { type: 'string', multiple: true } } as const

export async function marketplace(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  const [sub, ...rest] = positionals
  if (values.help || sub === undefined) {
    io.stdout.write(MARKETPLACE_HELP)
    return values.help ? EXIT.ok : EXIT.usage
  }
  const client = clientFor(values, io)
  return runClient(io, async () => {
    switch (sub) {
      case 'add': {
        if (rest.length !== 1) throw new UsageError('marketplace add takes one source')
        const added = await client.addMarketplace(rest[0] as string, {
          ...(values.name ? { name: values.name } : {}),
          ...(values['allow-origin'] ? { allowOrigins: values['allow-origin'] } : {})
        })
        if (values.json) printJson(added, io)
        else
          io.stdout.write(
            `Added marketplace ${added.record.name} (${added.record.type}: ${added.record.source}) with ${added.packages} package${added.packages === 1 ? '' : 's'}.\n`
          )
        return EXIT.ok
      }
      case 'list': {
        if (rest.length) throw new UsageError('marketplace list takes no arguments')
        const list = await client.listMarketplaces()
        if (values.json) printJson(list, io)
        else if (!list.length) io.stdout.write('No marketplace is registered. Add one with `marketplace add <source>`.\n')
        else
          for (const m of list)
            io.stdout.write(
              `${m.record.name}\t${m.record.type}\t${m.record.source}\t${m.packages} packages\t${m.fetched_at ? `fetched ${m.fetched_at}` : 'not fetched'}\n`
            )
        return EXIT.ok
      }
      case 'update': {
        if (rest.length > 1) throw new UsageError('marketplace update takes at most one name')
        const results = await client.updateMarketplaces(rest[0])
        if (values.json) printJson(results, io)
        else for (const r of results) io.stdout.write(`${r.name}: ${r.packages} packages${r.warning ? '' : ', up to date'}\n`)
        printWarnings(
          results.flatMap((r) => (r.warning ? [r.warning] : [])),
          io
        )
        return results.some((r) => r.warning) ? EXIT.findings : EXIT.ok
      }
      case 'remove': {
        if (rest.length !== 1) throw new UsageError('marketplace remove takes one name')
        await client.removeMarketplace(rest[0] as string)
        io.stdout.write(`Removed marketplace ${rest[0]}; packages installed from it stay installed.\n`)
        return EXIT.ok
      }
      default:
        throw new UsageError(`unknown marketplace subcommand \`${sub}\`; use add, list, update or remove`)
    }
  })
}
