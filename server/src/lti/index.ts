/**
 * Public surface of the LTI module. Other modules see LaunchContext, the session middlewares
 * (req.launch), the grade passback API (reportProgress / reportFinalScore / listScoreDeliveries)
 * and the roster; main.ts builds the whole module with createLtiModule.
 */
import type { Router } from 'express'
import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import type { Logger } from '../shared/logger'
import { adminRoutes } from './admin.routes'
import type { CampaignCatalog } from './campaign-catalog'
import { ltiRoutes } from './lti.routes'
import { createPlatformDirectory } from './platform-directory'
import { createPlatformKeyStore } from './platform-keys'
import { listPlatforms } from './platform.repository'
import { startScoreDelivery, type ScoreDeliveryWorker } from './score-delivery'
import { createRosterCache, type RosterCache } from './roster-cache'
import { createServiceClient, type ServiceClient } from './service-client'
import { createSessionCache } from './session-cache'
import { listenForSessionDeletions } from './session-invalidation'
import { createSessionMiddlewares, type SessionMiddlewares } from './sessions'
import type { LtiSettings } from './settings'
import { ensureToolKeys } from './tool-keys'
import { purgeExpiredLoginData } from './launch.repository'
import { purgeExpiredSessions } from './session.repository'

export type { LaunchContext, LaunchRole } from './launch-context'
export type { SessionMiddlewares } from './sessions'
export { reportProgress, reportFinalScore, enqueueScore, isStoredScoreKey, listScoreDeliveries, latestDeliveryByUser, type ScoreDelivery, type EnqueueResult, type DeliveryStatus } from './score-outbox'
export { fetchCourseRoster, fetchCourseRosterById, type RosterMember } from './roster'
export type { CampaignRoster, RosterCache } from './roster-cache'
export { createCampaignCatalog, type CampaignCatalog, type CampaignSummary } from './campaign-catalog'
export { loadLtiSettings, type LtiSettings } from './settings'
export { registerPlatform, type PlatformRegistration } from './register-platform'
export { rotateToolKeys, ensureToolKeys, publicJwks } from './tool-keys'
export { listPlatforms } from './platform.repository'
export { DEFAULT_CLAIM_MAPPING, GAR_CLAIM_MAPPING, type ClaimMapping } from './claim-mapping'
export * from './errors'

export interface LtiModuleDeps {
  db: Db
  clock: Clock
  logger: Logger
  settings: LtiSettings
  campaigns: CampaignCatalog
  /** Jalon's public base URL. */
  baseUrl: () => string
  fetch?: typeof fetch
  scoreDelivery?: { intervalMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; leaseMs?: number; timeoutMs?: number; autoStart?: boolean }
}

export interface LtiModule {
  routers: Router[]
  /** Origins allowed to frame Jalon: the registered platforms (for createApp's frameAncestors). */
  frameAncestors: () => string[]
  sessions: SessionMiddlewares
  services: ServiceClient
  /** Course rosters (NRPS) for the dashboard, cached per course. */
  rosters: RosterCache
  scoreDelivery: ScoreDeliveryWorker
  refreshPlatforms(): Promise<void>
  close(): Promise<void>
}

/**
 * The outbox worker alone, for a separate worker process (worker.ts): no routes, no sessions. Several may run
 * beside the web instances: rows are claimed with FOR UPDATE SKIP LOCKED and a lease.
 */
export async function startScoreWorker(
  deps: Pick<LtiModuleDeps, 'db' | 'clock' | 'logger' | 'settings' | 'fetch' | 'scoreDelivery'>,
): Promise<ScoreDeliveryWorker> {
  const encryptionKey = deps.settings.encryptionKey
  // The worker signs client assertions: the tool key must exist even if no web instance started yet.
  await ensureToolKeys({ db: deps.db, clock: deps.clock, encryptionKey })
  const services = createServiceClient({ db: deps.db, clock: deps.clock, encryptionKey, fetch: deps.fetch, timeoutMs: deps.scoreDelivery?.timeoutMs })
  return startScoreDelivery({ db: deps.db, clock: deps.clock, logger: deps.logger, services, ...deps.scoreDelivery }, { autoStart: deps.scoreDelivery?.autoStart })
}

export async function createLtiModule(deps: LtiModuleDeps): Promise<LtiModule> {
  const encryptionKey = deps.settings.encryptionKey
  await ensureToolKeys({ db: deps.db, clock: deps.clock, encryptionKey })

  let origins: string[] = []
  const platforms = createPlatformDirectory({ db: deps.db })
  const refreshPlatforms = async () => {
    // A registration here (or a periodic refresh) drops the cached platform rows too.
    platforms.clear()
    const set = new Set<string>()
    for (const p of await listPlatforms(deps.db)) {
      for (const u of [p.issuer, p.authLoginUrl]) {
        try {
          set.add(new URL(u).origin)
        } catch {
          /* validated at registration */
        }
      }
    }
    origins = [...set]
  }
  await refreshPlatforms()
  const onPlatformsChange = () => void refreshPlatforms().catch((err) => deps.logger.warn({ err: (err as Error).message }, 'frame-ancestors refresh failed'))
  // Other instances may register platforms too; housekeeping of expired rows rides along.
  const housekeeping = setInterval(() => {
    onPlatformsChange()
    const now = deps.clock.now()
    void Promise.all([purgeExpiredLoginData(deps.db, now), purgeExpiredSessions(deps.db, now)]).catch(() => undefined)
  }, 60_000)
  housekeeping.unref()

  const platformKeys = createPlatformKeyStore()
  const services = createServiceClient({ db: deps.db, clock: deps.clock, encryptionKey, fetch: deps.fetch, timeoutMs: deps.scoreDelivery?.timeoutMs })
  const sessionCache = createSessionCache()
  const sessionInvalidation = listenForSessionDeletions({ db: deps.db, cache: sessionCache, logger: deps.logger })
  const sessions = createSessionMiddlewares({ db: deps.db, clock: deps.clock, sessionCache })
  const scoreDelivery = startScoreDelivery(
    { db: deps.db, clock: deps.clock, logger: deps.logger, services, ...deps.scoreDelivery },
    { autoStart: deps.scoreDelivery?.autoStart },
  )
  const routers = [
    ltiRoutes({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      platformKeys,
      platforms,
      campaigns: deps.campaigns,
      services,
      sessions,
      encryptionKey,
      baseUrl: deps.baseUrl,
      toolName: deps.settings.toolName,
      registrationKey: deps.settings.registrationKey,
      registrationWithoutKey: deps.settings.registrationWithoutKey,
      onPlatformsChange,
      fetch: deps.fetch,
    }),
    adminRoutes({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      encryptionKey,
      adminToken: deps.settings.adminToken,
      registrationKey: deps.settings.registrationKey,
      registrationWithoutKey: deps.settings.registrationWithoutKey,
      baseUrl: deps.baseUrl,
      onPlatformsChange,
    }),
  ]
  return {
    routers,
    frameAncestors: () => origins,
    sessions,
    services,
    rosters: createRosterCache({ db: deps.db, services, clock: deps.clock, logger: deps.logger }),
    scoreDelivery,
    refreshPlatforms,
    async close() {
      clearInterval(housekeeping)
      await sessionInvalidation.close()
      await scoreDelivery.stop()
    },
  }
}
