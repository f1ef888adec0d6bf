import { randomUUID } from 'node:crypto'
import { validateAnswer } from '../content/answer-validation'
import type { Challenge } from '../content/types'
import { leanTransaction } from '../db/client'
import { advance, answerKnowledgeRows, engineInputFor } from './assessment-engine'
import { encodeAnswerValue } from './assessment.presenter'
import {
  findAnswer,
  lockAssessment,
  readAssessment,
  recordAnswer,
  type AnswerRow,
  type AnswerSummary,
  type AssessmentRow,
  type AssessmentSnapshot,
  type Executor,
} from './assessment.repository'
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

/** What an answer tells the writes that must commit with it. */
export interface AnswerEvent {
  assessment: AssessmentRow
  campaignId: string | null
}

/** Writes that must commit with an answer (AGS progress), in its transaction. */
export interface AnswerHook {
  /** Whether `write` still has something to store for this test. When not, the answer needs no transaction. */
  pending(event: AnswerEvent): boolean
  write(tx: Executor, event: AnswerEvent & { answer: AnswerSummary; completed: boolean }): Promise<void>
}

export interface SubmitAnswerDeps extends AssessmentDeps {
  answerHook?: AnswerHook
}

export interface SubmitAnswerResult {
  answer: { challengeId: string; result: AnswerRow['result'] }
  /** True when this request found the answer already recorded (double click, retried request). */
  alreadyRecorded: boolean
  state: AssessmentState
}

/**
 * Records the answer to the current challenge, its knowledge elements and the next step. Idempotent: the same
 * challenge answered twice returns the first outcome and records nothing (the unique (assessment, challenge)
 * index backs this up).
 *
 * Most answers take two statements and no transaction: a read, then one write that stores nothing unless the
 * test is still on this challenge (recordAnswer). Everything else is decided on the locked row, in a
 * transaction: a double click or retry, a finished test or a stale question, the end of the test, an answer
 * whose hook still has to write, and an answer whose write found the test moved on.
 */
export async function submitAnswer(input: SubmitAnswerInput, deps: SubmitAnswerDeps): Promise<SubmitAnswerResult> {
  return (await submitWithoutLock(input, deps)) ?? (await submitOnLockedRow(input, deps))
}

async function submitWithoutLock(input: SubmitAnswerInput, deps: SubmitAnswerDeps): Promise<SubmitAnswerResult | undefined> {
  const found = await readAssessment(deps.db, input.assessmentId, input.userId)
  if (!found) return undefined
  const { assessment } = found
  const challenge = deps.referential.challenges.get(input.challengeId)
  const fresh = assessment.state === 'started' && assessment.currentChallengeId === input.challengeId && !found.answers.some((a) => a.challengeId === input.challengeId)
  if (!challenge || !fresh || deps.answerHook?.pending({ assessment, campaignId: found.campaignId })) return undefined
  const judged = await judgeAnswer(deps.db, deps, input, found, challenge)
  if (!judged.next) return undefined
  if (!(await recordAnswer(deps.db, { answer: judged.answer, knowledgeElements: judged.knowledgeElements, next: judged.next }))) return undefined
  const next = { ...assessment, ...judged.next }
  return { answer: { challengeId: challenge.id, result: judged.answer.result }, alreadyRecorded: false, state: await stateOf(deps.db, deps, next, judged.engineInput) }
}

async function submitOnLockedRow(input: SubmitAnswerInput, deps: SubmitAnswerDeps): Promise<SubmitAnswerResult> {
  const outcome = await leanTransaction(deps.db, async (tx): Promise<{ answer: AnswerSummary; alreadyRecorded: boolean; state?: AssessmentState }> => {
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

    const { answer, engineInput, knowledgeElements, next: values } = await judgeAnswer(tx, deps, input, found, challenge)
    if (!(await recordAnswer(tx, { answer, knowledgeElements, next: values }))) throw new Error(`assessment ${assessment.id} moved while locked`)
    // The end of the test (once per test): final KEs, completed, participation waiting to be shared.
    const next = values ? { ...assessment, ...values } : await advance(tx, deps, assessment, engineInput, answer.createdAt)
    await deps.answerHook?.write(tx, { assessment: next, campaignId: found.campaignId, answer, completed: next.state === 'completed' })
    return { answer, alreadyRecorded: false, state: await stateOf(tx, deps, next, engineInput) }
  })
  return {
    answer: { challengeId: outcome.answer.challengeId, result: outcome.answer.result },
    alreadyRecorded: outcome.alreadyRecorded,
    state: outcome.state ?? (await getAssessmentState(input, deps)),
  }
}

/**
 * The answer to the test's current challenge as read in `found`, its knowledge elements and what follows it
 * (`next`: the next challenge, undefined at the end of the test). Computes only; writes nothing.
 */
async function judgeAnswer(db: Executor, deps: AssessmentDeps, input: SubmitAnswerInput, found: AssessmentSnapshot, challenge: Challenge) {
  const { assessment, answers: previous } = found
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

  // `now` is later than every answer read: the list in replay order is the previous one plus this answer (the
  // write checks that no other answer came in between).
  const { input: engineInput } = await engineInputFor(db, deps.referential, assessment, [...previous, answer], found.targetProfileId)
  const knowledgeElements = answerKnowledgeRows(deps, assessment, engineInput, now)
  const step = nextStep(engineInput)
  // Shown at once unless a checkpoint or a timer warning comes first: then asked when the learner goes on.
  const next =
    step.kind === 'ask'
      ? {
          currentChallengeId: step.challengeId,
          currentChallengeAskedAt: screenBefore(deps.referential.challenges.get(step.challengeId) ?? {}, engineInput.answers.length) ? null : deps.clock.now(),
        }
      : undefined
  return { answer, engineInput, knowledgeElements, next }
}
