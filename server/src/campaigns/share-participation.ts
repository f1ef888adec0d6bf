import { listKnowledgeElements } from '../assessment'
import { latestNonResetBySkill } from '../assessment/scoring'
import { isAccessible } from './campaign'
import { AssessmentNotCompleted, CampaignArchived, ParticipationNotFound } from './errors'
import { campaignForLearner, reportsTo, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import type { Participation } from './participation'
import { assessmentResults, profileResults } from './participation-results'
import { findLiveParticipation, insertSnapshot, updateParticipation, type SnapshotKe } from './participation.repository'

/**
 * "J'envoie mes résultats" / "J'envoie mon profil" (pix-rules §2.2): status SHARED, the learner's knowledge
 * frozen in a snapshot, mastery (or pix and certifiability) frozen on the participation, and — for the
 * campaign of the LMS activity — the final score (mastery × 100) queued for the gradebook, all in one
 * transaction. Sharing twice returns the first sharing.
 */
export async function shareParticipation(
  input: { code: string; learner: LearnerIdentity },
  deps: ParticipationDeps,
): Promise<{ participation: Participation; alreadyShared: boolean }> {
  return deps.db.transaction(async (tx) => {
    const campaign = await campaignForLearner(tx, input.code)
    const participation = await findLiveParticipation(tx, campaign.id, input.learner.userId, true)
    if (!participation) throw new ParticipationNotFound('Vous ne participez pas à cette campagne.')
    if (participation.status === 'SHARED') return { participation, alreadyShared: true }
    if (!isAccessible(campaign)) throw new CampaignArchived('Cette campagne est archivée : les résultats ne peuvent plus être envoyés.')
    if (participation.status !== 'TO_SHARE') throw new AssessmentNotCompleted('Terminez le test avant d’envoyer vos résultats.')

    const now = deps.clock.now()
    const kes = await listKnowledgeElements(tx, input.learner.userId)
    const snapshot: SnapshotKe[] = [...latestNonResetBySkill(kes).values()].map((ke) => ({
      skillId: ke.skillId,
      competenceCode: ke.competenceCode,
      status: ke.status,
      source: ke.source,
      earnedPix: ke.earnedPix,
      createdAt: ke.createdAt.toISOString(),
    }))
    await insertSnapshot(tx, participation.id, now, snapshot)

    let frozen: Partial<Participation>
    if (campaign.type === 'ASSESSMENT') {
      const profile = deps.referential.targetProfiles.get(campaign.targetProfileId ?? '')
      if (!profile) throw new Error(`target profile ${campaign.targetProfileId} is not in the content`)
      const results = assessmentResults(deps.referential, profile, kes)
      frozen = { masteryRate: results.masteryRate, validatedSkillsCount: results.validatedSkills }
    } else {
      const score = profileResults(deps.referential, kes, deps.maxLevel)
      frozen = { pixScore: score.totalPix, isCertifiable: score.isCertifiable }
    }
    const shared = { ...participation, ...frozen, status: 'SHARED' as const, sharedAt: now }
    await updateParticipation(tx, participation.id, { ...frozen, status: 'SHARED', sharedAt: now })
    if (campaign.type === 'ASSESSMENT' && reportsTo(input.learner, campaign))
      await deps.grades?.final(tx, input.learner, participation.id, Math.round((shared.masteryRate ?? 0) * 100))
    return { participation: shared, alreadyShared: false }
  })
}
