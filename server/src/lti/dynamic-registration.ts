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

/** Outbound requests of a registration: any URL given by whoever opens /lti/register, so http(s) only, bounded in time and size. */
const FETCH_TIMEOUT_MS = 10_000
const MAX_RESPONSE_BYTES = 64 * 1024
const httpUrl = () => z.url({ protocol: /^https?$/ })

const PlatformConfigurationSchema = z.object({
  issuer: httpUrl(),
  authorization_endpoint: httpUrl(),
  token_endpoint: httpUrl(),
  jwks_uri: httpUrl(),
  registration_endpoint: httpUrl(),
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
  /** Per request, body included (tests shorten it). */
  timeoutMs?: number
}

export async function registerDynamically(
  input: { openidConfiguration: string; registrationToken?: string; organizationId?: string },
  deps: DynamicRegistrationDeps,
): Promise<{ platform: Platform; deploymentId?: string }> {
  const doFetch = deps.fetch ?? fetch
  const timeoutMs = deps.timeoutMs ?? FETCH_TIMEOUT_MS
  let configUrl: URL
  try {
    configUrl = new URL(input.openidConfiguration)
  } catch {
    throw new LtiRegistrationFailed('Adresse openid_configuration invalide.')
  }
  // No file:, data:, ftp:… (undici would refuse most, but say so plainly and before any request).
  if (configUrl.protocol !== 'https:' && configUrl.protocol !== 'http:') throw new LtiRegistrationFailed('Adresse openid_configuration invalide (http ou https attendu).')
  const fetched = await getJson(doFetch, configUrl.toString(), timeoutMs)
  const config = PlatformConfigurationSchema.safeParse(fetched.json)
  if (!config.success) throw new LtiRegistrationFailed('Configuration OpenID de la plateforme incomplète.', { issues: config.error.issues.length })
  const c = config.data
  // The issuer registered is the configuration's: it must be the origin (scheme, host, port) the configuration was
  // served from, after redirects, which may only upgrade the scheme: a file served elsewhere, or behind an open
  // redirect of the platform, cannot speak for it (atomic_lti checks the host; ltijs nothing).
  const servedFrom = new URL(fetched.url)
  if (servedFrom.host !== configUrl.host || originOf(c.issuer) !== servedFrom.origin)
    throw new LtiRegistrationFailed(`L’émetteur ${c.issuer} ne correspond pas à ${configUrl.origin}.`)

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
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    throw new LtiRegistrationFailed(`La plateforme ne répond pas (${(err as Error).message}).`)
  }
  let text: string
  try {
    text = await readLimited(res, 'réponse d’enregistrement')
  } catch (err) {
    if (err instanceof LtiRegistrationFailed) throw err
    throw new LtiRegistrationFailed(`La plateforme ne répond pas (${(err as Error).message}).`)
  }
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

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** The body as text, refused past MAX_RESPONSE_BYTES (announced or streamed): a hostile URL cannot fill the memory. */
async function readLimited(res: Response, what: string): Promise<string> {
  const tooLarge = () => new LtiRegistrationFailed(`${what} trop volumineuse (plus de ${MAX_RESPONSE_BYTES / 1024} ko).`)
  if (Number(res.headers.get('content-length') ?? 0) > MAX_RESPONSE_BYTES) {
    await res.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function getJson(doFetch: typeof fetch, url: string, timeoutMs: number): Promise<{ json: unknown; url: string }> {
  try {
    // Redirects are followed (http → https is common), under the one timeout; res.url is where they ended.
    const res = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) })
    if (!res.ok) throw new LtiRegistrationFailed(`openid_configuration : HTTP ${res.status}`)
    return { json: JSON.parse(await readLimited(res, 'openid_configuration')) as unknown, url: res.url || url }
  } catch (err) {
    if (err instanceof LtiRegistrationFailed) throw err
    throw new LtiRegistrationFailed(`Impossible de lire la configuration de la plateforme (${(err as Error).message}).`)
  }
}
