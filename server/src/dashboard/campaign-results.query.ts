/**
 * Résultats tab (pix-rules §14.3): over the latest shared participation of each participant —
 * average mastery, distribution in 10 bins, stages reached and average stage, badge acquisitions,
 * and one page of participant rows with filters by stage and badge.
 */
import type { Stage } from '../content/types'
import { masteryPercentage, reachedStage } from '../assessment/scoring'
import { badgeAcquisitionsQuery } from './badge-acquisitions'
import type { CampaignContent } from './campaign-content'
import { FIRST_NAME, JOIN_PEOPLE, LAST_NAME, LATEST_SHARED, likeTerm, pageOf, PARTICIPANT_KEY, type Sql } from './sql'

export interface StageCount {
  /** 1-based position, as "palier 2 sur 4". */
  reachedStage: number
  totalStage: number
  title: string
  description: string
  count: number
}

export interface CampaignResultsSummary {
  sharedParticipantsCount: number
  /** Mean mastery rate in [0, 1], null without results. */
  averageMasteryRate: number | null
  /** Participants per bin [0–10], [11–20] … [91–100] % (masteryRate × 100 ≤ upper bound). */
  masteryDistribution: number[]
  stages: StageCount[] | null
  /** Mean of (reachedStage − 1): stars out of totalStage − 1, as Pix's "Palier moyen". */
  averageStage: number | null
  badges: { key: string; title: string; count: number }[]
}

/** Stage of each possible validated-skill count: stages depend on that count only (mastery% derives from it). */
function stageByValidatedCount(content: CampaignContent): ((validated: number) => { index: number; stage: Stage } | null) | null {
  const { stages, skillIds } = content.targetProfile
  if (stages.length === 0) return null
  const total = skillIds.length
  return (validated) => {
    const r = reachedStage(stages, validated, masteryPercentage(validated, total))
    return r ? { index: r.reachedStage, stage: r.stage } : null
  }
}

export async function campaignResultsSummaryQuery(sql: Sql, campaignId: string, content: CampaignContent): Promise<CampaignResultsSummary> {
  const [summary, bins, byValidated, badges] = await Promise.all([
    sql.query(`SELECT count(*)::int AS n, avg(ls.mastery_rate::numeric)::float AS avg FROM ${LATEST_SHARED} ls`, [campaignId]),
    sql.query(
      // mastery_rate is a real: via numeric so that 0.3 lands in [21–30], not [31–40].
      `SELECT greatest(0, ceil(round(coalesce(ls.mastery_rate, 0)::numeric * 100, 4) / 10)::int - 1) AS bin, count(*)::int AS n
       FROM ${LATEST_SHARED} ls GROUP BY 1`,
      [campaignId],
    ),
    sql.query(`SELECT coalesce(ls.validated_skills_count, 0) AS v, count(*)::int AS n FROM ${LATEST_SHARED} ls GROUP BY 1`, [campaignId]),
    badgeAcquisitionsQuery(sql, campaignId, content.targetProfile.badges, content.targetProfile.skillIds.length),
  ])
  const masteryDistribution = Array.from({ length: 10 }, () => 0)
  for (const r of bins.rows) masteryDistribution[Math.min(9, r.bin)]! += r.n
  const n: number = summary.rows[0].n

  const stageOf = stageByValidatedCount(content)
  let stages: StageCount[] | null = null
  let averageStage: number | null = null
  if (stageOf) {
    const totalStage = content.targetProfile.stages.length
    const counts = new Map<number, number>()
    let starSum = 0
    for (const r of byValidated.rows) {
      const s = stageOf(r.v)
      if (!s) continue
      counts.set(s.index, (counts.get(s.index) ?? 0) + r.n)
      starSum += (s.index - 1) * r.n
    }
    stages = orderedStages(content).map((stage, i) => ({
      reachedStage: i + 1,
      totalStage,
      title: stage.prescriberTitle || stage.title,
      description: stage.prescriberDescription,
      count: counts.get(i + 1) ?? 0,
    }))
    averageStage = n ? Math.round((starSum / n) * 10) / 10 : null
  }
  const badgeCounts = new Map<string, number>()
  for (const keys of badges.values()) for (const k of keys) badgeCounts.set(k, (badgeCounts.get(k) ?? 0) + 1)
  return {
    sharedParticipantsCount: n,
    averageMasteryRate: n ? summary.rows[0].avg : null,
    masteryDistribution,
    stages,
    averageStage,
    badges: content.targetProfile.badges.map((b) => ({ key: b.key, title: b.title, count: badgeCounts.get(b.key) ?? 0 })),
  }
}

