/** A fresh, migrated database for one test file, cloned from the run's template. */
import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { connectDatabase, type Database } from '../src/db/client'

export interface TestDatabase extends Database {
  url: string
  name: string
  /** Closes the pool and drops the database. */
  drop(): Promise<void>
}

function adminUrl(): string {
  const url = process.env.JALON_TEST_PG_URL
  if (!url) throw new Error('JALON_TEST_PG_URL is not set: run tests through jest (server/jest.config.js) so global-setup starts PostgreSQL')
  return url
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database (no migrations), e.g. to test the migrator itself. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`CREATE DATABASE ${name}`))
  return { name, url: databaseUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}) }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`
  const template = process.env.JALON_TEST_TEMPLATE_DB ?? 'jalon_template'
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`))
  const url = databaseUrl(name)
  const database = connectDatabase(url, { poolSize: 10 })
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close()
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    },
  }
}
