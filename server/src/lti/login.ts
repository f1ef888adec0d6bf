/**
 * OIDC third-party initiated login (lti-notes §2). The state and nonce are stored server-side
 * (single use, 10 min), so the launch works when the browser drops every cookie in the iframe.
 */
import { z } from 'zod'
import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import { randomToken, sha256 } from './crypto'
import { LtiLoginRejected } from './errors'
import { insertLoginState } from './launch.repository'
import type { PlatformDirectory } from './platform-directory'
import type { Platform } from './platform.repository'

export const LOGIN_STATE_TTL_MS = 10 * 60_000

export const LoginInitiationSchema = z.object({
  iss: z.string().min(1),
  login_hint: z.string().min(1),
  target_link_uri: z.string().min(1),
  lti_message_hint: z.string().optional(),
  client_id: z.string().optional(),
  lti_deployment_id: z.string().optional(),
  lti_storage_target: z.string().optional(),
})
export type LoginInitiation = z.infer<typeof LoginInitiationSchema>

export interface LoginRedirect {
  platform: Platform
  /** The platform's authorization endpoint with every OIDC parameter in the query. */
  authorizationUrl: string
  state: string
  nonce: string
  /** Present when the platform offered postMessage storage (lti-notes §9). */
  storageTarget?: string
  /** Value the optional cookie carries (a digest, never the state itself). */
  browserBinding: string
}

export async function initiateLogin(
  raw: unknown,
  deps: { db: Db; clock: Clock; platforms: PlatformDirectory; redirectUri: string },
): Promise<LoginRedirect> {
  const parsed = LoginInitiationSchema.safeParse(raw)
  if (!parsed.success) throw new LtiLoginRejected('Paramètres de connexion LTI incomplets (iss, login_hint, target_link_uri).')
  const params = parsed.data
  const platform = await selectPlatform(deps.platforms, params)

  const state = randomToken(24)
  const nonce = randomToken(24)
  await insertLoginState(deps.db, {
    state,
    nonce,
    platformId: platform.id,
    targetLinkUri: params.target_link_uri,
    storageTarget: params.lti_storage_target ?? null,
    expiresAt: new Date(deps.clock.now().getTime() + LOGIN_STATE_TTL_MS),
  })

  const url = new URL(platform.authLoginUrl)
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: deps.redirectUri,
    login_hint: params.login_hint,
    state,
    nonce,
  }
  if (params.lti_message_hint !== undefined) query.lti_message_hint = params.lti_message_hint
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  return {
    platform,
    authorizationUrl: url.toString(),
    state,
    nonce,
    storageTarget: params.lti_storage_target,
    browserBinding: browserBinding(state, nonce),
  }
}

export const browserBinding = (state: string, nonce: string) => sha256(`${state}.${nonce}`)
export const bindingCookieName = (state: string) => `jalon_lti_${sha256(state).slice(0, 12)}`

/** By issuer, then client id; with several registrations and no client id, the deployment decides. */
async function selectPlatform(platforms: PlatformDirectory, params: LoginInitiation): Promise<Platform> {
  const issuer = params.iss.replace(/\/+$/, '')
  const candidates = await platforms.byIssuer(issuer, params.client_id)
  if (params.client_id) {
    const p = candidates.find((c) => c.clientId === params.client_id)
    if (p) return p
  } else if (candidates.length === 1) {
    return candidates[0]!
  } else if (params.lti_deployment_id) {
    for (const c of candidates) if (await platforms.deployment(c.id, params.lti_deployment_id)) return c
  }
  throw new LtiLoginRejected(`Plateforme non enregistrée : ${issuer}${params.client_id ? ` (client ${params.client_id})` : ''}`, {
    issuer,
    clientId: params.client_id,
  })
}
