import { createAssessment, listKnowledgeElements } from '../assessment'
import { ParticipationNotFound, RetryNotAllowed } from './errors'
import { campaignForLearner, reportsTo, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import { decideRetry } from './participation'
import { assessmentResults, failedTargetSkillDates } from './participation-results'
import { findLiveParticipation, updateParticipation } from './participation.repository'

/**
 * "Je retente", before sharing: a new improving assessment in the same participation. Validated skills
 * stay validated; skills failed or skipped at least RETRY_DELAY_DAYS ago are asked again.
 */
export async function retryParticipation(input: { code: string; learner: LearnerIdentity }, deps: ParticipationDeps): Promise<{ assessmentId: string }> {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignForLearner(tx, input.code)
    const participation = await findLiveParticipation(tx, campaign.id, input.learner.userId, true)
    if (!participation) throw new ParticipationNotFound('Vous ne participez pas à cette campagne.')
    const profile = deps.referential.targetProfiles.get(campaign.targetProfileId ?? '')
    const kes = await listKnowledgeElements(tx, input.learner.userId)
    const decision = decideRetry({
      campaign,
      participation,
      masteryRate: profile ? assessmentResults(deps.referential, profile, kes).masteryRate : 1,
      failedAt: profile ? failedTargetSkillDates(profile, kes) : [],
      delayDays: deps.retryDelayDays,
      now: deps.clock.now(),
    })
    if (!decision.allowed) throw new RetryNotAllowed('Vous ne pouvez pas retenter ce parcours pour le moment.', { ...decision })
    const assessment = await createAssessment(
      tx,
      { userId: input.learner.userId, type: 'CAMPAIGN', campaignParticipationId: participation.id, isImproving: true },
      { clock: deps.clock, contentVersion: deps.referential.version, retryDelayDays: deps.retryDelayDays },
    )
    await updateParticipation(tx, participation.id, { status: 'STARTED' })
    if (reportsTo(input.learner, campaign)) await deps.grades?.progress(tx, input.learner, participation.id, 'InProgress')
    return { assessmentId: assessment.id }
  })
}
