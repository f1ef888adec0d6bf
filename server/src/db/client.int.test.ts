/** The raw-connection helpers the learner's hot paths use, against a real PostgreSQL. */
import { sql } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { leanTransaction, pgConnectionOf } from './client'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
  await db.pool.query('CREATE TABLE lean_probe (n int PRIMARY KEY)')
})
afterAll(() => db.drop())

const probe = async () => (await db.pool.query('SELECT n FROM lean_probe ORDER BY n')).rows.map((r) => r.n)

it('pgConnectionOf reaches the node-postgres client of the pool and of a drizzle transaction', async () => {
  expect((await pgConnectionOf(db.db).query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
  await db.db.transaction(async (tx) => {
    await pgConnectionOf(tx).query('CREATE TEMP TABLE seen_in_tx (n int) ON COMMIT DROP')
    // The transaction's own connection: the temporary table is visible through drizzle.
    await tx.execute(sql`INSERT INTO seen_in_tx VALUES (1)`)
  })
})

describe('leanTransaction', () => {
  it('commits what the callback wrote, through drizzle and the raw connection alike', async () => {
    const result = await leanTransaction(db.db, async (tx) => {
      await tx.execute(sql`INSERT INTO lean_probe VALUES (1)`)
      await pgConnectionOf(tx).query('INSERT INTO lean_probe VALUES (2)')
      return 'ok'
    })
    expect(result).toBe('ok')
    expect(await probe()).toEqual([1, 2])
  })

  it('rolls everything back when the callback throws, and rethrows its error', async () => {
    await expect(
      leanTransaction(db.db, async (tx) => {
        await tx.execute(sql`INSERT INTO lean_probe VALUES (3)`)
        throw new Error('domain refusal')
      }),
    ).rejects.toThrow('domain refusal')
    expect(await probe()).toEqual([1, 2])
  })

  it('is one transaction: a row locked inside is locked until the end', async () => {
    let release!: () => void
    const holding = leanTransaction(db.db, async (tx) => {
      await tx.execute(sql`SELECT n FROM lean_probe WHERE n = 1 FOR UPDATE`)
      await new Promise<void>((r) => (release = r))
    })
    await new Promise((r) => setTimeout(r, 50))
    const other = await db.pool.query('SELECT n FROM lean_probe WHERE n = 1 FOR UPDATE SKIP LOCKED')
    expect(other.rows).toEqual([])
    release()
    await holding
    expect((await db.pool.query('SELECT n FROM lean_probe WHERE n = 1 FOR UPDATE SKIP LOCKED')).rows).toEqual([{ n: 1 }])
  })

  it('discards a connection that died in the transaction; the pool goes on with a new one', async () => {
    await expect(
      leanTransaction(db.db, async (tx) => {
        await pgConnectionOf(tx).query('SELECT pg_terminate_backend(pg_backend_pid())')
      }),
    ).rejects.toThrow()
    expect(await leanTransaction(db.db, async (tx) => (await pgConnectionOf(tx).query('SELECT 42 AS n')).rows[0].n)).toBe(42)
  })
})
