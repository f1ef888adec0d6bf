import { leanTransaction } from '../db/client'
import { updateAssessment } from './assessment.repository'
import { ChallengeNotAsked } from './errors'
import { lockedStateOf, type AssessmentDeps, type AssessmentState } from './get-assessment-state'

/**
 * The learner leaves a checkpoint or the warning of a timed challenge: the challenge is shown from now
 * (its timer starts). Calling it again changes nothing.
 */
export async function startChallenge(
  input: { assessmentId: string; userId: string; challengeId: string },
  deps: AssessmentDeps,
): Promise<AssessmentState> {
  return leanTransaction(deps.db, (tx) =>
    lockedStateOf(tx, input, deps, async (a) => {
      if (a.currentChallengeId !== input.challengeId) throw new ChallengeNotAsked('Cette question n’est plus la question en cours.')
      if (a.currentChallengeAskedAt) return a
      const values = { currentChallengeAskedAt: deps.clock.now() }
      await updateAssessment(tx, a.id, values)
      return { ...a, ...values }
    }),
  )
}
