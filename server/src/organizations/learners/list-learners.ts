/**
 * "Étudiants": the organization's learners with search and certificability.
 * Certificability (kept simple, as documented in the README): the `is_certifiable` frozen at share time on the
 * learner's most recent SHARED participation in a profiles-collection campaign of this organization; none → unknown
 * ("Non communiqué"). Pix computes it nightly from the profile; Jalon reads what the learner last shared.
 * Hidden: disabled learners, and learners created by a participation whose participations were all deleted
 * (Pix: "un étudiant dont toutes les participations seraient supprimées disparaîtra de l'onglet").
 */
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'

export type Certificability = 'CERTIFIABLE' | 'NOT_CERTIFIABLE' | 'UNKNOWN'

export interface LearnerFilter {
  organizationId: string
  /** Words matched against last or first name, case-insensitive (ILIKE). */
  search?: string
  studentNumber?: string
  group?: string
  certificability?: Certificability
  page: number
  pageSize: number
}

export interface LearnerRow {
  id: string
  lastName: string | null
  firstName: string | null
  birthdate: string | null
  studentNumber: string | null
  group: string | null
  source: string
  /** The learner's id in the LMS (platform claim mapping), when they came through a launch. */
  externalId: string | null
  participationCount: number
  lastParticipationAt: string | null
  certificability: Certificability
  certifiableAt: string | null
}

const like = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export async function listLearners(db: Db, filter: LearnerFilter): Promise<{ learners: LearnerRow[]; total: number; groups: string[] }> {
  const conditions: SQL[] = [sql`ol.organization_id = ${filter.organizationId}`, sql`ol.is_disabled = false`]
  conditions.push(sql`(ol.source <> 'PARTICIPATION' OR stats.participation_count > 0)`)
  if (filter.search?.trim()) {
    for (const word of filter.search.trim().split(/\s+/).slice(0, 4)) {
      conditions.push(sql`(ol.last_name ILIKE ${like(word)} OR ol.first_name ILIKE ${like(word)})`)
    }
  }
  if (filter.studentNumber?.trim()) conditions.push(sql`(ol.student_number ILIKE ${like(filter.studentNumber.trim())} OR ident.external_id ILIKE ${like(filter.studentNumber.trim())})`)
  if (filter.group?.trim()) conditions.push(sql`ol."group" ILIKE ${like(filter.group.trim())}`)
  if (filter.certificability === 'CERTIFIABLE') conditions.push(sql`cert.is_certifiable = true`)
  if (filter.certificability === 'NOT_CERTIFIABLE') conditions.push(sql`cert.is_certifiable = false`)
  if (filter.certificability === 'UNKNOWN') conditions.push(sql`cert.is_certifiable IS NULL`)
  const where = sql.join(conditions, sql` AND `)

  const from = sql`
    FROM organization_learners ol
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS participation_count, max(p.created_at) AS last_participation_at
      FROM campaign_participations p JOIN campaigns c ON c.id = p.campaign_id
      WHERE p.organization_learner_id = ol.id AND p.deleted_at IS NULL AND c.deleted_at IS NULL AND c.organization_id = ol.organization_id
    ) stats ON true
    LEFT JOIN LATERAL (
      SELECT p.is_certifiable, p.shared_at
      FROM campaign_participations p JOIN campaigns c ON c.id = p.campaign_id
      WHERE p.organization_learner_id = ol.id AND p.status = 'SHARED' AND p.deleted_at IS NULL
        AND c.type = 'PROFILES_COLLECTION' AND c.organization_id = ol.organization_id AND c.deleted_at IS NULL
      ORDER BY p.shared_at DESC NULLS LAST LIMIT 1
    ) cert ON true
    LEFT JOIN LATERAL (
      SELECT i.external_id FROM lti_user_identities i
      WHERE ol.user_id IS NOT NULL AND i.user_id = ol.user_id AND i.external_id IS NOT NULL
      ORDER BY i.last_launch_at DESC LIMIT 1
    ) ident ON true
    WHERE ${where}`

  const offset = (filter.page - 1) * filter.pageSize
  const rows = await db.execute<{
    id: string
    last_name: string | null
    first_name: string | null
    birthdate: string | null
    student_number: string | null
    group: string | null
    source: string
    external_id: string | null
    participation_count: number | null
    last_participation_at: Date | string | null
    is_certifiable: boolean | null
    shared_at: Date | string | null
  }>(sql`SELECT ol.id, ol.last_name, ol.first_name, to_char(ol.birthdate, 'YYYY-MM-DD') AS birthdate, ol.student_number, ol."group",
      ol.source, ident.external_id, stats.participation_count, stats.last_participation_at, cert.is_certifiable, cert.shared_at
    ${from}
    ORDER BY lower(ol.last_name) NULLS LAST, lower(ol.first_name) NULLS LAST, ol.id
    LIMIT ${filter.pageSize} OFFSET ${offset}`)
  const [{ total }] = (await db.execute<{ total: number }>(sql`SELECT count(*)::int AS total ${from}`)).rows as [{ total: number }]
  const groups = await db.execute<{ group: string }>(
    sql`SELECT DISTINCT "group" FROM organization_learners WHERE organization_id = ${filter.organizationId} AND "group" IS NOT NULL AND is_disabled = false ORDER BY "group"`,
  )
  const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString())
  return {
    total,
    groups: groups.rows.map((g) => g.group),
    learners: rows.rows.map((r) => ({
      id: r.id,
      lastName: r.last_name,
      firstName: r.first_name,
      birthdate: r.birthdate,
      studentNumber: r.student_number,
      group: r.group,
      source: r.source,
      externalId: r.external_id,
      participationCount: r.participation_count ?? 0,
      lastParticipationAt: iso(r.last_participation_at),
      certificability: r.is_certifiable == null ? 'UNKNOWN' : r.is_certifiable ? 'CERTIFIABLE' : 'NOT_CERTIFIABLE',
      certifiableAt: r.is_certifiable == null ? null : iso(r.shared_at),
    })),
  }
}
