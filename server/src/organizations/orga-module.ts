/**
 * Jalon Orga access wiring, built once in main.ts: the session middlewares (shared with the dashboard and
 * lti/), the mailer (SMTP, or the demo mailbox) and this module's routers.
 */
import type { Router } from 'express'
import { and, isNull, lt, or } from 'drizzle-orm'
import type { Db } from '../db/client'
import { loginThrottles, passwordResetTokens } from '../db/schema'
import type { Clock } from '../shared/clock'
import { devMailsRoutes } from './access/dev-mails.routes'
import { createDemoMailer, createSmtpMailer, type Mailer } from './access/mailer'
import { createOrgaSessionMiddlewares, purgeExpiredOrgaSessions, type ForeignSessionLookup, type OrgaSessionMiddlewares } from './orga-session'
import { orgaRouters } from './orga-routes'

export interface OrgaModuleDeps {
  db: Db
  clock: Clock
  publicUrl: () => string
  smtpUrl?: string
  mailFrom: string
  /** Show stored demo e-mails on /dev/mails (only without SMTP, never in production unless DEMO_SEED). */
  showDemoMailbox: boolean
  foreignSession?: ForeignSessionLookup
  mailer?: Mailer
}

export interface OrgaModule {
  sessions: OrgaSessionMiddlewares
  mailer: Mailer
  routers: Router[]
  /** Stops the hourly housekeeping. */
  close(): void
}

/** Expired sessions, dead reset links and stale sign-in counters go away (any instance may do it; idempotent). */
export async function purgeOrgaAccess(db: Db, now: Date): Promise<void> {
  await purgeExpiredOrgaSessions(db, now)
  await db.delete(passwordResetTokens).where(lt(passwordResetTokens.expiresAt, new Date(now.getTime() - 24 * 3600_000)))
  await db
    .delete(loginThrottles)
    .where(and(lt(loginThrottles.lastFailureAt, new Date(now.getTime() - 24 * 3600_000)), or(isNull(loginThrottles.lockedUntil), lt(loginThrottles.lockedUntil, now))))
}

export function createOrgaModule(deps: OrgaModuleDeps): OrgaModule {
  const sessions = createOrgaSessionMiddlewares({ db: deps.db, clock: deps.clock, foreignSession: deps.foreignSession })
  const mailer = deps.mailer ?? (deps.smtpUrl ? createSmtpMailer({ url: deps.smtpUrl, from: deps.mailFrom }) : createDemoMailer(deps.db))
  const routers = orgaRouters({ db: deps.db, clock: deps.clock, mailer, publicUrl: deps.publicUrl, sessions })
  if (!deps.smtpUrl && deps.showDemoMailbox) routers.push(devMailsRoutes(deps.db))
  const housekeeping = setInterval(() => void purgeOrgaAccess(deps.db, deps.clock.now()).catch(() => undefined), 3600_000)
  housekeeping.unref()
  return { sessions, mailer, routers, close: () => clearInterval(housekeeping) }
}
