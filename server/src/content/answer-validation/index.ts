export { validateAnswer, correctionFor, type ValidateOptions } from './validate-answer'
export { InvalidAnswerValue } from './errors'
export { SKIP_VALUE, MAX_ANSWER_LENGTH } from './answer-value'
export {
  applyTreatments,
  enabledTreatments,
  isWithinTolerance,
  LEVENSHTEIN_DISTANCE_MAX_RATE,
  type Treatment,
} from './text-treatments'
export { levenshtein } from './levenshtein'
export { parseNumber } from './numbers'
export type { AnswerDetails, AnswerResult, AnswerValidation, ChallengeContent, Correction, ProposalDetail } from './types'
