/** GET /api/orga/me, PUT /api/orga/me/organization (switcher), POST /api/orga/auth/sign-out. */
import { Router } from 'express'
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db/client'
import { organizations, users } from '../../db/schema'
import { NotAMember } from '../errors'
import {
  clearOrgaCookie,
  deleteOrgaSession,
  listUserOrganizations,
  readOrgaToken,
  switchOrganization,
  type OrgaContext,
  type OrgaSessionMiddlewares,
} from '../orga-session'

export interface OrgaMe {
  user: { id: string; firstName: string | null; lastName: string | null; email: string | null }
  organization: { id: string; name: string; type: 'SUP' | 'SCO' | 'PRO' }
  role: 'ADMIN' | 'MEMBER'
  organizations: { id: string; name: string; role: 'ADMIN' | 'MEMBER' }[]
}

export async function presentMe(db: Db, ctx: OrgaContext): Promise<OrgaMe> {
  const [user] = await db
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: users.email })
    .from(users)
    .where(eq(users.id, ctx.userId))
  const [organization] = await db
    .select({ id: organizations.id, name: organizations.name, type: organizations.type })
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId))
  return { user: user!, organization: organization!, role: ctx.role, organizations: await listUserOrganizations(db, ctx.userId) }
}

const SwitchBody = z.object({ organizationId: z.uuid() })

export function orgaSessionRoutes(deps: { db: Db; sessions: OrgaSessionMiddlewares }): Router {
  const router = Router()
  const { requireOrgaSession } = deps.sessions

  router.get('/api/orga/me', requireOrgaSession, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store')
    res.json(await presentMe(deps.db, req.orga!))
  })

  router.put('/api/orga/me/organization', requireOrgaSession, async (req, res) => {
    const { organizationId } = SwitchBody.parse(req.body)
    const role = await switchOrganization(readOrgaToken(req)!, req.orga!.userId, organizationId, deps.db)
    if (!role) throw new NotAMember('Vous n’êtes pas membre de cette organisation.')
    res.json(await presentMe(deps.db, { userId: req.orga!.userId, organizationId, role }))
  })

  // Sign-out works even with an expired session: the cookie is cleared either way.
  router.post('/api/orga/auth/sign-out', async (req, res) => {
    const token = readOrgaToken(req)
    if (token) await deleteOrgaSession(deps.db, token)
    clearOrgaCookie(req, res)
    res.status(204).end()
  })

  return router
}
