/** Errors of the organizations module (statuses in http/error-handler.ts). */
import { AppError } from '../shared/app-error'

export class OrgaSessionRequired extends AppError {
  readonly code = 'ORGA_SESSION_REQUIRED'
}
export class OrgaAdminRequired extends AppError {
  readonly code = 'ORGA_ADMIN_REQUIRED'
}
export class NotAMember extends AppError {
  readonly code = 'NOT_A_MEMBER'
}
export class InvalidCredentials extends AppError {
  readonly code = 'INVALID_CREDENTIALS'
}
export class TooManyAttempts extends AppError {
  readonly code = 'TOO_MANY_ATTEMPTS'
}
export class InvitationInvalid extends AppError {
  readonly code = 'INVITATION_INVALID'
}
export class InvitationNotFound extends AppError {
  readonly code = 'INVITATION_NOT_FOUND'
}
export class ResetTokenInvalid extends AppError {
  readonly code = 'RESET_TOKEN_INVALID'
}
export class MemberNotFound extends AppError {
  readonly code = 'MEMBER_NOT_FOUND'
}
export class CannotChangeOwnMembership extends AppError {
  readonly code = 'CANNOT_CHANGE_OWN_MEMBERSHIP'
}
export class WeakPassword extends AppError {
  readonly code = 'WEAK_PASSWORD'
}
export class LearnerImportRejected extends AppError {
  readonly code = 'LEARNER_IMPORT_REJECTED'
}
export class PlacesLotNotFound extends AppError {
  readonly code = 'PLACES_LOT_NOT_FOUND'
}
export class InvalidPlacesLot extends AppError {
  readonly code = 'INVALID_PLACES_LOT'
}

export class MailDeliveryFailed extends AppError {
  readonly code = 'MAIL_DELIVERY_FAILED'
}

/** code → HTTP status, spread into http/error-handler.ts STATUS_BY_CODE. */
export const ORGANIZATION_ERROR_STATUSES = {
  ORGA_SESSION_REQUIRED: 401,
  ORGA_ADMIN_REQUIRED: 403,
  NOT_A_MEMBER: 403,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_ATTEMPTS: 429,
  INVITATION_INVALID: 410,
  INVITATION_NOT_FOUND: 404,
  RESET_TOKEN_INVALID: 410,
  MEMBER_NOT_FOUND: 404,
  CANNOT_CHANGE_OWN_MEMBERSHIP: 409,
  WEAK_PASSWORD: 422,
  LEARNER_IMPORT_REJECTED: 422,
  PLACES_LOT_NOT_FOUND: 404,
  INVALID_PLACES_LOT: 422,
  MAIL_DELIVERY_FAILED: 502,
} as const
