/**
 * Serves the built React client (dist/client): the learner app under /app, the orga dashboard
 * under /orga. Each surface is a single-page app, so unknown sub-paths get its index.html.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express, { Router } from 'express'

export const CLIENT_DIST = join(__dirname, '..', '..', '..', 'dist', 'client')

export function clientAssets(distDir: string = CLIENT_DIST): Router {
  const router = Router()
  if (!existsSync(distDir)) return router
  router.use('/assets', express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }))
  router.use(express.static(distDir, { index: false }))
  for (const surface of ['app', 'orga']) {
    const index = join(distDir, surface, 'index.html')
    router.get([`/${surface}`, `/${surface}/{*rest}`], (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache')
      res.sendFile(index)
    })
  }
  return router
}
