// Answers and request bodies of the stats service: every answer JSON, every error `{"error": …}`,
// and a body read only up to the size cap, whatever Content-Length claims.

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers
    }
  })
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

export function errorResponse(e: HttpError): Response {
  return json(e.status, { error: e.message }, e.headers)
}

const JSON_TYPE = /^application\/json\s*(;|$)/i

/** The body as text: JSON, UTF-8, at most `maxBytes`; otherwise an HttpError (415, 413, 400). */
export async function readJsonText(request: Request, maxBytes: number): Promise<string> {
  // A browser can send a cross-site form post as text/plain but not as application/json without
  // a preflight, so requiring the JSON type keeps web pages from pinging on a visitor's behalf.
  if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    await request.body?.cancel()
    throw new HttpError(415, 'send the body as JSON with the header Content-Type: application/json')
  }
  const tooLarge = () => new HttpError(413, `the body is larger than ${maxBytes} bytes`)
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel()
    throw tooLarge()
  }
  if (!request.body) throw new HttpError(400, 'the body is empty; send a JSON object')
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8')
  }
}
