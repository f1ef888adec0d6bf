import { findOwnAssessment, updateAssessment } from './assessment.repository'
import { AssessmentNotFound, ChallengeNotAsked } from './errors'
import { getAssessmentState, type AssessmentDeps, type AssessmentState } from './get-assessment-state'

/**
 * The learner leaves a checkpoint or the warning of a timed challenge: the challenge is shown from now
 * (its timer starts). Calling it again changes nothing.
 */
export async function startChallenge(
  input: { assessmentId: string; userId: string; challengeId: string },
  deps: AssessmentDeps,
): Promise<AssessmentState> {
  await deps.db.transaction(async (tx) => {
    const a = await findOwnAssessment(tx, input.assessmentId, input.userId, true)
    if (!a) throw new AssessmentNotFound('Test introuvable.')
    if (a.currentChallengeId !== input.challengeId) throw new ChallengeNotAsked('Cette question n’est plus la question en cours.')
    if (!a.currentChallengeAskedAt) await updateAssessment(tx, a.id, { currentChallengeAskedAt: deps.clock.now() })
  })
  return getAssessmentState(input, deps)
}
