import { AppError } from '../shared/app-error'

export class InvalidCampaign extends AppError {
  readonly code = 'INVALID_CAMPAIGN'
}
export class CampaignNotFound extends AppError {
  readonly code = 'CAMPAIGN_NOT_FOUND'
}
export class CampaignArchived extends AppError {
  readonly code = 'CAMPAIGN_ARCHIVED'
}
export class CampaignAlreadyArchived extends AppError {
  readonly code = 'CAMPAIGN_ALREADY_ARCHIVED'
}
export class CampaignNotArchived extends AppError {
  readonly code = 'CAMPAIGN_NOT_ARCHIVED'
}
export class CampaignManagementForbidden extends AppError {
  readonly code = 'CAMPAIGN_MANAGEMENT_FORBIDDEN'
}
export class CampaignNotEditable extends AppError {
  readonly code = 'CAMPAIGN_NOT_EDITABLE'
}
export class CampaignDeleted extends AppError {
  readonly code = 'CAMPAIGN_DELETED'
}
export class ParticipationNotFound extends AppError {
  readonly code = 'PARTICIPATION_NOT_FOUND'
}
export class MissingExternalId extends AppError {
  readonly code = 'MISSING_EXTERNAL_ID'
}
export class InvalidExternalId extends AppError {
  readonly code = 'INVALID_EXTERNAL_ID'
}
export class LearnerDisabled extends AppError {
  readonly code = 'LEARNER_DISABLED'
}
export class AssessmentNotCompleted extends AppError {
  readonly code = 'ASSESSMENT_NOT_COMPLETED'
}
/** "Je retente", "Repasser mon parcours" or reset refused; details.reason says why, details.remainingSeconds when it is a delay. */
export class RetryNotAllowed extends AppError {
  readonly code = 'RETRY_NOT_ALLOWED'
}