/** Stages in Pix's display order (scoring decides the order; reuse it through a fully-mastered participant). */
function orderedStages(content: CampaignContent): Stage[] {
  const { stages, skillIds } = content.targetProfile
  const result: Stage[] = []
  for (let v = 0; v <= skillIds.length; v++) {
    const r = reachedStage(stages, v, masteryPercentage(v, skillIds.length))
    if (r && !result.includes(r.stage)) result[r.reachedStage - 1] = r.stage
  }
  // Stages no count can reach (content slips) still get listed, after the others.
  for (const s of stages) if (!result.includes(s)) result.push(s)
  return result.filter(Boolean)
}

export interface ResultRow {
  participationId: string
  firstName: string
  lastName: string
  participantExternalId: string | null
  sharedAt: Date
  masteryRate: number
  validatedSkillsCount: number
  /** 1-based reached stage, null without stages. */
  reachedStage: number | null
  totalStage: number | null
  badges: string[]
  /** Shared participations of this participant (multiple sendings). */
  sharedCount: number
}

export interface ResultRowFilter {
  /** 1-based reached stages to keep. */
  stages?: number[]
  /** Badge keys that must all be acquired. */
  badges?: string[]
  search?: string
  page?: number
  pageSize?: number
}

export async function campaignResultRowsQuery(sql: Sql, campaignId: string, content: CampaignContent, filter: ResultRowFilter) {
  const { page, pageSize, offset } = pageOf(filter.page, filter.pageSize ?? 50)
  const stageOf = stageByValidatedCount(content)
  const totalSkills = content.targetProfile.skillIds.length
  const params: unknown[] = [campaignId]
  const where: string[] = ['true']
  if (filter.stages?.length && stageOf) {
    // A stage is a set of validated-skill counts: filter on those in SQL.
    const wanted = new Set(filter.stages)
    const counts = Array.from({ length: totalSkills + 1 }, (_, v) => v).filter((v) => wanted.has(stageOf(v)?.index ?? -1))
    where.push(`coalesce(p.validated_skills_count, 0) = ANY($${params.push(counts)}::int[])`)
  }
  // With a badge filter every participant's badges are needed; otherwise only the page's (below).
  let badgeMap = filter.badges?.length ? await badgeAcquisitionsQuery(sql, campaignId, content.targetProfile.badges, totalSkills) : undefined
  if (filter.badges?.length && badgeMap) {
    const ids = [...badgeMap].filter(([, keys]) => filter.badges!.every((b) => keys.includes(b))).map(([id]) => id)
    where.push(`p.id = ANY($${params.push(ids)}::uuid[])`)
  }
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
            coalesce(p.mastery_rate, 0)::numeric::float AS mastery_rate, coalesce(p.validated_skills_count, 0) AS validated,
            sc.n AS shared_count, count(*) OVER () AS total
     FROM ${LATEST_SHARED} p ${JOIN_PEOPLE} JOIN shared_counts sc ON sc.k = ${PARTICIPANT_KEY}
     WHERE ${where.join(' AND ')}
     ORDER BY lower(${LAST_NAME}), lower(${FIRST_NAME}), p.id
     LIMIT ${pageSize} OFFSET ${offset}`,
    params,
  )
  badgeMap ??= await badgeAcquisitionsQuery(sql, campaignId, content.targetProfile.badges, totalSkills, rows.map((r) => r.id as string))
  const pageBadges = badgeMap
  const participants: ResultRow[] = rows.map((r) => {
    const s = stageOf?.(r.validated) ?? null
    return {
      participationId: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      participantExternalId: r.participant_external_id,
      sharedAt: r.shared_at,
      masteryRate: r.mastery_rate,
      validatedSkillsCount: r.validated,
      reachedStage: s?.index ?? null,
      totalStage: stageOf ? content.targetProfile.stages.length : null,
      badges: pageBadges.get(r.id) ?? [],
      sharedCount: r.shared_count,
    }
  })
  return { participants, page, pageSize, total: rows.length ? Number(rows[0].total) : 0 }
}
