/**
 * Security headers (helmet). Jalon runs inside LMS iframes, so `frame-ancestors` lists the
 * registered platforms' origins instead of forbidding framing; no inline script anywhere.
 */
import type { RequestHandler } from 'express'
import helmet from 'helmet'

export interface SecurityHeadersOptions {
  /** Origins allowed to frame Jalon (registered LMS platforms). Read per request: registrations change. */
  frameAncestors: () => string[]
  hsts: boolean
}

export function securityHeaders(options: SecurityHeadersOptions): RequestHandler {
  // helmet builds its middlewares and parses the CSP on construction: built again only when the list of
  // registered platforms changes, not on every request.
  let built: { key: string; middleware: RequestHandler } | undefined
  return (req, res, next) => {
    const ancestors = options.frameAncestors()
    const key = ancestors.join(' ')
    if (built?.key !== key) built = { key, middleware: helmetFor(ancestors, options.hsts) }
    built.middleware(req, res, next)
  }
}

function helmetFor(ancestors: string[], hsts: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'", 'https:', 'http:'],
        'frame-ancestors': ancestors.length ? ["'self'", ...ancestors] : ["'self'"],
        'upgrade-insecure-requests': hsts ? [] : null,
      },
    },
    // frame-ancestors governs framing; X-Frame-Options cannot express a list of origins.
    frameguard: false,
    strictTransportSecurity: hsts ? { maxAge: 15552000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  })
}
