/**
 * Streams a campaign's CSV export: every non-deleted participation (one line per sending) through
 * csv-stringify with back-pressure. PostgreSQL sorts the rows once behind a cursor, read EXPORT_BATCH
 * at a time in one read-only snapshot: memory holds one batch, and the file is consistent even if
 * learners share or are deleted while it streams.
 */
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import type { PoolClient } from 'pg'
import type { ScoringKnowledgeElement } from '../assessment/scoring'
import type { SnapshotKe } from '../campaigns/participation.repository'
import {
  assessmentHeaders,
  assessmentLine,
  profilesHeaders,
  profilesLine,
  type Cell,
  type ExportContext,
  type ExportParticipation,
} from './campaign-export-format'
import { toScoringKe } from './participant-detail.query'
import { FIRST_NAME, JOIN_PEOPLE, LAST_NAME, PARTICIPANT_KEY, type SqlPool } from './sql'

export const EXPORT_BATCH = 1000

/**
 * No snapshot jsonb here: an assessment line needs the snapshot's validated skills only (the derived
 * validated_skill_ids, migration 0006; non-null exactly when there is a snapshot). Parsing every
 * snapshot was most of the export's time; the few lines that need knowledge elements get them per batch.
 */
const ROWS = `
  SELECT p.id, p.user_id, p.status, p.created_at, p.shared_at, p.mastery_rate::numeric::float AS mastery_rate, p.participant_external_id,
         ${LAST_NAME} AS last_name, ${FIRST_NAME} AS first_name, ol."group" AS learner_group, ol.student_number, p.validated_skill_ids AS validated,
         EXISTS (SELECT 1 FROM assessments a WHERE a.campaign_participation_id = p.id AND a.state = 'completed') AS completed
  FROM campaign_participations p ${JOIN_PEOPLE}
  WHERE p.campaign_id = $1 AND p.deleted_at IS NULL
  ORDER BY lower(${LAST_NAME}), lower(${FIRST_NAME}), ${PARTICIPANT_KEY}, p.created_at, p.id`

interface Row {
  id: string
  user_id: string | null
  status: ExportParticipation['status']
  created_at: Date
  shared_at: Date | null
  mastery_rate: number | null
  participant_external_id: string | null
  last_name: string
  first_name: string
  learner_group: string | null
  student_number: string | null
  validated: string | null
  completed: boolean
}

/**
 * Tested target skills of each learner (scoring's testedSkills: skills whose latest KE, to the millisecond as
 * JavaScript reads it, is not a reset), counted in PostgreSQL: shipping and parsing every live KE of the
 * tests in progress was a third of the export's time. On an exact tie the KE kept is PostgreSQL's pick, as
 * the unordered list scoring used to receive. `export-tested-skills.int.test.ts` checks it against scoring.
 */
export async function testedSkillCounts(sql: Pick<PoolClient, 'query'>, userIds: string[], targetSkillIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  if (userIds.length === 0) return counts
  const { rows } = await sql.query(
    // OFFSET 0 keeps the skill filter out of the scan: by user_id alone, the index's leading column, PostgreSQL
    // reads a few rows per learner; with both it chose a sequential scan of all KEs for every batch.
    `SELECT user_id, count(*)::int AS tested
     FROM (SELECT DISTINCT ON (user_id, skill_id) user_id, skill_id, status FROM knowledge_elements
           WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, skill_id, date_trunc('milliseconds', created_at) DESC OFFSET 0) latest
     WHERE status <> 'reset' AND skill_id = ANY($2::text[])
     GROUP BY user_id`,
    [userIds, targetSkillIds],
  )
  for (const r of rows) counts.set(r.user_id, r.tested)
  return counts
}

/**
 * What the lines need beyond the row: a profiles collection's shared snapshots; for an assessment in
 * progress (progression), its snapshot if any, else the learner's tested target skills.
 */
async function knowledgeOf(client: PoolClient, rows: Row[], isAssessment: boolean, targetSkillIds: readonly string[]): Promise<Knowledge> {
  const snapshots = new Map<string, ScoringKnowledgeElement[]>()
  const needing = rows.filter((r) => (isAssessment ? r.status === 'STARTED' && !r.completed : r.status === 'SHARED'))
  const withSnapshot = needing.filter((r) => r.validated !== null)
  if (withSnapshot.length) {
    const { rows: found } = await client.query(
      `SELECT campaign_participation_id AS id, knowledge_elements FROM knowledge_element_snapshots WHERE campaign_participation_id = ANY($1::uuid[])`,
      [withSnapshot.map((r) => r.id)],
    )
    for (const s of found) snapshots.set(s.id, (s.knowledge_elements as SnapshotKe[]).map(toScoringKe))
  }
  const live = isAssessment ? needing.filter((r) => r.validated === null && r.user_id) : []
  const tested = await testedSkillCounts(client, [...new Set(live.map((r) => r.user_id!))], targetSkillIds)
  return { snapshots, tested }
}

