/**
 * Every route of the wired Express app, read from its router stack, and how each is reached. A route that
 * is not in ROUTE_ACCESS fails the security suite: a new route must be classified (and so tested) on purpose.
 */
import type { Express } from 'express'

export type Access =
  /** Anyone (LMS, browser before sign-in, health checks). */
  | 'public'
  /** Demo mailbox: mounted only without SMTP and outside production (or with DEMO_SEED). */
  | 'dev'
  /** LTI bearer token of any launched user (learner API). */
  | 'learner'
  /** LTI bearer token of a teacher or LMS administrator. */
  | 'teacher'
  /** Orga session cookie, any member. */
  | 'orga'
  /** Orga session cookie, administrators of the organization only. */
  | 'orga-admin'
  /** The LTI registration admin (ADMIN_TOKEN session cookie). */
  | 'lti-admin'

export interface RouteInfo {
  method: string
  path: string
  key: string
}

export const ROUTE_ACCESS: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /': 'public',
  // lti/
  'GET /.well-known/jwks.json': 'public',
  'GET /lti/jwks': 'public',
  'GET /lti/config.json': 'public',
  'GET /lti/login': 'public',
  'POST /lti/login': 'public',
  'GET /lti/launch': 'public',
  'POST /lti/launch': 'public',
  // Needs a one-time picker ticket from a teacher launch (checked by services/lti tests).
  'POST /lti/picker': 'public',
  // Dynamic registration: needs ?key= when LTI_REGISTRATION_KEY is set; closed in production without it (registration.test.ts).
  'GET /lti/register': 'public',
  'POST /api/lti/session': 'public',
  'GET /api/lti/me': 'learner',
  // Ends the bearer session it is given; without one it does nothing.
  'DELETE /api/lti/session': 'public',
  'POST /api/lti/orga-link': 'teacher',
  // Needs a one-time code made by a teacher's orga-link.
  'GET /lti/orga': 'public',
  'GET /api/lti/roster': 'teacher',
  'GET /api/lti/score-deliveries': 'teacher',
  'GET /lti/admin/login': 'public',
  'POST /lti/admin/login': 'public',
  'POST /lti/admin/logout': 'public',
  'GET /lti/admin': 'lti-admin',
  'POST /lti/admin/platforms': 'lti-admin',
  'POST /lti/admin/rotate-keys': 'lti-admin',
  // organizations/ access
  'GET /api/orga/me': 'orga',
  'PUT /api/orga/me/organization': 'orga',
  'POST /api/orga/auth/sign-out': 'public',
  'POST /api/orga/auth/sign-in': 'public',
  'POST /api/orga/auth/password-reset': 'public',
  'POST /api/orga/auth/password-reset/confirm': 'public',
  'POST /api/orga/invitations/lookup': 'public',
  'POST /api/orga/invitations/accept': 'public',
  'GET /api/orga/members': 'orga',
  'PUT /api/orga/members/:userId/role': 'orga-admin',
  'DELETE /api/orga/members/:userId': 'orga-admin',
  'GET /api/orga/invitations': 'orga-admin',
  'POST /api/orga/invitations': 'orga-admin',
  'POST /api/orga/invitations/:id/resend': 'orga-admin',
  'DELETE /api/orga/invitations/:id': 'orga-admin',
  'GET /api/orga/learners': 'orga',
  'GET /api/orga/learners/template.csv': 'orga',
  'POST /api/orga/learners/import': 'orga-admin',
  'GET /api/orga/places': 'orga-admin',
  'POST /api/orga/places/lots': 'orga-admin',
  'DELETE /api/orga/places/lots/:id': 'orga-admin',
  'GET /dev/mails': 'dev',
  // dashboard/ (owner-or-admin rules inside the use cases)
  'GET /api/orga/campaign-form-options': 'orga',
  'GET /api/orga/campaigns': 'orga',
  'POST /api/orga/campaigns': 'orga',
  'POST /api/orga/campaigns/deletion': 'orga',
  'GET /api/orga/campaigns/:campaignId': 'orga',
  'PATCH /api/orga/campaigns/:campaignId': 'orga',
  'POST /api/orga/campaigns/:campaignId/archive': 'orga',
  'POST /api/orga/campaigns/:campaignId/unarchive': 'orga',
  'GET /api/orga/campaigns/:campaignId/activity': 'orga',
  'GET /api/orga/campaigns/:campaignId/activity/participants': 'orga',
  'GET /api/orga/campaigns/:campaignId/results': 'orga',
  'GET /api/orga/campaigns/:campaignId/results/participants': 'orga',
  'GET /api/orga/campaigns/:campaignId/analysis': 'orga',
  'GET /api/orga/campaigns/:campaignId/participations/:participationId': 'orga',
  'GET /api/orga/campaigns/:campaignId/export.csv': 'orga',
  // campaigns/ learner API
  'GET /campagnes/:code': 'public',
  'GET /api/learner/home': 'learner',
  'GET /api/learner/campaigns/:code': 'learner',
  'POST /api/learner/campaigns/:code/participations': 'learner',
  'GET /api/learner/campaigns/:code/results': 'learner',
  'POST /api/learner/campaigns/:code/share': 'learner',
  'POST /api/learner/campaigns/:code/retry': 'learner',
  'POST /api/learner/campaigns/:code/improve': 'learner',
  'POST /api/learner/campaigns/:code/reset': 'learner',
  'GET /api/learner/assessments/:id': 'learner',
  'POST /api/learner/assessments/:id/answers': 'learner',
  'POST /api/learner/assessments/:id/start-challenge': 'learner',
  'GET /api/learner/assessments/:id/reviews': 'learner',
  'GET /api/learner/profile': 'learner',
  'POST /api/learner/competence-evaluations': 'learner',
  'POST /api/learner/competences/:competenceCode/reset': 'learner',
  'PUT /api/learner/saved-tutorials/:tutorialId': 'learner',
  'DELETE /api/learner/saved-tutorials/:tutorialId': 'learner',
  // http/client-assets (only when the client is built and SERVE_CLIENT is on)
  'GET /app': 'public',
  'GET /app/{*rest}': 'public',
  'GET /orga': 'public',
  'GET /orga/{*rest}': 'public',
}

/** Routes that exist only in some configurations (client not built, SERVE_CLIENT=false, SMTP set). */
export const OPTIONAL_ROUTES = new Set(['GET /app', 'GET /app/{*rest}', 'GET /orga', 'GET /orga/{*rest}', 'GET /dev/mails'])

interface RouteLike {
  path: string | string[]
  methods: Record<string, boolean>
}
interface LayerLike {
  route?: RouteLike
  rawPath?: unknown
  handle?: { stack?: LayerLike[] }
}

/** Walks the app's router stack (nested routers included) and lists METHOD + full path of every route. */
export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = []
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
        for (const p of paths)
          for (const [m, on] of Object.entries(layer.route.methods)) {
            if (!on || m === '_all') continue
            const method = m.toUpperCase()
            const path = `${prefix}${p}`
            out.push({ method, path, key: `${method} ${path}` })
          }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''
        walk(layer.handle.stack, prefix + mount)
      }
    }
  }
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '')
  return out.filter((r) => r.method !== 'HEAD')
}

/** The path with its :params replaced (unknown params throw: a new kind of id must be mapped deliberately). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = values[name]
    if (v === undefined) throw new Error(`no value for :${name} in ${path}: map this parameter in the security suite`)
    return encodeURIComponent(v)
  })
}
