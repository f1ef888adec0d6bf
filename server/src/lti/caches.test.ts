/** The launch path's in-memory caches: what they keep, for how long, and what they never keep. */
import type { Db } from '../db/client'
import type { LaunchContext } from './launch-context'
import { createPlatformDirectory } from './platform-directory'
import { createSessionCache } from './session-cache'

const ctx = { launchId: 'l1', userId: 'u1', role: 'learner' } as unknown as LaunchContext

describe('session cache', () => {
  test('keeps a live session for its TTL, never past the session expiry', () => {
    const cache = createSessionCache({ ttlMs: 5_000 })
    cache.set('a', ctx, 10_000, 0)
    expect(cache.get('a', 4_999)).toMatchObject({ launchId: 'l1' })
    expect(cache.get('a', 5_000)).toBeUndefined()
    cache.set('b', ctx, 1_000, 0) // expires before the TTL
    expect(cache.get('b', 999)).toBeDefined()
    expect(cache.get('b', 1_000)).toBeUndefined()
  })

  test('forgets a deleted token, and serves nothing while disabled', () => {
    const cache = createSessionCache()
    cache.set('a', ctx, 10_000, 0)
    cache.delete('a')
    expect(cache.get('a', 1)).toBeUndefined()
    cache.set('b', ctx, 10_000, 0)
    cache.setEnabled(false)
    expect(cache.get('b', 1)).toBeUndefined()
    cache.set('c', ctx, 10_000, 0)
    cache.setEnabled(true)
    expect(cache.get('c', 1)).toBeUndefined()
  })

  test('hands out copies: a request changing req.launch does not change the next one', () => {
    const cache = createSessionCache()
    cache.set('a', ctx, 10_000, 0)
    const first = cache.get('a', 1)!
    first.userId = 'changed'
    expect(cache.get('a', 2)!.userId).toBe('u1')
  })

  test('stays bounded', () => {
    const cache = createSessionCache({ maxEntries: 2 })
    for (const k of ['a', 'b', 'c']) cache.set(k, ctx, 10_000, 0)
    expect(cache.get('a', 1)).toBeUndefined()
    expect(cache.get('c', 1)).toBeDefined()
  })
})

describe('platform directory', () => {
  // A fake drizzle handle answering findPlatformsByIssuer / findPlatformById / findDeployment's select chains.
  function fakeDb(rows: () => unknown[]) {
    let queries = 0
    const chain: Record<string, unknown> = {}
    for (const m of ['select', 'from', 'innerJoin']) chain[m] = () => chain
    chain.where = () => {
      queries++
      return Promise.resolve(rows())
    }
    return { db: chain as unknown as Db, queries: () => queries }
  }
  const platformRow = { id: 'p1', issuer: 'https://lms', clientId: 'c1', claimMapping: {} }

  test('a platform found is kept for the TTL; clear() drops it', async () => {
    let now = 0
    const f = fakeDb(() => [platformRow])
    const dir = createPlatformDirectory({ db: f.db, ttlMs: 1_000, now: () => now })
    await dir.byId('p1')
    await dir.byId('p1')
    expect(f.queries()).toBe(1)
    now = 1_000
    await dir.byId('p1')
    expect(f.queries()).toBe(2)
    dir.clear()
    await dir.byId('p1')
    expect(f.queries()).toBe(3)
  })

  test('a miss is never kept: a platform registered a moment later is found at once', async () => {
    let rows: unknown[] = []
    const f = fakeDb(() => rows)
    const dir = createPlatformDirectory({ db: f.db })
    expect(await dir.byIssuer('https://lms')).toEqual([])
    rows = [platformRow]
    expect(await dir.byIssuer('https://lms')).toHaveLength(1)
  })

  test('an issuer cached without the client id asked for is read again (new registration)', async () => {
    const f = fakeDb(() => [platformRow])
    const dir = createPlatformDirectory({ db: f.db })
    await dir.byIssuer('https://lms', 'c1')
    await dir.byIssuer('https://lms', 'c1')
    expect(f.queries()).toBe(1)
    await dir.byIssuer('https://lms', 'c2')
    expect(f.queries()).toBe(2)
  })
})
