import { ParticipationNotFound, RetryNotAllowed } from './errors'
import { campaignForLearner, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import { decideImprove } from './participation'
import { findLiveParticipation, updateParticipation } from './participation.repository'
import { createParticipation, type StartParticipationResult } from './start-participation'

/**
 * With multiple sendings, after sharing: "Repasser mon parcours" (assessment, after RETRY_DELAY_DAYS) or
 * sending the profile again (profiles collection). The shared participation is marked improved (kept for
 * history, out of statistics) and a new one starts with the same external id.
 */
export async function improveParticipation(input: { code: string; learner: LearnerIdentity }, deps: ParticipationDeps): Promise<StartParticipationResult> {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignForLearner(tx, input.code)
    const previous = await findLiveParticipation(tx, campaign.id, input.learner.userId, true)
    if (!previous) throw new ParticipationNotFound('Vous ne participez pas à cette campagne.')
    const decision = decideImprove({ campaign, participation: previous, delayDays: deps.retryDelayDays, now: deps.clock.now() })
    if (!decision.allowed) throw new RetryNotAllowed('Vous ne pouvez pas repasser ce parcours pour le moment.', { ...decision })
    await updateParticipation(tx, previous.id, { isImproved: true })
    return createParticipation(
      tx,
      campaign,
      input.learner,
      { externalId: previous.participantExternalId, isImproving: true, organizationLearnerId: previous.organizationLearnerId },
      deps,
    )
  })
}
