/**
 * The grade passback API the learner journey calls, backed by a durable outbox: a score is a row
 * written in the caller's transaction, so it exists exactly when the answer/result it reflects does.
 * The worker (score-delivery.ts) posts rows to the platform in order per (line item, user).
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { ltiScoreOutbox } from '../db/schema'
import type { Clock } from '../shared/clock'
import type { LaunchContext } from './launch-context'
import { findLaunch } from './launch.repository'

type Executor = Db | Tx

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed'
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady'
export type DeliveryStatus = 'pending' | 'delivered' | 'rejected' | 'skipped'

/** Moodle stores score times in whole seconds and refuses a time ≤ the stored one (409). */
export const MIN_TIMESTAMP_SPACING_MS = 1000

export interface ScoreInput {
  /** Unique per logical score: enqueueing the same key twice stores it once. */
  idempotencyKey: string
  activityProgress: ActivityProgress
  gradingProgress: GradingProgress
  /** 0–100, only with FullyGraded (Moodle discards it otherwise). */
  scoreGiven?: number
  comment?: string
}

export interface EnqueueResult {
  status: DeliveryStatus | 'duplicate'
  /** Why nothing was queued: the launch offered no gradebook, or the user is not a learner there. */
  reason?: 'NO_GRADEBOOK' | 'NOT_A_LEARNER'
  id?: string
}

/**
 * Queues a score for the launch's user and activity, inside `deps.db` (pass the caller's transaction).
 * Timestamps strictly increase per (line item, user), at least 1 s apart.
 */
