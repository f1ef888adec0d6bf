/**
 * The launch (redirect_uri): check the login state, verify the id_token, map the platform's
 * claims to Jalon (user, organization, course, resource link, campaign) and decide where the
 * user goes next. Claim names stop here: the result carries a LaunchContext.
 */
import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import type { CampaignCatalog } from './campaign-catalog'
import { readMapped } from './claim-mapping'
import { CLAIM, SCOPE, hasLearnerRole, mapRoles } from './claims'
import { randomToken, sha256 } from './crypto'
import { LtiLaunchRejected } from './errors'
import type { LaunchContext } from './launch-context'
import { bindResourceLink, openLoginState, updateLaunchContext, type LaunchServices } from './launch.repository'
import { browserBinding } from './login'
import type { PlatformDirectory } from './platform-directory'
import type { PlatformKeyStore } from './platform-keys'
import { recordLaunch } from './record-launch.repository'
import { createOneTimeCode } from './session.repository'
import { verifyIdToken } from './verify-id-token'

/** Custom parameter Jalon puts in its deep-linking items. */
export const CAMPAIGN_CUSTOM_PARAM = 'jalon_campaign'
export const APP_CODE_TTL_MS = 2 * 60_000
export const PICKER_TTL_MS = 30 * 60_000
/** How long a used nonce is remembered (id_tokens live 60 s; the state is single-use anyway). */
const NONCE_MEMORY_MS = 3600_000

export interface LaunchDeps {
  db: Db
  clock: Clock
  platformKeys: PlatformKeyStore
  platforms: PlatformDirectory
  campaigns: CampaignCatalog
}

export interface LaunchInput {
  idToken?: string
  state?: string
  /** undefined: no storage check made yet; null: the platform storage did not answer; string: the value read. */
  storageState?: string | null
  /** Value of Jalon's login cookie when the browser sent it back. */
  cookieBinding?: string
}

export type LaunchOutcome =
  | { kind: 'storage-check'; state: string; idToken: string; storageTarget: string; platformOrigin: string }
  | { kind: 'app'; context: LaunchContext; code: string }
  | { kind: 'picker'; context: LaunchContext; ticket: string; mode: 'deep-linking' | 'bind' }
  | { kind: 'not-configured'; context: LaunchContext }
  | { kind: 'deep-linking-forbidden'; context: LaunchContext }

