/**
 * Composition root: parse the configuration, start (or reach) PostgreSQL, migrate, build the
 * dependencies, wire the routers and listen. `startJalon` is also what tests and scripts call.
 */
import cluster from 'node:cluster'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Server } from 'node:http'
import type { Express } from 'express'
import { runClusterPrimary, stopWhenPrimaryAsks } from './cluster'
import { connectDatabase, pingDatabase, type Database } from './db/client'
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres'
import { runMigrations } from './db/migrate'
import { createApp } from './http/app'
import { loadReferential } from './content/load-referential'
import { learnerRoutes } from './campaigns'
import {
  createCampaignCatalog,
  createLtiModule,
  isStoredScoreKey,
  latestDeliveryByUser,
  listScoreDeliveries,
  loadLtiSettings,
  reportFinalScore,
  reportProgress,
  type LtiModule,
  type LtiModuleDeps,
} from './lti'
import { createOrgaModule, type OrgaModule } from './organizations/orga-module'
import { orgaCampaignRoutes, type GradeDelivery } from './dashboard'
import { seedDemo } from './organizations/seed-demo'
import { seedDemoAccess } from './organizations/seed-demo-access'
import { ConfigError, loadConfig, type Config } from './shared/config'
import { systemClock } from './shared/clock'
import { createLogger, type Logger } from './shared/logger'

export const VERSION = process.env.npm_package_version ?? '0.1.0'

/** One AGS progress message per participation and progress kind: its outbox idempotency key. */
const progressKey = (progress: 'Started' | 'InProgress', participationId: string) => `progress:${progress}:${participationId}`

export interface RunningJalon {
  url: string
  port: number
  config: Config
  database: Database
  logger: Logger
  /** The LTI module: session middlewares (req.launch), score delivery worker, platform services. */
  lti: LtiModule
  /** Jalon Orga access: `orga.sessions.requireOrgaSession` (req.orga) for dashboard routers. */
  orga: OrgaModule
  /** The Express app as wired (every router): the security suite walks its routes so none escapes review. */
  app: Express
  /** Stop accepting, finish in-flight requests, close the pool, stop the embedded PostgreSQL. */
  close(): Promise<void>
}