interface Knowledge {
  snapshots: Map<string, ScoringKnowledgeElement[]>
  /** By user: tested target skills (in-progress assessments without a snapshot). */
  tested: Map<string, number>
}

async function* lines(pool: SqlPool, ctx: ExportContext): AsyncGenerator<Cell[]> {
  const isAssessment = ctx.campaign.type === 'ASSESSMENT'
  yield isAssessment ? assessmentHeaders(ctx) : profilesHeaders(ctx)
  const targetSkillIds = ctx.content?.targetProfile.skillIds ?? []
  const client = await pool.connect()
  let closed = false
  let next: Promise<{ rows: Row[]; knowledge: Knowledge }> | undefined
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    // Every row is fetched: plan for the whole result, not for the first rows (the cursor default).
    await client.query('SET LOCAL cursor_tuple_fraction = 1')
    await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${ROWS}`, [ctx.campaign.id])
    const fetchBatch = async () => {
      const { rows } = await client.query<Row>(`FETCH ${EXPORT_BATCH} FROM export_rows`)
      return { rows, knowledge: rows.length ? await knowledgeOf(client, rows, isAssessment, targetSkillIds) : { snapshots: new Map(), tested: new Map() } }
    }
    // PostgreSQL reads the next batch while this one is turned into lines.
    next = fetchBatch()
    for (;;) {
      const { rows, knowledge } = await next
      if (rows.length === 0) break
      next = fetchBatch()
      for (const r of rows) {
        const p: ExportParticipation = {
          id: r.id,
          lastName: r.last_name,
          firstName: r.first_name,
          group: r.learner_group,
          studentNumber: r.student_number,
          participantExternalId: r.participant_external_id,
          status: r.status,
          createdAt: r.created_at,
          sharedAt: r.shared_at,
          masteryRate: r.mastery_rate,
          assessmentCompleted: r.completed,
          validatedSkillIds: r.validated ? r.validated.split(' ') : [],
          knowledgeElements: knowledge.snapshots.get(r.id) ?? [],
          testedSkills: r.user_id ? (knowledge.tested.get(r.user_id) ?? 0) : 0,
        }
        yield isAssessment ? assessmentLine(ctx, p) : profilesLine(ctx, p)
      }
    }
    await client.query('COMMIT')
    closed = true
  } finally {
    // Stopped early (download aborted, error): let the batch in flight settle, end the transaction, or drop
    // a connection that cannot.
    await next?.catch(() => {})
    const ok = closed || (await client.query('ROLLBACK').then(() => true, () => false))
    client.release(!ok)
  }
}

/**
 * The organization's name and which school columns its exports carry (ExportContext.studentColumns): SUP and
 * SCO organizations that know the group or student number of some of their learners.
 */
export async function exportOrganization(sql: Pick<PoolClient, 'query'>, organizationId: string): Promise<Pick<ExportContext, 'organizationName' | 'studentColumns'>> {
  const { rows } = await sql.query<{ name: string; type: 'SUP' | 'SCO' | 'PRO'; knows_students: boolean }>(
    `SELECT o.name, o.type,
            EXISTS (SELECT 1 FROM organization_learners ol
                    WHERE ol.organization_id = o.id AND (ol.student_number IS NOT NULL OR ol."group" IS NOT NULL)) AS knows_students
     FROM organizations o WHERE o.id = $1`,
    [organizationId],
  )
  const o = rows[0]
  return { organizationName: o?.name ?? '', studentColumns: o?.knows_students && o.type !== 'PRO' ? o.type : null }
}

/** Writes the CSV (UTF-8 with BOM, ';' separated like Pix's exports) to `out`, with back-pressure. */
export async function exportCampaignResults(pool: SqlPool, ctx: ExportContext, out: Writable): Promise<void> {
  await pipeline(Readable.from(lines(pool, ctx)), stringify({ bom: true, delimiter: ';' }), out)
}
