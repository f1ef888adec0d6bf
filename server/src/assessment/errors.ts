import { AppError } from '../shared/app-error'

/** Unknown assessment, or one that belongs to someone else (we never say which). */
export class AssessmentNotFound extends AppError {
  readonly code = 'ASSESSMENT_NOT_FOUND'
}
/** The answered challenge is not the one being asked (an old tab, a forged request). */
export class ChallengeNotAsked extends AppError {
  readonly code = 'CHALLENGE_NOT_ASKED'
}
export class AssessmentAlreadyCompleted extends AppError {
  readonly code = 'ASSESSMENT_ALREADY_COMPLETED'
}
export class CompetenceNotFound extends AppError {
  readonly code = 'COMPETENCE_NOT_FOUND'
}
/** A competence reset before its delay, or with nothing to reset. */
export class CompetenceResetNotAllowed extends AppError {
  readonly code = 'COMPETENCE_RESET_NOT_ALLOWED'
}
export class TutorialNotFound extends AppError {
  readonly code = 'TUTORIAL_NOT_FOUND'
}
