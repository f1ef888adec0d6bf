import { createAssessment } from '../assessment'
import type { Tx } from '../db/client'
import { isAccessible, type Campaign } from './campaign'
import { CampaignArchived, InvalidCampaign, LearnerDisabled } from './errors'
import { campaignForLearner, reportsTo, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import { checkExternalId, usableLaunchExternalId, type Participation } from './participation'
import { reconcileOrganizationLearner } from '../organizations'
import { findLiveParticipation, insertParticipation, latestAssessment } from './participation.repository'

export interface StartParticipationResult {
  participation: Participation
  /** Null for a profiles collection. */
  assessmentId: string | null
  /** False when the learner already had a live participation (resumed, or results to see). */
  created: boolean
}

/**
 * Joins a campaign (pix-rules §2.1), or returns the live participation when there is one: entering twice
 * never creates two. A new participation needs an accessible campaign and, when the campaign asks for it,
 * an external id (from the input, else from the launch), checked as an e-mail for the EMAIL type.
 */
export async function startParticipation(
  input: { code: string; learner: LearnerIdentity; participantExternalId?: string | null },
  deps: ParticipationDeps,
): Promise<StartParticipationResult> {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignForLearner(tx, input.code)
    const live = await findLiveParticipation(tx, campaign.id, input.learner.userId)
    if (live) return { participation: live, assessmentId: (await latestAssessment(tx, live.id))?.id ?? null, created: false }
    if (!isAccessible(campaign)) throw new CampaignArchived('Cette campagne est archivée : elle ne peut plus être rejointe.')
    const externalId = checkExternalId(campaign, input.participantExternalId || usableLaunchExternalId(campaign, input.learner.externalId))
    return createParticipation(tx, campaign, input.learner, { externalId, isImproving: false, organizationLearnerId: undefined }, deps)
  })
}

/** A new participation (and its assessment), inside the caller's transaction. Shared by start, improve and reset. */
export async function createParticipation(
  tx: Tx,
  campaign: Campaign,
  learner: LearnerIdentity,
  options: { externalId: string | null; isImproving: boolean; organizationLearnerId: string | null | undefined },
  deps: ParticipationDeps,
): Promise<StartParticipationResult> {
  let organizationLearnerId = options.organizationLearnerId
  if (!organizationLearnerId) {
    // First participation in this organization: link the person to the row the organization imported
    // (same student number, or same names and birth date), else create it (pix-rules §5).
    const { learner: orgLearner } = await reconcileOrganizationLearner(tx, {
      organizationId: campaign.organizationId,
      userId: learner.userId,
      firstName: learner.firstName ?? null,
      lastName: learner.lastName ?? null,
      studentNumber: options.externalId ?? learner.externalId ?? null,
      source: learner.organizationId === campaign.organizationId ? 'LTI' : 'PARTICIPATION',
    })
    if (orgLearner.isDisabled) throw new LearnerDisabled('Vous n’êtes pas autorisé à rejoindre la campagne.')
    organizationLearnerId = orgLearner.id
  }
  const now = deps.clock.now()
  const participation = await insertParticipation(tx, {
    campaignId: campaign.id,
    userId: learner.userId,
    organizationLearnerId,
    participantExternalId: options.externalId,
    // A profiles collection has no test: it waits for "J'envoie mon profil".
    status: campaign.type === 'ASSESSMENT' ? 'STARTED' : 'TO_SHARE',
    createdAt: now,
  })
  if (!participation) {
    // A concurrent request joined first (unique live participation): use its row.
    const live = await findLiveParticipation(tx, campaign.id, learner.userId)
    if (!live) throw new InvalidCampaign('Participation impossible, réessayez.')
    return { participation: live, assessmentId: (await latestAssessment(tx, live.id))?.id ?? null, created: false }
  }
  let assessmentId: string | null = null
  if (campaign.type === 'ASSESSMENT') {
    const assessment = await createAssessment(
      tx,
      { userId: learner.userId, type: 'CAMPAIGN', campaignParticipationId: participation.id, isImproving: options.isImproving },
      { clock: deps.clock, contentVersion: deps.referential.version, retryDelayDays: deps.retryDelayDays },
    )
    assessmentId = assessment.id
    // A new attempt after sharing keeps the shared grade in the LMS until it is shared again.
    if (reportsTo(learner, campaign) && !options.isImproving) await deps.grades?.progress(tx, learner, participation.id, 'Started')
  }
  return { participation, assessmentId, created: true }
}
