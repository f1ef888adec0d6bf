/**
 * LTI Dynamic Registration 1.0 (Moodle's "Add LTI Advantage"): read the platform's
 * openid-configuration, POST Jalon's registration with the registration token, store the platform
 * and the deployment Moodle answers with. The page that follows posts org.imsglobal.lti.close.
 */
import { z } from 'zod'
import type { Db } from '../db/client'
import { CLAIM } from './claims'
import { LtiRegistrationFailed } from './errors'
import type { Platform } from './platform.repository'
import { registerPlatform } from './register-platform'
import { registrationRequest, TOOL_SCOPES, type ToolUrls } from './tool-configuration'

const PlatformConfigurationSchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  authorization_server: z.string().optional(),
  scopes_supported: z.array(z.string()).optional(),
  [CLAIM.platformConfiguration]: z
    .object({ product_family_code: z.string().optional(), version: z.string().optional() })
    .loose()
    .optional(),
})

const RegistrationResponseSchema = z.object({
  client_id: z.string().min(1),
  [CLAIM.toolConfiguration]: z.object({ deployment_id: z.union([z.string(), z.number()]).optional() }).loose().optional(),
})

export interface DynamicRegistrationDeps {
  db: Db
  urls: ToolUrls
  toolName: string
  fetch?: typeof fetch
  onChange?: () => void
}

export async function registerDynamically(
  input: { openidConfiguration: string; registrationToken?: string; organizationId?: string },
  deps: DynamicRegistrationDeps,
): Promise<{ platform: Platform; deploymentId?: string }> {
  const doFetch = deps.fetch ?? fetch
  let configUrl: URL
  try {
    configUrl = new URL(input.openidConfiguration)
  } catch {
    throw new LtiRegistrationFailed('Adresse openid_configuration invalide.')
  }
  const config = PlatformConfigurationSchema.safeParse(await getJson(doFetch, configUrl.toString()))
  if (!config.success) throw new LtiRegistrationFailed('Configuration OpenID de la plateforme incomplète.', { issues: config.error.issues.length })
  const c = config.data
  // The configuration must speak for the host it was fetched from (atomic_lti does this check; ltijs does not).
  if (hostOf(c.issuer) !== configUrl.host) throw new LtiRegistrationFailed(`L’émetteur ${c.issuer} ne correspond pas à ${configUrl.host}.`)

  const scopes = c.scopes_supported ? TOOL_SCOPES.filter((s) => c.scopes_supported!.includes(s)) : TOOL_SCOPES
  const body = registrationRequest(deps.urls, { toolName: deps.toolName, scopes })
  let res: Response
  try {
    res = await doFetch(c.registration_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
  } catch (err) {
    throw new LtiRegistrationFailed(`La plateforme ne répond pas (${(err as Error).message}).`)
  }
  const text = await res.text()
  if (!res.ok) throw new LtiRegistrationFailed(`La plateforme a refusé l’enregistrement (HTTP ${res.status}).`, { status: res.status, body: text.slice(0, 300) })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new LtiRegistrationFailed('Réponse d’enregistrement illisible.')
  }
  const answer = RegistrationResponseSchema.safeParse(json)
  if (!answer.success) throw new LtiRegistrationFailed('Réponse d’enregistrement sans client_id.')
  const deploymentRaw = answer.data[CLAIM.toolConfiguration]?.deployment_id
  const deploymentId = deploymentRaw === undefined ? undefined : String(deploymentRaw)
  const product = c[CLAIM.platformConfiguration]?.product_family_code
  const platform = await registerPlatform(
    {
      name: `${product ? `${product[0]!.toUpperCase()}${product.slice(1)} ` : ''}${configUrl.host}`,
      issuer: c.issuer,
      clientId: answer.data.client_id,
      authLoginUrl: c.authorization_endpoint,
      authTokenUrl: c.token_endpoint,
      authTokenAud: c.authorization_server && /^https?:\/\//.test(c.authorization_server) ? c.authorization_server : undefined,
      jwksUrl: c.jwks_uri,
      deploymentIds: deploymentId ? [deploymentId] : [],
      organizationId: input.organizationId,
      productFamily: product,
    },
    { db: deps.db, onChange: deps.onChange },
  )
  return { platform, deploymentId }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}

async function getJson(doFetch: typeof fetch, url: string): Promise<unknown> {
  try {
    const res = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) })
    if (!res.ok) throw new LtiRegistrationFailed(`openid_configuration : HTTP ${res.status}`)
    return await res.json()
  } catch (err) {
    if (err instanceof LtiRegistrationFailed) throw err
    throw new LtiRegistrationFailed(`Impossible de lire la configuration de la plateforme (${(err as Error).message}).`)
  }
}
