import { listKnowledgeElements } from '../assessment'
import { latestNonResetBySkill } from '../assessment/scoring'
import { knowledgeElements } from '../db/schema'
import { ParticipationNotFound, RetryNotAllowed } from './errors'
import { campaignForLearner, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import { decideReset } from './participation'
import { findLiveParticipation, updateParticipation } from './participation.repository'
import { createParticipation, type StartParticipationResult } from './start-participation'

/**
 * Reset (pix-rules §2.7), when the target profile allows it: every target skill the learner has a KE for
 * gets a `reset` KE, so the whole path is asked again in a new participation.
 */
export async function resetParticipation(input: { code: string; learner: LearnerIdentity }, deps: ParticipationDeps): Promise<StartParticipationResult> {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignForLearner(tx, input.code)
    const previous = await findLiveParticipation(tx, campaign.id, input.learner.userId, true)
    if (!previous) throw new ParticipationNotFound('Vous ne participez pas à cette campagne.')
    const profile = deps.referential.targetProfiles.get(campaign.targetProfileId ?? '')
    const now = deps.clock.now()
    const decision = decideReset({
      campaign,
      participation: previous,
      resetAllowed: profile?.areKnowledgeElementsResettable ?? false,
      delayDays: deps.retryDelayDays,
      now,
    })
    if (!decision.allowed || !profile) throw new RetryNotAllowed('Vous ne pouvez pas remettre ce parcours à zéro.', { ...decision })
    const target = new Set(profile.skillIds)
    const kes = await listKnowledgeElements(tx, input.learner.userId)
    const resets = [...latestNonResetBySkill(kes).values()]
      .filter((ke) => target.has(ke.skillId))
      .map((ke) => ({
        userId: input.learner.userId,
        skillId: ke.skillId,
        competenceCode: ke.competenceCode,
        status: 'reset' as const,
        source: ke.source,
        earnedPix: 0,
        createdAt: now,
      }))
    // Written through the schema directly: resets belong to no assessment.
    if (resets.length) await tx.insert(knowledgeElements).values(resets)
    await updateParticipation(tx, previous.id, { isImproved: true })
    return createParticipation(
      tx,
      campaign,
      input.learner,
      { externalId: previous.participantExternalId, isImproving: false, organizationLearnerId: previous.organizationLearnerId },
      deps,
    )
  })
}
