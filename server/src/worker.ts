/**
 * The grade outbox worker as its own process (`npm run worker`): delivers the scores web instances
 * queued in PostgreSQL to the platforms (AGS). Run it beside web instances started with SCORE_WORKER=false;
 * several workers may run (rows are claimed with FOR UPDATE SKIP LOCKED and a lease).
 */
import { connectDatabase } from './db/client'
import { runMigrations } from './db/migrate'
import { loadLtiSettings, startScoreWorker } from './lti'
import { configOrExit, scoreDeliveryTuning } from './main'
import type { Config } from './shared/config'
import { systemClock } from './shared/clock'
import { createLogger, type Logger } from './shared/logger'

export interface RunningWorker {
  logger: Logger
  close(): Promise<void>
}

export async function startWorker(config: Config, options: { logger?: Logger; env?: NodeJS.ProcessEnv } = {}): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, undefined, undefined, { buffered: config.NODE_ENV === 'production' })
  // The embedded PostgreSQL belongs to one web process: a separate worker only makes sense on a shared server.
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required: the worker shares the web instances’ PostgreSQL')
  // Advisory-locked and idempotent: a worker started before the web instances finds its tables.
  await runMigrations(config.DATABASE_URL)
  const database = connectDatabase(config.DATABASE_URL, {
    poolSize: 4,
    onError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'idle database client error'),
  })
  try {
    const worker = await startScoreWorker({
      db: database.db,
      clock: systemClock,
      logger,
      settings: loadLtiSettings(options.env ?? process.env, { dataDir: config.dataDir, logger }),
      scoreDelivery: { ...scoreDeliveryTuning(config), autoStart: true },
    })
    let closing: Promise<void> | undefined
    return {
      logger,
      close: () =>
        (closing ??= (async () => {
          logger.info('worker shutting down')
          // Lets the delivery in flight finish and record its outcome (else its lease makes it due again).
          await worker.stop()
          await database.close()
          logger.info('worker stopped')
        })()),
    }
  } catch (err) {
    await database.close()
    throw err
  }
}

if (require.main === module) {
  const config = configOrExit()
  startWorker(config)
    .then((running) => {
      running.logger.info({ intervalMs: config.SCORE_DELIVERY_INTERVAL_MS }, 'Jalon score worker is running')
      let stopping = false
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.on(signal, () => {
          if (stopping) process.exit(1)
          stopping = true
          running
            .close()
            .then(() => process.exit(0))
            .catch(() => process.exit(1))
        })
      }
    })
    .catch((err) => {
      console.error('Jalon worker could not start:', err instanceof Error ? err.message : err)
      process.exit(1)
    })
}
