/**
 * Analyse tab (pix-rules §14.1–14.2) over the latest shared participation of each participant:
 * tube recommendations ranked by Pix's pertinence score, and collective mastery per competence.
 * Each participant's validated skills come from campaign_participations.validated_tube_levels (per tube, the
 * mask of validated levels, derived from the share-time snapshot: migrations 0006, 0008, 0009); SQL counts the
 * participants per (tube, mask), and Pix's formula runs on those few groups.
 */
import type { PoolClient, QueryResult } from 'pg'
import type { CampaignContent } from './campaign-content'
import { averageTubeScore, recommendationMarks, type RecommendationMarks } from './tube-recommendation'
import { latestShared, type SqlPool } from './sql'

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

/**
 * Runs the query with PostgreSQL's parallel workers off: for a few thousand rows, starting workers costs more
 * than it saves, and with concurrent requests on a small machine they compete for the same cores (bench:load,
 * 4 concurrent: p95 about a quarter lower without them).
 */
async function withoutParallelWorkers(sql: SqlPool, run: (client: PoolClient) => Promise<QueryResult>): Promise<QueryResult['rows']> {
  const client = await sql.connect()
  try {
    await client.query('BEGIN READ ONLY')
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0')
    const result = await run(client)
    await client.query('COMMIT')
    client.release()
    return result.rows
  } catch (err) {
    // A connection that cannot even roll back is dropped rather than handed to the next request.
    const ok = await client.query('ROLLBACK').then(() => true, () => false)
    client.release(!ok)
    throw err
  }
}

/**
 * Per participant and tube, a `tube:mask` element of campaign_participations.validated_tube_levels (migration 0009,
 * derived from validated_skill_ids by PostgreSQL), counted in SQL: a few hundred (element, participants) rows reach
 * Node instead of every participant's skill ids. The first row (null element) is the number of participants.
 * The latest shared participation per participant (latestShared), with only the column read here sorted.
 * unnest in the select list (ProjectSet), not as a lateral FROM item: no function scan and tuplestore per participant
 * (about 20 ms less for 7,000 participants, ~100,000 elements).
 */
const TUBE_LEVEL_COUNTS = `
  WITH ls AS MATERIALIZED ${latestShared('p.validated_tube_levels AS levels')}
  SELECT NULL AS e, count(*)::int AS n FROM ls
  UNION ALL
  SELECT e, count(*)::int FROM (SELECT unnest(levels) AS e FROM ls) elements GROUP BY e`

/**
 * Each target tube's index in content.tubes and mask of target levels. Skill ids are `@<tube><level>` (content
 * schema: levels 1 to 8), which is what lets PostgreSQL derive the masks without the referential.
 */
function targetTubes(content: CampaignContent): Map<string, { tube: number; target: number }> {
  const tubes = new Map<string, { tube: number; target: number }>()
  content.tubes.forEach((t, tube) => {
    let target = 0
    for (const s of t.skills) {
      if (s.id !== `@${t.tube.name}${s.level}` || s.level < 1 || s.level > 8) throw new Error(`skill ${s.id} is not @${t.tube.name}<level 1–8>`)
      target |= 1 << s.level
    }
    tubes.set(t.tube.name, { tube, target })
  })
  return tubes
}

export async function campaignAnalysisQuery(sql: SqlPool, campaignId: string, content: CampaignContent): Promise<CampaignAnalysis> {
  const rows = await withoutParallelWorkers(sql, (client) => client.query(TUBE_LEVEL_COUNTS, [campaignId]))
  const targets = targetTubes(content)
  let participantsCount = 0
  // Per tube: mask of validated target levels → participants (participants with nothing validated in a tube are left out).
  const masksByTube = content.tubes.map(() => new Map<number, number>())
  for (const { e, n } of rows as { e: string | null; n: number }[]) {
    if (e === null) {
      participantsCount = n
      continue
    }
    const colon = e.lastIndexOf(':')
    const place = targets.get(e.slice(0, colon))
    // Levels outside the target profile are dropped; several stored masks may then fall into one group.
    const mask = place ? Number(e.slice(colon + 1)) & place.target : 0
    if (mask !== 0) masksByTube[place!.tube]!.set(mask, (masksByTube[place!.tube]!.get(mask) ?? 0) + n)
  }
  const groupsByTube = new Map<string, { mask: number; count: number }[]>()
  const validatedByCompetence = new Map<string, number>()
  content.tubes.forEach((t, i) => {
    // In mask order: the scores are summed in an order that does not depend on how SQL returned the groups.
    const groups = [...masksByTube[i]!].sort((a, b) => a[0] - b[0]).map(([mask, count]) => ({ mask, count }))
    groupsByTube.set(t.tube.name, groups)
    // Validated skills per competence from the same masks (one skill per tube and level).
    let validated = 0
    for (const g of groups) {
      let bits = 0
      for (let m = g.mask; m; m &= m - 1) bits++
      validated += bits * g.count
    }
    validatedByCompetence.set(t.competence.code, (validatedByCompetence.get(t.competence.code) ?? 0) + validated)
  })

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
