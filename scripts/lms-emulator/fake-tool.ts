/**
 * A minimal LTI tool for the emulator's own tests (and a reference of what the emulator expects from a tool):
 * login → redirect to auth.php with state and nonce, launch → verifies the id_token with the platform JWKS,
 * a JWKS of its own, client assertions, deep-linking responses, dynamic registration.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import express from 'express'
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'
import { CLAIM, CLIENT_ASSERTION_TYPE } from './claims'

export interface FakeTool {
  url: string
  jwksUrl: string
  loginUrl: string
  launchUrl: string
  kid: string
  /** Set once registered: the platform the tool talks to. */
  platform: { issuer: string; clientId: string; deploymentId: string; authUrl: string; tokenUrl: string; jwksUrl: string } | undefined
  logins: Array<Record<string, string>>
  launches: Array<{ claims?: JWTPayload; error?: string; state?: string; stateMatches: boolean }>
  sign(payload: JWTPayload, options?: { kid?: string; key?: 'own' | 'other' }): Promise<string>
  clientAssertion(audience?: string): Promise<string>
  accessToken(scopes: string[]): Promise<{ status: number; body: Record<string, unknown> }>
  deepLinkingResponse(request: JWTPayload, items: unknown[], extra?: Record<string, unknown>): Promise<string>
  close(): Promise<void>
}

export async function startFakeTool(options: { host?: string } = {}): Promise<FakeTool> {
  const host = options.host ?? 'localhost'
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const other = await generateKeyPair('RS256', { extractable: true })
  const kid = randomBytes(6).toString('hex')
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const pendingStates = new Map<string, string>()
  const app = express()
  app.use(express.urlencoded({ extended: false }))
  const server: Server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()))
  const url = `http://${host}:${(server.address() as AddressInfo).port}`
  let platformKeys: ReturnType<typeof createRemoteJWKSet> | undefined

  const tool: FakeTool = {
    url,
    jwksUrl: `${url}/jwks`,
    loginUrl: `${url}/login`,
    launchUrl: `${url}/launch`,
    kid,
    platform: undefined,
    logins: [],
    launches: [],
    async sign(payload, o = {}) {
      const key: CryptoKey = o.key === 'other' ? other.privateKey : privateKey
      return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.kid ?? kid }).sign(key)
    },
    async clientAssertion(audience) {
      const p = tool.platform
      if (!p) throw new Error('not registered')
      const now = Math.floor(Date.now() / 1000)
      return tool.sign({ iss: p.clientId, sub: p.clientId, aud: audience ?? p.tokenUrl, iat: now, exp: now + 300, jti: randomBytes(8).toString('hex') })
    },
    async accessToken(scopes) {
      const p = tool.platform
      if (!p) throw new Error('not registered')
      const res = await fetch(p.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: await tool.clientAssertion(),
          scope: scopes.join(' '),
        }).toString(),
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    },
    async deepLinkingResponse(request, items, extra = {}) {
      const p = tool.platform
      if (!p) throw new Error('not registered')
      const settings = (request[CLAIM.dlSettings] ?? {}) as Record<string, unknown>
      const now = Math.floor(Date.now() / 1000)
      const payload: JWTPayload = {
        iss: p.clientId,
        aud: p.issuer,
        iat: now,
        exp: now + 300,
        nonce: randomBytes(8).toString('hex'),
        [CLAIM.deploymentId]: request[CLAIM.deploymentId],
        [CLAIM.messageType]: 'LtiDeepLinkingResponse',
        [CLAIM.version]: '1.3.0',
        [CLAIM.dlContentItems]: items,
        ...(settings.data !== undefined ? { [CLAIM.dlData]: settings.data } : {}),
        ...extra,
      }
      return tool.sign(payload)
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }

  app.get('/jwks', (_req, res) => {
    res.json({ keys: [jwk] })
  })

  const login = (params: Record<string, string>, res: express.Response): void => {
    tool.logins.push(params)
    const p = tool.platform
    if (!p) return void res.status(400).send('not registered')
    const state = randomBytes(8).toString('hex')
    const nonce = randomBytes(8).toString('hex')
    pendingStates.set(state, nonce)
    const auth = new URL(p.authUrl)
    const q: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: params.client_id ?? p.clientId,
      redirect_uri: tool.launchUrl,
      login_hint: params.login_hint ?? '',
      state,
      nonce,
    }
    if (params.lti_message_hint !== undefined) q.lti_message_hint = params.lti_message_hint
    for (const [k, v] of Object.entries(q)) auth.searchParams.set(k, v)
    res.set('Set-Cookie', `lti_state=${state}; Path=/; HttpOnly; SameSite=None; Secure; Partitioned`)
    res.redirect(302, auth.toString())
  }
  app.get('/login', (req, res) => login(req.query as Record<string, string>, res))
  app.post('/login', (req, res) => login(req.body as Record<string, string>, res))

  app.post('/launch', async (req, res) => {
    const body = req.body as Record<string, string>
    const p = tool.platform
    const stateMatches = typeof body.state === 'string' && pendingStates.has(body.state)
    if (body.error || !p) {
      tool.launches.push({ error: body.error ?? 'not registered', state: body.state, stateMatches })
      return void res.status(400).json({ error: body.error, error_description: body.error_description })
    }
    platformKeys ??= createRemoteJWKSet(new URL(p.jwksUrl), { cooldownDuration: 0 })
    try {
      const { payload } = await jwtVerify(body.id_token ?? '', platformKeys, { issuer: p.issuer, audience: p.clientId, algorithms: ['RS256'] })
      const expectedNonce = body.state ? pendingStates.get(body.state) : undefined
      if (payload.nonce !== expectedNonce) throw new Error('nonce mismatch')
      if (body.state) pendingStates.delete(body.state)
      tool.launches.push({ claims: payload, state: body.state, stateMatches })
      res.json({ ok: true, sub: payload.sub })
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e)
      tool.launches.push({ error, state: body.state, stateMatches })
      res.status(401).json({ error })
    }
  })

  return tool
}
