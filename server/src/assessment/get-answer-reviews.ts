import { presentAnswerReview, type AnswerReview } from './assessment.presenter'
import { findOwnAssessment, listAnswers, listSavedTutorialIds } from './assessment.repository'
import { AssessmentNotFound } from './errors'
import { CHECKPOINT_EVERY, type AssessmentDeps } from './get-assessment-state'

/**
 * The learner's answers with right/wrong, the correct answer and tutorials: the checkpoint shows the last
 * group of 5 (`scope: 'checkpoint'`), the end of the test every answer.
 */
export async function getAnswerReviews(
  input: { assessmentId: string; userId: string; scope: 'checkpoint' | 'all' },
  deps: Omit<AssessmentDeps, 'clock'>,
): Promise<AnswerReview[]> {
  const assessment = await findOwnAssessment(deps.db, input.assessmentId, input.userId)
  if (!assessment) throw new AssessmentNotFound('Test introuvable.')
  const answers = await listAnswers(deps.db, assessment.id)
  const saved = new Set(await listSavedTutorialIds(deps.db, input.userId))
  const from = input.scope === 'all' ? 0 : Math.floor(Math.max(0, answers.length - 1) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY
  return answers.slice(from).flatMap((a) => presentAnswerReview(deps.referential, a, saved) ?? [])
}
