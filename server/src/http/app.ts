/**
 * The Express application: middleware order, routers, error mapping. No I/O at import time;
 * main.ts builds the dependencies and passes them in.
 */
import { join } from 'node:path'
import express, { type Router } from 'express'
import { pinoHttp } from 'pino-http'
import type { Logger } from '../shared/logger'
import { clientAssets } from './client-assets'
import { errorHandler, notFoundHandler } from './error-handler'
import { healthRoutes } from './health.routes'
import { homeRoutes } from './home-page'
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
  /** Module routers, mounted in order after the common middleware. */
  routers?: Router[]
}

/** Query parameters that carry credentials, as `?launch=[redacted]` in logs. */
export function maskSecretParams(url: string): string {
  return url.replace(/([?&](?:launch|code|token|key|registration_token|id_token|state)=)[^&#]*/gi, '$1[redacted]')
}

export function createApp(deps: AppDeps) {
  const app = express()
  app.disable('x-powered-by')
  if (deps.trustProxy) app.set('trust proxy', true)
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/assets/') },
      serializers: {
        // One-time codes and tokens travel in URLs (launch, Orga link, invitation, reset): never in the logs.
        req: (req: { url?: string; query?: unknown }) => ({ ...req, url: maskSecretParams(req.url ?? ''), query: undefined }),
        res: (res: { headers?: Record<string, unknown> }) =>
          typeof res.headers?.location === 'string' ? { ...res, headers: { ...res.headers, location: maskSecretParams(res.headers.location) } } : res,
      },
    }),
  )
  app.use(securityHeaders({ frameAncestors: deps.frameAncestors ?? (() => []), hsts: Boolean(deps.trustProxy) }))
  app.use(express.json({ limit: '100kb' }))
  app.use(express.urlencoded({ extended: false, limit: '100kb' }))

  app.use('/static', express.static(join(__dirname, 'static'), { maxAge: '1h' }))
  app.use(healthRoutes({ pingDatabase: deps.pingDatabase, version: deps.version }))
  app.use(homeRoutes({ demoLmsUrl: deps.demoLmsUrl }))
  for (const router of deps.routers ?? []) app.use(router)
  if (deps.serveClient !== false) app.use(clientAssets(deps.clientDistDir))

  app.use(notFoundHandler)
  app.use(errorHandler)
  return app
}
