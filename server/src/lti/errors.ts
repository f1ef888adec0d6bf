/** Errors of the LTI module. Library errors (jose, fetch) are caught in lti/ and rethrown as these. */
import { AppError } from '../shared/app-error'

/** Why a launch was refused: logged, and turned into a French page by lti/pages.ts. */
export type LaunchRejectionReason =
  | 'INVALID_JWT'
  | 'MISSING_KID'
  | 'UNKNOWN_KID'
  | 'BAD_ALGORITHM'
  | 'BAD_SIGNATURE'
  | 'PLATFORM_KEYS_UNAVAILABLE'
  | 'BAD_ISSUER'
  | 'BAD_AUDIENCE'
  | 'BAD_AZP'
  | 'TOKEN_EXPIRED'
  | 'BAD_TIMESTAMPS'
  | 'MISSING_SUB'
  | 'MISSING_NONCE'
  | 'NONCE_MISMATCH'
  | 'NONCE_REPLAYED'
  | 'MISSING_VERSION'
  | 'BAD_VERSION'
  | 'MISSING_MESSAGE_TYPE'
  | 'UNSUPPORTED_MESSAGE_TYPE'
  | 'MISSING_DEPLOYMENT_ID'
  | 'UNKNOWN_DEPLOYMENT'
  | 'MISSING_ROLES'
  | 'MISSING_RESOURCE_LINK'
  | 'MISSING_TARGET_LINK_URI'
  | 'MISSING_DEEP_LINKING_SETTINGS'
  | 'BAD_CLAIM'
  | 'MISSING_STATE'
  | 'UNKNOWN_STATE'
  | 'STATE_EXPIRED'
  | 'STATE_ALREADY_USED'
  | 'STATE_BROWSER_MISMATCH'
  | 'MISSING_ID_TOKEN'

export class LtiLaunchRejected extends AppError {
  readonly code = 'LTI_LAUNCH_REJECTED'
  constructor(
    readonly reason: LaunchRejectionReason,
    detail?: string,
  ) {
    super(`LTI launch rejected: ${reason}${detail ? ` (${detail})` : ''}`, { reason })
  }
}

/** Login initiation from an issuer/client id Jalon does not know, or malformed. */
export class LtiLoginRejected extends AppError {
  readonly code = 'LTI_LOGIN_REJECTED'
}

export class LtiPlatformNotFound extends AppError {
  readonly code = 'LTI_PLATFORM_NOT_FOUND'
}

export class LtiRegistrationFailed extends AppError {
  readonly code = 'LTI_REGISTRATION_FAILED'
}

/** Missing, expired or already used one-time code or session token. */
export class LtiSessionInvalid extends AppError {
  readonly code = 'LTI_SESSION_INVALID'
}

/** A learner opened an activity no teacher has bound to a campaign yet. */
export class LtiActivityNotConfigured extends AppError {
  readonly code = 'LTI_ACTIVITY_NOT_CONFIGURED'
}

/** The platform's service (AGS, NRPS, token endpoint) answered something unusable. */
export class LtiServiceError extends AppError {
  readonly code = 'LTI_SERVICE_ERROR'
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message, { status })
  }
}

/** The launch does not give access to this service (no AGS/NRPS claim, missing scope). */
export class LtiServiceUnavailable extends AppError {
  readonly code = 'LTI_SERVICE_NOT_OFFERED'
}

export class LtiKeyError extends AppError {
  readonly code = 'LTI_KEY_ERROR'
}
