/**
 * A small `fetch` for load generation over node:http with keep-alive: the subset the launch dance and the
 * bench use (method, headers, string body, `redirect: 'manual'`; status, headers.get / getSetCookie, text,
 * json). Node's built-in fetch (undici) costs ~4× more CPU per request here (0.8–1 ms against ~0.2 ms on
 * this 2-core VM), so the load generator, not the server, was the limit of bench:load's launch phase.
 * Redirects are never followed (every caller here asks for `manual`). Not for anything but loopback benches.
 */
import http from 'node:http'

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 })

class LightHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()]
    if (v === undefined) return null
    return Array.isArray(v) ? v.join(', ') : v
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined
  }
  getSetCookie(): string[] {
    return this.raw['set-cookie'] ?? []
  }
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const h = init?.headers
  if (!h) return {}
  if (h instanceof Headers) return Object.fromEntries(h.entries())
  if (Array.isArray(h)) return Object.fromEntries(h)
  return { ...(h as Record<string, string>) }
}

export const lightFetch = ((input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  if (input instanceof Request) return fetch(input, init) // not used by the benches; keep the real thing
  const url = typeof input === 'string' ? new URL(input) : input
  const body = init?.body
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof URLSearchParams))
    return fetch(input, init)
  const payload = body === undefined || body === null ? undefined : String(body)
  const headers = headersOf(init)
  if (payload !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(payload))
    if (body instanceof URLSearchParams && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8'
  }
  const send = (retried: boolean): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: init?.method ?? 'GET', headers, agent },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            const status = res.statusCode ?? 0
            resolve({
              status,
              ok: status >= 200 && status < 300,
              headers: new LightHeaders(res.headers),
              text: async () => text,
              json: async () => JSON.parse(text) as unknown,
            } as unknown as Response)
          })
        },
      )
      req.on('error', (err: NodeJS.ErrnoException) => {
        // The server closed an idle keep-alive socket as we reused it: the request never reached it (Node's
        // documented race); once more on a new socket. undici does the same bookkeeping.
        if (!retried && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) resolve(send(true))
        else reject(err)
      })
      req.end(payload)
    })
  return send(false)
}) as typeof fetch
