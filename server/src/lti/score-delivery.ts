/**
 * The outbox worker: claims due rows with SELECT … FOR UPDATE SKIP LOCKED (several instances can
 * run), posts them as application/vnd.ims.lis.v1.score+json, retries with exponential backoff, and
 * never gives up on a score the platform may still accept. A claim is a lease: a crash mid-delivery
 * makes the row due again, flagged "outcome unknown" so a 409 then means "already recorded".
 */
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { ltiResourceLinks, ltiScoreOutbox } from '../db/schema'
import type { Clock } from '../shared/clock'
import type { Logger } from '../shared/logger'
import { MEDIA, SCOPE } from './claims'
import { LtiServiceError } from './errors'
import { findPlatformById, type Platform } from './platform.repository'
import { serviceUrl, type ServiceClient } from './service-client'

type OutboxRow = typeof ltiScoreOutbox.$inferSelect

export interface ScoreDeliveryDeps {
  db: Db
  clock: Clock
  logger: Logger
  services: ServiceClient
  /** Poll period when idle. */
  intervalMs?: number
  /** A claimed row becomes due again after this (crash safety). */
  leaseMs?: number
  baseBackoffMs?: number
  maxBackoffMs?: number
}

export interface ScoreDeliveryWorker {
  /** Delivers every due row once; returns how many attempts were made. */
  runOnce(): Promise<number>
  /** Wake the loop now (after an enqueue). */
  kick(): void
  stop(): Promise<void>
}

export function backoffMs(attempts: number, base: number, max: number): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, attempts - 1))
  return Math.round(exp * (0.8 + Math.random() * 0.4))
}

async function claim(deps: ScoreDeliveryDeps): Promise<OutboxRow | undefined> {
  const now = deps.clock.now()
  return deps.db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      SELECT o.id FROM lti_score_outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
        AND NOT EXISTS (
          SELECT 1 FROM lti_score_outbox p
          WHERE p.stream_key = o.stream_key AND p.seq < o.seq AND p.status = 'pending')
      ORDER BY o.seq
      LIMIT 1
      FOR UPDATE OF o SKIP LOCKED`)
    const id = (result.rows[0] as { id?: string } | undefined)?.id
    if (!id) return undefined
    const [row] = await tx
      .update(ltiScoreOutbox)
      .set({
        attempts: sql`${ltiScoreOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + (deps.leaseMs ?? 60_000)),
      })
      .where(eq(ltiScoreOutbox.id, id))
      .returning()
    return row
  })
}

type Result =
  | { kind: 'delivered'; reason?: string }
  | { kind: 'rejected'; reason: string; error: string }
  | { kind: 'retry'; error: string; outcomeUnknown: boolean; refreshTimestamp?: boolean }

async function resolveLineItem(row: OutboxRow, platform: Platform, deps: ScoreDeliveryDeps): Promise<string | undefined> {
  if (row.lineItemUrl) return row.lineItemUrl
  if (!row.lineItemsUrl) return undefined
  const scopes = [SCOPE.lineItem]
  const list = new URL(row.lineItemsUrl)
  if (row.platformResourceLinkId) list.searchParams.set('resource_link_id', row.platformResourceLinkId)
  const found = await deps.services.request(platform, scopes, { method: 'GET', url: list.toString(), accept: MEDIA.lineItemContainer })
  if (found.status === 200) {
    const items = JSON.parse(found.body) as { id?: string; resourceLinkId?: string }[]
    const match = items.find((i) => !row.platformResourceLinkId || i.resourceLinkId === row.platformResourceLinkId)
    if (match?.id) return match.id
  }
  const created = await deps.services.request(platform, scopes, {
    method: 'POST',
    url: row.lineItemsUrl,
    accept: MEDIA.lineItem,
    contentType: MEDIA.lineItem,
    body: JSON.stringify({
      scoreMaximum: 100,
      label: 'Jalon',
      ...(row.platformResourceLinkId ? { resourceLinkId: row.platformResourceLinkId } : {}),
      ...(row.campaignId ? { resourceId: row.campaignId } : {}),
      tag: 'jalon',
    }),
  })
  if (created.status >= 300) throw new LtiServiceError(`Line item creation answered ${created.status}`, created.status, created.body.slice(0, 300))
  return (JSON.parse(created.body) as { id?: string }).id
}

