/** Every Jalon Orga router of this module, in one call for main.ts (and tests). */
import type { Router } from 'express'
import type { AccessDeps } from './access/access-deps'
import { accessRoutes } from './access/access.routes'
import { orgaSessionRoutes } from './access/session.routes'
import { learnersRoutes } from './learners/learners.routes'
import { placesRoutes } from './places/places.routes'
import type { OrgaSessionMiddlewares } from './orga-session'

export function orgaRouters(deps: AccessDeps & { sessions: OrgaSessionMiddlewares }): Router[] {
  return [orgaSessionRoutes(deps), accessRoutes(deps), learnersRoutes(deps), placesRoutes(deps)]
}
