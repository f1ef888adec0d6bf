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
