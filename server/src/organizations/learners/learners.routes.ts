/** "Étudiants": list (every member), CSV template, import (administrators). */
import express, { Router } from 'express'
import { z } from 'zod'
import type { Db } from '../../db/client'
import { AppError } from '../../shared/app-error'
import type { Clock } from '../../shared/clock'
import type { OrgaSessionMiddlewares } from '../orga-session'
import { importLearners } from './import-learners'
import { learnersCsvTemplate } from './learners-csv'
import { listLearners } from './list-learners'

const ListQuery = z.object({
  search: z.string().max(200).optional(),
  studentNumber: z.string().max(100).optional(),
  group: z.string().max(200).optional(),
  certificability: z.enum(['CERTIFIABLE', 'NOT_CERTIFIABLE', 'UNKNOWN']).optional().or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
})

class NulInImport extends AppError {
  readonly code = 'INVALID_REQUEST'
}

export function learnersRoutes(deps: { db: Db; clock: Clock; sessions: OrgaSessionMiddlewares }): Router {
  const router = Router()
  const { requireOrgaSession, requireOrgaAdmin } = deps.sessions

  router.get('/api/orga/learners', requireOrgaSession, async (req, res) => {
    const query = ListQuery.parse(req.query)
    res.json(await listLearners(deps.db, { organizationId: req.orga!.organizationId, ...query }))
  })

  router.get('/api/orga/learners/template.csv', requireOrgaSession, (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="modele-import-etudiants.csv"')
    res.type('text/csv; charset=utf-8').send(learnersCsvTemplate())
  })

  // The file is the body (text/csv, up to 5 MB): no multipart parser needed.
  router.post(
    '/api/orga/learners/import',
    requireOrgaSession,
    requireOrgaAdmin,
    express.text({ type: () => true, limit: '5mb' }),
    async (req, res) => {
      const content = typeof req.body === 'string' ? req.body : ''
      // PostgreSQL text cannot hold NUL: a 400 here, not a failed insert (500).
      if (content.includes('\u0000')) throw new NulInImport('Le fichier contient un caractère nul : ce n’est pas un fichier CSV texte.')
      res.json(await importLearners({ organizationId: req.orga!.organizationId, content }, deps))
    },
  )
  return router
}
