/**
 * Applies the committed drizzle-kit migrations. Several instances may start together:
 * a PostgreSQL advisory lock makes them take turns, so each migration runs once.
 */
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { Client } from 'pg'

export const MIGRATIONS_DIR = join(__dirname, 'migrations')
/** Arbitrary 64-bit key shared by every Jalon instance ("jalon" in ASCII). */
const MIGRATION_LOCK_KEY = 0x6a616c6f6e

export async function runMigrations(databaseUrl: string, migrationsFolder: string = MIGRATIONS_DIR): Promise<void> {
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    try {
      await migrate(drizzle({ client }), { migrationsFolder })
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
    }
  } finally {
    await client.end()
  }
}
