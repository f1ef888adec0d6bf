/**
 * The launch (redirect_uri): check the login state, verify the id_token, map the platform's
 * claims to Jalon (user, organization, course, resource link, campaign) and decide where the
 * user goes next. Claim names stop here: the result carries a LaunchContext.
 */
import type { Db } from '../db/client'
import { createUser, ensureMembership, upsertCourse, upsertCourseMember, updateUserProfile } from '../organizations'
import type { Clock } from '../shared/clock'
import type { CampaignCatalog } from './campaign-catalog'
import { readMapped } from './claim-mapping'
import { CLAIM, SCOPE, hasLearnerRole, mapRoles } from './claims'
import { LtiLaunchRejected } from './errors'
import type { LaunchContext } from './launch-context'
import {
  bindResourceLink,
  consumeLoginState,
  findIdentity,
  findLoginState,
  insertLaunch,
  recordNonce,
  upsertIdentity,
  upsertResourceLink,
  type LaunchServices,
} from './launch.repository'
import { browserBinding } from './login'
import type { PlatformKeyStore } from './platform-keys'
import { findDeployment, findPlatformById } from './platform.repository'
import { createOneTimeCode } from './session.repository'
import { verifyIdToken } from './verify-id-token'

/** Custom parameter Jalon puts in its deep-linking items. */
export const CAMPAIGN_CUSTOM_PARAM = 'jalon_campaign'
export const APP_CODE_TTL_MS = 2 * 60_000
export const PICKER_TTL_MS = 30 * 60_000

export interface LaunchDeps {
  db: Db
  clock: Clock
  platformKeys: PlatformKeyStore
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
  const loginState = await findLoginState(deps.db, input.state)
  if (!loginState) throw new LtiLaunchRejected('UNKNOWN_STATE')
  if (loginState.usedAt) throw new LtiLaunchRejected('STATE_ALREADY_USED')
  if (loginState.expiresAt <= now) throw new LtiLaunchRejected('STATE_EXPIRED')
  const platform = await findPlatformById(deps.db, loginState.platformId)
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
  // Extra browser checks: they refuse a mismatch, never require presence (cookies may be blocked).
  if (typeof input.storageState === 'string' && input.storageState !== input.state) throw new LtiLaunchRejected('STATE_BROWSER_MISMATCH', 'storage')
  if (input.cookieBinding && input.cookieBinding !== browserBinding(loginState.state, loginState.nonce))
    throw new LtiLaunchRejected('STATE_BROWSER_MISMATCH', 'cookie')

  if (!(await consumeLoginState(deps.db, input.state, now))) throw new LtiLaunchRejected('STATE_ALREADY_USED')

  const token = await verifyIdToken(input.idToken, {
    issuer: platform.issuer,
    clientId: platform.clientId,
    nonce: loginState.nonce,
    keySet: deps.platformKeys.get(platform),
    now,
  })
  if (!(await recordNonce(deps.db, { platformId: platform.id, nonce: loginState.nonce, expiresAt: new Date(now.getTime() + 3600_000) })))
    throw new LtiLaunchRejected('NONCE_REPLAYED')
  const deployment = await findDeployment(deps.db, platform.id, token.deploymentId)
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

  const persisted = await deps.db.transaction(async (tx) => {
    const identity = await findIdentity(tx, platform.id, token.sub)
    const userId = identity?.userId ?? (await createUser(tx, profile))
    if (identity) await updateUserProfile(tx, userId, profile)
    await upsertIdentity(tx, { platformId: platform.id, subject: token.sub, userId, externalId: externalId ?? null, attributes })

    if (role !== 'learner') await ensureMembership(tx, { organizationId: deployment.organizationId, userId, role: role === 'admin' ? 'ADMIN' : 'MEMBER' })

    let courseId: string | undefined
    if (contextId) {
      const course = await upsertCourse(tx, {
        organizationId: deployment.organizationId,
        // Context identity is (issuer, deployment, context.id) — lti-notes §3.
        sourceKey: `lti:${deployment.id}:${contextId}`,
        label: str(context?.label),
        title: str(context?.title),
        rosterUrl,
      })
      courseId = course.id
      await upsertCourseMember(tx, { courseId, userId, role, groups })
    }

    let link: Awaited<ReturnType<typeof upsertResourceLink>> | undefined
    if (resourceLinkId) {
      link = await upsertResourceLink(tx, {
        deploymentRowId: deployment.id,
        resourceLinkId,
        courseId: courseId ?? null,
        title: str(resourceLink?.title) ?? null,
        lineItemUrl: lineItemUrl ?? null,
        lineItemsUrl: lineItemsUrl ?? null,
      })
    }
    return { userId, courseId, link }
  })

  // Deep-linked activities carry the campaign as a custom parameter: bind on first launch.
  let campaignId = persisted.link?.campaignId ?? undefined
  const customCampaign = str(custom?.[CAMPAIGN_CUSTOM_PARAM])
  if (persisted.link && !campaignId && customCampaign) {
    const campaign = await deps.campaigns.get(customCampaign)
    if (campaign && campaign.organizationId === deployment.organizationId) {
      campaignId = await bindResourceLink(deps.db, persisted.link.id, campaign.id)
    }
  }

  const canScore = agsScopes.includes(SCOPE.score) && Boolean(lineItemUrl ?? lineItemsUrl)
  const launchContext: Omit<LaunchContext, 'launchId'> = {
    platformId: platform.id,
    deploymentId: deployment.id,
    organizationId: deployment.organizationId,
    userId: persisted.userId,
    role,
    courseId: persisted.courseId,
    resourceLinkId: persisted.link?.id,
    campaignId,
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
    lineItemUrl: persisted.link?.lineItemUrl ?? lineItemUrl,
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
  const launchId = await insertLaunch(deps.db, {
    platformId: platform.id,
    deploymentRowId: deployment.id,
    userId: persisted.userId,
    subject: token.sub,
    messageType: token.messageType,
    context: launchContext,
    services,
  })
  const ctx: LaunchContext = { ...launchContext, launchId }

  if (token.messageType === 'LtiDeepLinkingRequest') {
    if (role === 'learner') return { kind: 'deep-linking-forbidden', context: ctx }
    const ticket = await createOneTimeCode(deps.db, { purpose: 'picker', launchId, expiresAt: new Date(now.getTime() + PICKER_TTL_MS) })
    return { kind: 'picker', context: ctx, ticket, mode: 'deep-linking' }
  }
  if (!campaignId) {
    if (role === 'learner') return { kind: 'not-configured', context: ctx }
    const ticket = await createOneTimeCode(deps.db, { purpose: 'picker', launchId, expiresAt: new Date(now.getTime() + PICKER_TTL_MS) })
    return { kind: 'picker', context: ctx, ticket, mode: 'bind' }
  }
  const code = await createOneTimeCode(deps.db, { purpose: 'app', launchId, expiresAt: new Date(now.getTime() + APP_CODE_TTL_MS) })
  return { kind: 'app', context: ctx, code }
}
