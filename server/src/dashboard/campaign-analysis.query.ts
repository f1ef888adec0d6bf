/**
 * Analyse tab (pix-rules §14.1–14.2) over the latest shared participation of each participant:
 * tube recommendations ranked by Pix's pertinence score, and collective mastery per competence.
 * Each participant's validated skills come from campaign_participations.validated_skill_ids (derived
 * from the share-time snapshot, migration 0006) and are reduced here to (tube, mask of validated levels)
 * → participants; Pix's formula then runs on those few groups.
 */
import type { PoolClient, QueryResult } from 'pg'
import type { CampaignContent } from './campaign-content'
import { averageTubeScore, recommendationMarks, type RecommendationMarks } from './tube-recommendation'
import { LATEST_SHARED, type SqlPool } from './sql'

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

/** Where each target skill counts: its tube (index in content.tubes) and its level bit. */
function skillPlaces(content: CampaignContent): Map<string, { tube: number; bit: number }> {
  const places = new Map<string, { tube: number; bit: number }>()
  content.tubes.forEach((t, tube) => {
    for (const s of t.skills) places.set(s.id, { tube, bit: 1 << s.level })
  })
  return places
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

export async function campaignAnalysisQuery(sql: SqlPool, campaignId: string, content: CampaignContent): Promise<CampaignAnalysis> {
  // Reducing the lists here costs a few ms; the same reduction in SQL (unnest, join on skill ids, two
  // aggregates) took ~10× longer, and expanding the snapshots' jsonb ~50× (bench:load). One text value,
  // a participant per line, is the cheapest to ship.
  const rows = await withoutParallelWorkers(sql, (client) =>
    client.query(`SELECT count(*)::int AS n, string_agg(ls.validated_skill_ids, E'\\n') AS v FROM ${LATEST_SHARED} ls`, [campaignId]),
  )
  const participantsCount: number = rows[0].n
  const places = skillPlaces(content)
  // Per tube: mask of validated levels → participants (participants with nothing validated in a tube are left out).
  const masksByTube = content.tubes.map(() => new Map<number, number>())
  const masks = new Array<number>(content.tubes.length)
  for (const participant of (rows[0].v as string | null)?.split('\n') ?? []) {
    masks.fill(0)
    for (const id of participant.split(' ')) {
      const place = places.get(id)
      if (place) masks[place.tube]! |= place.bit
    }
    for (let t = 0; t < masks.length; t++) {
      const mask = masks[t]!
      if (mask !== 0) masksByTube[t]!.set(mask, (masksByTube[t]!.get(mask) ?? 0) + 1)
    }
  }
  const groupsByTube = new Map<string, { mask: number; count: number }[]>()
  const validatedByCompetence = new Map<string, number>()
  content.tubes.forEach((t, i) => {
    const groups = [...masksByTube[i]!].map(([mask, count]) => ({ mask, count }))
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
