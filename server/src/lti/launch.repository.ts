/** Persistence of the launch: states, nonces, identities, resource links, launches. */
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { ltiLaunches, ltiLoginStates, ltiNonces, ltiResourceLinks, ltiUserIdentities } from '../db/schema'
import type { LaunchContext } from './launch-context'

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

export async function insertLoginState(db: Executor, values: Omit<LoginState, 'usedAt'>): Promise<void> {
  await db.insert(ltiLoginStates).values(values)
}

export async function findLoginState(db: Executor, state: string): Promise<LoginState | undefined> {
  const [row] = await db.select().from(ltiLoginStates).where(eq(ltiLoginStates.state, state))
  return row
}

/** Marks the state used; false when another request used it first (single use, atomically). */
export async function consumeLoginState(db: Executor, state: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(ltiLoginStates)
    .set({ usedAt: now })
    .where(and(eq(ltiLoginStates.state, state), isNull(ltiLoginStates.usedAt), gt(ltiLoginStates.expiresAt, now)))
    .returning({ state: ltiLoginStates.state })
  return rows.length === 1
}

/** Records a nonce; false when it was already seen (replay). */
export async function recordNonce(db: Executor, input: { platformId: string; nonce: string; expiresAt: Date }): Promise<boolean> {
  const rows = await db.insert(ltiNonces).values(input).onConflictDoNothing().returning({ nonce: ltiNonces.nonce })
  return rows.length === 1
}

export async function purgeExpiredLoginData(db: Executor, now: Date): Promise<void> {
  await db.delete(ltiLoginStates).where(lt(ltiLoginStates.expiresAt, new Date(now.getTime() - 3600_000)))
  await db.delete(ltiNonces).where(lt(ltiNonces.expiresAt, now))
}

export async function findIdentity(db: Executor, platformId: string, subject: string) {
  const [row] = await db
    .select()
    .from(ltiUserIdentities)
    .where(and(eq(ltiUserIdentities.platformId, platformId), eq(ltiUserIdentities.subject, subject)))
  return row
}

export async function upsertIdentity(
  db: Executor,
  input: { platformId: string; subject: string; userId: string; externalId: string | null; attributes: Record<string, string> },
): Promise<void> {
  await db
    .insert(ltiUserIdentities)
    .values(input)
    .onConflictDoUpdate({
      target: [ltiUserIdentities.platformId, ltiUserIdentities.subject],
      set: {
        // An external id once known is kept when a later launch does not send it.
        externalId: sql`coalesce(excluded.external_id, ${ltiUserIdentities.externalId})`,
        attributes: sql`${ltiUserIdentities.attributes} || excluded.attributes`,
        lastLaunchAt: sql`now()`,
      },
    })
}

export interface ResourceLinkRow {
  id: string
  campaignId: string | null
  lineItemUrl: string | null
  lineItemsUrl: string | null
  resourceLinkId: string
  courseId: string | null
}

export async function upsertResourceLink(
  db: Executor,
  input: { deploymentRowId: string; resourceLinkId: string; courseId: string | null; title: string | null; lineItemUrl: string | null; lineItemsUrl: string | null },
): Promise<ResourceLinkRow> {
  // Read first: an unchanged link is not locked for the launch's whole transaction (every launch of an
  // activity queued on that row lock — bench:load).
  const [current] = await db
    .select()
    .from(ltiResourceLinks)
    .where(and(eq(ltiResourceLinks.deploymentRowId, input.deploymentRowId), eq(ltiResourceLinks.resourceLinkId, input.resourceLinkId)))
  const same = (sent: string | null, stored: string | null) => sent === null || sent === stored
  if (
    current &&
    same(input.courseId, current.courseId) &&
    same(input.title, current.title) &&
    same(input.lineItemUrl, current.lineItemUrl) &&
    same(input.lineItemsUrl, current.lineItemsUrl)
  )
    return current
  const [row] = await db
    .insert(ltiResourceLinks)
    .values(input)
    .onConflictDoUpdate({
      target: [ltiResourceLinks.deploymentRowId, ltiResourceLinks.resourceLinkId],
      set: {
        courseId: sql`coalesce(excluded.course_id, ${ltiResourceLinks.courseId})`,
        title: sql`coalesce(excluded.title, ${ltiResourceLinks.title})`,
        lineItemUrl: sql`coalesce(excluded.line_item_url, ${ltiResourceLinks.lineItemUrl})`,
        lineItemsUrl: sql`coalesce(excluded.line_items_url, ${ltiResourceLinks.lineItemsUrl})`,
        updatedAt: sql`now()`,
      },
    })
    .returning()
  return row!
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

export async function insertLaunch(db: Executor, values: Omit<StoredLaunch, 'id' | 'createdAt' | 'context'> & { context: Omit<LaunchContext, 'launchId'> }): Promise<string> {
  const [row] = await db
    .insert(ltiLaunches)
    .values({ ...values, context: values.context as unknown as Record<string, unknown>, services: values.services as Record<string, unknown> })
    .returning({ id: ltiLaunches.id })
  return row!.id
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
