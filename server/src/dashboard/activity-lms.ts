/**
 * What the LMS adds to the Activité tab: enrolled learners who have not started (course roster) and each
 * participant's grade delivery. dashboard/ may not import lti/: main.ts wires these hooks from it.
 */
import type { Campaign } from '../campaigns'
import type { Sql } from './sql'

export interface RosterLearner {
  /** Jalon user, when they have launched Jalon once. */
  userId: string | null
  firstName: string | null
  lastName: string | null
  /** Full name as the LMS sends it (some send only this). */
  name: string | null
  email: string | null
  externalId: string | null
}

/** Active learners of the courses bound to the campaign; null without LMS roster; `unavailable`: a course could not be read. */
export type CampaignRosterHook = (campaign: Campaign) => Promise<{ learners: RosterLearner[]; unavailable: boolean } | null>

export interface GradeDelivery {
  status: 'pending' | 'delivered' | 'rejected'
  /** Why the LMS refused it (NOT_GRADABLE, LINE_ITEM_NOT_FOUND, NO_LINE_ITEM, PLATFORM_DELETED…). */
  reason: string | null
  deliveredAt: Date | null
}

/** Latest grade delivery per user of one page of participants (one query, not one per row). */
export type GradeDeliveriesHook = (campaignId: string, userIds: string[]) => Promise<Map<string, GradeDelivery>>

export interface NotStarted {
  learners: Omit<RosterLearner, 'userId'>[]
  unavailable: boolean
}

/** Roster learners with no live-or-improved, non-deleted participation in the campaign. */
export async function notStartedLearners(sql: Sql, campaignId: string, roster: { learners: RosterLearner[]; unavailable: boolean }): Promise<NotStarted> {
  const known = [...new Set(roster.learners.flatMap((l) => (l.userId ? [l.userId] : [])))]
  const started = new Set<string>()
  if (known.length) {
    const { rows } = await sql.query(
      `SELECT DISTINCT user_id FROM campaign_participations WHERE campaign_id = $1 AND deleted_at IS NULL AND user_id = ANY($2::uuid[])`,
      [campaignId, known],
    )
    for (const r of rows) started.add(r.user_id)
  }
  const sortKey = (l: RosterLearner) => `${l.lastName ?? l.name ?? l.email ?? '\uffff'} ${l.firstName ?? ''}`
  const learners = roster.learners
    .filter((l) => !l.userId || !started.has(l.userId))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b), 'fr', { sensitivity: 'base' }))
    .map(({ userId: _userId, ...rest }) => rest)
  return { learners, unavailable: roster.unavailable }
}

/** Adds `gradeDelivery` (null when nothing was sent to an LMS for them) to each row of a participant page. */
export async function withGradeDeliveries<T extends { participationId: string }>(
  sql: Sql,
  campaignId: string,
  rows: T[],
  hook: GradeDeliveriesHook | undefined,
): Promise<(T & { gradeDelivery: GradeDelivery | null })[]> {
  if (!hook || !rows.length) return rows.map((r) => ({ ...r, gradeDelivery: null }))
  const { rows: owners } = await sql.query(`SELECT id, user_id FROM campaign_participations WHERE id = ANY($1::uuid[]) AND campaign_id = $2`, [
    rows.map((r) => r.participationId),
    campaignId,
  ])
  const userOf = new Map<string, string | null>(owners.map((o) => [o.id, o.user_id]))
  const userIds = [...new Set([...userOf.values()].filter((u): u is string => Boolean(u)))]
  const deliveries = userIds.length ? await hook(campaignId, userIds) : new Map<string, GradeDelivery>()
  return rows.map((r) => {
    const userId = userOf.get(r.participationId)
    return { ...r, gradeDelivery: (userId && deliveries.get(userId)) || null }
  })
}
