import { competenceTargetProfile } from './assessment-engine'
import { lastCompetenceResetAt, latestCompetenceEvaluations } from './assessment.repository'
import { createAssessment } from './create-assessment'
import { CompetenceNotFound } from './errors'
import type { AssessmentDeps } from './get-assessment-state'

/**
 * A self-started test on one competence, outside any campaign (profile page). Resumes the one in progress;
 * after a finished one, a new test is improving: what was validated stays, old failures come back. After a reset of
 * the competence, the next test starts from zero (not improving) until one is finished.
 */
export async function startCompetenceEvaluation(
  input: { userId: string; competenceCode: string },
  deps: AssessmentDeps & { retryDelayDays: number },
): Promise<{ assessmentId: string; resumed: boolean }> {
  if (!competenceTargetProfile(deps.referential, input.competenceCode)) throw new CompetenceNotFound('Compétence inconnue.')
  return deps.db.transaction(async (tx) => {
    const previous = (await latestCompetenceEvaluations(tx, input.userId)).filter((a) => a.competenceCode === input.competenceCode)
    const ongoing = previous.find((a) => a.state === 'started')
    if (ongoing) return { assessmentId: ongoing.id, resumed: true }
    const resetAt = await lastCompetenceResetAt(tx, input.userId, input.competenceCode)
    const finishedSinceReset = previous.some((a) => a.state === 'completed' && (!resetAt || (a.completedAt ?? a.createdAt) > resetAt))
    const created = await createAssessment(
      tx,
      { userId: input.userId, type: 'COMPETENCE_EVALUATION', competenceCode: input.competenceCode, isImproving: finishedSinceReset },
      { clock: deps.clock, contentVersion: deps.referential.version, retryDelayDays: deps.retryDelayDays },
    )
    return { assessmentId: created.id, resumed: false }
  })
}
