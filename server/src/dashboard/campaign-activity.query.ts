/**
 * Activité tab (pix-rules §14.4): counters over live participations, cumulative participants and
 * shared results by day (window function, Paris days), and one page of the participant list.
 */
import { FIRST_NAME, JOIN_PEOPLE, LAST_NAME, LIVE, likeTerm, pageOf, PARTICIPANT_KEY, type Sql } from './sql'

export interface ActivityDay {
  day: string
  /** Cumulative number of participants who had started by the end of that day. */
  started: number
  /** Cumulative number of shared results by the end of that day. */
  shared: number
}

export interface CampaignActivity {
  participantsCount: number
  sharedCount: number
  /** en cours / en attente d'envoi / résultats reçus */
  byStatus: { started: number; toShare: number; shared: number }
  byDay: ActivityDay[]
}

const DAY = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')`

export async function campaignActivityQuery(sql: Sql, campaignId: string): Promise<CampaignActivity> {
  const [counts, days] = await Promise.all([
    sql.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE p.status = 'STARTED')::int AS started,
              count(*) FILTER (WHERE p.status = 'TO_SHARE')::int AS to_share,
              count(*) FILTER (WHERE p.status = 'SHARED')::int AS shared
       FROM ${LIVE}`,
      [campaignId],
    ),
    sql.query(
      `WITH per_day AS (
         SELECT ${DAY('p.created_at')} AS day, 1 AS started, 0 AS shared FROM ${LIVE}
         UNION ALL
         SELECT ${DAY('p.shared_at')}, 0, 1 FROM ${LIVE} AND p.shared_at IS NOT NULL
       )
       SELECT day, (sum(sum(started)) OVER (ORDER BY day))::int AS started, (sum(sum(shared)) OVER (ORDER BY day))::int AS shared
       FROM per_day GROUP BY day ORDER BY day`,
      [campaignId],
    ),
  ])
  const c = counts.rows[0]
  return {
    participantsCount: c.total,
    sharedCount: c.shared,
    byStatus: { started: c.started, toShare: c.to_share, shared: c.shared },
    byDay: days.rows.map((r) => ({ day: r.day, started: r.started, shared: r.shared })),
  }
}

export type ParticipationStatus = 'STARTED' | 'TO_SHARE' | 'SHARED'

export interface ActivityParticipantRow {
  participationId: string
  firstName: string
  lastName: string
  participantExternalId: string | null
  group: string | null
  status: ParticipationStatus
  createdAt: Date
  sharedAt: Date | null
  /** Every non-deleted participation of this participant (multiple sendings). */
  participationCount: number
}

export interface ActivityParticipantFilter {
  status?: ParticipationStatus
  search?: string
  group?: string
  page?: number
  pageSize?: number
}

export async function campaignActivityParticipantsQuery(sql: Sql, campaignId: string, filter: ActivityParticipantFilter) {
  const { page, pageSize, offset } = pageOf(filter.page, filter.pageSize ?? 50)
  const params: unknown[] = [campaignId]
  const where: string[] = []
  if (filter.status) where.push(`p.status = $${params.push(filter.status)}`)
  if (filter.search?.trim()) {
    const i = params.push(likeTerm(filter.search))
    where.push(`(${LAST_NAME} || ' ' || ${FIRST_NAME} ILIKE $${i} OR ${FIRST_NAME} || ' ' || ${LAST_NAME} ILIKE $${i} OR p.participant_external_id ILIKE $${i})`)
  }
  if (filter.group?.trim()) where.push(`ol."group" ILIKE $${params.push(likeTerm(filter.group))}`)
  const { rows } = await sql.query(
    `WITH counts AS (
       SELECT ${PARTICIPANT_KEY} AS k, count(*)::int AS n
       FROM campaign_participations p WHERE p.campaign_id = $1 AND p.deleted_at IS NULL GROUP BY 1
     )
     SELECT p.id, ${LAST_NAME} AS last_name, ${FIRST_NAME} AS first_name, p.participant_external_id, ol."group",
            p.status, p.created_at, p.shared_at, counts.n AS participation_count, count(*) OVER () AS total
     FROM ${LIVE.replace('campaign_participations p', `campaign_participations p ${JOIN_PEOPLE} JOIN counts ON counts.k = ${PARTICIPANT_KEY}`)}
     ${where.length ? `AND ${where.join(' AND ')}` : ''}
     ORDER BY lower(${LAST_NAME}), lower(${FIRST_NAME}), p.id
     LIMIT ${pageSize} OFFSET ${offset}`,
    params,
  )
  const participants: ActivityParticipantRow[] = rows.map((r) => ({
    participationId: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    participantExternalId: r.participant_external_id,
    group: r.group,
    status: r.status,
    createdAt: r.created_at,
    sharedAt: r.shared_at,
    participationCount: r.participation_count,
  }))
  return { participants, page, pageSize, total: rows.length ? Number(rows[0].total) : 0 }
}
