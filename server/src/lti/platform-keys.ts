/**
 * One remote JWKS per platform, kept in a Map so jose's cache works across launches (ltijs
 * re-downloads on every launch). An unknown `kid` triggers a refetch: platforms rotate keys.
 */
import { createRemoteJWKSet } from 'jose'

export type PlatformKeySet = ReturnType<typeof createRemoteJWKSet>

export interface PlatformKeyStore {
  get(platform: { id: string; jwksUrl: string }): PlatformKeySet
  forget(platformId: string): void
}

export function createPlatformKeyStore(options: { timeoutMs?: number; cacheMaxAgeMs?: number } = {}): PlatformKeyStore {
  const sets = new Map<string, { url: string; set: PlatformKeySet }>()
  return {
    get(platform) {
      const known = sets.get(platform.id)
      if (known && known.url === platform.jwksUrl) return known.set
      const set = createRemoteJWKSet(new URL(platform.jwksUrl), {
        timeoutDuration: options.timeoutMs ?? 5_000,
        // No cooldown: launches reach this only with a valid single-use login state, so a
        // flood of unknown kids cannot be produced for free, and a rotated key must work at once.
        cooldownDuration: 0,
        cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
      })
      sets.set(platform.id, { url: platform.jwksUrl, set })
      return set
    },
    forget(platformId) {
      sets.delete(platformId)
    },
  }
}
