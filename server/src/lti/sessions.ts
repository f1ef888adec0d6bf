/**
 * Sessions after a launch. The app gets a one-time code in its URL, exchanges it at once for a
 * short-lived bearer token (kept in memory by the app), and the code is dead. A teacher opens Orga in a
 * new tab through another one-time code that opens an Orga session (first-party cookie). All state is server-side.
 */
import type { Request, RequestHandler, Response } from 'express'
import type { Db } from '../db/client'
import { Forbidden, Unauthenticated } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { sha256 } from './crypto'
import { LtiSessionInvalid } from './errors'
import type { LaunchContext } from './launch-context'
import { findLaunch } from './launch.repository'
import { createOrgaSession } from '../organizations'
import { createSessionCache, type SessionCache } from './session-cache'
import { consumeOneTimeCode, createOneTimeCode, deleteSession, exchangeOneTimeCode, findSessionLaunch } from './session.repository'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by requireLearnerSession / requireTeacherSession. */
      launch?: LaunchContext
    }
  }
}

export const BEARER_TTL_MS = 90 * 60_000
export const ORGA_CODE_TTL_MS = 60_000

export interface SessionDeps {
  db: Db
  clock: Clock
  /** Bearer sessions seen live lately (session-cache.ts); a new session goes in at once. */
  sessionCache?: SessionCache
}

/** POST /api/lti/session: one-time launch code → bearer token bound to that launch (one statement). */
export async function exchangeLaunchCode(code: string, deps: SessionDeps): Promise<{ token: string; expiresAt: Date; launch: LaunchContext }> {
  const now = deps.clock.now()
  const expiresAt = new Date(now.getTime() + BEARER_TTL_MS)
  const opened = await exchangeOneTimeCode(deps.db, { code, purpose: 'app', kind: 'bearer', now, expiresAt })
  if (!opened) throw new LtiSessionInvalid('Ce lien de lancement a expiré ou a déjà servi. Relancez l’activité depuis votre plateforme.')
  const launch = toLaunchContext(opened.launchId, opened.context)
  deps.sessionCache?.set(sha256(opened.token), launch, expiresAt.getTime(), now.getTime())
  return { token: opened.token, expiresAt, launch }
}

const toLaunchContext = (launchId: string, stored: Record<string, unknown>): LaunchContext => ({
  ...(stored as unknown as Omit<LaunchContext, 'launchId'>),
  launchId,
})

/** A teacher's one-time link to open Orga in a new tab (first-party cookie there). */
export async function createOrgaLink(launch: LaunchContext, deps: SessionDeps): Promise<string> {
  if (launch.role === 'learner') throw new Forbidden('Réservé aux enseignants.')
  return createOneTimeCode(deps.db, { purpose: 'orga', launchId: launch.launchId, expiresAt: new Date(deps.clock.now().getTime() + ORGA_CODE_TTL_MS) })
}

/** The one-time link, used: an ordinary Orga session (organizations/orga-session.ts) for the launch's user and organization. */
export async function enterOrga(code: string, deps: SessionDeps): Promise<{ token: string; expiresAt: Date }> {
  const now = deps.clock.now()
  const launchId = await consumeOneTimeCode(deps.db, code, 'orga', now)
  const launch = launchId && (await findLaunch(deps.db, launchId))
  if (!launch) throw new LtiSessionInvalid('Ce lien vers Jalon Orga a expiré. Ouvrez-le de nouveau depuis l’activité.')
  return createOrgaSession(deps.db, { userId: launch.userId, organizationId: launch.context.organizationId, origin: 'LTI', now })
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined
}

async function contextFromSession(token: string | undefined, kind: 'bearer', deps: SessionDeps & { sessionCache: SessionCache }): Promise<LaunchContext | undefined> {
  if (!token) return undefined
  const hash = sha256(token)
  const now = deps.clock.now()
  const cached = deps.sessionCache.get(hash, now.getTime())
  if (cached) return cached
  const found = await findSessionLaunch(deps.db, hash, kind, now)
  if (!found) return undefined
  const context = toLaunchContext(found.launchId, found.context)
  deps.sessionCache.set(hash, context, found.expiresAt.getTime(), now.getTime())
  return context
}

export interface SessionMiddlewares {
  /** Any launched user (bearer token from the embedded app). Sets req.launch. */
  requireLearnerSession: RequestHandler
  /** A teacher or admin launched from the LMS (bearer). Orga routes use requireOrgaSession instead. Sets req.launch. */
  requireTeacherSession: RequestHandler
  logout(req: Request, res: Response): Promise<void>
  /** Shared with exchangeLaunchCode, which puts each new session in. */
  cache: SessionCache
}

export function createSessionMiddlewares(input: SessionDeps): SessionMiddlewares {
  const deps = { ...input, sessionCache: input.sessionCache ?? createSessionCache() }
  return {
    cache: deps.sessionCache,
    requireLearnerSession: async (req, _res, next) => {
      const ctx = await contextFromSession(bearer(req), 'bearer', deps)
      if (!ctx) throw new Unauthenticated('Session expirée : relancez l’activité depuis votre plateforme.')
      req.launch = ctx
      next()
    },
    requireTeacherSession: async (req, _res, next) => {
      const ctx = await contextFromSession(bearer(req), 'bearer', deps)
      if (!ctx) throw new Unauthenticated('Session expirée : ouvrez Jalon Orga depuis votre plateforme.')
      if (ctx.role === 'learner') throw new Forbidden('Réservé aux enseignants.')
      req.launch = ctx
      next()
    },
    async logout(req, res) {
      const token = bearer(req)
      if (token) {
        // Forgotten here before the row goes: this instance never serves it again.
        deps.sessionCache.delete(sha256(token))
        await deleteSession(deps.db, token)
      }
      res.status(204)
    },
  }
}
