import { leanTransaction } from '../db/client'
import { engineInputFor } from './assessment-engine'
import { markChallengeAsked, readAssessment, updateAssessment } from './assessment.repository'
import { ChallengeNotAsked } from './errors'
import { lockedStateOf, stateOf, type AssessmentDeps, type AssessmentState } from './get-assessment-state'

/**
 * The learner leaves a checkpoint or the warning of a timed challenge: the challenge is shown from now
 * (its timer starts). Calling it again changes nothing.
 *
 * The usual case takes a read and one guarded write, without a transaction; anything else (a second call, a
 * stale challenge, a test that moved in between) is decided on the locked row.
 */
export async function startChallenge(
  input: { assessmentId: string; userId: string; challengeId: string },
  deps: AssessmentDeps,
): Promise<AssessmentState> {
  const found = await readAssessment(deps.db, input.assessmentId, input.userId)
  const a = found?.assessment
  if (found && a && a.state === 'started' && a.currentChallengeId === input.challengeId && !a.currentChallengeAskedAt) {
    const askedAt = deps.clock.now()
    if (await markChallengeAsked(deps.db, a.id, input.challengeId, askedAt)) {
      const assessment = { ...a, currentChallengeAskedAt: askedAt }
      const { input: engineInput } = await engineInputFor(deps.db, deps.referential, assessment, found.answers, found.targetProfileId)
      return stateOf(deps.db, deps, assessment, engineInput)
    }
  }
  return leanTransaction(deps.db, (tx) =>
    lockedStateOf(tx, input, deps, async (locked) => {
      if (locked.currentChallengeId !== input.challengeId) throw new ChallengeNotAsked('Cette question n’est plus la question en cours.')
      if (locked.currentChallengeAskedAt) return locked
      const values = { currentChallengeAskedAt: deps.clock.now() }
      await updateAssessment(tx, locked.id, values)
      return { ...locked, ...values }
    }),
  )
}
