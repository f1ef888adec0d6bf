/**
 * Analyse tab (pix-rules §14.1–14.2) over the latest shared participation of each participant:
 * tube recommendations ranked by Pix's pertinence score, and collective mastery per competence.
 * SQL reduces the share-time snapshots to (tube, mask of validated levels) → participants, so the
 * work left in JS is a few hundred rows whatever the campaign size.
 */
import type { CampaignContent } from './campaign-content'
import { averageTubeScore, recommendationMarks, type RecommendationMarks } from './tube-recommendation'
import { LATEST_SHARED, type Sql } from './sql'

export interface TubeRecommendation {
  tubeName: string
  practicalTitle: string
  practicalDescription: string
  competenceCode: string
  competenceName: string
  areaColor: string
  averageScore: number
  marks: RecommendationMarks
  tutorials: { id: string; title: string; url: string; source: string; format: string; durationMinutes: number }[]
}

export interface CompetenceCollectiveResult {
  competenceCode: string
  competenceName: string
  areaColor: string
  targetedSkillsCount: number
  averageValidatedSkills: number
  /** round(average × 100 / targeted), as Pix Orga shows it. */
  masteryPercentage: number
}

export interface CampaignAnalysis {
  participantsCount: number
  tubes: TubeRecommendation[]
  competences: CompetenceCollectiveResult[]
}

export function skillColumns(content: CampaignContent) {
  return {
    ids: content.skills.map((s) => s.id),
    tubes: content.skills.map((s) => s.tubeName),
    competences: content.skills.map((s) => s.competenceCode),
    levels: content.skills.map((s) => s.level),
  }
}

export async function campaignAnalysisQuery(sql: Sql, campaignId: string, content: CampaignContent): Promise<CampaignAnalysis> {
  const cols = skillColumns(content)
  const validated = `
    SELECT ls.id, s.tube, s.competence, s.level
    FROM ${LATEST_SHARED} ls
    JOIN knowledge_element_snapshots k ON k.campaign_participation_id = ls.id
    CROSS JOIN LATERAL jsonb_array_elements(k.knowledge_elements) e
    JOIN unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS s(skill_id, tube, competence, level) ON s.skill_id = e->>'skillId'
    WHERE e->>'status' = 'validated'`
  const params = [campaignId, cols.ids, cols.tubes, cols.competences, cols.levels]
  const [count, masks] = await Promise.all([
    sql.query(`SELECT count(*)::int AS n FROM ${LATEST_SHARED} ls`, [campaignId]),
    sql.query(
      `WITH v AS (${validated}), m AS (SELECT id, tube, bit_or(1 << level) AS mask FROM v GROUP BY id, tube)
       SELECT tube, mask, count(*)::int AS n FROM m GROUP BY tube, mask`,
      params,
    ),
  ])
  const participantsCount: number = count.rows[0].n
  const groupsByTube = new Map<string, { mask: number; count: number }[]>()
  for (const r of masks.rows) groupsByTube.set(r.tube, [...(groupsByTube.get(r.tube) ?? []), { mask: r.mask, count: r.n }])
  // Validated skills per competence from the same masks (one skill per tube and level): the snapshots are
  // expanded once per request instead of twice — the expansion is what costs (bench:load).
  const competenceOfTube = new Map(content.skills.map((s) => [s.tubeName, s.competenceCode]))
  const validatedByCompetence = new Map<string, number>()
  for (const r of masks.rows) {
    const competence = competenceOfTube.get(r.tube)
    if (competence === undefined) continue
    let bits = 0
    for (let m = r.mask as number; m; m &= m - 1) bits++
    validatedByCompetence.set(competence, (validatedByCompetence.get(competence) ?? 0) + bits * r.n)
  }

  const tubes: TubeRecommendation[] = []
  if (participantsCount > 0) {
    for (const t of content.tubes) {
      const averageScore = averageTubeScore(
        t.skills.map((s) => s.level),
        groupsByTube.get(t.tube.name) ?? [],
        participantsCount,
        content.maxSkillLevel,
      )!
      tubes.push({
        tubeName: t.tube.name,
        practicalTitle: t.tube.practicalTitle,
        practicalDescription: t.tube.practicalDescription,
        competenceCode: t.competence.code,
        competenceName: t.competence.name,
        areaColor: t.area.color,
        averageScore: Math.round(averageScore * 100) / 100,
        marks: recommendationMarks(averageScore),
        tutorials: t.tutorials.map((tu) => ({ id: tu.id, title: tu.title, url: tu.url, source: tu.source, format: tu.format, durationMinutes: tu.duration })),
      })
    }
    // Most pertinent first (lowest score), then referential order.
    tubes.sort((a, b) => a.averageScore - b.averageScore)
  }

  return {
    participantsCount,
    tubes,
    competences: content.competences.map(({ competence, area, skillIds }) => {
      const average = participantsCount ? (validatedByCompetence.get(competence.code) ?? 0) / participantsCount : 0
      return {
        competenceCode: competence.code,
        competenceName: competence.name,
        areaColor: area.color,
        targetedSkillsCount: skillIds.length,
        averageValidatedSkills: Math.round(average * 100) / 100,
        masteryPercentage: Math.round((average * 100) / skillIds.length),
      }
    }),
  }
}
