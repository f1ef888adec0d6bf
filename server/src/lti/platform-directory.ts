/**
 * Platforms and deployments as every login and launch reads them: kept in memory for a short time
 * (they change only at registration), so a launch does not pay a query for each. Only rows found are
 * kept: a platform or deployment registered a moment ago (on any instance) is found at once. A change
 * made elsewhere (re-registration, deletion on another instance) is seen within `ttlMs`; on this
 * instance `clear()` (called on every platform change) makes it immediate.
 */
import type { Db } from '../db/client'
import { findDeployment, findPlatformById, findPlatformsByIssuer, type Deployment, type Platform } from './platform.repository'

export const PLATFORM_CACHE_TTL_MS = 30_000

export interface PlatformDirectory {
  /** Platforms with this issuer; `clientId`: read again when the cached list lacks it (a new registration). */
  byIssuer(issuer: string, clientId?: string): Promise<Platform[]>
  byId(id: string): Promise<Platform | undefined>
  deployment(platformId: string, deploymentId: string): Promise<Deployment | undefined>
  clear(): void
}

interface Entry<T> {
  value: T
  until: number
}

export function createPlatformDirectory(deps: { db: Db; ttlMs?: number; now?: () => number }): PlatformDirectory {
  const ttl = deps.ttlMs ?? PLATFORM_CACHE_TTL_MS
  const now = deps.now ?? Date.now
  const issuers = new Map<string, Entry<Platform[]>>()
  const platforms = new Map<string, Entry<Platform>>()
  const deployments = new Map<string, Entry<Deployment>>()
  const fresh = <T>(e: Entry<T> | undefined): e is Entry<T> => e !== undefined && e.until > now()
  // Bounded: the keys come from requests (issuer, deployment id), not only from registrations.
  const put = <T>(map: Map<string, Entry<T>>, key: string, value: T) => {
    if (map.size >= 1_000) map.clear()
    map.set(key, { value, until: now() + ttl })
  }
  return {
    async byIssuer(issuer, clientId) {
      const cached = issuers.get(issuer)
      if (fresh(cached) && (clientId === undefined || cached.value.some((p) => p.clientId === clientId))) return cached.value
      const rows = await findPlatformsByIssuer(deps.db, issuer)
      if (rows.length) put(issuers, issuer, rows)
      for (const p of rows) put(platforms, p.id, p)
      return rows
    },
    async byId(id) {
      const cached = platforms.get(id)
      if (fresh(cached)) return cached.value
      const row = await findPlatformById(deps.db, id)
      if (row) put(platforms, id, row)
      return row
    },
    async deployment(platformId, deploymentId) {
      const key = `${platformId}\n${deploymentId}`
      const cached = deployments.get(key)
      if (fresh(cached)) return cached.value
      const row = await findDeployment(deps.db, platformId, deploymentId)
      if (row) put(deployments, key, row)
      return row
    },
    clear() {
      issuers.clear()
      platforms.clear()
      deployments.clear()
    },
  }
}
