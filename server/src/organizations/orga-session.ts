/**
 * The one session mechanism of Jalon Orga: a random token in an HttpOnly, SameSite=Lax cookie
 * (Secure behind TLS), its SHA-256 hash in `orga_sessions` with the user and the organization currently
 * shown. Password sign-in, invitation acceptance and the LTI one-time link all end with createOrgaSession.
 *
 * Contract for routers (dashboard, team, learners, places):
 *   router.get('/api/orga/…', requireOrgaSession, handler)  → req.orga = { userId, organizationId, role }
 *   router.post('/api/orga/…', requireOrgaSession, requireOrgaAdmin, handler)
 * The membership is re-read on every request: a removed member loses access at once, a role change applies at once.
 * Always scope queries with req.orga.organizationId: a resource of another organization is a 404.
 */
import type { Request, RequestHandler, Response } from 'express'
import { and, asc, eq, gt, lt } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { memberships, orgaSessions, organizations } from '../db/schema'
import type { Clock } from '../shared/clock'
import { OrgaAdminRequired, OrgaSessionRequired } from './errors'
import { randomToken, sha256 } from './tokens'

type Executor = Db | Tx
export type OrgaRole = 'ADMIN' | 'MEMBER'

export interface OrgaContext {
  userId: string
  /** The organization currently shown (the switcher changes it). */
  organizationId: string
  /** The user's role in that organization. */
  role: OrgaRole
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by requireOrgaSession. */
      orga?: OrgaContext
    }
  }
}

/** Same cookie name as the LTI one-time link (server/src/lti/sessions.ts): one Orga cookie. */
export const ORGA_COOKIE = 'jalon_orga'
export const ORGA_SESSION_TTL_MS = 8 * 3600_000

/** A session opened elsewhere (the LTI one-time link) that Orga takes over on first use. */
export type ForeignSessionLookup = (token: string, now: Date) => Promise<{ userId: string; organizationId: string; expiresAt: Date } | undefined>

export interface OrgaSessionDeps {
  db: Db
  clock: Clock
  /** Optional: lets a cookie created by lti/ (lti_sessions, kind 'orga') open Orga too. */
  foreignSession?: ForeignSessionLookup
}

export async function createOrgaSession(
  db: Executor,
  input: { userId: string; organizationId: string; origin: 'PASSWORD' | 'LTI'; now: Date; ttlMs?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32)
  const expiresAt = new Date(input.now.getTime() + (input.ttlMs ?? ORGA_SESSION_TTL_MS))
  await db.insert(orgaSessions).values({ tokenHash: sha256(token), userId: input.userId, organizationId: input.organizationId, origin: input.origin, expiresAt })
  return { token, expiresAt }
}

export function setOrgaCookie(req: Request, res: Response, session: { token: string; expiresAt: Date }): void {
  res.cookie(ORGA_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    // req.secure is true behind a TLS proxy when TRUST_PROXY is set (X-Forwarded-Proto).
    secure: req.secure,
    path: '/',
    expires: session.expiresAt,
  })
}

export function clearOrgaCookie(req: Request, res: Response): void {
  res.clearCookie(ORGA_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' })
}

export function readOrgaToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === ORGA_COOKIE) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

async function membershipRole(db: Executor, organizationId: string, userId: string): Promise<OrgaRole | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
  return row?.role
}

/** The user's organizations, by name: what the switcher lists. */
export async function listUserOrganizations(db: Executor, userId: string): Promise<{ id: string; name: string; role: OrgaRole }[]> {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name), asc(organizations.id))
}

/**
 * Resolves a cookie token to the Orga context, or undefined. If the member was removed from the
 * organization shown, the session moves to another of their organizations (or ends when none is left).
 */
export async function resolveOrgaSession(token: string, deps: OrgaSessionDeps): Promise<OrgaContext | undefined> {
  const now = deps.clock.now()
  const tokenHash = sha256(token)
  let [session] = await deps.db
    .select()
    .from(orgaSessions)
    .where(and(eq(orgaSessions.tokenHash, tokenHash), gt(orgaSessions.expiresAt, now)))
  if (!session && deps.foreignSession) {
    const foreign = await deps.foreignSession(token, now)
    if (foreign) {
      // Take the LTI session over under the same token: from now on it is an ordinary Orga session.
      await deps.db
        .insert(orgaSessions)
        .values({ tokenHash, userId: foreign.userId, organizationId: foreign.organizationId, origin: 'LTI', expiresAt: foreign.expiresAt })
        .onConflictDoNothing()
      ;[session] = await deps.db.select().from(orgaSessions).where(and(eq(orgaSessions.tokenHash, tokenHash), gt(orgaSessions.expiresAt, now)))
    }
  }
  if (!session) return undefined
  const role = await membershipRole(deps.db, session.organizationId, session.userId)
  if (role) return { userId: session.userId, organizationId: session.organizationId, role }
  const [other] = await listUserOrganizations(deps.db, session.userId)
  if (!other) {
    await deps.db.delete(orgaSessions).where(eq(orgaSessions.tokenHash, tokenHash))
    return undefined
  }
  await deps.db.update(orgaSessions).set({ organizationId: other.id }).where(eq(orgaSessions.tokenHash, tokenHash))
  return { userId: session.userId, organizationId: other.id, role: other.role }
}

/** Switches the organization shown by this session; the user must be a member of it. */
export async function switchOrganization(token: string, userId: string, organizationId: string, db: Executor): Promise<OrgaRole | undefined> {
  const role = await membershipRole(db, organizationId, userId)
  if (!role) return undefined
  await db.update(orgaSessions).set({ organizationId }).where(and(eq(orgaSessions.tokenHash, sha256(token)), eq(orgaSessions.userId, userId)))
  return role
}

export async function deleteOrgaSession(db: Executor, token: string): Promise<void> {
  await db.delete(orgaSessions).where(eq(orgaSessions.tokenHash, sha256(token)))
}

/** After a password reset every open session of the user ends. */
export async function deleteUserOrgaSessions(db: Executor, userId: string): Promise<void> {
  await db.delete(orgaSessions).where(eq(orgaSessions.userId, userId))
}

export async function purgeExpiredOrgaSessions(db: Executor, now: Date): Promise<void> {
  await db.delete(orgaSessions).where(lt(orgaSessions.expiresAt, now))
}

export interface OrgaSessionMiddlewares {
  /** 401 ORGA_SESSION_REQUIRED without a valid session; sets req.orga. */
  requireOrgaSession: RequestHandler
  /** After requireOrgaSession: 403 ORGA_ADMIN_REQUIRED unless req.orga.role is ADMIN. */
  requireOrgaAdmin: RequestHandler
}

export function createOrgaSessionMiddlewares(deps: OrgaSessionDeps): OrgaSessionMiddlewares {
  return {
    requireOrgaSession: async (req, _res, next) => {
      const token = readOrgaToken(req)
      const ctx = token ? await resolveOrgaSession(token, deps) : undefined
      if (!ctx) throw new OrgaSessionRequired('Connectez-vous pour accéder à Jalon Orga.')
      req.orga = ctx
      next()
    },
    requireOrgaAdmin: (req, _res, next) => {
      if (req.orga?.role !== 'ADMIN') throw new OrgaAdminRequired('Réservé aux administrateurs de l’organisation.')
      next()
    },
  }
}