export async function handleLaunch(input: LaunchInput, deps: LaunchDeps): Promise<LaunchOutcome> {
  if (!input.state) throw new LtiLaunchRejected('MISSING_STATE')
  if (!input.idToken) throw new LtiLaunchRejected('MISSING_ID_TOKEN')
  const now = deps.clock.now()
  // One statement: read the state, and consume it (recording its nonce) unless a storage check is pending.
  const loginState = await openLoginState(deps.db, {
    state: input.state,
    now,
    storageChecked: input.storageState !== undefined,
    nonceExpiresAt: new Date(now.getTime() + NONCE_MEMORY_MS),
  })
  if (!loginState) throw new LtiLaunchRejected('UNKNOWN_STATE')
  if (loginState.usedAt) throw new LtiLaunchRejected('STATE_ALREADY_USED')
  if (loginState.expiresAt <= now) throw new LtiLaunchRejected('STATE_EXPIRED')
  const platform = await deps.platforms.byId(loginState.platformId)
  if (!platform) throw new LtiLaunchRejected('UNKNOWN_STATE', 'platform deleted')

  if (loginState.storageTarget && input.storageState === undefined) {
    return {
      kind: 'storage-check',
      state: input.state,
      idToken: input.idToken,
      storageTarget: loginState.storageTarget,
      platformOrigin: new URL(platform.authLoginUrl).origin,
    }
  }
  // Extra browser checks: they refuse a mismatch, never require presence (cookies may be blocked). The state is
  // used by then, as it is when the id_token turns out invalid: whoever holds the state could spend it anyway.
  if (typeof input.storageState === 'string' && input.storageState !== input.state) throw new LtiLaunchRejected('STATE_BROWSER_MISMATCH', 'storage')
  if (input.cookieBinding && input.cookieBinding !== browserBinding(loginState.state, loginState.nonce))
    throw new LtiLaunchRejected('STATE_BROWSER_MISMATCH', 'cookie')
  // Another request used it between our read and our update.
  if (!loginState.consumed) throw new LtiLaunchRejected('STATE_ALREADY_USED')

  const token = await verifyIdToken(input.idToken, {
    issuer: platform.issuer,
    clientId: platform.clientId,
    nonce: loginState.nonce,
    keySet: deps.platformKeys.get(platform),
    now,
  })
  // The id_token's nonce is the state's (checked above), recorded when the state was consumed.
  if (!loginState.nonceFresh) throw new LtiLaunchRejected('NONCE_REPLAYED')
  const deployment = await deps.platforms.deployment(platform.id, token.deploymentId)
  if (!deployment) throw new LtiLaunchRejected('UNKNOWN_DEPLOYMENT', token.deploymentId)

  const p = token.payload
  const role = mapRoles(token.roles)
  const obj = (claim: string) => {
    const v = p[claim]
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined)

  const mapping = platform.claimMapping
  const externalId = readMapped(p, mapping.externalId) ?? undefined
  const attributes: Record<string, string> = {}
  for (const [name, path] of Object.entries(mapping.attributes)) {
    const v = readMapped(p, path)
    if (v) attributes[name] = v
  }
  const groupsRaw = mapping.groups ? readMapped(p, mapping.groups) : null
  const groups = groupsRaw ? groupsRaw.split(',').map((g) => g.trim()).filter(Boolean) : undefined

  const presentation = obj(CLAIM.launchPresentation)
  const profile = {
    firstName: str(p.given_name) ?? null,
    lastName: str(p.family_name) ?? (str(p.given_name) ? null : (str(p.name) ?? null)),
    email: str(p.email) ?? null,
    locale: str(presentation?.locale) ?? str(p.locale) ?? null,
  }
  const context = obj(CLAIM.context)
  const contextId = str(context?.id)
  const resourceLink = obj(CLAIM.resourceLink)
  const resourceLinkId = str(resourceLink?.id)
  const ags = obj(CLAIM.ags)
  const agsScopes = Array.isArray(ags?.scope) ? (ags.scope as unknown[]).filter((s): s is string => typeof s === 'string') : []
  const lineItemUrl = str(ags?.lineitem)
  const lineItemsUrl = str(ags?.lineitems)
  const rosterUrl = str(obj(CLAIM.nrps)?.context_memberships_url)
  const dl = obj(CLAIM.deepLinkingSettings)
  const custom = obj(CLAIM.custom)

  const canScore = agsScopes.includes(SCOPE.score) && Boolean(lineItemUrl ?? lineItemsUrl)
  // Everything but the ids the rows give (userId, courseId, resourceLinkId, campaignId).
  const known: Omit<LaunchContext, 'launchId' | 'userId'> = {
    platformId: platform.id,
    deploymentId: deployment.id,
    organizationId: deployment.organizationId,
    role,
    externalId,
    attributes: Object.keys(attributes).length ? attributes : undefined,
    locale: profile.locale ?? undefined,
    firstName: profile.firstName ?? undefined,
    lastName: profile.lastName ?? undefined,
    email: profile.email ?? undefined,
    canReportScores: canScore,
    canReadRoster: Boolean(rosterUrl),
    returnUrl: str(presentation?.return_url),
  }
  const services: LaunchServices = {
    lineItemsUrl,
    agsScopes,
    rosterUrl,
    platformResourceLinkId: resourceLinkId,
    gradable: hasLearnerRole(token.roles),
    ...(token.messageType === 'LtiDeepLinkingRequest' && dl
      ? {
          deepLinking: {
            returnUrl: String(dl.deep_link_return_url),
            data: str(dl.data),
            acceptMultiple: dl.accept_multiple === true,
            acceptTypes: Array.isArray(dl.accept_types) ? (dl.accept_types as string[]) : undefined,
          },
        }
      : {}),
  }
  // The usual launch (a bound activity) gets its app code in the same statement.
  const appCode = token.messageType === 'LtiResourceLinkRequest' ? randomToken(24) : undefined
  const recorded = await recordLaunch(deps.db, {
    platformId: platform.id,
    deploymentRowId: deployment.id,
    organizationId: deployment.organizationId,
    subject: token.sub,
    profile,
    externalId: externalId ?? null,
    attributes,
    membershipRole: role === 'learner' ? null : role === 'admin' ? 'ADMIN' : 'MEMBER',
    // Context identity is (issuer, deployment, context.id) — lti-notes §3.
    course: contextId
      ? { sourceKey: `lti:${deployment.id}:${contextId}`, label: str(context?.label) ?? null, title: str(context?.title) ?? null, rosterUrl: rosterUrl ?? null, role, groups }
      : null,
    link: resourceLinkId
      ? { resourceLinkId, title: str(resourceLink?.title) ?? null, lineItemUrl: lineItemUrl ?? null, lineItemsUrl: lineItemsUrl ?? null }
      : null,
    launch: { messageType: token.messageType, context: known, services: services as Record<string, unknown> },
    appCode: appCode ? { hash: sha256(appCode), expiresAt: new Date(now.getTime() + APP_CODE_TTL_MS) } : null,
  })
  const launchId = recorded.launchId
  let ctx: LaunchContext = {
    ...known,
    launchId,
    userId: recorded.userId,
    courseId: recorded.courseId,
    resourceLinkId: recorded.link?.id,
    campaignId: recorded.link?.campaignId ?? undefined,
  }

  // Deep-linked activities carry the campaign as a custom parameter: bind on first launch.
  const customCampaign = str(custom?.[CAMPAIGN_CUSTOM_PARAM])
  if (recorded.link && !ctx.campaignId && customCampaign) {
    const campaign = await deps.campaigns.get(customCampaign)
    if (campaign && campaign.organizationId === deployment.organizationId) {
      ctx = { ...ctx, campaignId: await bindResourceLink(deps.db, recorded.link.id, campaign.id) }
      await updateLaunchContext(deps.db, launchId, ctx)
    }
  }

  if (token.messageType === 'LtiDeepLinkingRequest') {
    if (role === 'learner') return { kind: 'deep-linking-forbidden', context: ctx }
    const ticket = await createOneTimeCode(deps.db, { purpose: 'picker', launchId, expiresAt: new Date(now.getTime() + PICKER_TTL_MS) })
    return { kind: 'picker', context: ctx, ticket, mode: 'deep-linking' }
  }
  if (!ctx.campaignId) {
    if (role === 'learner') return { kind: 'not-configured', context: ctx }
    const ticket = await createOneTimeCode(deps.db, { purpose: 'picker', launchId, expiresAt: new Date(now.getTime() + PICKER_TTL_MS) })
    return { kind: 'picker', context: ctx, ticket, mode: 'bind' }
  }
  const code =
    recorded.appCodeCreated && appCode
      ? appCode
      : await createOneTimeCode(deps.db, { purpose: 'app', launchId, expiresAt: new Date(now.getTime() + APP_CODE_TTL_MS) })
  return { kind: 'app', context: ctx, code }
}
