import { randomUUID } from 'node:crypto'
import { validateAnswer } from '../content/answer-validation'
import { leanTransaction } from '../db/client'
import { advance, answerKnowledgeRows, engineInputFor } from './assessment-engine'
import { encodeAnswerValue } from './assessment.presenter'
import { findAnswer, lockAssessment, recordAnswer, type AnswerRow, type AnswerSummary, type AssessmentRow, type Executor } from './assessment.repository'
import { nextStep } from './engine'
import { AssessmentAlreadyCompleted, AssessmentNotFound, ChallengeNotAsked } from './errors'
import { getAssessmentState, screenBefore, stateOf, type AssessmentDeps, type AssessmentState } from './get-assessment-state'

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
  onAnswerRecorded?: (tx: Executor, event: { assessment: AssessmentRow; campaignId: string | null; answer: AnswerSummary; completed: boolean }) => Promise<void>
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
  const outcome = await leanTransaction(deps.db, async (tx): Promise<{ answer: AnswerSummary; alreadyRecorded: boolean; state?: AssessmentState }> => {
    // The steady state is three statements: this read, the write below and COMMIT (the learner's knowledge
    // at the start of the test is read once per test, not per answer).
    const found = await lockAssessment(tx, input.assessmentId, input.userId)
    if (!found) throw new AssessmentNotFound('Test introuvable.')
    const { assessment, answers: previous } = found
    // A request that waited for the lock behind a concurrent answer to the same challenge (double click) sees
    // the row as that answer left it, but its answer list was read before the wait: read that answer again.
    const existing =
      previous.find((a) => a.challengeId === input.challengeId) ??
      (assessment.currentChallengeId !== input.challengeId ? await findAnswer(tx, assessment.id, input.challengeId) : undefined)
    if (existing) return { answer: existing, alreadyRecorded: true }
    if (assessment.state !== 'started') throw new AssessmentAlreadyCompleted('Ce test est terminé.')
    if (assessment.currentChallengeId !== input.challengeId) throw new ChallengeNotAsked('Cette question n’est plus la question en cours.')
    const challenge = deps.referential.challenges.get(input.challengeId)
    if (!challenge) throw new ChallengeNotAsked('Question inconnue.')

    // Answers replay in createdAt order: keep it strictly increasing even if two land in the same millisecond.
    const lastAt = previous.at(-1)?.createdAt.getTime() ?? 0
    const now = new Date(Math.max(deps.clock.now().getTime(), lastAt + 1))
    const askedAt = assessment.currentChallengeAskedAt ?? now
    const elapsed = (now.getTime() - askedAt.getTime()) / 1000
    // The server's clock decides too: a late answer to a timed challenge is timed out whatever the client says.
    const timedOut = Boolean(challenge.timer) && (input.timedOut === true || elapsed > challenge.timer! + TIMER_GRACE_SECONDS)
    const validation = validateAnswer(challenge, input.value, { timedOut })
    const answer = {
      id: randomUUID(),
      assessmentId: assessment.id,
      challengeId: challenge.id,
      value: encodeAnswerValue(input.value),
      result: validation.result,
      resultDetails: validation.details,
      timeSpentSeconds: Math.max(0, elapsed),
      createdAt: now,
    } satisfies AnswerRow

    // The row is locked and `now` is later than every stored answer: the list in replay order is the previous
    // one plus this answer.
    const { input: engineInput } = await engineInputFor(tx, deps.referential, assessment, [...previous, answer], found.targetProfileId)
    const knowledgeElements = answerKnowledgeRows(deps, assessment, engineInput, now)
    const step = nextStep(engineInput)
    let next: AssessmentRow
    if (step.kind === 'ask') {
      // Shown at once unless a checkpoint or a timer warning comes first: then asked when the learner goes on.
      const shownAt = screenBefore(deps.referential.challenges.get(step.challengeId) ?? {}, engineInput.answers.length) ? null : deps.clock.now()
      const values = { currentChallengeId: step.challengeId, currentChallengeAskedAt: shownAt }
      await recordAnswer(tx, { answer, knowledgeElements, next: values })
      next = { ...assessment, ...values }
    } else {
      // The end of the test (once per test): final KEs, completed, participation waiting to be shared.
      await recordAnswer(tx, { answer, knowledgeElements })
      next = await advance(tx, deps, assessment, engineInput, now)
    }
    await deps.onAnswerRecorded?.(tx, { assessment: next, campaignId: found.campaignId, answer, completed: next.state === 'completed' })
    return { answer, alreadyRecorded: false, state: await stateOf(tx, deps, next, engineInput) }
  })
  return {
    answer: { challengeId: outcome.answer.challengeId, result: outcome.answer.result },
    alreadyRecorded: outcome.alreadyRecorded,
    state: outcome.state ?? (await getAssessmentState(input, deps)),
  }
}
