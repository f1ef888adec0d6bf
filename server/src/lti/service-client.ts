/**
 * Calls to the platform's services (AGS, NRPS) with OAuth2 client_credentials and a signed JWT
 * assertion (lti-notes §5). Access tokens are cached per (platform, scope set) until shortly before expiry.
 */
import { SignJWT } from 'jose'
import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import { MEDIA } from './claims'
import { randomToken } from './crypto'
import { LtiServiceError } from './errors'
import type { Platform } from './platform.repository'
import { currentSigningKey } from './tool-keys'

export interface ServiceClientDeps {
  db: Db
  clock: Clock
  encryptionKey: Buffer
  fetch?: typeof fetch
  timeoutMs?: number
}

export interface ServiceResponse {
  status: number
  body: string
  headers: Headers
}

export interface ServiceClient {
  accessToken(platform: Platform, scopes: string[]): Promise<string>
  /** Forget a token the platform refused (401). */
  invalidate(platform: Platform, scopes: string[]): void
  request(
    platform: Platform,
    scopes: string[],
    init: { method: 'GET' | 'POST' | 'PUT'; url: string; accept?: string; contentType?: string; body?: string },
  ): Promise<ServiceResponse>
}

/** `…/lineitem?type_id=5` + `/scores` → `…/lineitem/scores?type_id=5` (Moodle's query string). */
export function serviceUrl(lineItemUrl: string, suffix: '/scores' | '/results'): string {
  const url = new URL(lineItemUrl)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`
  return url.toString()
}

export function createServiceClient(deps: ServiceClientDeps): ServiceClient {
  const doFetch = deps.fetch ?? fetch
  const timeoutMs = deps.timeoutMs ?? 10_000
  const tokens = new Map<string, { token: string; expiresAt: number }>()
  const inflight = new Map<string, Promise<string>>()
  const cacheKey = (platform: Platform, scopes: string[]) => `${platform.id} ${[...new Set(scopes)].sort().join(' ')}`

  async function fetchToken(platform: Platform, scopes: string[]): Promise<{ token: string; expiresAt: number }> {
    const { kid, key } = await currentSigningKey(deps)
    const now = Math.floor(deps.clock.now().getTime() / 1000)
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.authTokenAud ?? platform.authTokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti(randomToken(16))
      .sign(key)
    const res = await timedFetch(doFetch, platform.authTokenUrl, timeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: [...new Set(scopes)].join(' '),
      }).toString(),
    })
    const text = await res.text()
    if (!res.ok) throw new LtiServiceError(`Token endpoint answered ${res.status}`, res.status, text.slice(0, 500))
    let body: { access_token?: unknown; expires_in?: unknown }
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      throw new LtiServiceError('Token endpoint answered something else than JSON', res.status, text.slice(0, 200))
    }
    if (typeof body.access_token !== 'string') throw new LtiServiceError('Token endpoint answered without access_token', res.status)
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600) || 3600
    // Renew a minute early (or at half-life for short tokens) so a token never expires in flight.
    const margin = Math.min(60, lifetime / 2)
    return { token: body.access_token, expiresAt: deps.clock.now().getTime() + (lifetime - margin) * 1000 }
  }

  const client: ServiceClient = {
    async accessToken(platform, scopes) {
      const k = cacheKey(platform, scopes)
      const cached = tokens.get(k)
      if (cached && cached.expiresAt > deps.clock.now().getTime()) return cached.token
      let p = inflight.get(k)
      if (!p) {
        p = fetchToken(platform, scopes)
          .then((t) => {
            tokens.set(k, t)
            return t.token
          })
          .finally(() => inflight.delete(k))
        inflight.set(k, p)
      }
      return p
    },
    invalidate(platform, scopes) {
      tokens.delete(cacheKey(platform, scopes))
    },
    async request(platform, scopes, init) {
      const token = await client.accessToken(platform, scopes)
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      if (init.accept) headers.accept = init.accept
      if (init.contentType) headers['content-type'] = init.contentType
      const res = await timedFetch(doFetch, init.url, timeoutMs, { method: init.method, headers, body: init.body })
      if (res.status === 401) client.invalidate(platform, scopes)
      return { status: res.status, body: await res.text(), headers: res.headers }
    },
  }
  return client
}

/** fetch with a timeout; network failures become LtiServiceError with status 0 (outcome unknown). */
async function timedFetch(doFetch: typeof fetch, url: string, timeoutMs: number, init: RequestInit): Promise<Response> {
  try {
    return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    const e = err as { name?: string; message?: string }
    throw new LtiServiceError(e.name === 'TimeoutError' ? `Timeout after ${timeoutMs} ms: ${url}` : `Network error: ${e.message ?? 'unknown'}`, 0)
  }
}

export const ACCEPT = MEDIA