export async function enqueueScore(launch: Pick<LaunchContext, 'launchId'>, score: ScoreInput, deps: { db: Executor; clock: Clock }): Promise<EnqueueResult> {
  // Progress is enqueued on every answer but stored once: known keys cost nothing, and a key already in the
  // outbox costs one indexed read (no launch lookup, no stream lock).
  if (storedKeys.has(score.idempotencyKey)) return { status: 'duplicate' }
  const [known] = await deps.db.select({ id: ltiScoreOutbox.id }).from(ltiScoreOutbox).where(eq(ltiScoreOutbox.idempotencyKey, score.idempotencyKey))
  if (known) {
    rememberStoredKey(score.idempotencyKey)
    return { status: 'duplicate', id: known.id }
  }

  const stored = await findLaunch(deps.db, launch.launchId)
  if (!stored) throw new Error(`Unknown launch ${launch.launchId}`)
  const s = stored.services
  if (!stored.context.canReportScores || !(s.lineItemUrl || s.lineItemsUrl)) return { status: 'skipped', reason: 'NO_GRADEBOOK' }
  // Teachers previewing are not in the gradebook: Moodle would answer 400 forever.
  if (stored.context.role !== 'learner' || s.gradable === false) return { status: 'skipped', reason: 'NOT_A_LEARNER' }

  const streamKey = `${stored.platformId}|${s.lineItemUrl ?? `${s.lineItemsUrl}#${s.platformResourceLinkId ?? ''}`}|${stored.subject}`
  // Serialises enqueues of one stream so timestamps increase even under concurrency.
  await deps.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${streamKey}, 0))`)
  const [existing] = await deps.db
    .select({ id: ltiScoreOutbox.id })
    .from(ltiScoreOutbox)
    .where(eq(ltiScoreOutbox.idempotencyKey, score.idempotencyKey))
  if (existing) return { status: 'duplicate', id: existing.id }
  const [last] = await deps.db
    .select({ ts: ltiScoreOutbox.scoreTimestamp })
    .from(ltiScoreOutbox)
    .where(eq(ltiScoreOutbox.streamKey, streamKey))
    .orderBy(desc(ltiScoreOutbox.scoreTimestamp))
    .limit(1)
  const now = deps.clock.now().getTime()
  const timestamp = new Date(last ? Math.max(now, last.ts.getTime() + MIN_TIMESTAMP_SPACING_MS) : now)
  const graded = score.gradingProgress === 'FullyGraded'
  const rows = await deps.db
    .insert(ltiScoreOutbox)
    .values({
      idempotencyKey: score.idempotencyKey,
      platformId: stored.platformId,
      resourceLinkRowId: stored.context.resourceLinkId ?? null,
      streamKey,
      lineItemUrl: s.lineItemUrl ?? null,
      lineItemsUrl: s.lineItemsUrl ?? null,
      platformResourceLinkId: s.platformResourceLinkId ?? null,
      userId: stored.userId,
      subject: stored.subject,
      campaignId: stored.context.campaignId ?? null,
      activityProgress: score.activityProgress,
      gradingProgress: score.gradingProgress,
      scoreGiven: graded && score.scoreGiven !== undefined ? Math.round(Math.min(100, Math.max(0, score.scoreGiven))) : null,
      scoreMaximum: 100,
      comment: score.comment ?? null,
      scoreTimestamp: timestamp,
      nextAttemptAt: new Date(now),
    })
    .onConflictDoNothing()
    .returning({ id: ltiScoreOutbox.id })
  return rows[0] ? { status: 'pending', id: rows[0].id } : { status: 'duplicate' }
}

/*
 * Idempotency keys seen stored by an earlier transaction. Outbox rows are never deleted, so such a key stays
 * stored: remembering it per process is safe on any number of instances. Only keys read back are remembered
 * (never one this transaction inserts, which a rollback could undo). Bounded; the oldest are dropped.
 */
const storedKeys = new Set<string>()
const STORED_KEYS_SIZE = 20_000
/** True when a score with this key is known to be in the outbox already: enqueueing it again writes nothing. */
export const isStoredScoreKey = (key: string): boolean => storedKeys.has(key)
function rememberStoredKey(key: string): void {
  storedKeys.add(key)
  if (storedKeys.size > STORED_KEYS_SIZE) storedKeys.delete(storedKeys.values().next().value!)
}

/** The learner started or is progressing in the test (no score yet). */
export function reportProgress(
  launch: Pick<LaunchContext, 'launchId' | 'userId' | 'resourceLinkId'>,
  progress: 'Started' | 'InProgress',
  deps: { db: Executor; clock: Clock },
  options: { key?: string } = {},
): Promise<EnqueueResult> {
  return enqueueScore(
    launch,
    {
      idempotencyKey: options.key ?? `progress:${progress}:${launch.resourceLinkId ?? launch.launchId}:${launch.userId}`,
      activityProgress: progress,
      gradingProgress: 'NotReady',
    },
    deps,
  )
}

/** Results shared: Completed + FullyGraded with scoreGiven = mastery × 100 (0–100). */
export function reportFinalScore(
  launch: Pick<LaunchContext, 'launchId' | 'userId' | 'resourceLinkId'>,
  scoreGiven: number,
  deps: { db: Executor; clock: Clock },
  options: { key?: string; comment?: string } = {},
): Promise<EnqueueResult> {
  if (!Number.isFinite(scoreGiven) || scoreGiven < 0 || scoreGiven > 100) throw new RangeError(`scoreGiven must be within 0–100, got ${scoreGiven}`)
  return enqueueScore(
    launch,
    {
      idempotencyKey: options.key ?? `final:${launch.resourceLinkId ?? launch.launchId}:${launch.userId}`,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      scoreGiven,
      comment: options.comment,
    },
    deps,
  )
}

export interface ScoreDelivery {
  id: string
  userId: string
  campaignId: string | null
  activityProgress: string
  gradingProgress: string
  scoreGiven: number | null
  status: DeliveryStatus
  reason: string | null
  attempts: number
  lastError: string | null
  timestamp: Date
  nextAttemptAt: Date
  deliveredAt: Date | null
}

/** Delivery statuses for the dashboard, oldest first. `userIds`: one page of participants in one query. */
export async function listScoreDeliveries(
  filter: { campaignId?: string; userId?: string; userIds?: string[] },
  deps: { db: Executor },
): Promise<ScoreDelivery[]> {
  const where: SQL[] = []
  if (filter.campaignId) where.push(eq(ltiScoreOutbox.campaignId, filter.campaignId))
  if (filter.userId) where.push(eq(ltiScoreOutbox.userId, filter.userId))
  if (filter.userIds) {
    if (!filter.userIds.length) return []
    where.push(inArray(ltiScoreOutbox.userId, filter.userIds))
  }
  const rows = await deps.db
    .select()
    .from(ltiScoreOutbox)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(ltiScoreOutbox.seq))
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    campaignId: r.campaignId,
    activityProgress: r.activityProgress,
    gradingProgress: r.gradingProgress,
    scoreGiven: r.scoreGiven,
    status: r.status,
    reason: r.reason,
    attempts: r.attempts,
    lastError: r.lastError,
    timestamp: r.scoreTimestamp,
    nextAttemptAt: r.nextAttemptAt,
    deliveredAt: r.deliveredAt,
  }))
}

/**
 * What a teacher sees per learner: the latest score sent for them (the gradebook keeps the latest), so a
 * delivered progress followed by a pending final score reads "pending".
 */
export function latestDeliveryByUser(deliveries: ScoreDelivery[]): Map<string, ScoreDelivery> {
  const latest = new Map<string, ScoreDelivery>()
  // listScoreDeliveries is ordered by seq: the last one wins.
  for (const d of deliveries) latest.set(d.userId, d)
  return latest
}
