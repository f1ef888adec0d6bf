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
         ${LAST_NAME} AS last_name, ${FIRST_NAME} AS first_name, p.validated_skill_ids AS validated,
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
  validated: string | null
  completed: boolean
}

/**
 * Knowledge elements of the lines that read them: a profiles collection's shared snapshots; for an assessment
 * in progress (progression), its snapshot if any, else the learner's live knowledge.
 */
async function knowledgeOf(client: PoolClient, rows: Row[], isAssessment: boolean): Promise<Map<string, ScoringKnowledgeElement[]>> {
  const byParticipation = new Map<string, ScoringKnowledgeElement[]>()
  const needing = rows.filter((r) => (isAssessment ? r.status === 'STARTED' && !r.completed : r.status === 'SHARED'))
  const withSnapshot = needing.filter((r) => r.validated !== null)
  if (withSnapshot.length) {
    const { rows: snapshots } = await client.query(
      `SELECT campaign_participation_id AS id, knowledge_elements FROM knowledge_element_snapshots WHERE campaign_participation_id = ANY($1::uuid[])`,
      [withSnapshot.map((r) => r.id)],
    )
    for (const s of snapshots) byParticipation.set(s.id, (s.knowledge_elements as SnapshotKe[]).map(toScoringKe))
  }
  const live = isAssessment ? needing.filter((r) => r.validated === null && r.user_id) : []
  if (live.length) {
    // By user only (the index's leading column): scoring ignores KEs outside the target profile anyway.
    // Epoch milliseconds, what scoring compares: parsing a Date per KE showed in the profile.
    const { rows: kes } = await client.query(
      `SELECT user_id, skill_id, status, source, earned_pix, floor(extract(epoch FROM created_at) * 1000)::float8 AS created_at
       FROM knowledge_elements WHERE user_id = ANY($1::uuid[])`,
      [[...new Set(live.map((r) => r.user_id))]],
    )
    const byUser = new Map<string, ScoringKnowledgeElement[]>()
    for (const k of kes) {
      const list = byUser.get(k.user_id) ?? []
      list.push({ skillId: k.skill_id, status: k.status, source: k.source, earnedPix: k.earned_pix, createdAt: k.created_at })
      byUser.set(k.user_id, list)
    }
    for (const r of live) byParticipation.set(r.id, byUser.get(r.user_id!) ?? [])
  }
  return byParticipation
}

async function* lines(pool: SqlPool, ctx: ExportContext): AsyncGenerator<Cell[]> {
  const isAssessment = ctx.campaign.type === 'ASSESSMENT'
  yield isAssessment ? assessmentHeaders(ctx) : profilesHeaders(ctx)
  const client = await pool.connect()
  let closed = false
  let next: Promise<{ rows: Row[]; knowledge: Map<string, ScoringKnowledgeElement[]> }> | undefined
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    // Every row is fetched: plan for the whole result, not for the first rows (the cursor default).
    await client.query('SET LOCAL cursor_tuple_fraction = 1')
    await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${ROWS}`, [ctx.campaign.id])
    const fetchBatch = async () => {
      const { rows } = await client.query<Row>(`FETCH ${EXPORT_BATCH} FROM export_rows`)
      return { rows, knowledge: rows.length ? await knowledgeOf(client, rows, isAssessment) : new Map<string, ScoringKnowledgeElement[]>() }
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
          participantExternalId: r.participant_external_id,
          status: r.status,
          createdAt: r.created_at,
          sharedAt: r.shared_at,
          masteryRate: r.mastery_rate,
          assessmentCompleted: r.completed,
          validatedSkillIds: r.validated ? r.validated.split(' ') : [],
          knowledgeElements: knowledge.get(r.id) ?? [],
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

/** Writes the CSV (UTF-8 with BOM, ';' separated like Pix's exports) to `out`, with back-pressure. */
export async function exportCampaignResults(pool: SqlPool, ctx: ExportContext, out: Writable): Promise<void> {
  await pipeline(Readable.from(lines(pool, ctx)), stringify({ bom: true, delimiter: ';' }), out)
}
