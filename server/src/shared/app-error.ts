/**
 * Base of every domain error: a literal `code` and data, never an HTTP status.
 * http/error-handler.ts is the one place that maps codes to statuses.
 */
export abstract class AppError extends Error {
  abstract readonly code: string
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The database (or another dependency the request needs) is unreachable: the client may retry. */
export class ServiceUnavailable extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE'
}

export class NotFound extends AppError {
  readonly code = 'NOT_FOUND'
}

export class Forbidden extends AppError {
  readonly code = 'FORBIDDEN'
}

export class Unauthenticated extends AppError {
  readonly code = 'UNAUTHENTICATED'
}
