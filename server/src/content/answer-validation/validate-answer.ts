/** Entry points: grade one answer, and build the displayable correction of a challenge. */
import { isSkip } from './answer-value'
import { correctQcm, correctQcu, validateQcm, validateQcu } from './choice-validators'
import { InvalidAnswerValue } from './errors'
import {
  correctQroc,
  correctQrocmDep,
  correctQrocmInd,
  validateQroc,
  validateQrocmDep,
  validateQrocmInd,
} from './open-validators'
import type { AnswerValidation, ChallengeContent, Correction, Graded } from './types'

export interface ValidateOptions {
  /** The challenge's timer ran out: the answer is 'timedout' whatever its content (Pix). */
  timedOut?: boolean
}

function grade(ch: ChallengeContent, value: unknown): Graded | null {
  switch (ch.type) {
    case 'QCU':
      return validateQcu(ch, value)
    case 'QCM':
      return validateQcm(ch, value)
    case 'QROC':
      return validateQroc(ch, value)
    case 'QROCM-ind':
      return validateQrocmInd(ch, value)
    case 'QROCM-dep':
      return validateQrocmDep(ch, value)
  }
}

/**
 * Grades `value` (as received from the client) against the challenge.
 * - "#ABAND#" → 'skipped' (or 'timedout' if the timer ran out first), no details;
 * - timed out → 'timedout', with details of what had been entered so the learner sees it;
 * - otherwise 'ok' | 'ko' with per-proposal / per-field details.
 * Throws InvalidAnswerValue for a malformed value. An empty QCU/QCM choice is only legal on timeout.
 */
export function validateAnswer(ch: ChallengeContent, value: unknown, opts: ValidateOptions = {}): AnswerValidation {
  const timedOut = opts.timedOut === true
  if (isSkip(value)) return { result: timedOut ? 'timedout' : 'skipped', details: null }
  const graded = grade(ch, value)
  if (graded === null) {
    if (!timedOut) throw new InvalidAnswerValue(ch.id, `no proposal chosen (send "#ABAND#" to skip)`)
    return { result: 'timedout', details: null }
  }
  if (timedOut) return { result: 'timedout', details: graded.details }
  return { result: graded.ok ? 'ok' : 'ko', details: graded.details }
}

/**
 * The right answer in a displayable form ("Réponses et tutoriels"). For QROCM-dep, pass the
 * learner's value to list only the expected answers not already found (Pix's getCorrection).
 */
export function correctionFor(ch: ChallengeContent, value?: unknown): Correction {
  switch (ch.type) {
    case 'QCU':
      return correctQcu(ch)
    case 'QCM':
      return correctQcm(ch)
    case 'QROC':
      return correctQroc(ch)
    case 'QROCM-ind':
      return correctQrocmInd(ch)
    case 'QROCM-dep':
      return correctQrocmDep(ch, isSkip(value) ? undefined : value)
  }
}
