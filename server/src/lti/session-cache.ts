/**
 * Bearer session → launch context, kept a few seconds: every learner API request checks its session, and a
 * learner answers several times a minute. Only sessions found live are kept, never past their expiry;
 * a logout on this process forgets the token at once; any change to a live session row (logout elsewhere,
 * cascade, an operator ending it) reaches every process through PostgreSQL NOTIFY (session-invalidation.ts).
 * Disabled while that listener is down; `ttlMs` bounds what a lost notification could leave usable.
 */
import type { LaunchContext } from './launch-context'

export const SESSION_CACHE_TTL_MS = 5_000

export interface SessionCache {
  get(tokenHash: string, nowMs: number): LaunchContext | undefined
  set(tokenHash: string, context: LaunchContext, sessionExpiresAtMs: number, nowMs: number): void
  delete(tokenHash: string): void
  clear(): void
  /** Off: nothing is kept nor served (no live listener for logouts on other processes). */
  setEnabled(enabled: boolean): void
}

export function createSessionCache(options: { ttlMs?: number; maxEntries?: number } = {}): SessionCache {
  const ttl = options.ttlMs ?? SESSION_CACHE_TTL_MS
  const max = options.maxEntries ?? 50_000
  const entries = new Map<string, { context: LaunchContext; until: number }>()
  let enabled = true
  return {
    get(tokenHash, nowMs) {
      if (!enabled) return undefined
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
      if (ttl <= 0 || !enabled) return
      if (entries.size >= max) entries.delete(entries.keys().next().value!) // the oldest
      entries.set(tokenHash, { context: { ...context }, until: Math.min(nowMs + ttl, sessionExpiresAtMs) })
    },
    delete(tokenHash) {
      entries.delete(tokenHash)
    },
    clear() {
      entries.clear()
    },
    setEnabled(on) {
      enabled = on
      if (!on) entries.clear()
    },
  }
}