async function deliver(row: OutboxRow, deps: ScoreDeliveryDeps): Promise<Result> {
  const platform = await findPlatformById(deps.db, row.platformId)
  if (!platform) return { kind: 'rejected', reason: 'PLATFORM_DELETED', error: 'platform no longer registered' }
  let lineItemUrl: string | undefined
  try {
    lineItemUrl = await resolveLineItem(row, platform, deps)
    // Token problems are never ambiguous: nothing was posted yet.
    await deps.services.accessToken(platform, [SCOPE.score])
  } catch (err) {
    return { kind: 'retry', error: errorText(err), outcomeUnknown: false }
  }
  if (!lineItemUrl) return { kind: 'rejected', reason: 'NO_LINE_ITEM', error: 'the launch offered no line item' }
  if (lineItemUrl !== row.lineItemUrl) {
    await deps.db.update(ltiScoreOutbox).set({ lineItemUrl }).where(eq(ltiScoreOutbox.id, row.id))
    if (row.resourceLinkRowId) await deps.db.update(ltiResourceLinks).set({ lineItemUrl }).where(eq(ltiResourceLinks.id, row.resourceLinkRowId))
  }
  const body: Record<string, unknown> = {
    userId: row.subject,
    scoreMaximum: row.scoreMaximum,
    activityProgress: row.activityProgress,
    gradingProgress: row.gradingProgress,
    timestamp: row.scoreTimestamp.toISOString(),
  }
  if (row.scoreGiven !== null) body.scoreGiven = row.scoreGiven
  if (row.comment) body.comment = row.comment
  let res
  try {
    res = await deps.services.request(platform, [SCOPE.score], {
      method: 'POST',
      url: serviceUrl(lineItemUrl, '/scores'),
      contentType: MEDIA.score,
      body: JSON.stringify(body),
    })
  } catch (err) {
    return { kind: 'retry', error: errorText(err), outcomeUnknown: true }
  }
  const detail = `HTTP ${res.status} ${res.body.slice(0, 200)}`.trim()
  if (res.status >= 200 && res.status < 300) return { kind: 'delivered' }
  if (res.status === 409) {
    // An earlier attempt of this very row may have been stored (its answer lost): then 409 is success.
    if (row.outcomeUnknown) return { kind: 'delivered', reason: 'ALREADY_RECORDED' }
    return { kind: 'retry', error: detail, outcomeUnknown: false, refreshTimestamp: true }
  }
  // Moodle: 400 "Incorrect score received" when the user has no gradebook role in the course.
  if (res.status === 400 || res.status === 422) return { kind: 'rejected', reason: 'NOT_GRADABLE', error: detail }
  if (res.status === 404) return { kind: 'rejected', reason: 'LINE_ITEM_NOT_FOUND', error: detail }
  return { kind: 'retry', error: detail, outcomeUnknown: false }
}

function errorText(err: unknown): string {
  if (err instanceof LtiServiceError) return `${err.message}${err.body ? ` — ${err.body.slice(0, 200)}` : ''}`
  return err instanceof Error ? err.message : String(err)
}

export function startScoreDelivery(deps: ScoreDeliveryDeps, options: { autoStart?: boolean } = {}): ScoreDeliveryWorker {
  const base = deps.baseBackoffMs ?? 2_000
  const max = deps.maxBackoffMs ?? 3600_000
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let again = false

  async function attempt(row: OutboxRow): Promise<void> {
    // Mark "in flight": if the process dies now, the next attempt knows the outcome is unknown.
    await deps.db.update(ltiScoreOutbox).set({ outcomeUnknown: sql`true` }).where(eq(ltiScoreOutbox.id, row.id))
    const result = await deliver(row, deps)
    const now = deps.clock.now()
    if (result.kind === 'delivered') {
      await deps.db
        .update(ltiScoreOutbox)
        .set({ status: 'delivered', deliveredAt: now, reason: result.reason ?? null, lastError: null, outcomeUnknown: false })
        .where(eq(ltiScoreOutbox.id, row.id))
      deps.logger.info({ outboxId: row.id, attempts: row.attempts, reason: result.reason }, 'score delivered')
    } else if (result.kind === 'rejected') {
      await deps.db
        .update(ltiScoreOutbox)
        .set({ status: 'rejected', reason: result.reason, lastError: result.error, outcomeUnknown: false })
        .where(eq(ltiScoreOutbox.id, row.id))
      deps.logger.warn({ outboxId: row.id, reason: result.reason, error: result.error }, 'score refused by the platform')
    } else {
      const delay = backoffMs(row.attempts, base, max)
      await deps.db
        .update(ltiScoreOutbox)
        .set({
          lastError: result.error,
          // Sticky: once an attempt may have landed, a later 409 means "already recorded".
          outcomeUnknown: row.outcomeUnknown || result.outcomeUnknown,
          nextAttemptAt: new Date(now.getTime() + (result.refreshTimestamp ? 0 : delay)),
          ...(result.refreshTimestamp
            ? { scoreTimestamp: new Date(Math.max(now.getTime(), row.scoreTimestamp.getTime() + 1000)) }
            : {}),
        })
        .where(eq(ltiScoreOutbox.id, row.id))
      deps.logger.warn({ outboxId: row.id, attempts: row.attempts, retryInMs: delay, error: result.error }, 'score delivery failed, will retry')
    }
  }

  async function runOnce(): Promise<number> {
    let count = 0
    for (;;) {
      if (stopped) break
      const row = await claim(deps)
      if (!row) break
      count++
      try {
        await attempt(row)
      } catch (err) {
        // The lease makes the row due again later; nothing is lost.
        deps.logger.error({ outboxId: row.id, err }, 'score delivery crashed')
      }
    }
    return count
  }

  function schedule(ms: number) {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(loop, ms)
    timer.unref()
  }

  function loop() {
    if (running) {
      again = true
      return
    }
    running = runOnce()
      .catch((err) => {
        deps.logger.warn({ err: (err as Error).message }, 'score delivery loop error')
        return 0
      })
      .finally(() => {
        running = undefined
        const now = again
        again = false
        schedule(now ? 0 : (deps.intervalMs ?? 1000))
      })
  }

  if (options.autoStart !== false) schedule(0)
  return {
    runOnce: async () => {
      while (running) await running
      return runOnce()
    },
    kick: () => schedule(0),
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
