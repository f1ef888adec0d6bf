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
  return (req, res, next) => {
    const ancestors = options.frameAncestors()
    helmet({
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
          'upgrade-insecure-requests': options.hsts ? [] : null,
        },
      },
      // frame-ancestors governs framing; X-Frame-Options cannot express a list of origins.
      frameguard: false,
      strictTransportSecurity: options.hsts ? { maxAge: 15552000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    })(req, res, next)
  }
}
