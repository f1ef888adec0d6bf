import { validateAnswer } from '../content/answer-validation'
import type { Tx } from '../db/client'
import { advance, engineInputFor, recordAnswerKnowledge } from './assessment-engine'
import { encodeAnswerValue } from './assessment.presenter'
import { findAnswer, findOwnAssessment, insertAnswer, listAnswers, type AnswerRow, type AssessmentRow } from './assessment.repository'
import { AssessmentAlreadyCompleted, AssessmentNotFound, ChallengeNotAsked } from './errors'
import { getAssessmentState, stateOf, type AssessmentDeps, type AssessmentState } from './get-assessment-state'

/** Seconds of network and rendering slack before a timed answer is judged too late by the server. */
export const TIMER_GRACE_SECONDS = 5

export interface SubmitAnswerInput {
  assessmentId: string
  userId: string
  challengeId: string
  /** As the client sends it: "2", "1,3", "texte", { key: "texte" }, or "#ABAND#" ("Je passe"). */
  value: unknown
  /** The client's countdown reached zero. */
  timedOut?: boolean
}

export interface SubmitAnswerDeps extends AssessmentDeps {
  /** Called in the answer's transaction (e.g. AGS progress). */
  onAnswerRecorded?: (tx: Tx, event: { assessment: AssessmentRow; answer: AnswerRow; completed: boolean }) => Promise<void>
}

export interface SubmitAnswerResult {
  answer: { challengeId: string; result: AnswerRow['result'] }
  /** True when this request found the answer already recorded (double click, retried request). */
  alreadyRecorded: boolean
  state: AssessmentState
}

/**
 * Records the answer to the current challenge, its knowledge elements, and the next step, in one
 * transaction on the locked assessment. Idempotent: the same challenge answered twice returns the first
 * outcome and records nothing (the unique (assessment, challenge) index backs this up).
 */
export async function submitAnswer(input: SubmitAnswerInput, deps: SubmitAnswerDeps): Promise<SubmitAnswerResult> {
  const outcome = await deps.db.transaction(async (tx) => {
    const assessment = await findOwnAssessment(tx, input.assessmentId, input.userId, true)
    if (!assessment) throw new AssessmentNotFound('Test introuvable.')
    const existing = await findAnswer(tx, assessment.id, input.challengeId)
    if (existing) return { answer: existing, alreadyRecorded: true }
    if (assessment.state !== 'started') throw new AssessmentAlreadyCompleted('Ce test est terminé.')
    if (assessment.currentChallengeId !== input.challengeId) throw new ChallengeNotAsked('Cette question n’est plus la question en cours.')
    const challenge = deps.referential.challenges.get(input.challengeId)
    if (!challenge) throw new ChallengeNotAsked('Question inconnue.')

    const previous = await listAnswers(tx, assessment.id)
    // Answers replay in createdAt order: keep it strictly increasing even if two land in the same millisecond.
    const lastAt = previous.at(-1)?.createdAt.getTime() ?? 0
    const now = new Date(Math.max(deps.clock.now().getTime(), lastAt + 1))
    const askedAt = assessment.currentChallengeAskedAt ?? now
    const elapsed = (now.getTime() - askedAt.getTime()) / 1000
    // The server's clock decides too: a late answer to a timed challenge is timed out whatever the client says.
    const timedOut = Boolean(challenge.timer) && (input.timedOut === true || elapsed > challenge.timer! + TIMER_GRACE_SECONDS)
    const validation = validateAnswer(challenge, input.value, { timedOut })
    const answer = await insertAnswer(tx, {
      assessmentId: assessment.id,
      challengeId: challenge.id,
      value: encodeAnswerValue(input.value),
      result: validation.result,
      resultDetails: validation.details,
      timeSpentSeconds: Math.max(0, elapsed),
      createdAt: now,
    })
    if (!answer) return { answer: (await findAnswer(tx, assessment.id, input.challengeId))!, alreadyRecorded: true }

    // The row is locked and `now` is later than every stored answer: the list in replay order is the previous
    // one plus this answer (no second read).
    const answers = [...previous, answer]
    const { input: engineInput } = await engineInputFor(tx, deps.referential, assessment, answers)
    await recordAnswerKnowledge(tx, deps, assessment, engineInput, now)
    const next = await advance(tx, deps, assessment, engineInput, now)
    await deps.onAnswerRecorded?.(tx, { assessment: next, answer, completed: next.state === 'completed' })
    // The next step is known: the state is built from it here rather than reloaded and recomputed in a
    // second transaction.
    return { answer, alreadyRecorded: false, state: await stateOf(tx, deps, next, engineInput) }
  })
  return {
    answer: { challengeId: outcome.answer.challengeId, result: outcome.answer.result },
    alreadyRecorded: outcome.alreadyRecorded,
    state: outcome.state ?? (await getAssessmentState(input, deps)),
  }
}
