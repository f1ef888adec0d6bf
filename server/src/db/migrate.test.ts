import { readdirSync } from 'node:fs'
import { Client } from 'pg'
import { createEmptyDatabase } from '../../test/db'
import { MIGRATIONS_DIR, runMigrations } from './migrate'

describe('runMigrations', () => {
  it('lets several instances start at once: each migration is applied exactly once', async () => {
    const target = await createEmptyDatabase()
    try {
      await Promise.all([runMigrations(target.url), runMigrations(target.url), runMigrations(target.url)])
      const client = new Client({ connectionString: target.url })
      await client.connect()
      try {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')
        const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'))
        expect(rows[0].n).toBe(files.length)
        const tables = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'campaigns'")
        expect(tables.rows[0].n).toBe(1)
      } finally {
        await client.end()
      }
    } finally {
      await target.drop()
    }
  })
})
