/** Public result shapes of answer validation (what the checkpoint and correction screens show). */
import type { ChallengeData } from '../schema'

/** Validators only need the challenge's own content, not its place in the referential. */
export type ChallengeContent = ChallengeData
export type QcuContent = Extract<ChallengeContent, { type: 'QCU' }>
export type QcmContent = Extract<ChallengeContent, { type: 'QCM' }>
export type QrocContent = Extract<ChallengeContent, { type: 'QROC' }>
export type QrocmIndContent = Extract<ChallengeContent, { type: 'QROCM-ind' }>
export type QrocmDepContent = Extract<ChallengeContent, { type: 'QROCM-dep' }>

export type AnswerResult = 'ok' | 'ko' | 'skipped' | 'timedout'

export interface ProposalDetail {
  /** 1-based, as in the answer value. */
  index: number
  chosen: boolean
  expected: boolean
}

export type AnswerDetails =
  | { type: 'QCU' | 'QCM'; proposals: ProposalDetail[] }
  | { type: 'QROC'; correct: boolean }
  /** Per field key: was this field right? (QROCM-dep: did it match a group not already used?) */
  | { type: 'QROCM-ind' | 'QROCM-dep'; fields: Record<string, boolean> }

export interface AnswerValidation {
  result: AnswerResult
  /** Null when there is nothing to correct: skipped, or timed out before anything was entered. */
  details: AnswerDetails | null
}

/** Graded outcome of a well-formed, non-skipped answer. */
export interface Graded {
  ok: boolean
  details: AnswerDetails
}

export type Correction =
  | { type: 'QCU' | 'QCM'; proposals: { index: number; text: string }[] }
  | { type: 'QROC'; solution: string }
  | { type: 'QROCM-ind'; fields: { key: string; label: string; solution: string }[] }
  /** Expected answers (first variant of each group) the learner has not given yet, in content order. */
  | { type: 'QROCM-dep'; remaining: string[]; fieldCount: number }
