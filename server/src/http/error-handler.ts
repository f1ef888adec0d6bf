/**
 * The only place that turns errors into HTTP statuses. Every domain error code has a status
 * here; anything unexpected is logged and answered 500 without details (no stack to clients).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { ZodError } from 'zod'
import { ORGANIZATION_ERROR_STATUSES } from '../organizations/errors'
import { AppError } from '../shared/app-error'

/** Codes → statuses. Modules add their codes here when they add errors. */
export const STATUS_BY_CODE: Record<string, number> = {
  INVALID_REQUEST: 400,
  INVALID_ANSWER_VALUE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN_REFUSED: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
  // campaigns
  INVALID_CAMPAIGN: 422,
  CAMPAIGN_NOT_FOUND: 404,
  CAMPAIGN_ARCHIVED: 410,
  CAMPAIGN_ALREADY_ARCHIVED: 409,
  CAMPAIGN_NOT_ARCHIVED: 409,
  CAMPAIGN_MANAGEMENT_FORBIDDEN: 403,
  // learner journey (campaigns participations, assessment)
  CAMPAIGN_DELETED: 410,
  PARTICIPATION_NOT_FOUND: 404,
  MISSING_EXTERNAL_ID: 422,
  INVALID_EXTERNAL_ID: 422,
  LEARNER_DISABLED: 403,
  ASSESSMENT_NOT_COMPLETED: 409,
  RETRY_NOT_ALLOWED: 409,
  ASSESSMENT_NOT_FOUND: 404,
  CHALLENGE_NOT_ASKED: 409,
  ASSESSMENT_ALREADY_COMPLETED: 409,
  COMPETENCE_NOT_FOUND: 404,
  COMPETENCE_RESET_NOT_ALLOWED: 409,
  TUTORIAL_NOT_FOUND: 404,
  CAMPAIGN_NOT_EDITABLE: 409,
  // organizations (Orga access, team, learners, places)
  ...ORGANIZATION_ERROR_STATUSES,
  // lti
  LTI_LAUNCH_REJECTED: 400,
  LTI_LOGIN_REJECTED: 400,
  LTI_REGISTRATION_FAILED: 400,
  LTI_PLATFORM_NOT_FOUND: 404,
  LTI_SESSION_INVALID: 401,
  LTI_ACTIVITY_NOT_CONFIGURED: 409,
  LTI_SERVICE_NOT_OFFERED: 409,
  LTI_SERVICE_ERROR: 502,
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] }
}

/**
 * PostgreSQL unreachable or restarting: fail cleanly and tell the client to retry. drizzle wraps driver
 * errors (DrizzleQueryError, "Failed query: …") with the pg error as `cause`: the whole chain is looked at.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e = err as { code?: string; message?: string; cause?: unknown } | undefined
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) {
    if (
      ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08004'].includes(e.code ?? '') ||
      /Connection terminated|timeout exceeded when trying to connect|is not queryable|Client was closed/i.test(e.message ?? '')
    )
      return true
  }
  return false
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const send = (status: number, body: ErrorBody) => {
    if (res.headersSent) return res.end()
    return res.status(status).json(body)
  }
  if (err instanceof ZodError) {
    return send(400, {
      error: {
        code: 'INVALID_REQUEST',
        message: 'La requête est invalide.',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    })
  }
  if (err instanceof AppError || (err && typeof err.code === 'string' && err.code in STATUS_BY_CODE && err.message)) {
    const status = STATUS_BY_CODE[err.code]
    if (status) {
      if (status === 503) res.setHeader('Retry-After', '5')
      if (status === 429 && err instanceof AppError && typeof err.details?.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(err.details.retryAfterSeconds))
      const problems = err instanceof AppError ? (err.details?.problems as Record<string, string> | undefined) : undefined
      return send(status, {
        error: {
          code: err.code,
          message: err.message,
          ...(problems ? { issues: Object.entries(problems).map(([path, message]) => ({ path, message })) } : {}),
        },
      })
    }
  }
  // body-parser errors carry their own 4xx status (malformed JSON, too large).
  if (err && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    const code = err.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST'
    return send(err.status, { error: { code, message: code === 'PAYLOAD_TOO_LARGE' ? 'Requête trop volumineuse.' : 'Requête mal formée.' } })
  }
  if (isDatabaseUnavailable(err)) {
    req.log?.warn({ err }, 'database unavailable')
    res.setHeader('Retry-After', '5')
    return send(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'Service momentanément indisponible, réessayez dans un instant.' } })
  }
  req.log?.error({ err }, 'unexpected error')
  return send(500, { error: { code: 'INTERNAL', message: 'Une erreur inattendue est survenue.' } })
}

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Ressource introuvable.' } } satisfies ErrorBody)
}
