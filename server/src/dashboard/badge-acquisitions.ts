/**
 * Badges acquired by each latest shared participation of a campaign. Badges are not stored at share,
 * so they are derived from what is: the frozen validated-skill count (participation criteria) and, for
 * capped-tube criteria, validated skills counted in SQL inside the share-time KE snapshot.
 */
import type { Badge, BadgeCriterion } from '../content/types'
import { masteryPercentage } from '../assessment/scoring'
import { LATEST_SHARED, type Sql } from './sql'

/** Pix's BadgeCriterionForCalculation (the same formula as assessment/scoring/badges.ts, from counts rather than sets). */
function criterionFulfilled(criterion: BadgeCriterion, validatedInScope: number, scopeSize: number): boolean {
  if (scopeSize === 0) return false
  const mastery = masteryPercentage(validatedInScope, scopeSize)
  return Math.min(100, Math.round((mastery / criterion.threshold) * 100)) === 100
}

export async function badgeAcquisitionsQuery(
  sql: Sql,
  campaignId: string,
  badges: readonly Badge[],
  targetSkillCount: number,
  /** Restrict to these participations (a page of rows) instead of the whole campaign. */
  onlyIds?: string[],
): Promise<Map<string, string[]>> {
  const acquired = new Map<string, string[]>()
  if (badges.length === 0) return acquired
  const critIdx: number[] = []
  const critSkill: string[] = []
  const criteria = badges.flatMap((b) => b.criteria)
  criteria.forEach((c, i) => {
    if (c.scope === 'cappedTubes') for (const s of c.skillIds) critIdx.push(i), critSkill.push(s)
  })
  const [base, counts] = await Promise.all([
    sql.query(
      `SELECT ls.id, coalesce(ls.validated_skills_count, 0) AS validated FROM ${LATEST_SHARED} ls WHERE $2::uuid[] IS NULL OR ls.id = ANY($2::uuid[])`,
      [campaignId, onlyIds ?? null],
    ),
    critIdx.length
      ? sql.query(
          `SELECT ls.id, c.idx, count(*)::int AS n
           FROM ${LATEST_SHARED} ls
           JOIN knowledge_element_snapshots k ON k.campaign_participation_id = ls.id
           CROSS JOIN LATERAL jsonb_array_elements(k.knowledge_elements) e
           JOIN unnest($2::int[], $3::text[]) AS c(idx, skill_id) ON c.skill_id = e->>'skillId'
           WHERE e->>'status' = 'validated' AND ($4::uuid[] IS NULL OR ls.id = ANY($4::uuid[]))
           GROUP BY ls.id, c.idx`,
          [campaignId, critIdx, critSkill, onlyIds ?? null],
        )
      : Promise.resolve({ rows: [] as { id: string; idx: number; n: number }[] }),
  ])
  const perCriterion = new Map<string, Map<number, number>>()
  for (const r of counts.rows) {
    if (!perCriterion.has(r.id)) perCriterion.set(r.id, new Map())
    perCriterion.get(r.id)!.set(r.idx, r.n)
  }
  for (const r of base.rows) {
    const keys: string[] = []
    let offset = 0
    for (const badge of badges) {
      const ok = badge.criteria.every((c, j) =>
        c.scope === 'participation'
          ? criterionFulfilled(c, r.validated, targetSkillCount)
          : criterionFulfilled(c, perCriterion.get(r.id)?.get(offset + j) ?? 0, c.skillIds.length),
      )
      offset += badge.criteria.length
      if (ok) keys.push(badge.key)
    }
    acquired.set(r.id, keys)
  }
  return acquired
}
