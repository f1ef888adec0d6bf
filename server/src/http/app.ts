/**
 * The Express application: middleware order, routers, error mapping. No I/O at import time;
 * main.ts builds the dependencies and passes them in.
 */
import { join } from 'node:path'
import express, { type RequestHandler, type Router } from 'express'
import { pinoHttp } from 'pino-http'
import { AppError } from '../shared/app-error'
import type { Logger } from '../shared/logger'
import { clientAssets } from './client-assets'
import { errorHandler, notFoundHandler } from './error-handler'
import { healthRoutes } from './health.routes'
import { homeRoutes } from './home-page'
import { sameOriginWrites } from './same-origin'
import { securityHeaders } from './security-headers'

export interface AppDeps {
  logger: Logger
  pingDatabase: () => Promise<boolean>
  version: string
  /** Origins allowed to frame Jalon (registered platforms). */
  frameAncestors?: () => string[]
  trustProxy?: boolean
  serveClient?: boolean
  clientDistDir?: string
  demoLmsUrl?: string
  /** PUBLIC_URL, for the same-origin check of Orga writes (the request's own host is accepted too). */
  publicUrl?: () => string | undefined
  /** Path prefixes whose writes must come from Jalon's own origin; default: Jalon Orga's cookie-authenticated API. */
  sameOriginPrefixes?: string[]
  /** Module routers, mounted in order after the common middleware. */
  routers?: Router[]
}

class NulByteRefused extends AppError {
  readonly code = 'INVALID_REQUEST'
}

/** True when a string anywhere in the value (keys included) holds a NUL character. Iterative: bodies may nest deeply. */
function holdsNul(value: unknown): boolean {
  const stack = [value]
  while (stack.length) {
    const v = stack.pop()
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true
        stack.push(x)
      }
    }
  }
  return false
}

/** PostgreSQL text cannot hold NUL: refuse it at the edge (400) rather than fail inside a query (500). */
const refuseNulBytes: RequestHandler = (req, _res, next) => {
  let url = req.url
  try {
    url = decodeURIComponent(req.url)
  } catch {
    /* malformed escapes: the routes answer them */
  }
  if (url.includes('\u0000') || holdsNul(req.body)) return next(new NulByteRefused('La requête contient un caractère nul.'))
  next()
}

/** Query parameters that carry credentials, as `?launch=[redacted]` in logs. */
export function maskSecretParams(url: string): string {
  return url.replace(/([?&](?:launch|code|token|key|registration_token|id_token|state)=)[^&#]*/gi, '$1[redacted]')
}

export function createApp(deps: AppDeps) {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  if (deps.trustProxy) app.set('trust proxy', true)
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/assets/') },
      // One line per request with what an operator reads: no headers (copying and redacting them on every
      // request cost more than the request's own SQL), and one-time codes and tokens, which travel in URLs
      // (launch, Orga link, invitation, reset), masked.
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: maskSecretParams(req.url ?? ''),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode?: number; headers?: Record<string, unknown> }) => ({
          statusCode: res.statusCode,
          ...(typeof res.headers?.location === 'string' ? { location: maskSecretParams(res.headers.location) } : {}),
        }),
      },
    }),
  )
  app.use(securityHeaders({ frameAncestors: deps.frameAncestors ?? (() => []), hsts: Boolean(deps.trustProxy) }))
  app.use(sameOriginWrites({ prefixes: deps.sameOriginPrefixes ?? ['/api/orga/'], publicUrl: deps.publicUrl }))
  app.use(express.json({ limit: '100kb' }))
  app.use(express.urlencoded({ extended: false, limit: '100kb' }))
  app.use(refuseNulBytes)

  app.use('/static', express.static(join(__dirname, 'static'), { maxAge: '1h' }))
  app.use(healthRoutes({ pingDatabase: deps.pingDatabase, version: deps.version }))
  app.use(homeRoutes({ demoLmsUrl: deps.demoLmsUrl }))
  for (const router of deps.routers ?? []) app.use(router)
  if (deps.serveClient !== false) app.use(clientAssets(deps.clientDistDir))

  app.use(notFoundHandler)
  app.use(errorHandler)
  return app
}
