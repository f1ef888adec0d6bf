/** Persistence of the launch: states, nonces, resource link binding, launches (what a launch writes: record-launch.repository.ts). */
import { and, eq, isNull, lt, sql } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { ltiLaunches, ltiLoginStates, ltiNonces, ltiResourceLinks } from '../db/schema'
import type { LaunchContext } from './launch-context'
import { prepared } from './prepared'

type Executor = Db | Tx

export interface LoginState {
  state: string
  nonce: string
  platformId: string
  targetLinkUri: string
  storageTarget: string | null
  expiresAt: Date
  usedAt: Date | null
}

export async function insertLoginState(db: Executor, v: Omit<LoginState, 'usedAt'>): Promise<void> {
  await prepared('jalon_lti_insert_login_state_v1', db)`
    INSERT INTO lti_login_states (state, nonce, platform_id, target_link_uri, storage_target, expires_at)
    VALUES (${v.state}::text, ${v.nonce}::text, ${v.platformId}::uuid, ${v.targetLinkUri}::text, ${v.storageTarget}::text, ${v.expiresAt}::timestamptz)`
}

export interface OpenedLoginState extends LoginState {
  /** This request used the state (it was unused, unexpired, and no storage check is pending). */
  consumed: boolean
  /** The state's nonce was recorded now (false: seen before, a replay). Only meaningful when consumed. */
  nonceFresh: boolean
}

/**
 * The launch's first statement: reads the state and, when it is unused, unexpired and no platform-storage
 * check is pending, marks it used and records its nonce — atomically, once (the UPDATE re-checks `used_at`
 * on the row it locks, so two concurrent launches cannot both consume it). One round trip instead of three.
 */
export async function openLoginState(
  db: Executor,
  input: { state: string; now: Date; storageChecked: boolean; nonceExpiresAt: Date },
): Promise<OpenedLoginState | undefined> {
  const rows = await prepared('jalon_lti_open_login_state_v1', db)`
    WITH s AS (
      SELECT state, nonce, platform_id, target_link_uri, storage_target, expires_at, used_at
      FROM lti_login_states WHERE state = ${input.state}::text
    ), used AS (
      UPDATE lti_login_states l SET used_at = ${input.now}::timestamptz
      WHERE l.state = ${input.state}::text AND l.used_at IS NULL AND l.expires_at > ${input.now}::timestamptz
        AND (l.storage_target IS NULL OR ${input.storageChecked}::boolean)
      RETURNING l.platform_id, l.nonce
    ), recorded AS (
      INSERT INTO lti_nonces (platform_id, nonce, expires_at)
      SELECT platform_id, nonce, ${input.nonceExpiresAt}::timestamptz FROM used
      ON CONFLICT DO NOTHING
      RETURNING nonce
    )
    SELECT s.*, EXISTS (SELECT 1 FROM used) AS consumed, EXISTS (SELECT 1 FROM recorded) AS nonce_fresh FROM s`
  const r = rows[0]
  if (!r) return undefined
  return {
    state: r.state as string,
    nonce: r.nonce as string,
    platformId: r.platform_id as string,
    targetLinkUri: r.target_link_uri as string,
    storageTarget: (r.storage_target as string | null) ?? null,
    expiresAt: new Date(r.expires_at as string | Date),
    usedAt: r.used_at ? new Date(r.used_at as string | Date) : null,
    consumed: r.consumed === true,
    nonceFresh: r.nonce_fresh === true,
  }
}

export async function purgeExpiredLoginData(db: Executor, now: Date): Promise<void> {
  await db.delete(ltiLoginStates).where(lt(ltiLoginStates.expiresAt, new Date(now.getTime() - 3600_000)))
  await db.delete(ltiNonces).where(lt(ltiNonces.expiresAt, now))
}

/** Binds a link to a campaign (first binding wins unless `replace`). */
export async function bindResourceLink(db: Executor, resourceLinkRowId: string, campaignId: string, options: { replace?: boolean } = {}): Promise<string> {
  const where = options.replace
    ? eq(ltiResourceLinks.id, resourceLinkRowId)
    : and(eq(ltiResourceLinks.id, resourceLinkRowId), isNull(ltiResourceLinks.campaignId))
  await db.update(ltiResourceLinks).set({ campaignId, updatedAt: sql`now()` }).where(where)
  const [row] = await db.select({ campaignId: ltiResourceLinks.campaignId }).from(ltiResourceLinks).where(eq(ltiResourceLinks.id, resourceLinkRowId))
  return row?.campaignId ?? campaignId
}

export interface LaunchServices {
  lineItemUrl?: string
  lineItemsUrl?: string
  agsScopes?: string[]
  rosterUrl?: string
  platformResourceLinkId?: string
  gradable?: boolean
  deepLinking?: { returnUrl: string; data?: string; acceptMultiple?: boolean; acceptTypes?: string[] }
}

export interface StoredLaunch {
  id: string
  platformId: string
  deploymentRowId: string
  userId: string
  subject: string
  messageType: string
  context: LaunchContext
  services: LaunchServices
  createdAt: Date
}

export async function updateLaunchContext(db: Executor, launchId: string, context: LaunchContext): Promise<void> {
  await db
    .update(ltiLaunches)
    .set({ context: context as unknown as Record<string, unknown> })
    .where(eq(ltiLaunches.id, launchId))
}

export async function findLaunch(db: Executor, launchId: string): Promise<StoredLaunch | undefined> {
  const [row] = await db.select().from(ltiLaunches).where(eq(ltiLaunches.id, launchId))
  if (!row) return undefined
  return {
    ...row,
    context: { ...(row.context as unknown as Omit<LaunchContext, 'launchId'>), launchId: row.id },
    services: row.services as LaunchServices,
  }
}
