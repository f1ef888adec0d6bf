import { Router } from 'express'

/** GET /healthz: 200 when the database answers, 503 otherwise (load balancers and compose use it). */
export function healthRoutes(deps: { pingDatabase: () => Promise<boolean>; version: string }): Router {
  const router = Router()
  router.get('/healthz', async (_req, res) => {
    const database = await deps.pingDatabase()
    res.status(database ? 200 : 503).json({ status: database ? 'ok' : 'degraded', database: database ? 'up' : 'down', version: deps.version })
  })
  return router
}