export async function startJalon(
  config: Config,
  options: {
    logger?: Logger
    demoLmsUrl?: string
    clientDistDir?: string
    /** Environment for the LTI settings (JALON_SECRET_KEY, ADMIN_TOKEN…); defaults to process.env. */
    env?: NodeJS.ProcessEnv
    /** Score delivery tuning (tests use short intervals). */
    scoreDelivery?: LtiModuleDeps['scoreDelivery']
  } = {},
): Promise<RunningJalon> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, undefined, undefined, { buffered: config.NODE_ENV === 'production' })
  let embedded: EmbeddedServer | undefined
  let databaseUrl = config.DATABASE_URL
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'pg')
    logger.info({ dataDir }, 'starting embedded PostgreSQL')
    embedded = await startEmbeddedPostgres({ dataDir, database: 'jalon' })
    databaseUrl = embedded.url('jalon')
  }
  try {
    await runMigrations(databaseUrl)
    const database = connectDatabase(databaseUrl, {
      poolSize: config.DATABASE_POOL_SIZE,
      onError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'idle database client error'),
    })
    if (config.DEMO_SEED) {
      await seedDemo(database.db)
      await seedDemoAccess(database.db)
    }

    // Known after listen when PORT=0; PUBLIC_URL wins when set (what platforms reach).
    let baseUrl = config.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${config.PORT}`
    const referential = loadReferential()
    const lti = await createLtiModule({
      db: database.db,
      clock: systemClock,
      logger,
      // A public demo (DEMO_SEED) keeps dynamic registration open; a production server needs LTI_REGISTRATION_KEY.
      settings: loadLtiSettings(options.env ?? process.env, { dataDir: config.dataDir, logger, production: config.NODE_ENV === 'production' && !config.DEMO_SEED }),
      campaigns: createCampaignCatalog({
        db: database.db,
        clock: systemClock,
        targetProfiles: () => [...referential.targetProfiles.values()].map((tp) => ({ id: tp.id, name: tp.name })),
      }),
      baseUrl: () => baseUrl,
      // SCORE_WORKER=false: web instances only enqueue; a separate worker process (worker.ts) delivers.
      scoreDelivery: { ...scoreDeliveryTuning(config), autoStart: config.SCORE_WORKER, ...options.scoreDelivery },
    })
    if (!config.SCORE_WORKER) logger.info('score outbox worker disabled in this process (SCORE_WORKER=false)')

    const orga = createOrgaModule({
      db: database.db,
      clock: systemClock,
      publicUrl: () => baseUrl,
      smtpUrl: config.SMTP_URL,
      mailFrom: config.MAIL_FROM,
      showDemoMailbox: config.NODE_ENV !== 'production' || config.DEMO_SEED,
    })

    // The learner journey: bearer session of a launch; AGS progress and score through the LTI outbox (keys per participation).
    const learner = learnerRoutes({
      db: database.db,
      clock: systemClock,
      referential,
      retryDelayDays: config.RETRY_DELAY_DAYS,
      competenceResetDelayDays: config.COMPETENCE_RESET_DELAY_DAYS,
      maxLevel: config.MAX_REACHABLE_LEVEL,
      requireLearner: lti.sessions.requireLearnerSession,
      grades: {
        progress: async (tx, who, participationId, progress) =>
          void (await reportProgress(who, progress, { db: tx, clock: systemClock }, { key: progressKey(progress, participationId) })),
        progressStored: (participationId, progress) => isStoredScoreKey(progressKey(progress, participationId)),
        final: async (tx, who, participationId, score) =>
          void (await reportFinalScore(who, score, { db: tx, clock: systemClock }, { key: `final:${participationId}` })),
      },
    })

    // Jalon Orga campaigns: list, forms, tabs, participant detail, CSV (read models in dashboard/).
    const dashboard = orgaCampaignRoutes({
      db: database.db,
      sql: database.pool,
      clock: systemClock,
      referential,
      requireOrgaSession: orga.sessions.requireOrgaSession,
      publicUrl: config.PUBLIC_URL?.replace(/\/$/, ''),
      // Who has not started: the bound courses' rosters (NRPS, cached per course by lti/).
      campaignRoster: async (campaign) => {
        const roster = await lti.rosters.campaignLearners(campaign)
        if (!roster) return null
        const learners = roster.learners.map((m) => ({
          userId: m.userId ?? null,
          firstName: m.firstName ?? null,
          lastName: m.lastName ?? null,
          name: m.name ?? null,
          email: m.email ?? null,
          externalId: m.externalId ?? null,
        }))
        return { learners, unavailable: roster.unavailableCourses > 0 }
      },
      gradeDeliveries: async (campaignId, userIds) => {
        const latest = latestDeliveryByUser(await listScoreDeliveries({ campaignId, userIds }, { db: database.db }))
        const out = new Map<string, GradeDelivery>()
        for (const [userId, d] of latest) {
          if (d.status !== 'skipped') out.set(userId, { status: d.status, reason: d.reason, deliveredAt: d.deliveredAt })
        }
        return out
      },
    })

    const app = createApp({
      logger,
      version: VERSION,
      pingDatabase: () => pingDatabase(database.pool),
      trustProxy: config.TRUST_PROXY,
      publicUrl: () => config.PUBLIC_URL,
      serveClient: config.SERVE_CLIENT,
      clientDistDir: options.clientDistDir,
      demoLmsUrl: options.demoLmsUrl,
      frameAncestors: lti.frameAncestors,
      routers: [learner, ...lti.routers, ...orga.routers, dashboard],
    })
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)))
    })
    const { port } = server.address() as AddressInfo
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST
    const url = config.PUBLIC_URL?.replace(/\/$/, '') ?? `http://${host}:${port}`
    baseUrl = url

    let closing: Promise<void> | undefined
    const close = () =>
      (closing ??= (async () => {
        logger.info('shutting down')
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
          // Requests still running after 10 s are cut: a stuck client must not block shutdown.
          setTimeout(() => server.closeAllConnections(), 10_000).unref()
        })
        await lti.close()
        orga.close()
        await database.close()
        await embedded?.stop()
        logger.info('stopped')
      })())

    return { url, port, config, database, logger, lti, orga, app, close }
  } catch (err) {
    await embedded?.stop()
    throw err
  }
}

/** The outbox worker's timings from the configuration (shared by the web process and worker.ts). */
export function scoreDeliveryTuning(config: Config): NonNullable<LtiModuleDeps['scoreDelivery']> {
  return {
    intervalMs: config.SCORE_DELIVERY_INTERVAL_MS,
    timeoutMs: config.SCORE_DELIVERY_TIMEOUT_MS,
    leaseMs: config.SCORE_DELIVERY_LEASE_MS,
    baseBackoffMs: config.SCORE_DELIVERY_BASE_BACKOFF_MS,
    maxBackoffMs: config.SCORE_DELIVERY_MAX_BACKOFF_MS,
  }
}

/** Stop cleanly on SIGTERM/SIGINT; a second signal forces the exit. */
export function exitOnSignals(running: Pick<RunningJalon, 'close' | 'logger'>): void {
  let stopping = false
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1)
      stopping = true
      running
        .close()
        .then(() => process.exit(0))
        .catch((err) => {
          running.logger.error({ err }, 'error during shutdown')
          process.exit(1)
        })
    })
  }
}

export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

if (require.main === module) {
  const config = configOrExit()
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
    const logger = createLogger(config.LOG_LEVEL, undefined, undefined, { buffered: config.NODE_ENV === 'production' })
    runClusterPrimary(config, logger).catch((err) => {
      console.error('Jalon could not start:', err instanceof Error ? err.message : err)
      process.exit(1)
    })
  } else {
    startJalon(config)
      .then((running) => {
        running.logger.info({ url: running.url }, 'Jalon is listening')
        running.logger.flush()
        if (cluster.isWorker) stopWhenPrimaryAsks(running.close, running.logger)
        else exitOnSignals(running)
      })
      .catch((err) => {
        console.error('Jalon could not start:', err instanceof Error ? err.message : err)
        process.exit(1)
      })
  }
}
