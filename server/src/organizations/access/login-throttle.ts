/**
 * Sign-in rate limiting, stored in PostgreSQL so that every instance shares it. Each failure counts
 * against the account ('email:…') and the client address ('ip:…'). Past a threshold, the key is locked
 * for a time that doubles with every further failure (30 s, 1 min, 2 min … up to 1 h). Counters start
 * again after an hour without failure; a successful sign-in clears the account's counter.
 */
import { inArray, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/client'
import { loginThrottles } from '../../db/schema'
import { TooManyAttempts } from '../errors'

type Executor = Db | Tx

export const THROTTLE = {
  accountThreshold: 5,
  ipThreshold: 20,
  baseLockSeconds: 30,
  maxLockSeconds: 3600,
  resetAfterSeconds: 3600,
} as const

export interface ThrottleKeys {
  email: string
  ip: string
}

const keysOf = (k: ThrottleKeys) => [`email:${k.email}`, `ip:${k.ip}`]

export async function assertNotThrottled(db: Executor, keys: ThrottleKeys, now: Date): Promise<void> {
  const rows = await db.select().from(loginThrottles).where(inArray(loginThrottles.key, keysOf(keys)))
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0))
  if (until > now.getTime()) {
    const retryAfterSeconds = Math.ceil((until - now.getTime()) / 1000)
    throw new TooManyAttempts(
      `Trop de tentatives de connexion. Réessayez dans ${retryAfterSeconds < 60 ? `${retryAfterSeconds} secondes` : `${Math.ceil(retryAfterSeconds / 60)} minutes`}.`,
      { retryAfterSeconds },
    )
  }
}

export async function recordFailure(db: Executor, keys: ThrottleKeys, now: Date): Promise<void> {
  const thresholds = [THROTTLE.accountThreshold, THROTTLE.ipThreshold]
  const ts = now.toISOString()
  for (const [i, key] of keysOf(keys).entries()) {
    const threshold = thresholds[i]!
    // One atomic statement per key: concurrent failures on several instances all count.
    const failures = sql`(CASE WHEN ${loginThrottles.lastFailureAt} < ${ts}::timestamptz - make_interval(secs => ${THROTTLE.resetAfterSeconds})
      THEN 1 ELSE ${loginThrottles.failures} + 1 END)`
    await db
      .insert(loginThrottles)
      .values({ key, failures: 1, lastFailureAt: now, lockedUntil: threshold <= 1 ? new Date(now.getTime() + THROTTLE.baseLockSeconds * 1000) : null })
      .onConflictDoUpdate({
        target: loginThrottles.key,
        set: {
          failures,
          lastFailureAt: now,
          lockedUntil: sql`CASE WHEN ${failures} >= ${threshold}
            THEN ${ts}::timestamptz + make_interval(secs => least(${THROTTLE.maxLockSeconds}, ${THROTTLE.baseLockSeconds} * power(2, ${failures} - ${threshold})))
            ELSE NULL END`,
        },
      })
  }
}

export async function clearAccountFailures(db: Executor, email: string): Promise<void> {
  await db.delete(loginThrottles).where(inArray(loginThrottles.key, [`email:${email}`]))
}
