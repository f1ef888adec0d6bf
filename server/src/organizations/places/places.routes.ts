/** Places: the counter and the lots, for administrators (Pix shows places to admins only). */
import { Router } from 'express'
import { z } from 'zod'
import type { Db } from '../../db/client'
import type { Clock } from '../../shared/clock'
import { PlacesLotNotFound } from '../errors'
import type { OrgaSessionMiddlewares } from '../orga-session'
import { addPlacesLot, deletePlacesLot, getPlaces } from './places'

const IsoDate = z.iso.date()
const LotBody = z.object({
  count: z.coerce.number().int().min(0).max(1_000_000),
  activationDate: IsoDate,
  expirationDate: IsoDate.nullish().or(z.literal('').transform(() => null)),
})

export function placesRoutes(deps: { db: Db; clock: Clock; sessions: OrgaSessionMiddlewares }): Router {
  const router = Router()
  const { requireOrgaSession, requireOrgaAdmin } = deps.sessions
  router.get('/api/orga/places', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    res.json(await getPlaces(req.orga!.organizationId, deps))
  })
  router.post('/api/orga/places/lots', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const body = LotBody.parse(req.body)
    await addPlacesLot({ organizationId: req.orga!.organizationId, createdBy: req.orga!.userId, ...body, expirationDate: body.expirationDate ?? null }, deps)
    res.status(201).json(await getPlaces(req.orga!.organizationId, deps))
  })
  router.delete('/api/orga/places/lots/:id', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const id = z.uuid().safeParse(req.params.id)
    if (!id.success) throw new PlacesLotNotFound('Lot de places introuvable.')
    await deletePlacesLot({ organizationId: req.orga!.organizationId, lotId: id.data }, deps)
    res.status(204).end()
  })
  return router
}
