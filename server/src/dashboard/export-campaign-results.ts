/**
 * Streams a campaign's CSV export: every non-deleted participation (one line per sending), in batches
 * of EXPORT_BATCH through csv-stringify. Only the ordered id list and one batch are in memory at once.
 */
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import type { ScoringKnowledgeElement } from '../assessment/scoring'
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
import { FIRST_NAME, JOIN_PEOPLE, LAST_NAME, type Sql } from './sql'

export const EXPORT_BATCH = 200

async function* lines(sql: Sql, ctx: ExportContext): AsyncGenerator<Cell[]> {
  const isAssessment = ctx.campaign.type === 'ASSESSMENT'
  yield isAssessment ? assessmentHeaders(ctx) : profilesHeaders(ctx)
  const ids = await sql.query(
    `SELECT p.id FROM campaign_participations p ${JOIN_PEOPLE}
     WHERE p.campaign_id = $1 AND p.deleted_at IS NULL
     ORDER BY lower(${LAST_NAME}), lower(${FIRST_NAME}), ${'coalesce(p.organization_learner_id::text, p.user_id::text, p.id::text)'}, p.created_at, p.id`,
    [ctx.campaign.id],
  )
  const allIds: string[] = ids.rows.map((r) => r.id)
  const targetSkillIds = ctx.content?.targetProfile.skillIds ?? []
  for (let i = 0; i < allIds.length; i += EXPORT_BATCH) {
    const batch = allIds.slice(i, i + EXPORT_BATCH)
    const { rows } = await sql.query(
      `SELECT p.id, p.user_id, p.status, p.created_at, p.shared_at, p.mastery_rate::numeric::float AS mastery_rate, p.participant_external_id,
              ${LAST_NAME} AS last_name, ${FIRST_NAME} AS first_name, k.knowledge_elements AS snapshot,
              EXISTS (SELECT 1 FROM assessments a WHERE a.campaign_participation_id = p.id AND a.state = 'completed') AS completed
       FROM campaign_participations p ${JOIN_PEOPLE}
       LEFT JOIN knowledge_element_snapshots k ON k.campaign_participation_id = p.id
       WHERE p.id = ANY($1::uuid[])`,
      [batch],
    )
    // Not shared and not finished: progression reads the learner's live knowledge of the target skills.
    const liveUsers = rows.filter((r) => !r.snapshot && r.user_id && isAssessment && r.status === 'STARTED').map((r) => r.user_id)
    const live = new Map<string, ScoringKnowledgeElement[]>()
    if (liveUsers.length) {
      const kes = await sql.query(
        `SELECT user_id, skill_id, status, source, earned_pix, created_at FROM knowledge_elements WHERE user_id = ANY($1::uuid[]) AND skill_id = ANY($2::text[])`,
        [liveUsers, targetSkillIds],
      )
      for (const k of kes.rows)
        live.set(k.user_id, [
          ...(live.get(k.user_id) ?? []),
          { skillId: k.skill_id, status: k.status, source: k.source, earnedPix: k.earned_pix, createdAt: k.created_at },
        ])
    }
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const id of batch) {
      const r = byId.get(id)
      if (!r) continue // deleted meanwhile
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
        knowledgeElements: r.snapshot ? r.snapshot.map(toScoringKe) : (live.get(r.user_id) ?? []),
      }
      yield isAssessment ? assessmentLine(ctx, p) : profilesLine(ctx, p)
    }
  }
}

/** Writes the CSV (UTF-8 with BOM, ';' separated like Pix's exports) to `out`, with back-pressure. */
export async function exportCampaignResults(sql: Sql, ctx: ExportContext, out: Writable): Promise<void> {
  await pipeline(Readable.from(lines(sql, ctx)), stringify({ bom: true, delimiter: ';' }), out)
}
