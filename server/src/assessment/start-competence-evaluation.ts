import { competenceTargetProfile } from './assessment-engine'
import { latestCompetenceEvaluations } from './assessment.repository'
import { createAssessment } from './create-assessment'
import { CompetenceNotFound } from './errors'
import type { AssessmentDeps } from './get-assessment-state'

/**
 * A self-started test on one competence, outside any campaign (profile page). Resumes the one in progress;
 * after a finished one, a new test is improving: what was validated stays, old failures come back.
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
    const created = await createAssessment(
      tx,
      { userId: input.userId, type: 'COMPETENCE_EVALUATION', competenceCode: input.competenceCode, isImproving: previous.length > 0 },
      { clock: deps.clock, contentVersion: deps.referential.version, retryDelayDays: deps.retryDelayDays },
    )
    return { assessmentId: created.id, resumed: false }
  })
}
