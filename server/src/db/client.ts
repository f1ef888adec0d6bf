/** The connection pool and the drizzle handle. One per process. */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { Pool, type PoolClient } from 'pg'
import * as schema from './schema'

export type Db = NodePgDatabase<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database {
  pool: Pool
  db: Db
  close(): Promise<void>
}

export function connectDatabase(url: string, options: { poolSize?: number; onError?: (err: Error) => void } = {}): Database {
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  })
  // An idle client losing its server (PostgreSQL restart) must not crash the process: the pool drops it and reconnects.
  pool.on('error', (err) => options.onError?.(err))
  // A client checked out (mid-transaction, between two queries) has no pool listener: PostgreSQL terminating it
  // (restart, 57P01) would emit an unhandled 'error' and kill the process. Its next query fails instead (→ 503).
  pool.on('connect', (client) => client.on('error', () => undefined))
  const db = drizzle({ client: pool, schema })
  return { pool, db, close: () => pool.end() }
}

/** True when the database answers a trivial query within the timeout. */
export async function pingDatabase(pool: Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)
      }),
    ])
    return true
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The node-postgres connection behind a drizzle handle or transaction (the pool, or the transaction's own
 * client). For the few statements on the learner's answer path, sent as named prepared statements: parsed
 * once per connection, and no query building per call (drizzle's builder cost more CPU than PostgreSQL did).
 * drizzle's node-postgres session keeps its client in `session.client`; client.int.test.ts checks it still does.
 */
export function pgConnectionOf(executor: Db | Tx): Pick<PoolClient, 'query'> {
  const client = (executor as unknown as { session?: { client?: { query?: unknown } } }).session?.client
  if (typeof client?.query !== 'function') throw new Error('drizzle no longer keeps its node-postgres client in session.client')
  return client as Pick<PoolClient, 'query'>
}

const leanHandles = new WeakMap<PoolClient, Db>()

/**
 * A transaction whose BEGIN / COMMIT / ROLLBACK go straight to the connection, for the learner's hot paths
 * (drizzle's own transaction builds a query for each and a new transaction object per call: on an answer it
 * cost as much as the answer's own statements). The callback gets a drizzle handle bound to the connection,
 * made once per pooled connection. A connection that failed (PostgreSQL restart) is discarded, not reused.
 */
export async function leanTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const pool = pgConnectionOf(db)
  if (!(pool instanceof Pool)) return db.transaction(fn)
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    let handle = leanHandles.get(client)
    if (!handle) leanHandles.set(client, (handle = drizzle({ client, schema })))
    await client.query('BEGIN').catch((err: Error) => Promise.reject((broken = err)))
    let result: T
    try {
      result = await fn(handle)
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError))
      throw err
    }
    await client.query('COMMIT').catch((err: Error) => Promise.reject((broken = err)))
    return result
  } finally {
    client.release(broken)
  }
}
