/** Résultats tab of a profiles collection: one row per participant (latest shared profile). */
import type { Referential } from '../content/types'
import { scoreProfile } from '../assessment/scoring'
import { toScoringKe } from './participant-detail.query'
import { FIRST_NAME, JOIN_PEOPLE, LAST_NAME, LATEST_SHARED, likeTerm, pageOf, PARTICIPANT_KEY, type Sql } from './sql'

export interface ProfileRow {
  participationId: string
  firstName: string
  lastName: string
  participantExternalId: string | null
  sharedAt: Date
  pixScore: number
  isCertifiable: boolean
  certifiableCompetencesCount: number
  sharedCount: number
}

export async function campaignProfileRowsQuery(
  sql: Sql,
  campaignId: string,
  referential: Referential,
  filter: { search?: string; certifiable?: boolean; page?: number; pageSize?: number },
) {
  const { page, pageSize, offset } = pageOf(filter.page, filter.pageSize ?? 50)
  const params: unknown[] = [campaignId]
  const where = ['true']
  if (filter.certifiable !== undefined) where.push(`coalesce(p.is_certifiable, false) = $${params.push(filter.certifiable)}`)
  if (filter.search?.trim()) {
    const i = params.push(likeTerm(filter.search))
    where.push(`(${LAST_NAME} || ' ' || ${FIRST_NAME} ILIKE $${i} OR ${FIRST_NAME} || ' ' || ${LAST_NAME} ILIKE $${i} OR p.participant_external_id ILIKE $${i})`)
  }
  const { rows } = await sql.query(
    `WITH shared_counts AS (
       SELECT ${PARTICIPANT_KEY} AS k, count(*)::int AS n FROM campaign_participations p
       WHERE p.campaign_id = $1 AND p.status = 'SHARED' AND p.deleted_at IS NULL GROUP BY 1
     )
     SELECT p.id, ${LAST_NAME} AS last_name, ${FIRST_NAME} AS first_name, p.participant_external_id, p.shared_at,
            p.pix_score, p.is_certifiable, sc.n AS shared_count, k.knowledge_elements AS snapshot, count(*) OVER () AS total
     FROM ${LATEST_SHARED} p ${JOIN_PEOPLE} JOIN shared_counts sc ON sc.k = ${PARTICIPANT_KEY}
     LEFT JOIN knowledge_element_snapshots k ON k.campaign_participation_id = p.id
     WHERE ${where.join(' AND ')}
     ORDER BY lower(${LAST_NAME}), lower(${FIRST_NAME}), p.id
     LIMIT ${pageSize} OFFSET ${offset}`,
    params,
  )
  const participants: ProfileRow[] = rows.map((r) => {
    const profile = scoreProfile(referential, (r.snapshot ?? []).map(toScoringKe))
    return {
      participationId: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      participantExternalId: r.participant_external_id,
      sharedAt: r.shared_at,
      pixScore: r.pix_score ?? profile.totalPix,
      isCertifiable: r.is_certifiable ?? profile.isCertifiable,
      certifiableCompetencesCount: profile.competences.filter((c) => c.level >= 1).length,
      sharedCount: r.shared_count,
    }
  })
  return { participants, page, pageSize, total: rows.length ? Number(rows[0].total) : 0 }
}
