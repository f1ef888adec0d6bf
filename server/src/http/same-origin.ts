/**
 * CSRF defence in depth for Jalon Orga's cookie-authenticated API. SameSite=Lax already keeps the cookie off
 * cross-site POSTs, but not off same-site ones (a sibling subdomain of the school's domain) nor off old browsers:
 * a write under a guarded prefix must name Jalon's own origin in Origin (or Referer when Origin is absent).
 *
 * Only the guarded prefixes (Orga's API): the LTI login/launch/picker form posts come cross-site from the LMS by
 * design (state, nonce, ticket protect them) and the learner API is bearer-authenticated (no ambient credential).
 */
import type { Request, RequestHandler } from 'express'
import { AppError } from '../shared/app-error'

export class CrossOriginRefused extends AppError {
  readonly code = 'CROSS_ORIGIN_REFUSED'
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface SameOriginOptions {
  /** Path prefixes whose writes must be same-origin (compared case-insensitively: Express routing is). */
  prefixes: string[]
  /** PUBLIC_URL: the origin browsers use when a proxy hides it from the request. */
  publicUrl?: () => string | undefined
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin
    // Opaque origins (data:, file:, sandboxed frames) serialise as "null".
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}

/**
 * The origin the browser claims for this request: a string, null when it is opaque or unreadable (refused), or
 * undefined when the request carries no browser hint at all (curl, scripts, server-to-server: no ambient cookie
 * was sent on anyone's behalf, and browsers always send Origin on a cross-origin write).
 */
function claimedOrigin(req: Request): string | null | undefined {
  const origin = req.get('origin')
  if (origin !== undefined) return origin === 'null' ? null : originOf(origin)
  const referer = req.get('referer')
  if (referer !== undefined) return originOf(referer)
  // No Origin nor Referer, yet the browser says another site made it (privacy tools strip both).
  const site = req.get('sec-fetch-site')
  if (site === 'cross-site' || site === 'same-site') return null
  return undefined
}

/** Jalon's own origins for this request: PUBLIC_URL, and the host the request reached (X-Forwarded-* only with TRUST_PROXY). */
function ownOrigins(req: Request, options: SameOriginOptions): Set<string> {
  const own = new Set<string>()
  const publicUrl = options.publicUrl?.()
  const fromPublic = publicUrl ? originOf(publicUrl) : null
  if (fromPublic) own.add(fromPublic)
  // req.protocol and req.host read X-Forwarded-Proto/Host only when 'trust proxy' is set (TRUST_PROXY).
  const host = req.host
  const fromHost = host ? originOf(`${req.protocol}://${host}`) : null
  if (fromHost) own.add(fromHost)
  return own
}

export function sameOriginWrites(options: SameOriginOptions): RequestHandler {
  const prefixes = options.prefixes.map((p) => p.toLowerCase())
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const path = req.path.toLowerCase()
    if (!prefixes.some((p) => path.startsWith(p))) return next()
    const claimed = claimedOrigin(req)
    if (claimed === undefined || (claimed !== null && ownOrigins(req, options).has(claimed))) return next()
    // The origin only: a Referer may carry a one-time token in its query.
    req.log?.warn({ method: req.method, path: req.path, claimedOrigin: claimed }, 'cross-origin write refused')
    next(new CrossOriginRefused('Requête refusée : elle ne vient pas d’une page de Jalon. Rechargez Jalon Orga et réessayez.'))
  }
}
