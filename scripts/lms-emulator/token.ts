/**
 * OAuth 2 client_credentials with a signed JWT client assertion (Moodle's mod/lti/token.php): the assertion is
 * verified against the tool's keyset, `sub` (= `iss`) names the client, `aud` must be the token URL (or the
 * issuer); granted scopes = requested ∩ permitted; tokens live 3600 s (LTI_ACCESS_TOKEN_LIFE); errors are
 * 400 `{ "error": … }` as Moodle answers.
 */
import { Router, type Request } from 'express'
import { decodeJwt } from 'jose'
import { CLIENT_ASSERTION_TYPE, SCOPE } from './claims'
import { agsScopes } from './id-token'
import { randomHex, type AccessToken, type EmulatorState } from './state'
import { verifyToolJwt } from './tool-keys'
import type { Tool } from './types'

export const ACCESS_TOKEN_LIFETIME_S = 3600

export function permittedScopes(tool: Tool): string[] {
  const scopes = agsScopes(tool)
  if (tool.acceptGrades !== 'never') scopes.push(SCOPE.basicOutcome)
  if (tool.nrps) scopes.push(SCOPE.nrps)
  return scopes
}

/** The valid access token of a service request, if it carries one of `scopes`. */
export function bearer(state: EmulatorState, req: Request, scopes: string[]): AccessToken | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')
  const token = m?.[1] ? state.accessTokens.get(m[1].trim()) : undefined
  if (!token || token.expiresAt < Date.now()) return undefined
  return token.scopes.some((s) => scopes.includes(s)) ? token : undefined
}

export function tokenRoutes(state: EmulatorState): Router {
  const r = Router()
  r.post('/mod/lti/token.php', async (req, res) => {
    state.counters.tokenRequests++
    const fail = (error: string, description?: string): void => {
      res.status(400).json(description ? { error, error_description: description } : { error })
    }
    if (!(req.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return fail('invalid_request')
    const body = (req.body ?? {}) as Record<string, string | undefined>
    if (body.grant_type !== 'client_credentials' || body.client_assertion_type !== CLIENT_ASSERTION_TYPE || !body.client_assertion || !body.scope) {
      return fail('invalid_request')
    }
    let clientId: string | undefined
    try {
      clientId = decodeJwt(body.client_assertion).sub
    } catch {
      return fail('invalid_request', 'client_assertion is not a JWT')
    }
    const tool = clientId ? state.toolByClientId(clientId) : undefined
    if (!tool || tool.state !== 'configured') return fail('invalid_client')
    try {
      await verifyToolJwt(tool, body.client_assertion, { issuer: tool.clientId, subject: tool.clientId, audience: [state.urls.token, state.issuer] })
    } catch (e) {
      return fail('invalid_client', e instanceof Error ? e.message : undefined)
    }
    const permitted = permittedScopes(tool)
    const scopes = [...new Set(body.scope.split(/\s+/).filter((s) => permitted.includes(s)))]
    if (scopes.length === 0) return fail('invalid_scope')
    const token: AccessToken = { token: randomHex(16), typeId: tool.typeId, scopes, expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_S * 1000 }
    state.accessTokens.set(token.token, token)
    res.json({ access_token: token.token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_S, scope: scopes.join(' ') })
  })
  return r
}
