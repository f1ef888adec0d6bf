/**
 * Deep Linking 2.0 (lti-notes §4) and binding an unconfigured link: the teacher picks or creates a
 * campaign; Jalon answers with a signed LtiDeepLinkingResponse (one ltiResourceLink carrying the
 * campaign and a lineItem so Moodle creates the gradebook column), or binds the link and opens the app.
 */
import { SignJWT } from 'jose'
import { z } from 'zod'
import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import type { CampaignCatalog, CampaignSummary } from './campaign-catalog'
import { CLAIM } from './claims'
import { randomToken } from './crypto'
import { LtiSessionInvalid } from './errors'
import { APP_CODE_TTL_MS, CAMPAIGN_CUSTOM_PARAM } from './launch'
import { bindResourceLink, findLaunch, updateLaunchContext, type StoredLaunch } from './launch.repository'
import { findDeploymentByRowId, findPlatformById } from './platform.repository'
import { consumeOneTimeCode, createOneTimeCode, peekOneTimeCode } from './session.repository'
import { currentSigningKey } from './tool-keys'

export const LINE_ITEM_TAG = 'jalon'

export const PickerChoiceSchema = z.union([
  z.object({ action: z.literal('existing'), campaignId: z.string().min(1) }),
  z.object({
    action: z.literal('create'),
    name: z.string().trim().min(1, 'Le nom de la campagne est obligatoire.').max(255),
    targetProfileId: z.string().min(1, 'Choisissez un profil cible.'),
    externalIdLabel: z.string().trim().max(255).optional(),
  }),
])
export type PickerChoice = z.infer<typeof PickerChoiceSchema>

export interface PickerDeps {
  db: Db
  clock: Clock
  campaigns: CampaignCatalog
  encryptionKey: Buffer
}

/** The launch behind a picker ticket (teachers only), without using the ticket. */
export async function openPicker(ticket: string, deps: Pick<PickerDeps, 'db' | 'clock'>): Promise<StoredLaunch> {
  const launchId = await peekOneTimeCode(deps.db, ticket, 'picker', deps.clock.now())
  const launch = launchId && (await findLaunch(deps.db, launchId))
  if (!launch || launch.context.role === 'learner') throw new LtiSessionInvalid('Ce lien de configuration a expiré. Relancez l’activité depuis votre plateforme.')
  return launch
}

export type PickerOutcome =
  | { kind: 'deep-linking-response'; returnUrl: string; jwt: string; campaign: CampaignSummary }
  | { kind: 'app'; code: string; campaign: CampaignSummary }

export async function submitPicker(ticket: string, choice: PickerChoice, deps: PickerDeps): Promise<PickerOutcome> {
  const launch = await openPicker(ticket, deps)
  const ctx = launch.context
  let campaign: CampaignSummary | undefined
  if (choice.action === 'existing') {
    campaign = await deps.campaigns.get(choice.campaignId)
    if (!campaign || campaign.organizationId !== ctx.organizationId) throw new LtiSessionInvalid('Cette campagne n’appartient pas à votre organisation.')
  } else {
    campaign = await deps.campaigns.create({
      organizationId: ctx.organizationId,
      creatorId: ctx.userId,
      name: choice.name,
      targetProfileId: choice.targetProfileId,
      externalIdLabel: choice.externalIdLabel || null,
    })
  }
  const now = deps.clock.now()
  if (!(await consumeOneTimeCode(deps.db, ticket, 'picker', now))) throw new LtiSessionInvalid('Ce lien de configuration a déjà été utilisé.')

  if (launch.services.deepLinking) {
    const jwt = await signDeepLinkingResponse(launch, campaign, deps)
    return { kind: 'deep-linking-response', returnUrl: launch.services.deepLinking.returnUrl, jwt, campaign }
  }
  if (!ctx.resourceLinkId) throw new LtiSessionInvalid('Aucune activité à configurer.')
  const campaignId = await bindResourceLink(deps.db, ctx.resourceLinkId, campaign.id)
  await updateLaunchContext(deps.db, launch.id, { ...ctx, campaignId })
  const code = await createOneTimeCode(deps.db, { purpose: 'app', launchId: launch.id, expiresAt: new Date(now.getTime() + APP_CODE_TTL_MS) })
  return { kind: 'app', code, campaign }
}

export async function signDeepLinkingResponse(
  launch: StoredLaunch,
  campaign: Pick<CampaignSummary, 'id' | 'name'>,
  deps: Pick<PickerDeps, 'db' | 'clock' | 'encryptionKey'>,
): Promise<string> {
  const platform = await findPlatformById(deps.db, launch.platformId)
  // The launch stores Jalon's deployment row; the platform wants its own deployment id back.
  const deployment = (await findDeploymentByRowId(deps.db, launch.deploymentRowId))?.deploymentId
  if (!platform || !deployment) throw new LtiSessionInvalid('Plateforme introuvable.')
  const settings = launch.services.deepLinking!
  const item = {
    type: 'ltiResourceLink',
    title: campaign.name,
    text: `Test Jalon — ${campaign.name}`,
    // No url: Moodle keeps the activity on the registered tool (an item url re-resolves the tool by domain).
    custom: { [CAMPAIGN_CUSTOM_PARAM]: campaign.id },
    lineItem: { scoreMaximum: 100, label: campaign.name, resourceId: campaign.id, tag: LINE_ITEM_TAG },
  }
  const { kid, key } = await currentSigningKey({ db: deps.db, clock: deps.clock, encryptionKey: deps.encryptionKey })
  const claims: Record<string, unknown> = {
    nonce: randomToken(16),
    [CLAIM.deploymentId]: deployment,
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.contentItems]: [item],
    [CLAIM.dlMsg]: `Activité Jalon ajoutée : ${campaign.name}`,
  }
  if (settings.data !== undefined) claims[CLAIM.dlData] = settings.data
  const now = Math.floor(deps.clock.now().getTime() / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(platform.clientId)
    .setAudience(platform.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key)
}
