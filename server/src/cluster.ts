/**
 * WEB_CONCURRENCY > 1: several web processes share the port (node:cluster), so a server uses every core
 * (one Node process saturates one core long before PostgreSQL is the limit). The primary serves no request:
 * it starts the embedded PostgreSQL when there is no DATABASE_URL, runs the migrations once, forks the web
 * processes, replaces one that dies, and stops them all on SIGTERM / SIGINT before stopping PostgreSQL.
 * Web processes hold no state another needs: sessions, locks and the grade outbox live in PostgreSQL.
 */
import cluster, { type Worker } from 'node:cluster'
import { join } from 'node:path'
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres'
import { runMigrations } from './db/migrate'
import type { Config } from './shared/config'
import type { Logger } from './shared/logger'

/** A web process dying sooner than this after its start is not replaced (it would crash in a loop). */
const MIN_UPTIME_MS = 5_000
const SHUTDOWN_MESSAGE = 'jalon:shutdown'

export async function runClusterPrimary(config: Config, logger: Logger): Promise<void> {
  let embedded: EmbeddedServer | undefined
  let databaseUrl = config.DATABASE_URL
  if (!databaseUrl) {
    const dataDir = join(config.dataDir, 'pg')
    logger.info({ dataDir }, 'starting embedded PostgreSQL')
    embedded = await startEmbeddedPostgres({ dataDir, database: 'jalon' })
    databaseUrl = embedded.url('jalon')
  }
  await runMigrations(databaseUrl)

  let stopping = false
  const startedAt = new Map<Worker, number>()
  const fork = (index: number) => {
    const worker = cluster.fork({
      DATABASE_URL: databaseUrl,
      // One process seeds the demo and runs the outbox worker; the others only serve requests.
      ...(index > 0 ? { DEMO_SEED: 'false', SCORE_WORKER: 'false' } : {}),
    })
    startedAt.set(worker, Date.now())
    worker.on('exit', (code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? 0)
      startedAt.delete(worker)
      if (stopping) return
      logger.error({ pid: worker.process.pid, code, signal, livedMs: lived }, 'web process died')
      if (lived < MIN_UPTIME_MS) return void shutdown(1)
      fork(index)
    })
    return new Promise<void>((resolve, reject) => {
      worker.once('listening', () => resolve())
      worker.once('exit', () => reject(new Error('a web process exited during start-up')))
    })
  }

  let resolveStopped!: (code: number) => void
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve))
  async function shutdown(code: number) {
    if (stopping) return
    stopping = true
    logger.info('stopping the web processes')
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w))
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve()
            w.once('exit', () => resolve())
            w.send(SHUTDOWN_MESSAGE)
          }),
      ),
    )
    await embedded?.stop()
    logger.info('stopped')
    logger.flush()
    resolveStopped(code)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // A second signal does not wait.
      if (stopping) {
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL')
        process.exit(1)
      }
      void shutdown(0)
    })
  }

  try {
    // The first process alone, then the others: the demo seed and the first requests are not raced.
    await fork(0)
    await Promise.all(Array.from({ length: config.WEB_CONCURRENCY - 1 }, (_, i) => fork(i + 1)))
  } catch (err) {
    logger.error({ err }, 'Jalon could not start its web processes')
    await shutdown(1)
  }
  if (!stopping) logger.info({ processes: config.WEB_CONCURRENCY, port: config.PORT }, 'Jalon is listening')
  logger.flush()
  process.exit(await stopped)
}

/**
 * In a web process of the cluster: the primary decides when to stop (signals from a terminal reach every
 * process of the group, and a second one would cut requests short); the primary gone, stop too.
 */
export function stopWhenPrimaryAsks(close: () => Promise<void>, logger: Logger): void {
  let closing = false
  const stop = () => {
    if (closing) return
    closing = true
    close()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'error during shutdown')
        process.exit(1)
      })
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => undefined)
  process.on('message', (message) => message === SHUTDOWN_MESSAGE && stop())
  process.on('disconnect', stop)
}
