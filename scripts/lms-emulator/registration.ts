/**
 * LTI Dynamic Registration 1.0 as Moodle does it: startltiadvregistration.php sends the browser (in an iframe of
 * the admin page) to the tool's registration URL with `openid_configuration` and a `registration_token`
 * (RS256, signed with the site key, `sub` = the future client id, valid 1 h); the tool reads
 * openid-configuration.php and POSTs its configuration to openid-registration.php with that token as Bearer.
 * The new tool stays pending until an administrator activates it.
 */
import express, { Router, type Request } from 'express'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { CLAIM, SCOPE } from './claims'
import { barePage, esc } from './html'
import { currentUser } from './session'
import { randomString, type EmulatorState } from './state'
import { RegistrationError, registrationResponse, toolFromRegistration } from './tools'

const CAPABILITIES = [
  'basic-lti-launch-request', 'ContentItemSelectionRequest', 'ToolProxyRegistrationRequest', 'Context.id', 'Context.title', 'Context.label',
  'Context.id.history', 'Context.sourcedId', 'Context.longDescription', 'Context.timeFrame.begin', 'CourseSection.title', 'CourseSection.label',
  'CourseSection.sourcedId', 'CourseSection.longDescription', 'CourseSection.timeFrame.begin', 'CourseSection.timeFrame.end', 'ResourceLink.id',
  'ResourceLink.title', 'ResourceLink.description', 'User.id', 'User.username', 'Person.name.full', 'Person.name.given', 'Person.name.family',
  'Person.email.primary', 'Person.sourcedId', 'Person.name.middle', 'Person.address.street1', 'Person.address.locality', 'Person.address.country',
  'Person.address.timezone', 'Person.phone.primary', 'Person.phone.mobile', 'Person.webaddress', 'Membership.role', 'Result.sourcedId',
  'Result.autocreate', 'BasicOutcome.sourcedId', 'BasicOutcome.url', 'Moodle.Person.userGroupIds',
]

export const REGISTRATION_TOKEN_LIFETIME_S = 3600

export function openidConfiguration(state: EmulatorState): Record<string, unknown> {
  const u = state.urls
  return {
    issuer: state.issuer,
    token_endpoint: u.token,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: u.jwks,
    authorization_endpoint: u.auth,
    registration_endpoint: u.registration,
    scopes_supported: [SCOPE.basicOutcome, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score, SCOPE.lineItem, SCOPE.nrps, SCOPE.toolSetting, 'openid'],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    [CLAIM.platformConfiguration]: {
      product_family_code: 'moodle',
      version: '4.5.6 (Build: 20250811)',
      messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }],
      variables: CAPABILITIES,
    },
  }
}

export interface DynamicRegistrationStart {
  /** The tool's registration URL with `openid_configuration` and `registration_token` added: what the iframe opens. */
  url: string
  openidConfiguration: string
  registrationToken: string
  /** The client id the registration will create (the token's `sub`). */
  clientId: string
}

export async function startDynamicRegistration(state: EmulatorState, toolRegistrationUrl: string): Promise<DynamicRegistrationStart> {
  const clientId = randomString(15)
  const iat = Math.floor(Date.now() / 1000)
  const registrationToken = await state.keys.sign({ sub: clientId, scope: 'reg', iat, exp: iat + REGISTRATION_TOKEN_LIFETIME_S })
  const url = new URL(toolRegistrationUrl)
  url.searchParams.set('openid_configuration', state.urls.openidConfiguration)
  url.searchParams.set('registration_token', registrationToken)
  return { url: url.toString(), openidConfiguration: state.urls.openidConfiguration, registrationToken, clientId }
}

async function tokenClientId(state: EmulatorState, req: Request): Promise<{ clientId: string; token: string } | undefined> {
  const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')
  if (!m?.[1]) return undefined
  const token = m[1].trim()
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(state.keys.jwks()), { algorithms: ['RS256'] })
    return payload.scope === 'reg' && typeof payload.sub === 'string' ? { clientId: payload.sub, token } : undefined
  } catch {
    return undefined
  }
}

export function registrationRoutes(state: EmulatorState): Router {
  const r = Router()

  r.get('/mod/lti/openid-configuration.php', (_req, res) => {
    res.type('application/json; charset=utf-8').send(JSON.stringify(openidConfiguration(state)))
  })

  r.get('/mod/lti/startltiadvregistration.php', async (req, res) => {
    const user = currentUser(state, req)
    const target = typeof req.query.url === 'string' ? req.query.url : ''
    if (!user?.siteAdmin) {
      return void res.status(403).type('html').send(barePage('Accès refusé', '<p role="alert">Réservé à l’administrateur du site.</p>'))
    }
    try {
      const start = await startDynamicRegistration(state, target)
      res.redirect(302, start.url)
    } catch {
      res.status(400).type('html').send(barePage('Erreur', `<p role="alert">URL d’enregistrement invalide : ${esc(target)}</p>`))
    }
  })

  r.post('/mod/lti/openid-registration.php', express.json({ type: () => true }), async (req, res) => {
    const auth = await tokenClientId(state, req)
    if (!auth) return void res.status(401).type('text').send('Unauthorized: invalid registration token')
    if (state.usedRegistrationTokens.has(auth.token) || state.toolByClientId(auth.clientId)) {
      return void res.status(401).type('text').send('Unauthorized: registration token already used')
    }
    const body = req.body as unknown
    if (!body || typeof body !== 'object' || Array.isArray(body)) return void res.status(400).type('text').send('invalid_client_metadata')
    try {
      const tool = toolFromRegistration(state, auth.clientId, body as Record<string, unknown>)
      state.usedRegistrationTokens.add(auth.token)
      state.tools.set(tool.typeId, tool)
      res.type('application/json').send(JSON.stringify(registrationResponse(tool)))
    } catch (e) {
      if (!(e instanceof RegistrationError)) throw e
      res.status(400).type('text').send(e.message)
    }
  })

  r.get('/mod/lti/openid-registration.php', async (req, res) => {
    const auth = await tokenClientId(state, req)
    const tool = auth && state.toolByClientId(auth.clientId)
    if (!tool) return void res.status(401).type('text').send('Unauthorized')
    res.type('application/json').send(JSON.stringify(registrationResponse(tool)))
  })

  return r
}
