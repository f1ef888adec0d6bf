/**
 * Keeps the session caches of every Jalon process honest: a trigger on lti_sessions (migration 0007) NOTIFYs
 * the token hash of a live bearer session whenever its row is updated or deleted (logout, cascade, an operator
 * ending it); each process LISTENs on its own connection and forgets that token. Without a live listener
 * (PostgreSQL restarting, connection lost) the process caches nothing and asks PostgreSQL on every request
 * until it listens again.
 */
import { Client, Pool } from 'pg'
import { pgConnectionOf, type Db } from '../db/client'
import type { Logger } from '../shared/logger'
import type { SessionCache } from './session-cache'

/** The channel of migration 0007_lti_session_change_notify.sql. */
export const SESSION_CHANGED_CHANNEL = 'jalon_lti_session_changed'

export interface SessionInvalidation {
  close(): Promise<void>
}

export function listenForSessionDeletions(deps: { db: Db; cache: SessionCache; logger: Logger; retryMs?: number }): SessionInvalidation {
  // The listener needs a connection of its own, outside the pool the drizzle handle runs on.
  const connection = pgConnectionOf(deps.db)
  const pool = connection instanceof Pool ? connection : undefined
  let client: Client | undefined
  let closed = false
  let timer: NodeJS.Timeout | undefined
  deps.cache.setEnabled(false)

  const retry = () => {
    deps.cache.setEnabled(false)
    if (closed || timer) return
    timer = setTimeout(() => {
      timer = undefined
      void connect()
    }, deps.retryMs ?? 1_000)
    timer.unref()
  }

  async function connect() {
    if (closed || !pool) return
    const c = new Client(pool.options)
    client = c
    c.on('error', () => undefined) // 'end' follows; the pool's own clients are handled by db/client.ts
    c.on('end', () => {
      if (client === c) client = undefined
      retry()
    })
    c.on('notification', (n) => {
      if (n.channel === SESSION_CHANGED_CHANNEL && n.payload) deps.cache.delete(n.payload)
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${SESSION_CHANGED_CHANNEL}`)
      if (closed) return void (await c.end().catch(() => undefined))
      // What was cached while nobody listened may have been deleted since: start afresh.
      deps.cache.clear()
      deps.cache.setEnabled(true)
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'LTI session cache off: cannot LISTEN for logouts')
      await c.end().catch(() => undefined)
      retry()
    }
  }
  void connect()

  return {
    async close() {
      closed = true
      clearTimeout(timer)
      deps.cache.setEnabled(false)
      await client?.end().catch(() => undefined)
    },
  }
}
