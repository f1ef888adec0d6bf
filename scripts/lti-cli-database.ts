/**
 * The database for the LTI command-line tools: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR/pg
 * (stop Jalon first in that case: one process per data directory).
 */
import { join } from 'node:path'
import { connectDatabase, type Database } from '../server/src/db/client'
import { startEmbeddedPostgres } from '../server/src/db/embedded-postgres'
import { runMigrations } from '../server/src/db/migrate'
import { loadConfig, type Config } from '../server/src/shared/config'

export async function openCliDatabase(): Promise<{ config: Config; database: Database; close(): Promise<void> }> {
  const config = loadConfig(process.env)
  let url = config.DATABASE_URL
  let stop: (() => Promise<void>) | undefined
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pg'), database: 'jalon' })
    url = embedded.url('jalon')
    stop = embedded.stop
  }
  await runMigrations(url)
  const database = connectDatabase(url, { poolSize: 2 })
  return {
    config,
    database,
    async close() {
      await database.close()
      await stop?.()
    },
  }
}
