/**
 * Bearer session → launch context, kept a few seconds: every learner API request checks its session, and a
 * learner answers several times a minute. Only sessions found live are kept, never past their expiry;
 * a logout on this instance forgets the token at once. Another instance sharing the database keeps a session
 * deleted elsewhere usable for at most `ttlMs` (the price of not asking PostgreSQL on every request).
 */
import type { LaunchContext } from './launch-context'

export const SESSION_CACHE_TTL_MS = 5_000

export interface SessionCache {
  get(tokenHash: string, nowMs: number): LaunchContext | undefined
  set(tokenHash: string, context: LaunchContext, sessionExpiresAtMs: number, nowMs: number): void
  delete(tokenHash: string): void
}

export function createSessionCache(options: { ttlMs?: number; maxEntries?: number } = {}): SessionCache {
  const ttl = options.ttlMs ?? SESSION_CACHE_TTL_MS
  const max = options.maxEntries ?? 50_000
  const entries = new Map<string, { context: LaunchContext; until: number }>()
  return {
    get(tokenHash, nowMs) {
      const e = entries.get(tokenHash)
      if (!e) return undefined
      if (e.until <= nowMs) {
        entries.delete(tokenHash)
        return undefined
      }
      // A copy: a handler changing req.launch must not change what the next request sees.
      return { ...e.context }
    },
    set(tokenHash, context, sessionExpiresAtMs, nowMs) {
      if (ttl <= 0) return
      if (entries.size >= max) entries.delete(entries.keys().next().value!) // the oldest
      entries.set(tokenHash, { context: { ...context }, until: Math.min(nowMs + ttl, sessionExpiresAtMs) })
    },
    delete(tokenHash) {
      entries.delete(tokenHash)
    },
  }
}
