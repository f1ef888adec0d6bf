/**
 * Jalon's RS256 signing keys. Lifecycle: `next` (published, not signing) → `current` (signs) →
 * `previous` (published so tokens already issued still verify) → `retired` (gone from the JWKS).
 * Private JWKs are stored AES-256-GCM encrypted; decrypted keys are cached in memory only.
 */
import { randomUUID } from 'node:crypto'
import { and, asc, eq, inArray, lte } from 'drizzle-orm'
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'
import type { Db } from '../db/client'
import { ltiToolKeys } from '../db/schema'
import type { Clock } from '../shared/clock'
import { decrypt, encrypt } from './crypto'
import { LtiKeyError } from './errors'

export interface ToolKeysDeps {
  db: Db
  clock: Clock
  encryptionKey: Buffer
}

export interface SigningKey {
  kid: string
  key: CryptoKey
}

async function newKeyRow(status: 'next' | 'current', deps: ToolKeysDeps) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  const kid = randomUUID()
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' }
  const now = deps.clock.now()
  return {
    kid,
    status,
    publicJwk,
    privateJwkEncrypted: encrypt(JSON.stringify(privateJwk), deps.encryptionKey),
    createdAt: now,
    activatedAt: status === 'current' ? now : null,
  }
}

/** At start-up: make sure one key signs. Idempotent; concurrent starts settle on the oldest current key. */
export async function ensureToolKeys(deps: ToolKeysDeps): Promise<void> {
  const current = await deps.db.select({ kid: ltiToolKeys.kid }).from(ltiToolKeys).where(eq(ltiToolKeys.status, 'current'))
  if (current.length) return
  await deps.db.insert(ltiToolKeys).values(await newKeyRow('current', deps))
}

/** The public JWKS: next, current and previous keys. */
export async function publicJwks(deps: Pick<ToolKeysDeps, 'db'>): Promise<{ keys: JWK[] }> {
  const rows = await deps.db
    .select({ jwk: ltiToolKeys.publicJwk })
    .from(ltiToolKeys)
    .where(inArray(ltiToolKeys.status, ['next', 'current', 'previous']))
    .orderBy(asc(ltiToolKeys.createdAt))
  return { keys: rows.map((r) => r.jwk as JWK) }
}

const keyCache = new Map<string, Promise<CryptoKey>>()

/** The key Jalon signs with now (deep-linking responses, AGS client assertions). */
export async function currentSigningKey(deps: ToolKeysDeps): Promise<SigningKey> {
  const [row] = await deps.db
    .select()
    .from(ltiToolKeys)
    .where(eq(ltiToolKeys.status, 'current'))
    .orderBy(asc(ltiToolKeys.activatedAt))
    .limit(1)
  if (!row) throw new LtiKeyError('No current tool key: ensureToolKeys() was not run')
  let key = keyCache.get(row.kid)
  if (!key) {
    const jwk = JSON.parse(decrypt(row.privateJwkEncrypted, deps.encryptionKey)) as JWK
    key = importJWK(jwk, 'RS256') as Promise<CryptoKey>
    keyCache.set(row.kid, key)
    key.catch(() => keyCache.delete(row.kid))
  }
  return { kid: row.kid, key: await key }
}

export interface RotationReport {
  created?: string
  activated?: string
  deactivated?: string
  retired: string[]
  waiting?: string
}

/**
 * One rotation step (run it regularly, e.g. daily):
 * 1. previous keys older than `retainPreviousMs` leave the JWKS;
 * 2. a `next` key published for at least `publishBeforeUseMs` starts signing, the current one becomes previous;
 * 3. without a `next` key, one is created and published (it will sign at a later run).
 * `force` skips the waiting times (first install, or a compromised key).
 */
export async function rotateToolKeys(
  deps: ToolKeysDeps,
  options: { publishBeforeUseMs?: number; retainPreviousMs?: number; force?: boolean } = {},
): Promise<RotationReport> {
  const publishBeforeUse = options.force ? 0 : (options.publishBeforeUseMs ?? 24 * 3600_000)
  const retainPrevious = options.force ? 0 : (options.retainPreviousMs ?? 7 * 24 * 3600_000)
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    // One rotation at a time across instances.
    await tx.execute(`SELECT pg_advisory_xact_lock(7104105001)`)
    const report: RotationReport = { retired: [] }
    const retiring = await tx
      .update(ltiToolKeys)
      .set({ status: 'retired', retiredAt: now })
      .where(and(eq(ltiToolKeys.status, 'previous'), lte(ltiToolKeys.deactivatedAt, new Date(now.getTime() - retainPrevious))))
      .returning({ kid: ltiToolKeys.kid })
    report.retired = retiring.map((r) => r.kid)

    let [next] = await tx.select().from(ltiToolKeys).where(eq(ltiToolKeys.status, 'next'))
    if (!next) {
      const row = await newKeyRow('next', deps)
      await tx.insert(ltiToolKeys).values(row)
      report.created = row.kid
      if (!options.force) return { ...report, waiting: row.kid }
      next = { ...row, deactivatedAt: null, retiredAt: null, activatedAt: null }
    }
    if (now.getTime() - next.createdAt.getTime() < publishBeforeUse) return { ...report, waiting: next.kid }
    const old = await tx
      .update(ltiToolKeys)
      .set({ status: 'previous', deactivatedAt: now })
      .where(eq(ltiToolKeys.status, 'current'))
      .returning({ kid: ltiToolKeys.kid })
    await tx.update(ltiToolKeys).set({ status: 'current', activatedAt: now }).where(eq(ltiToolKeys.kid, next.kid))
    report.activated = next.kid
    report.deactivated = old[0]?.kid
    return report
  })
}
