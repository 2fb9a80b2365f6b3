// The Signet daemon's marketplace routes (spec section D), as a function of a request:
//
//   GET  /api/marketplace/search?q=&type=&limit=   ranked results
//   POST /api/marketplace/install   {"name": "@publisher/package[@version]" | "name@marketplace", "agent_id"?, "force"?, "marketplace"?}
//   GET  /api/marketplace/installed?agent_id=        installed packages with update status (an agent's: its own and every agent's)
//   POST /api/marketplace/feedback  {"name", "rating": 1..5, "agent_id"?}
//
// Bad input is a 400 with {"error": "..."} saying what is wrong; an unknown package 404; a
// conflict (local skill of that name, ambiguous name) 409; a marketplace that cannot be reached
// 502; a download that fails verification 422; the workspace locked by another process for longer
// than the wait 503. Mutations run one at a time, so two installs
// cannot interleave their transactions.
import { ClientError, type MarketplaceClient } from './client.js'
import type { SearchResult } from './search.js'

export interface ApiRequest {
  method: string
  /** Path and query, e.g. `/api/marketplace/search?q=deploy`. */
  url: string
  body?: Uint8Array
}

export interface ApiResponse {
  status: number
  body: unknown
}

export const API_PREFIX = '/api/marketplace'
export const MAX_BODY_BYTES = 64 * 1024

export class MarketplaceApi {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly client: MarketplaceClient) {}

  async handle(req: ApiRequest): Promise<ApiResponse> {
    let url: URL
    try {
      url = new URL(req.url, 'http://127.0.0.1')
    } catch {
      return error(400, 'the request URL cannot be parsed')
    }
    const route = url.pathname.replace(/\/+$/, '')
    try {
      if (route === `${API_PREFIX}/search`) return req.method === 'GET' ? await this.search(url) : notAllowed('GET')
      if (route === `${API_PREFIX}/installed`) return req.method === 'GET' ? await this.installed(url) : notAllowed('GET')
      if (route === `${API_PREFIX}/install`)
        return req.method === 'POST' ? await this.serial(() => this.install(req.body)) : notAllowed('POST')
      if (route === `${API_PREFIX}/feedback`)
        return req.method === 'POST' ? await this.serial(() => this.feedback(req.body)) : notAllowed('POST')
      return error(
        404,
        `no route ${req.method} ${url.pathname}; the routes are GET ${API_PREFIX}/search, POST ${API_PREFIX}/install, GET ${API_PREFIX}/installed, POST ${API_PREFIX}/feedback`
      )
    } catch (e) {
      if (e instanceof ClientError) return error(STATUS[e.kind], e.message)
      if (e instanceof BadRequest) return error(400, e.message)
      return error(500, `internal error: ${(e as Error).message}`)
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async search(url: URL): Promise<ApiResponse> {
    const q = url.searchParams.get('q')
    if (q === null) throw new BadRequest('the query parameter `q` is required (it may be empty to list everything)')
    if (q.length > 256) throw new BadRequest('`q` is longer than 256 characters')
    const type = url.searchParams.get('type') ?? undefined
    if (type !== undefined && type !== '' && type !== 'skill' && type !== 'mcp-server')
      throw new BadRequest('`type` must be `skill` or `mcp-server`')
    const limitRaw = url.searchParams.get('limit')
    const limit = limitRaw === null ? 20 : Number(limitRaw)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new BadRequest('`limit` must be a whole number from 1 to 100')
    const { results, warnings } = await this.client.search(q, { ...(type ? { type: type } : {}), limit })
    return { status: 200, body: { query: q, results: results.map(resultJson), warnings } }
  }

  private async installed(url: URL): Promise<ApiResponse> {
    const agent = url.searchParams.get('agent_id') ?? undefined
    if (agent !== undefined && (agent.trim() === '' || agent.length > 128))
      throw new BadRequest('`agent_id` must be a non-empty string of at most 128 characters')
    const { packages, warnings } = await this.client.installed(agent === undefined ? {} : { agent })
    return { status: 200, body: { packages, warnings } }
  }

  private async install(body: Uint8Array | undefined): Promise<ApiResponse> {
    const doc = jsonBody(body)
    const name = stringField(doc, 'name', true) as string
    const agent = stringField(doc, 'agent_id', false)
    const marketplace = stringField(doc, 'marketplace', false)
    if (doc.force !== undefined && typeof doc.force !== 'boolean') throw new BadRequest('`force` must be true or false')
    const result = await this.client.install(name, {
      ...(agent ? { agent } : {}),
      ...(marketplace ? { marketplace } : {}),
      force: doc.force === true
    })
    return { status: 200, body: result }
  }

  private async feedback(body: Uint8Array | undefined): Promise<ApiResponse> {
    const doc = jsonBody(body)
    const name = stringField(doc, 'name', true) as string
    const agent = stringField(doc, 'agent_id', false)
    if (typeof doc.rating !== 'number' || !Number.isInteger(doc.rating) || doc.rating < 1 || doc.rating > 5)
      throw new BadRequest('`rating` must be a whole number from 1 to 5')
    const result = await this.client.feedback(name, doc.rating, agent ? { agent } : {})
    return { status: 200, body: result }
  }
}

const STATUS: Record<ClientError['kind'], number> = {
  'not-found': 404,
  invalid: 400,
  conflict: 409,
  unavailable: 502,
  verification: 422,
  busy: 503
}

class BadRequest extends Error {}

export function resultJson(r: SearchResult) {
  const e = r.entry
  return {
    install: e.publisher ? `@${e.publisher}/${e.name}` : `${e.installName}@${e.marketplace}`,
    name: e.installName,
    package: e.id,
    marketplace: e.marketplace,
    type: e.type,
    version: e.version ?? null,
    description: e.description,
    tags: e.tags,
    score: e.score,
    downloads: e.downloads,
    verdict: e.verdict ?? null,
    relevance: Math.round(r.relevance * 100) / 100
  }
}

function jsonBody(body: Uint8Array | undefined): Record<string, unknown> {
  if (!body || body.length === 0) throw new BadRequest('the request needs a JSON body')
  if (body.length > MAX_BODY_BYTES) throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`)
  let doc: unknown
  try {
    doc = JSON.parse(Buffer.from(body).toString('utf8'))
  } catch (e) {
    throw new BadRequest(`the body is not valid JSON (${(e as Error).message})`)
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new BadRequest('the body must be a JSON object')
  return doc as Record<string, unknown>
}

function stringField(doc: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = doc[key]
  if (v === undefined && !required) return undefined
  if (typeof v !== 'string' || v.trim() === '' || v.length > 256)
    throw new BadRequest(`\`${key}\` must be a non-empty string of at most 256 characters${required ? ' (required)' : ''}`)
  return v
}

function error(status: number, message: string): ApiResponse {
  return { status, body: { error: message } }
}

function notAllowed(method: string): ApiResponse {
  return error(405, `use ${method} for this route`)
}
