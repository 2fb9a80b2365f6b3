/**
 * A real HTTP server on 127.0.0.1 that speaks the GitHub REST endpoints the comment step uses,
 * for tests: point GITHUB_API_URL at `server.url`.
 *
 *   const gh = await startGitHubServer({ pulls: [{ number: 7, headSha: sha }] })
 *   gh.failNext(502, 2)                  // the next two requests answer 502
 *   gh.failNext(403, 1, { 'retry-after': '1' }, 'You have exceeded a secondary rate limit')
 *   gh.hangNext(1)                       // the next request never answers
 *   ... run the action with GITHUB_API_URL=gh.url ...
 *   gh.comments                          // what was posted, by issue
 *   gh.requests                          // method and path of every request
 *   await gh.close()
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeComment {
  id: number
  issue: number
  body: string
  user: string
}

export interface FakePull {
  number: number
  headSha: string
  state?: 'open' | 'closed'
}

interface Fault {
  status: number
  headers: Record<string, string>
  message: string
  hang: boolean
}

export interface GitHubServer {
  url: string
  comments: FakeComment[]
  requests: { method: string; path: string }[]
  failNext(status: number, times?: number, headers?: Record<string, string>, message?: string): void
  hangNext(times?: number): void
  /** Adds a comment as if someone had posted it. */
  addComment(issue: number, body: string, user: string): FakeComment
  close(): Promise<void>
}

export async function startGitHubServer(
  options: { owner?: string; repo?: string; pulls?: FakePull[]; botLogin?: string } = {}
): Promise<GitHubServer> {
  const owner = options.owner ?? 'acme'
  const repo = options.repo ?? 'marketplace'
  const bot = options.botLogin ?? 'github-actions[bot]'
  const pulls = options.pulls ?? []
  const comments: FakeComment[] = []
  const requests: { method: string; path: string }[] = []
  const faults: Fault[] = []
  const hanging = new Set<http.ServerResponse>()
  let nextId = 1000
  let base = ''

  const commentJson = (c: FakeComment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.user, type: c.user.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: `https://github.example/${owner}/${repo}/pull/${c.issue}#issuecomment-${c.id}`
  })
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base)
      requests.push({ method: req.method ?? 'GET', path: url.pathname })
      const fault = faults.shift()
      if (fault?.hang) {
        hanging.add(res)
        return
      }
      if (fault) return send(res, fault.status, { message: fault.message }, fault.headers)
      if (req.headers.authorization !== 'token test-token') return send(res, 401, { message: 'Bad credentials' })
      const prefix = `/repos/${owner}/${repo}`
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : ''
      const body = raw ? (JSON.parse(raw) as { body?: string }) : {}
      let m: RegExpExecArray | null
      if (req.method === 'GET' && (m = /^\/issues\/(\d+)\/comments$/.exec(path))) {
        const issue = Number(m[1])
        const perPage = Number(url.searchParams.get('per_page') ?? 30)
        const page = Number(url.searchParams.get('page') ?? 1)
        const all = comments.filter((c) => c.issue === issue)
        const slice = all.slice((page - 1) * perPage, page * perPage)
        const headers: Record<string, string> = {}
        if (page * perPage < all.length) headers.link = `<${base}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`
        return send(res, 200, slice.map(commentJson), headers)
      }
      if (req.method === 'POST' && (m = /^\/issues\/(\d+)\/comments$/.exec(path))) {
        const c: FakeComment = { id: nextId++, issue: Number(m[1]), body: String(body.body), user: bot }
        comments.push(c)
        return send(res, 201, commentJson(c))
      }
      if (req.method === 'PATCH' && (m = /^\/issues\/comments\/(\d+)$/.exec(path))) {
        const c = comments.find((x) => x.id === Number(m![1]))
        if (!c) return send(res, 404, { message: 'Not Found' })
        if (c.user !== bot) return send(res, 403, { message: 'Resource not accessible by integration' })
        c.body = String(body.body)
        return send(res, 200, commentJson(c))
      }
      if (req.method === 'GET' && (m = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(path))) {
        const sha = m[1]
        return send(
          res,
          200,
          pulls.filter((p) => p.headSha === sha).map((p) => ({ number: p.number, state: p.state ?? 'open', head: { sha: p.headSha } }))
        )
      }
      if (req.method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(path))) {
        const p = pulls.find((x) => x.number === Number(m![1]))
        return p
          ? send(res, 200, { number: p.number, state: p.state ?? 'open', head: { sha: p.headSha } })
          : send(res, 404, { message: 'Not Found' })
      }
      send(res, 404, { message: `no fake for ${req.method} ${url.pathname}` })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    comments,
    requests,
    failNext(status, times = 1, headers = {}, message = `injected ${status}`) {
      for (let i = 0; i < times; i++) faults.push({ status, headers, message, hang: false })
    },
    hangNext(times = 1) {
      for (let i = 0; i < times; i++) faults.push({ status: 0, headers: {}, message: '', hang: true })
    },
    addComment(issue, body, user) {
      const c = { id: nextId++, issue, body, user }
      comments.push(c)
      return c
    },
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
